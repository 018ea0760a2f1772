// Writes a value as v8.serialize does (the format and its limits: value-format.ts), or declines.
import { types } from 'node:util';
import { serialize } from 'node:v8';

import { BUFFER_INDEX, double, doubleBytes, enabled, FAST_VALUE_MAX_BYTES, FORMAT_VERSION, MAX_DEPTH, SMI_MAX, SMI_MIN, Tag, viewIndexByPrototype, viewTypes } from './value-format.js';

const objectToString = Object.prototype.toString;

/** Room past the limit for the few bytes written after a room() check; `textOut` writes strings into it. */
const textOut = Buffer.allocUnsafe(FAST_VALUE_MAX_BYTES + 64);
const out = new Uint8Array(textOut.buffer, textOut.byteOffset, textOut.length);
let at = 0;
let writing = false;
/** Objects written so far in this value: a second meeting needs a back-reference, which V8 writes. */
const seen = new Set<object>();

/**
 * The bytes `v8.serialize(value)` writes, in a scratch buffer that the next call reuses (copy what
 * must outlive it), or undefined when `value` is outside what is written here.
 */
export function fastSerialize(value: unknown): Uint8Array | undefined {
  if (!enabled || writing) return undefined; // re-entered from a getter: that call goes to V8
  writing = true;
  try {
    out[0] = 0xff;
    out[1] = FORMAT_VERSION;
    at = 2;
    return writeValue(value, 0) ? out.subarray(0, at) : undefined;
  } finally {
    if (seen.size !== 0) seen.clear();
    writing = false;
  }
}

/** `v8.serialize(value)`'s bytes; they may be the scratch of fastSerialize, valid until the next call. */
export function serializeValueBytes(value: unknown): Uint8Array {
  return fastSerialize(value) ?? serialize(value);
}

function room(bytes: number): boolean {
  return at + bytes <= FAST_VALUE_MAX_BYTES;
}

function writeVarint(value: number): void {
  while (value >= 0x80) {
    out[at++] = (value & 0x7f) | 0x80;
    value = Math.floor(value / 128);
  }
  out[at++] = value;
}

function varintBytes(value: number): number {
  let bytes = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 128);
    bytes++;
  }
  return bytes;
}

function isSmi(value: number): boolean {
  return Number.isInteger(value) && value >= SMI_MIN && value <= SMI_MAX && !Object.is(value, -0);
}

function writeInt32(value: number): void {
  out[at++] = Tag.int32;
  writeVarint(((value << 1) ^ (value >> 31)) >>> 0);
}

function writeDouble(value: number): void {
  out[at++] = Tag.double;
  double[0] = value;
  for (let i = 0; i < 8; i++) out[at++] = doubleBytes[i]!;
}

function writeValue(value: unknown, depth: number): boolean {
  if (!room(16)) return false;
  switch (typeof value) {
    case 'number':
      if (isSmi(value)) writeInt32(value);
      else writeDouble(value);
      return true;
    case 'string':
      return writeString(value);
    case 'boolean':
      out[at++] = value ? Tag.true : Tag.false;
      return true;
    case 'undefined':
      out[at++] = Tag.undefined;
      return true;
    case 'object':
      if (value === null) {
        out[at++] = Tag.null;
        return true;
      }
      if (depth >= MAX_DEPTH || seen.has(value)) return false;
      if (ArrayBuffer.isView(value)) {
        if (depth > 0) seen.add(value);
        return writeView(value);
      }
      if (types.isProxy(value)) return false; // V8 refuses a proxy; its traps are not run here
      seen.add(value);
      return Array.isArray(value) ? writeArray(value, depth) : writeObject(value, depth);
    default:
      return false; // bigint, symbol, function
  }
}

