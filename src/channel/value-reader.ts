// Reads what v8.serialize wrote, for the values value-writer.ts writes, or declines
// (value-format.ts).
import { deserialize } from 'node:v8';

import { BUFFER_INDEX, double, doubleBytes, elementBytesOf, enabled, FORMAT_VERSION, MAX_DEPTH, Tag, UINT8_INDEX, viewTypes } from './value-format.js';

const latin1Slice = Buffer.prototype.latin1Slice;
const ucs2Slice = Buffer.prototype.ucs2Slice;

/** What a reader returns for bytes it leaves to v8.deserialize. */
const NOT_FAST: unique symbol = Symbol('ipclab.value-codec.not-fast');
export type NotFast = typeof NOT_FAST;
export { NOT_FAST };

const nothing = new Uint8Array(0);
let source: Uint8Array = nothing;
let pos = 0;
let end = 0;
/** Whether views may share `source`'s memory, as v8.deserialize's do; else they get memory of their own. */
let shareViews = true;

/**
 * The value in `bytes[offset, offset + length)` as v8.deserialize reads it, or NOT_FAST when the
 * bytes hold anything this reader leaves to V8. `ownBytes`: the bytes belong to the result from now
 * on (views are made over them, as v8.deserialize does); else views get a copy.
 */
export function fastDeserialize(bytes: Uint8Array, offset: number, length: number, ownBytes: boolean): unknown {
  if (!enabled || length < 3 || bytes[offset] !== 0xff || bytes[offset + 1] !== FORMAT_VERSION) return NOT_FAST;
  source = bytes;
  pos = offset + 2;
  end = offset + length;
  shareViews = ownBytes;
  try {
    return readValue(0);
  } finally {
    source = nothing;
  }
}

/** v8.deserialize of `bytes[offset, offset + length)`, read here when it can be; see fastDeserialize. */
export function deserializeValueBytes(bytes: Uint8Array, offset: number, length: number, ownBytes: boolean): unknown {
  const value = fastDeserialize(bytes, offset, length, ownBytes);
  if (value !== NOT_FAST) return value;
  const message = bytes.subarray(offset, offset + length);
  return deserialize(ownBytes ? message : message.slice());
}

function readTag(): number {
  while (pos < end) {
    const tag = source[pos++]!;
    if (tag !== Tag.padding) return tag;
  }
  return -1;
}

/** A uint32 varint, or -1 for one V8 reads differently (past 5 bytes, bits above 32) or cut short. */
function readVarint(): number {
  let value = 0;
  for (let shift = 0; shift < 35; shift += 7) {
    if (pos >= end) return -1;
    const byte = source[pos++]!;
    if (shift === 28 && byte > 0x0f) return -1;
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return value;
  }
  return -1;
}

function readValue(depth: number): unknown {
  const tag = readTag();
  switch (tag) {
    case Tag.undefined:
      return undefined;
    case Tag.null:
      return null;
    case Tag.true:
      return true;
    case Tag.false:
      return false;
    case Tag.int32:
      return readInt32();
    case Tag.double:
      if (end - pos < 8) return NOT_FAST;
      for (let i = 0; i < 8; i++) doubleBytes[i] = source[pos++]!;
      return double[0];
    case Tag.oneByteString:
    case Tag.twoByteString:
      return readString(tag);
    case Tag.beginObject:
      return depth >= MAX_DEPTH ? NOT_FAST : readObject(depth);
    case Tag.beginDenseArray:
      return depth >= MAX_DEPTH ? NOT_FAST : readArray(depth);
    case Tag.hostObject:
      return readView();
    default:
      return NOT_FAST;
  }
}

function readInt32(): number | NotFast {
  const zigzag = readVarint();
  return zigzag < 0 ? NOT_FAST : (zigzag >>> 1) ^ -(zigzag & 1);
}

