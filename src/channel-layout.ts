// The ShmChannel segment layout. Offsets come from the addon (native/core/channel_layout.hpp),
// so each field is named exactly once; this file adds the payload kinds.
import { addon } from './native.js';

export const layout = addon.channelLayout;

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

/** What a message carries, stored in each chunk's slot entry. */
export const PayloadKind = {
  arrayBuffer: 0,
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
  dataView: 12,
  value: 100,
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

const kindOfExactConstructor: ReadonlyMap<unknown, number> = new Map<unknown, number>([...typedArrayKinds, [DataView, PayloadKind.dataView]]);

export function kindOfView(view: ArrayBufferView): number {
  const exact = kindOfExactConstructor.get(view.constructor);
  if (exact !== undefined) return exact;
  if (view instanceof DataView) return PayloadKind.dataView;
  for (const [constructor, kind] of typedArrayKinds) {
    if (view instanceof constructor) return kind;
  }
  throw new TypeError(`cannot send a ${Object.prototype.toString.call(view).slice(8, -1)}; expected a typed array or DataView`);
}

const payloadKinds: ReadonlySet<number> = new Set(Object.values(PayloadKind));
const constructorOfKind: ReadonlyMap<number, TypedArrayConstructor> = new Map(typedArrayKinds.map(([constructor, kind]) => [kind, constructor]));

/** Whether `kind` is one that a sender writes. */
export function isPayloadKind(kind: number): boolean {
  return payloadKinds.has(kind);
}

export function kindOfConstructor(constructor: unknown): number | undefined {
  return typedArrayKinds.find(([candidate]) => candidate === constructor)?.[1];
}

/** Views `byteLength` bytes at `byteOffset` as what `kind` says was sent. */
export function viewOfKind(kind: number, buffer: ArrayBuffer, byteOffset: number, byteLength: number): ArrayBufferView {
  if (kind === PayloadKind.dataView) return new DataView(buffer, byteOffset, byteLength);
  const constructor = constructorOfKind.get(kind);
  if (!constructor) return new Uint8Array(buffer, byteOffset, byteLength);
  return new constructor(buffer, byteOffset, byteLength / constructor.BYTES_PER_ELEMENT);
}
