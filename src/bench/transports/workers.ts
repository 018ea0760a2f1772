// Node's own answer, threads in one process (no row in Python's multiprocessing table): the
// receiver runs in a worker thread. worker-clone: postMessage copies the payload (structured
// clone). worker-transfer: postMessage moves the typed array's buffer (transferList), no copy.
// worker-sab: the sender builds (or casts an array) into a SharedArrayBuffer made before the barrier and raises a flag
// with Atomics.store + Atomics.notify; the receiver sleeps in Atomics.wait and reads in place.
import { parentPort, type MessagePort, type Worker } from 'node:worker_threads';

import { typedAsSentKind } from '../codecs/bodies.js';
import { PAYLOAD_IDS, type CodecId, type PayloadId, type TransportId } from '../ids.js';
import { castToTyped, fillTyped, isJsArrayPayload, rawWireType, typedConstructorOf } from '../payload.js';
import type { CaseSpec, Payload, Transport } from '../side.js';
import { isPayloadMessage, PAYLOAD_MESSAGE, type PayloadMessage } from './payload-message.js';
import { castCopies, checkedWireType, int32Limit } from './wire.js';

type WorkerVariant = 'clone' | 'transfer' | 'sab';

/** worker-sab: the buffers the sender shares with the receiver before the barrier. */
const SHARED_BUFFERS_MESSAGE = 'ipclab-shared-buffers';
interface SharedBuffersMessage {
  type: typeof SHARED_BUFFERS_MESSAGE;
  /** Int32 slot STATE_INDEX: EMPTY or FULL; Float64 slot LENGTH_INDEX: elements written. */
  control: SharedArrayBuffer;
  data: SharedArrayBuffer;
}
const STATE_INDEX = 0; // in Int32Array(control)
const LENGTH_INDEX = 1; // in Float64Array(control)
const CONTROL_BYTES = 16;
const EMPTY = 0;
const FULL = 1;

/** The next message on `port` that `isWanted` accepts; others are left to other listeners. */
function nextMessage<T>(port: MessagePort, isWanted: (message: unknown) => message is T): { message: Promise<T>; stop(): void } {
  let onMessage: (message: unknown) => void = () => undefined;
  const message = new Promise<T>((resolve) => {
    onMessage = (candidate) => {
      if (!isWanted(candidate)) return;
      port.off('message', onMessage);
      resolve(candidate);
    };
    port.on('message', onMessage);
  });
  return { message, stop: () => port.off('message', onMessage) };
}

const isSharedBuffersMessage = (message: unknown): message is SharedBuffersMessage =>
  typeof message === 'object' && message !== null && (message as { type?: unknown }).type === SHARED_BUFFERS_MESSAGE;

function receiverPort(id: TransportId): MessagePort {
  if (!parentPort) throw new Error(`${id} runs its receiver in a worker thread, and this is the main thread`);
  return parentPort;
}

/** The payload's wire type over the shared buffer (sized for it before the barrier). */
function sharedView(payload: PayloadId, data: SharedArrayBuffer, elements: number): Int32Array | Float64Array {
  return typedConstructorOf(payload) === Float64Array ? new Float64Array(data, 0, elements) : new Int32Array(data, 0, elements);
}