function readString(tag: number): string | NotFast {
  const byteLength = readVarint();
  if (byteLength < 0 || byteLength > end - pos) return NOT_FAST;
  const start = pos;
  pos += byteLength;
  if (tag === Tag.twoByteString) {
    if (byteLength & 1) return NOT_FAST;
    return ucs2Slice.call(source, start, pos); // code units as they are, lone surrogates included
  }
  if (byteLength < 16) {
    let text = '';
    for (let i = start; i < pos; i++) text += String.fromCharCode(source[i]!);
    return text;
  }
  return latin1Slice.call(source, start, pos);
}

function readObject(depth: number): object | NotFast {
  const object: Record<string | number, unknown> = {};
  let count = 0;
  for (;;) {
    const tag = readTag();
    if (tag === Tag.endObject) return readVarint() === count ? object : NOT_FAST;
    let key: string | number | NotFast;
    if (tag === Tag.oneByteString || tag === Tag.twoByteString) key = readString(tag);
    else if (tag === Tag.int32) key = readInt32();
    else return NOT_FAST;
    // V8 defines each key as an own property and fails on a duplicate; `=` would instead run what the
    // prototype has under that name (`__proto__` sets the prototype): those keys go to V8.
    if (key === NOT_FAST || key in object) return NOT_FAST;
    const value = readValue(depth + 1);
    if (value === NOT_FAST) return NOT_FAST;
    object[key] = value;
    count++;
  }
}

function readArray(depth: number): unknown[] | NotFast {
  const length = readVarint();
  if (length < 0 || length > end - pos) return NOT_FAST;
  const array: unknown[] = [];
  for (let i = 0; i < length; i++) {
    while (pos < end && source[pos] === Tag.padding) pos++;
    if (source[pos] === Tag.hole) return NOT_FAST;
    const element = readValue(depth + 1);
    if (element === NOT_FAST) return NOT_FAST;
    array.push(element);
  }
  // Named properties after the elements go to V8.
  if (readTag() !== Tag.endDenseArray || readVarint() !== 0 || readVarint() !== length) return NOT_FAST;
  return array;
}

function readView(): ArrayBufferView | NotFast {
  const index = readVarint();
  const byteLength = readVarint();
  const type = viewTypes[index];
  if (type === undefined || byteLength < 0 || byteLength > end - pos) return NOT_FAST;
  const elementBytes = elementBytesOf(type);
  if (byteLength % elementBytes !== 0) return NOT_FAST;
  const start = pos;
  pos += byteLength;
  if (!shareViews) {
    // Out of the ring: memory of the view's own (a small Uint8Array on the JS heap).
    if (index === UINT8_INDEX) {
      const bytes = new Uint8Array(byteLength);
      if (byteLength <= 64) for (let i = 0; i < byteLength; i++) bytes[i] = source[start + i]!;
      else bytes.set(source.subarray(start, pos));
      return bytes;
    }
    const buffer = new ArrayBuffer(byteLength);
    new Uint8Array(buffer).set(source.subarray(start, pos));
    return viewOver(index, buffer, 0, byteLength);
  }
  const offset = source.byteOffset + start;
  if (offset % elementBytes === 0) return viewOver(index, source.buffer as ArrayBuffer, offset, byteLength);
  // Node copies a misaligned view into a Buffer of its own (pooled when small), as here.
  const copy = Buffer.allocUnsafe(byteLength);
  copy.set(source.subarray(start, pos));
  return viewOver(index, copy.buffer, copy.byteOffset, byteLength);
}

function viewOver(index: number, buffer: ArrayBuffer, byteOffset: number, byteLength: number): ArrayBufferView {
  if (index === BUFFER_INDEX) return Buffer.from(buffer, byteOffset, byteLength);
  const type = viewTypes[index]!;
  const construct = type as unknown as new (buffer: ArrayBuffer, byteOffset: number, length: number) => ArrayBufferView;
  return new construct(buffer, byteOffset, byteLength / elementBytesOf(type));
}
