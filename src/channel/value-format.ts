// sendValue's wire format is Node's `v8.serialize` (V8's value serializer with Node's
// DefaultSerializer, format version 15). Its per-call cost (1-5 µs for a small value) is most of a
// small message's time, so the common small values are written and read here in JavaScript, byte for
// byte as V8 writes them: undefined, null, booleans, numbers, strings, dense arrays and plain objects
// of these, and typed arrays, Buffers and DataViews as Node's host objects. Anything else (Map, Set,
// Date, RegExp, BigInt, class instances, proxies, sparse arrays, an object met twice, very deep or
// large values) goes to v8.serialize, and any byte the reader does not know to v8.deserialize, so a
// message that does not decode throws V8's own error.
//
// Where V8's bytes depend on how V8 holds a value, which JavaScript cannot see, this writes what V8
// writes for the value as a literal builds it: an int32 as 'I' (V8 writes 'N' for one held as a heap
// number, such as 1.5 - 0.5 or a field that once held a double); an array of numbers with any
// non-int32 number all as 'N' (PACKED_DOUBLE_ELEMENTS); an array as dense (V8 writes a holey one
// sparse); Latin-1 text as one-byte (V8 writes a two-byte string as two-byte). Both decode the same.
//
// This file: what the writer (value-writer.ts) and the reader (value-reader.ts) share.
import { endianness } from 'node:os';
import { serialize } from 'node:v8';

/** The version byte and, from its bytes for 2^30, the Smi range of the V8 that runs here. */
const probe = serialize(2 ** 30);
export const FORMAT_VERSION = 15;
/** Off when this V8 writes another version, or on a big-endian host (not checked there). */
export const enabled = probe[0] === 0xff && probe[1] === FORMAT_VERSION && endianness() === 'LE';
export const SMI_MAX = probe[2] === 0x49 ? 2 ** 31 - 1 : 2 ** 30 - 1;
export const SMI_MIN = -SMI_MAX - 1;

/** Larger values go to v8.serialize, whose per-call cost no longer matters there. */
export const FAST_VALUE_MAX_BYTES = 64 * 1024;
/** Deeper values go to V8, which checks its stack. */
export const MAX_DEPTH = 64;

/** V8's SerializationTag values that are written and read here. */
export const Tag = {
  padding: 0x00,
  hole: 0x2d, // '-'
  undefined: 0x5f, // '_'
  null: 0x30, // '0'
  true: 0x54, // 'T'
  false: 0x46, // 'F'
  int32: 0x49, // 'I'
  double: 0x4e, // 'N'
  oneByteString: 0x22, // '"'
  twoByteString: 0x63, // 'c'
  beginObject: 0x6f, // 'o'
  endObject: 0x7b, // '{'
  beginDenseArray: 0x41, // 'A'
  endDenseArray: 0x24, // '$'
  hostObject: 0x5c, // '\'
} as const;

/** Node's DefaultSerializer numbers views by type (lib/v8.js); 10 is a Buffer. */
export const viewTypes = [
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  Float32Array, Float64Array, DataView, Buffer, BigInt64Array, BigUint64Array,
] as const;
export const UINT8_INDEX = 1;
export const BUFFER_INDEX = 10;
export const viewIndexByPrototype = new Map<object, number>(viewTypes.map((type, index) => [type.prototype, index]));

export function elementBytesOf(type: (typeof viewTypes)[number]): number {
  return 'BYTES_PER_ELEMENT' in type ? type.BYTES_PER_ELEMENT : 1;
}

/** One double and its bytes in host order, which is V8's. */
export const double = new Float64Array(1);
export const doubleBytes = new Uint8Array(double.buffer);

