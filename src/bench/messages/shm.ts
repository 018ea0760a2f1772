// ipclab's own message paths. shm: ShmChannel.send/receiveInto of the message bytes, one channel each
// way, each side receiving into one reused buffer as the native reference does. shm-value: sendValue
// and receive (v8-serialized, a new value each time). shm-batch (throughput only): sendMany of a
// batch of messages, one publish each, and receiveMany of every message there. semaphore: the bare
// primitive: one shared buffer each way, each guarded by a "free" and a "ready" in-segment semaphore;
// the sender copies in, the receiver copies out into a reused buffer. The server creates everything
// before the barrier.
import { DEFAULT_RING_BYTES, ShmChannel } from '../../channel/channel.js';
import { Semaphore } from '../../semaphore.js';
import { SharedMemory } from '../../shared-memory.js';
import type { MessageTransportId } from '../ids.js';
import type { Endpoint, Message, MessageSideContext, MessageTransport } from '../side.js';
import { ringHolding } from '../transports/shm-common.js';
import { BATCH_MESSAGES, driveOver, serveOver } from './loops.js';

/** Room for v8.serialize's header around a Uint8Array in a shm-value message. */
const VALUE_HEADER_BYTES = 64;

type Direction = 'up' | 'down'; // up: client to server

/** `--spin-micros`: the library's spin-then-block option, passed on as given (none by default). */
function spinOption(ctx: MessageSideContext): { spinMicros?: number } {
  return ctx.spec.spinMicros === null ? {} : { spinMicros: ctx.spec.spinMicros };
}

function channelTransport(id: Extract<MessageTransportId, 'shm' | 'shm-value' | 'shm-batch'>): MessageTransport {
  const values = id === 'shm-value';
  const name = (ctx: MessageSideContext, direction: Direction) => `${ctx.objectPrefix}-${direction}`;

  function endpoint(incoming: ShmChannel, outgoing: ShmChannel, messageBytes: number): Endpoint {
    const received = new Uint8Array(messageBytes);
    const fit = (length: number) => (length === messageBytes ? received : received.subarray(0, length));
    const close = () => {
      incoming.close();
      outgoing.close();
    };
    if (id === 'shm-batch') {
      return {
        send: (message) => outgoing.send(message as Uint8Array),
        receive: () => incoming.receive<Message>(),
        sendBatch: (messages) => outgoing.sendMany(messages as Uint8Array[]),
        receiveBatch: (max) => incoming.receiveMany<Message>({ max }),
        close,
      };
    }
    return {
      send: (message) => (values ? outgoing.sendValue(message) : outgoing.send(message as Uint8Array)),
      receive: values ? () => incoming.receive<Message>() : () => incoming.receiveInto(received).then(fit),
      ...(values ? {} : { receiveInto: { buffer: received, next: () => incoming.receiveInto(received) } }),
      close,
    };
  }

  return {
    id,
    mechanism: {
      shm: 'ShmChannel.send/receiveInto of the bytes (into one reused buffer), one channel each way',
      'shm-value': 'ShmChannel.sendValue/receive (v8.serialize of a Uint8Array), one channel each way',
      'shm-batch': `ShmChannel.sendMany of ${BATCH_MESSAGES} messages at a time, receiveMany of every message there, up to as many (a new Uint8Array each)`,
    }[id],
    topology: 'pair',
    spins: true,
    ...(id === 'shm-batch' ? { modes: ['throughput' as const] } : {}),

    async openServer(ctx) {
      // The default ring, or one whose records hold a message whole.
      const ringBytes = Math.max(DEFAULT_RING_BYTES, ringHolding(ctx.spec.messageBytes + VALUE_HEADER_BYTES) ?? 0);
      const options = { ringBytes, ...spinOption(ctx) };
      const up = ShmChannel.create(name(ctx, 'up'), options);
      const down = ShmChannel.create(name(ctx, 'down'), options);
      return serveOver(endpoint(up, down, ctx.spec.messageBytes), ctx.spec, 'bytes');
    },

    async openClient(ctx) {
      const open = (direction: Direction) => ShmChannel.open(name(ctx, direction), spinOption(ctx));
      return driveOver(endpoint(open('down'), open('up'), ctx.spec.messageBytes), ctx.spec, 'bytes');
    },
  };
}

/** One direction of the semaphore path: a buffer plus its free and ready semaphores. */
interface Lane {
  free: Semaphore;
  ready: Semaphore;
  bytes: Uint8Array;
}

const LANE_SEMAPHORE_STRIDE = 64;
const DATA_OFFSET = 4096;

function lanes(segment: SharedMemory, messageBytes: number, create: boolean): Record<Direction, Lane> {
  const areaBytes = Math.ceil(messageBytes / 64) * 64;
  const lane = (index: number): Lane => {
    const at = (slot: number) => (index * 2 + slot) * LANE_SEMAPHORE_STRIDE;
    return {
      free: create ? Semaphore.createIn(segment, at(0), 1) : Semaphore.openIn(segment, at(0)),
      ready: create ? Semaphore.createIn(segment, at(1), 0) : Semaphore.openIn(segment, at(1)),
      bytes: new Uint8Array(segment.buffer, DATA_OFFSET + index * areaBytes, messageBytes),
    };
  };
  return { up: lane(0), down: lane(1) };
}

function semaphoreEndpoint(segment: SharedMemory, incoming: Lane, outgoing: Lane, spin: { spinMicros?: number }): Endpoint {
  const wait = (semaphore: Semaphore) => (semaphore.tryWait() ? Promise.resolve(true) : semaphore.wait(undefined, spin));
  const received = new Uint8Array(incoming.bytes.byteLength);
  return {
    async send(message) {
      await wait(outgoing.free);
      outgoing.bytes.set(message as Uint8Array);
      outgoing.ready.post();
    },
    async receive() {
      await wait(incoming.ready);
      received.set(incoming.bytes);
      incoming.free.post();
      return received;
    },
    close() {
      for (const lane of [incoming, outgoing]) {
        lane.free.close();
        lane.ready.close();
      }
      segment.close();
    },
  };
}

const semaphoreName = (ctx: MessageSideContext) => `${ctx.objectPrefix}-lanes`;

export const shmMessageTransport = channelTransport('shm');
export const shmValueMessageTransport = channelTransport('shm-value');
export const shmBatchMessageTransport = channelTransport('shm-batch');

export const semaphoreMessageTransport: MessageTransport = {
  id: 'semaphore',
  mechanism: 'two in-segment Semaphores per direction (free, ready) around a shared buffer: copy in, post, wait, copy out (into a reused buffer)',
  topology: 'pair',
  spins: true,

  async openServer(ctx) {
    const segment = SharedMemory.create(semaphoreName(ctx), DATA_OFFSET + 2 * (Math.ceil(ctx.spec.messageBytes / 64) * 64));
    const { up, down } = lanes(segment, ctx.spec.messageBytes, true);
    return serveOver(semaphoreEndpoint(segment, up, down, spinOption(ctx)), ctx.spec, 'bytes');
  },

  async openClient(ctx) {
    const segment = SharedMemory.open(semaphoreName(ctx));
    const { up, down } = lanes(segment, ctx.spec.messageBytes, false);
    return driveOver(semaphoreEndpoint(segment, down, up, spinOption(ctx)), ctx.spec, 'bytes');
  },
};
