// Python's Queue: the payload as one message over Node's built-in child_process IPC channel
// (`child.send` in the parent, `process.on('message')` in the forked child), used as-is with
// either of its serializations. Node serializes the whole message at once: JSON past V8's string
// limit throws, and that error is the result. ipc-advanced also carries the raw codec: a JS Array is
// cast to an Int32Array (Float64Array when a value is not an int32) exactly as shm/raw casts it,
// the typed array crosses as the message, and the receiver rebuilds the Array as shm/raw does, so
// shm/raw against ipc-advanced/raw compares transports with the same codec.
import type { SerializationType } from 'node:child_process';

import { releaseChild } from '../child-exit.js';
import { encodeBody, typedAsSentKind } from '../codecs/bodies.js';
import { PAYLOAD_IDS, type CodecId, type TransportId } from '../ids.js';
import { isJsArrayPayload } from '../payload.js';
import type { Payload, Transport } from '../side.js';
import { isPayloadMessage, PAYLOAD_MESSAGE, type PayloadMessage } from './payload-message.js';
import { castCopies, int32Limit } from './wire.js';

function ipcTransport(id: TransportId, serialization: SerializationType, codecs: readonly CodecId[]): Transport {
  const json = serialization === 'json';
  return {
    id,
    standsFor: 'Queue',
    mechanism: `child_process.fork({ serialization: '${serialization}' }): child.send(payload), process.on('message')`,
    topology: 'parent-child',
    payloads: json ? PAYLOAD_IDS.filter(isJsArrayPayload) : PAYLOAD_IDS,
    codecs: [...codecs],
    constraint: json ? 'JSON-serializable' : 'structured-cloneable',
    copies: (spec) => 2 + castCopies(spec), // the serialized message, into the IPC pipe and out of it (raw Array: cast and rebuild besides)
    limits: [
      'Node decodes the message before it emits it, so decoding is part of the transfer phase, not a phase of its own.',
      ...(json
        ? [
            'Node builds the whole message as one JSON string: past 536,870,888 characters (from 60,886,885 elements of 0..n-1) send() throws RangeError: Invalid string length.',
            'JSON turns a typed array into an object keyed by index, so only the array payload is carried.',
          ]
        : [
            'Node serializes the whole message at once (v8.serialize) and the child rebuilds it from one buffer: both sides hold the full serialized copy.',
            'raw: a JS Array is cast to an Int32Array (Float64Array when a value is not an int32) before the send and rebuilt after it, as shm/raw does',
          ]),
    ],
    unsupported(spec) {
      if (!codecs.includes(spec.codec)) return `${id} serializes with ${serialization} (codecs ${codecs.join(', ')}), not ${spec.codec}`;
      if (spec.codec === 'raw') return int32Limit(spec);
      if (json && !isJsArrayPayload(spec.payload)) {
        return `${id}: JSON serialization turns a ${spec.payload === 'int32' ? 'Int32Array' : 'Float64Array'} into an object keyed by index, not an array`;
      }
      return undefined;
    },

    async openReceiver(ctx) {
      let onMessage: (message: unknown) => void = () => undefined;
      let onDisconnect: () => void = () => undefined;
      const received = new Promise<Payload>((resolve, reject) => {
        onMessage = (message) => {
          if (!isPayloadMessage(message)) return;
          ctx.mark('received');
          const value = message.value;
          resolve(ctx.spec.codec === 'raw' && (value instanceof Int32Array || value instanceof Float64Array) ? typedAsSentKind(value, ctx.spec.payload, ctx.mark) : value);
        };
        onDisconnect = () => reject(new Error('the IPC channel to the sender closed before the payload arrived'));
      });
      if (!process.send) throw new Error(`${id} runs its receiver in a child forked with an IPC channel, and this process has none`);
      process.on('message', onMessage);
      process.on('disconnect', onDisconnect);
      return {
        receive: () => received,
        close() {
          process.off('message', onMessage);
          process.off('disconnect', onDisconnect);
        },
      };
    },

    async openSender(ctx) {
      const child = ctx.spawnReceiver({ serialization });
      let delivered = false;
      return {
        send(payload) {
          // raw: the cast is marked (castStart/castEnd) before the hand-off, as shm/raw's is.
          const value = ctx.spec.codec === 'raw' ? rawValue(payload, ctx.mark) : payload;
          return new Promise<void>((resolve, reject) => {
            ctx.mark('handoff');
            const message: PayloadMessage = { type: PAYLOAD_MESSAGE, value };
            // Serializes synchronously (and may throw); the callback fires once the bytes are written.
            child.send(message, (error) => {
              if (error) return reject(error);
              delivered = true;
              resolve();
            });
          });
        },
        close: () => releaseChild(child, delivered),
      };
    },
  };
}

/** The raw codec's message: the payload's typed array (a JS Array cast as shm/raw casts it). */
function rawValue(payload: Payload, mark: Parameters<typeof encodeBody>[2]): Payload {
  const body = encodeBody(payload, 'raw', mark);
  const bytes = [...body.chunks][0]!;
  return new body.wire!(bytes.buffer as ArrayBuffer, bytes.byteOffset, body.elements);
}

export const ipcJsonTransport = ipcTransport('ipc-json', 'json', ['json']);
export const ipcAdvancedTransport = ipcTransport('ipc-advanced', 'advanced', ['v8', 'raw']);