function writeString(text: string): boolean {
  const length = text.length;
  let oneByte = true;
  for (let i = 0; i < length; i++) {
    if (text.charCodeAt(i) > 0xff) {
      oneByte = false;
      break;
    }
  }
  if (!room(2 * length + 8)) return false;
  if (oneByte) {
    out[at++] = Tag.oneByteString;
    writeVarint(length);
    if (length < 32) for (let i = 0; i < length; i++) out[at++] = text.charCodeAt(i);
    else at += textOut.write(text, at, 'latin1');
    return true;
  }
  const byteLength = 2 * length;
  // V8 aligns two-byte text to an even offset of the whole message with a padding byte.
  if ((at + 1 + varintBytes(byteLength)) & 1) out[at++] = Tag.padding;
  out[at++] = Tag.twoByteString;
  writeVarint(byteLength);
  at += textOut.write(text, at, 'utf16le');
  return true;
}

function writeKey(key: string): boolean {
  if (!room(16)) return false;
  // V8 writes an array-index key (0 to 2^32 - 2, in canonical form) as a number.
  const first = key.charCodeAt(0);
  if (first >= 0x30 && first <= 0x39 && key.length <= 10 && (first !== 0x30 || key.length === 1)) {
    const index = Number(key);
    if (Number.isInteger(index) && index <= 2 ** 32 - 2 && String(index) === key) {
      if (index <= SMI_MAX) writeInt32(index);
      else writeDouble(index);
      return true;
    }
  }
  return writeString(key);
}

function writeObject(object: object, depth: number): boolean {
  if (Object.getPrototypeOf(object) !== Object.prototype || objectToString.call(object) !== '[object Object]') return false;
  const keys = Object.keys(object);
  out[at++] = Tag.beginObject;
  for (const key of keys) {
    if (!writeKey(key) || !writeValue((object as Record<string, unknown>)[key], depth + 1)) return false;
  }
  if (!room(8)) return false;
  out[at++] = Tag.endObject;
  writeVarint(keys.length);
  return true;
}

function writeArray(array: unknown[], depth: number): boolean {
  const length = array.length;
  if (Object.getPrototypeOf(array) !== Array.prototype || !room(length + 16)) return false;
  // V8 writes a holey array sparse, and named properties after the elements: both go to V8.
  if (Object.keys(array).length !== length) return false;
  let numbers = true;
  let doubles = false;
  for (let i = 0; i < length; i++) {
    const element = array[i];
    if (element === undefined && !(i in array)) return false;
    if (typeof element !== 'number') numbers = false;
    else if (!isSmi(element)) doubles = true;
  }
  out[at++] = Tag.beginDenseArray;
  writeVarint(length);
  if (numbers && doubles) {
    // A literal holding any non-int32 number is PACKED_DOUBLE_ELEMENTS, whose elements V8 writes as doubles.
    if (!room(9 * length + 16)) return false;
    for (let i = 0; i < length; i++) writeDouble(array[i] as number);
  } else {
    for (let i = 0; i < length; i++) if (!writeValue(array[i], depth + 1)) return false;
  }
  if (!room(16)) return false;
  out[at++] = Tag.endDenseArray;
  writeVarint(0);
  writeVarint(length);
  return true;
}

function writeView(view: ArrayBufferView): boolean {
  const index = viewIndexOf(view);
  const byteLength = view.byteLength;
  // A detached view (length 0) makes Node's writer throw: V8's path says so.
  if (index < 0 || byteLength === 0 || !room(byteLength + 16)) return false;
  out[at++] = Tag.hostObject;
  writeVarint(index);
  writeVarint(byteLength);
  if (view instanceof Uint8Array) out.set(view, at);
  else out.set(new Uint8Array(view.buffer, view.byteOffset, byteLength), at);
  at += byteLength;
  return true;
}

/** Node's number for a view's type, or -1 for anything its writer would not number the same way. */
function viewIndexOf(view: ArrayBufferView): number {
  const index = viewIndexByPrototype.get(Object.getPrototypeOf(view) as object);
  if (index === undefined) return -1;
  const constructor = (view as { constructor?: unknown }).constructor;
  if (index === BUFFER_INDEX) return constructor === Buffer ? index : -1;
  // Node asks `constructor !== Buffer`, then Object.prototype.toString: both must agree with the prototype.
  const type = viewTypes[index]!;
  return constructor === type && (view as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag] === type.name ? index : -1;
}