function workerTransport(id: TransportId, variant: WorkerVariant, codec: CodecId): Transport {
  return {
    id,
    standsFor: 'threads (no multiprocessing row)',
    mechanism: {
      clone: 'worker_threads postMessage: structured clone (copied)',
      transfer: "worker_threads postMessage with a transferList: the typed array's buffer moves, no copy",
      sab: 'SharedArrayBuffer filled by the sender, completion flag by Atomics.store/notify, receiver in Atomics.wait',
    }[variant],
    topology: 'threads',
    payloads: PAYLOAD_IDS,
    codecs: [codec],
    constraint: {
      clone: 'structured-cloneable',
      transfer: 'typed array (an array is cast first)',
      sab: '1-D typed array, completion flag needed',
    }[variant],
    // clone: serialized and deserialized. transfer, sab: a typed payload is handed off (a JS Array is cast and rebuilt).
    copies: variant === 'clone' ? () => 2 : castCopies,
    // sab: the buffer is made before the barrier but its pages are first written by the build (fresh); the receiver thread reads them mapped.
    ...(variant === 'sab' ? { memory: { sender: 'fresh', receiver: 'pre-mapped' } as const } : {}),
    limits: [
      'Both sides share one process: peak RSS and CPU time are the whole process’s.',
      ...{
        clone: [
          'postMessage serializes the whole payload on the sender’s thread before it returns, and the receiver deserializes it in one piece.',
          'Node deserializes the message before it emits it, so decoding is part of the transfer phase, not a phase of its own.',
        ],
        transfer: ['A JS Array is cast by the sender (to int32 when every value is one, else float64) and rebuilt as a JS Array by the receiver.', 'The sender’s typed array is detached (emptied) by the transfer.'],
        sab: [
          'The shared buffer is made before the barrier for the case’s element count; a typed payload is built straight into it (its pages are first touched then), an array is cast into it during the send.',
          'The receiver reads the shared buffer in place: the payload it verifies is a view, not a copy. An array payload is cast to int32 and rebuilt as a JS Array.',
        ],
      }[variant],
    ],
    unsupported(spec: CaseSpec) {
      if (spec.codec !== codec) return `${id} moves ${codec === 'v8' ? 'structured-clone (v8)' : 'raw'} data, not ${spec.codec}`;
      return variant === 'clone' ? undefined : int32Limit(spec);
    },

    async openReceiver(ctx) {
      const port = receiverPort(id);
      if (variant === 'sab') {
        const { message } = nextMessage(port, isSharedBuffersMessage);
        const { control, data } = await message;
        const state = new Int32Array(control);
        return {
          async receive() {
            while (Atomics.load(state, STATE_INDEX) !== FULL) Atomics.wait(state, STATE_INDEX, EMPTY);
            ctx.mark('firstByte'); // the wake-up
            const elements = new Float64Array(control)[LENGTH_INDEX]!;
            const view = sharedView(ctx.spec.payload, data, elements);
            ctx.mark('received');
            return typedAsSentKind(view, ctx.spec.payload, ctx.mark);
          },
          close() {},
        };
      }
      const incoming = nextMessage(port, isPayloadMessage);
      return {
        async receive() {
          const { value } = await incoming.message;
          ctx.mark('received');
          return variant === 'transfer' ? typedAsSentKind(value as Int32Array | Float64Array, ctx.spec.payload, ctx.mark) : value;
        },
        close: () => incoming.stop(),
      };
    },

    async openSender(ctx) {
      const worker: Worker = ctx.startReceiverWorker();
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.on('error', () => undefined); // the receiver reports its own errors over its control channel
      let delivered = false;
      const type = typedConstructorOf(ctx.spec.payload);
      let shared: { state: Int32Array; length: Float64Array; data: SharedArrayBuffer } | undefined;
      if (variant === 'sab') {
        const control = new SharedArrayBuffer(CONTROL_BYTES);
        const data = new SharedArrayBuffer(ctx.spec.elements * type.BYTES_PER_ELEMENT);
        shared = { state: new Int32Array(control), length: new Float64Array(control), data };
        worker.postMessage({ type: SHARED_BUFFERS_MESSAGE, control, data } satisfies SharedBuffersMessage);
      }

      /** transfer: a typed array whose buffer can move; an array is cast first (a step of its own). */
      function transferable(payload: Payload): Int32Array | Float64Array {
        if (!Array.isArray(payload)) return payload;
        ctx.mark('castStart');
        const typed = castToTyped(payload, rawWireType(payload));
        ctx.mark('castEnd');
        return typed;
      }

      /** sab: an array is cast element by element into the shared view; a typed payload was built there. */
      function copyInto(view: Int32Array | Float64Array, payload: Payload): void {
        if (!Array.isArray(payload)) {
          if (payload.buffer !== view.buffer) view.set(payload);
          return;
        }
        ctx.mark('castStart');
        checkedWireType(ctx.spec, payload);
        for (let i = 0; i < payload.length; i++) view[i] = payload[i]!;
        ctx.mark('castEnd');
      }

      return {
        // sab: a typed payload is produced straight into the shared buffer (a hand-off, as shm-zero-copy).
        ...(variant === 'sab' && !isJsArrayPayload(ctx.spec.payload)
          ? { build: () => fillTyped(sharedView(ctx.spec.payload, shared!.data, ctx.spec.elements)) }
          : {}),
        async send(payload) {
          if (variant === 'clone') {
            ctx.mark('handoff');
            worker.postMessage({ type: PAYLOAD_MESSAGE, value: payload } satisfies PayloadMessage);
          } else if (variant === 'transfer') {
            const typed = transferable(payload);
            ctx.mark('handoff');
            worker.postMessage({ type: PAYLOAD_MESSAGE, value: typed } satisfies PayloadMessage, [typed.buffer as ArrayBuffer]);
          } else {
            const { state, length, data } = shared!;
            const capacity = data.byteLength / type.BYTES_PER_ELEMENT;
            if (payload.length > capacity) throw new RangeError(`a payload of ${payload.length} elements does not fit the ${capacity}-element shared buffer made for this case`);
            copyInto(sharedView(ctx.spec.payload, data, payload.length), payload);
            ctx.mark('handoff');
            length[LENGTH_INDEX] = payload.length;
            Atomics.store(state, STATE_INDEX, FULL);
            Atomics.notify(state, STATE_INDEX);
          }
          delivered = true;
        },
        async close() {
          // Delivered: the receiver ends by itself once it has reported; otherwise stop it.
          if (!delivered) await worker.terminate();
          await exited;
        },
      };
    },
  };
}

export const workerCloneTransport = workerTransport('worker-clone', 'clone', 'v8');
export const workerTransferTransport = workerTransport('worker-transfer', 'transfer', 'raw');
export const workerSabTransport = workerTransport('worker-sab', 'sab', 'raw');
