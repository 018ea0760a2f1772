// Messages as the channel carries them: bytes and a kind. What the caller gives becomes bytes
// (typed arrays and buffers as they are, values serialized), and received bytes become what was sent.
import { types } from 'node:util';

import { IpcError } from '../errors.js';
import { describe, isDetached, messageOf } from '../validate.js';
import { constructorOfKind, kindOfView, PayloadKind, viewOfKind } from './layout.js';
import { SHORT_COPY_BYTES } from './ring.js';
import { deserializeValueBytes } from './value-reader.js';
import { serializeValueBytes } from './value-writer.js';

export type ChannelPayload = ArrayBuffer | ArrayBufferView;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The bytes of an ArrayBuffer (or SharedArrayBuffer) or of a view, refusing anything else and detached buffers. */
export function bytesOf(data: unknown, what: string, use: 'readable' | 'writable'): Uint8Array {
  if (ArrayBuffer.isView(data)) {
    // A detached view reads length 0; asking only then keeps `.buffer` (which moves a small array off the heap) off the hot path.
    if (data.byteLength === 0 && isDetached(data.buffer)) throw detached(what, use);
    return data instanceof Uint8Array ? data : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  }
  if (types.isArrayBuffer(data) || types.isSharedArrayBuffer(data)) {
    if (isDetached(data)) throw detached(what, use);
    return new Uint8Array(data);
  }
  throw new TypeError(`${what} must be an ArrayBuffer, a typed array or a DataView, got ${describe(data)}`);
}

function detached(what: string, use: string): TypeError {
  return new TypeError(`${what} must be ${use}, but its ArrayBuffer is detached (transferred, or its shared memory closed)`);
}

/** The kind `data` (already accepted by bytesOf) travels as. */
export function kindOf(data: ChannelPayload): number {
  return ArrayBuffer.isView(data) ? kindOfView(data) : PayloadKind.arrayBuffer;
}

/**
 * `v8.serialize(value)`'s bytes, refusing what cannot be cloned with a TypeError that says so. They
 * may be the value writer's scratch, valid until the next call: copy what must wait.
 */
export function serializeValue(value: unknown): Uint8Array {
  try {
    return serializeValueBytes(value);
  } catch (error) {
    throw new TypeError(`value must be structured-cloneable (no functions, symbols or native handles): ${messageOf(error)}`);
  }
}

/** The UTF-8 bytes of `JSON.stringify(value)`, refusing what JSON cannot carry. */
export function jsonBytes(value: unknown): Uint8Array {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new TypeError(`value must be JSON-serializable: ${messageOf(error)}`);
  }
  if (text === undefined) throw new TypeError(`value must be JSON-serializable, got ${describe(value)}`);
  return Buffer.from(text, 'utf8');
}

/**
 * A whole message read out of `memory` (the ring) as it was sent: a typed array of the sent type
 * or bytes are copied into a new array of their own (a small one lives on the JS heap, which costs
 * far less than an ArrayBuffer of its own), the rest decoded from a copy.
 */
export function copyMessage(memoryBytes: Uint8Array, offset: number, size: number, kind: number, channel: string): unknown {
  const memory = memoryBytes.buffer as ArrayBuffer;
  const constructor = constructorOfKind[kind];
  if (constructor === undefined) {
    // JSON and values are decoded straight from the ring (a value's typed arrays get memory of their
    // own; one that V8 reads, from a copy); bytes and DataViews need an ArrayBuffer of their own.
    if (kind === PayloadKind.json) return decodeMessage(new Uint8Array(memory, offset, size), kind, channel);
    if (kind === PayloadKind.value) {
      try {
        return deserializeValueBytes(memoryBytes, offset, size, false);
      } catch (error) {
        throw undecodable(kind, channel, error);
      }
    }
    return decodeMessage(memory.slice(offset, offset + size), kind, channel);
  }
  const length = size / constructor.BYTES_PER_ELEMENT;
  const copy = new constructor(length);
  if (size <= SHORT_COPY_BYTES && constructor.BYTES_PER_ELEMENT === 1) {
    // Byte kinds store each byte's bits unchanged, and a short loop beats a call into `set`.
    for (let i = 0; i < size; i++) copy[i] = memoryBytes[offset + i]!;
  } else {
    copy.set(new constructor(memory, offset, length) as never);
  }
  return copy;
}

/**
 * A received message as it was sent: the value, the parsed JSON, the ArrayBuffer, or a view of the
 * sent type. `message` holds exactly the message, and its buffer belongs to the caller from now on
 * (JSON text may be a view of the ring: it is decoded, never kept). A value or JSON text that does
 * not decode is an IpcError naming the channel.
 */
export function decodeMessage(message: ArrayBuffer | Uint8Array, kind: number, channel: string): unknown {
  if (kind === PayloadKind.value || kind === PayloadKind.json) {
    try {
      const bytes = message instanceof Uint8Array ? message : new Uint8Array(message);
      return kind === PayloadKind.value ? deserializeValueBytes(bytes, 0, bytes.length, true) : JSON.parse(utf8.decode(bytes));
    } catch (error) {
      throw undecodable(kind, channel, error);
    }
  }
  const buffer = message instanceof Uint8Array ? (message.buffer as ArrayBuffer) : message;
  if (kind === PayloadKind.arrayBuffer) return buffer;
  return viewOfKind(kind, buffer, 0, buffer.byteLength);
}

function undecodable(kind: number, channel: string, error: unknown): IpcError {
  const what = kind === PayloadKind.value ? 'a sendValue() message does not deserialize' : 'a JSON message is not UTF-8 JSON text';
  return new IpcError(`channel "${channel}" carried a message that does not decode: ${what} (${messageOf(error)}); it was skipped`, {
    code: 'ERR_BAD_CHANNEL',
    name: channel,
  });
}
