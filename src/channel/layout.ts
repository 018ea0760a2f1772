// The ShmChannel segment layout, protocol version 3 (docs/channel-protocol.md). Offsets come from the
// addon (native/core/channel_layout.hpp), so each field is named exactly once; this file adds the
// payload kinds: what each one is in JavaScript and how many bytes its elements take.
import { addon } from '../native.js';

export const layout = addon.channelLayout;

/** Indexes of the header's 32-bit words, for `Atomics` on an Int32Array over the segment. */
export const word = {
  magic: layout.magicOffset / 4,
  state: layout.stateOffset / 4,
  unsent: layout.unsentOffset / 4,
  tail: layout.tailOffset / 4,
  tailSequence: layout.tailSequenceOffset / 4,
  head: layout.headOffset / 4,
  consumerWaiting: layout.consumerWaitingOffset / 4,
  producerWaiting: layout.producerWaitingOffset / 4,
} as const;

type TypedArrayConstructor =
  | Int8ArrayConstructor
  | Uint8ArrayConstructor
  | Uint8ClampedArrayConstructor
  | Int16ArrayConstructor
  | Uint16ArrayConstructor
  | Int32ArrayConstructor
  | Uint32ArrayConstructor
  | Float32ArrayConstructor
  | Float64ArrayConstructor
  | BigInt64ArrayConstructor
  | BigUint64ArrayConstructor;

export type TypedArray = InstanceType<TypedArrayConstructor>;

/** What a message carries, in its records' `kind` byte. */
export const PayloadKind = {
  arrayBuffer: layout.kindBytes,
  Int8Array: 1,
  Uint8Array: 2,
  Uint8ClampedArray: 3,
  Int16Array: 4,
  Uint16Array: 5,
  Int32Array: 6,
  Uint32Array: 7,
  Float32Array: 8,
  Float64Array: 9,
  BigInt64Array: 10,
  BigUint64Array: 11,
  dataView: layout.kindDataView,
  json: layout.kindJson,
  value: layout.kindValue,
} as const;

const typedArrayKinds: ReadonlyArray<readonly [TypedArrayConstructor, number]> = [
  [Int8Array, PayloadKind.Int8Array],
  [Uint8Array, PayloadKind.Uint8Array],
  [Uint8ClampedArray, PayloadKind.Uint8ClampedArray],
  [Int16Array, PayloadKind.Int16Array],
  [Uint16Array, PayloadKind.Uint16Array],
  [Int32Array, PayloadKind.Int32Array],
  [Uint32Array, PayloadKind.Uint32Array],
  [Float32Array, PayloadKind.Float32Array],
  [Float64Array, PayloadKind.Float64Array],
  [BigInt64Array, PayloadKind.BigInt64Array],
  [BigUint64Array, PayloadKind.BigUint64Array],
];

/** Element size of each kind (a kind is one byte); 0 for a kind the protocol does not describe. */
export const elementBytesOfKind = new Uint8Array(256);
for (const [constructor, kind] of typedArrayKinds) elementBytesOfKind[kind] = constructor.BYTES_PER_ELEMENT;
for (const kind of [PayloadKind.arrayBuffer, PayloadKind.dataView, PayloadKind.json, PayloadKind.value]) elementBytesOfKind[kind] = 1;

const kindOfExactConstructor: ReadonlyMap<unknown, number> = new Map<unknown, number>([...typedArrayKinds, [DataView, PayloadKind.dataView]]);

/** The kind a view travels as; a subclass (Buffer) travels as its typed array type. */
export function kindOfView(view: ArrayBufferView): number {
  if (view instanceof Uint8Array) return PayloadKind.Uint8Array; // and a Buffer
  const exact = kindOfExactConstructor.get(view.constructor);
  if (exact !== undefined) return exact;
  if (view instanceof DataView) return PayloadKind.dataView;
  for (const [constructor, kind] of typedArrayKinds) {
    if (view instanceof constructor) return kind;
  }
  throw new TypeError(`data must be a typed array or DataView, got a ${Object.prototype.toString.call(view).slice(8, -1)}`);
}

export function kindOfConstructor(constructor: unknown): number | undefined {
  return typedArrayKinds.find(([candidate]) => candidate === constructor)?.[1];
}

/** The typed array type of each kind; undefined for the kinds that are not typed arrays. */
export const constructorOfKind: ReadonlyArray<TypedArrayConstructor | undefined> = (() => {
  const table: Array<TypedArrayConstructor | undefined> = [];
  for (const [constructor, kind] of typedArrayKinds) table[kind] = constructor;
  return table;
})();

/**
 * Views `byteLength` bytes at `byteOffset` as what `kind` says was sent: a typed array of its type,
 * a DataView, or bytes (a Uint8Array) for the kinds that are not views (bytes, JSON, values).
 */
export function viewOfKind(kind: number, buffer: ArrayBuffer, byteOffset: number, byteLength: number): ArrayBufferView {
  if (kind === PayloadKind.dataView) return new DataView(buffer, byteOffset, byteLength);
  const constructor = constructorOfKind[kind];
  if (!constructor) return new Uint8Array(buffer, byteOffset, byteLength);
  return new constructor(buffer, byteOffset, byteLength / constructor.BYTES_PER_ELEMENT);
}
