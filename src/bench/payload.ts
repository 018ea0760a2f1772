// Building, converting and verifying payloads: the integers 0..n-1 as a JS Array or a typed array,
// and the `mixed` JS Array of doubles.
import type { PayloadId } from './ids.js';
import type { Payload } from './side.js';

export const BYTES_PER_ELEMENT: Record<PayloadId, number> = { array: 8, mixed: 8, int32: 4, float64: 8 };

/** Bytes of a payload as raw elements (elements x element size; 8 per element for a JS Array). */
export function payloadBytes(spec: { payload: PayloadId; elements: number }): number {
  return spec.elements * BYTES_PER_ELEMENT[spec.payload];
}

/** The element type a payload travels as on a raw path. */
export type WireType = Int32ArrayConstructor | Float64ArrayConstructor;

/** A JS Array payload (`array`, `mixed`): what a raw path must cast to a typed array and back. */
export function isJsArrayPayload(payload: PayloadId): payload is 'array' | 'mixed' {
  return payload === 'array' || payload === 'mixed';
}

/**
 * The typed array type a typed payload is (and a JS Array's expected wire type on a raw path:
 * `array` holds int32 values, `mixed` needs float64). The wire type of an actual JS Array is
 * decided from its values by `rawWireType`.
 */
export function typedConstructorOf(payload: PayloadId): Int32ArrayConstructor | Float64ArrayConstructor {
  return payload === 'float64' || payload === 'mixed' ? Float64Array : Int32Array;
}

/**
 * Element i of the `mixed` payload: a cycle of fractions, negatives and huge and tiny magnitudes
 * (0.5, -1e300 and 2^40 among them), every one a double that JSON, v8 and float64 carry exactly.
 */
export function mixedValue(i: number): number {
  switch (i % 8) {
    case 0:
      return i;
    case 1:
      return 0.5;
    case 2:
      return -1e300;
    case 3:
      return 2 ** 40;
    case 4:
      return -(i + 0.25);
    case 5:
      return i * 1e-7;
    case 6:
      return 2 ** 53 - i;
    default:
      return 5e-324 * (i % 1000);
  }
}

export function buildPayload(payload: PayloadId, elements: number): Payload {
  if (payload === 'array') return buildArray(elements);
  if (payload === 'mixed') return buildMixed(elements);
  return fillTyped(new (typedConstructorOf(payload))(elements));
}

/** Produces a typed payload in place (a segment's slot, a shared buffer): element i = i. */
export function fillTyped<T extends Int32Array | Float64Array>(values: T): T {
  for (let i = 0; i < values.length; i++) values[i] = i;
  return values;
}

/**
 * A packed JS Array of small integers (V8 PACKED_SMI_ELEMENTS), like Python's list(range(n)).
 * Packed matters: V8 serializes a holey array as a sparse one, which would slow the senders down.
 */
export function buildArray(elements: number): number[] {
  const values: number[] = [];
  for (let i = 0; i < elements; i++) values[i] = i;
  return values;
}

/** The `mixed` payload as a packed JS Array of doubles (V8 PACKED_DOUBLE_ELEMENTS). */
export function buildMixed(elements: number): number[] {
  const values: number[] = [];
  for (let i = 0; i < elements; i++) values[i] = mixedValue(i);
  return values;
}

/**
 * The wire type that carries every value of a JS Array exactly on a raw path: Int32Array when each
 * is an int32 (and not -0), else Float64Array. A value that is not a number is a TypeError: raw
 * carries numbers only, and never changes one.
 */
export function rawWireType(values: readonly unknown[]): Int32ArrayConstructor | Float64ArrayConstructor {
  let int32 = true;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (typeof value !== 'number') {
      throw new TypeError(`the raw codec carries numbers only: element ${i} is ${value === null ? 'null' : typeof value}`);
    }
    if (int32 && ((value | 0) !== value || Object.is(value, -0))) int32 = false;
  }
  return int32 ? Int32Array : Float64Array;
}

/** array -> typed array: the step Python's RawArray row times as "numpy cast". */
export function castToTyped(values: number[], type: Int32ArrayConstructor | Float64ArrayConstructor): Int32Array | Float64Array {
  const typed = new type(values.length);
  typed.set(values); // measured fastest on Node 20 (0.25 s for 10^8 int32)
  return typed;
}

/** `new Array(n)` preallocates fast elements up to this length; above it V8 starts in slow dictionary mode. */
export const FAST_ARRAY_LIMIT = 33_554_432;
const HOLE_CHUNK = 1 << 20;

/**
 * A JS Array of `length` holes in V8's fast (not dictionary) mode, to be filled in place. Up to
 * FAST_ARRAY_LIMIT that is `new Array(length)`; above, V8 would start in dictionary mode, so the
 * array is one native concat of a reused chunk of holes. Filling it in place then writes every
 * element once; the earlier way (filling 1M-element chunks, then concatenating them) wrote and
 * page-faulted 800 MB twice at 10^8 (measured at 5*10^7 on Node 20 under load: 4.3 s against 10.1 s).
 */
export function arrayOfHoles(length: number, fastLimit = FAST_ARRAY_LIMIT): number[] {
  if (length <= fastLimit) return new Array<number>(length);
  const hole = new Array<number>(HOLE_CHUNK);
  const parts: number[][] = [];
  for (let left = length; left > 0; left -= HOLE_CHUNK) parts.push(left >= HOLE_CHUNK ? hole : new Array<number>(left));
  return ([] as number[]).concat(...parts);
}

/**
 * Builds a JS Array from typed pieces that arrive in order (streamed slots, or one whole typed
 * array): the array is allocated once, when the total is known, and filled in place.
 */
export class ArrayAssembler {
  readonly #total: number;
  readonly #whole: number[];
  #filled = 0;

  constructor(total: number) {
    this.#total = total;
    this.#whole = arrayOfHoles(total);
  }

  add(values: ArrayLike<number>): void {
    const count = values.length;
    if (this.#filled + count > this.#total) {
      throw new RangeError(`received ${this.#filled + count} elements, more than the ${this.#total} announced`);
    }
    const whole = this.#whole;
    const offset = this.#filled;
    for (let i = 0; i < count; i++) whole[offset + i] = values[i]!;
    this.#filled += count;
  }

  finish(): number[] {
    if (this.#filled !== this.#total) throw new RangeError(`received ${this.#filled} of ${this.#total} elements`);
    return this.#whole;
  }
}

/** Copies payload[start, start + count) into a slot of the wire type rawWireType chose for it. */
export function copyIntoSlot(slot: Int32Array | Float64Array, payload: readonly number[], start: number, count: number): void {
  for (let i = 0; i < count; i++) slot[i] = payload[start + i]!;
}

/** typed array -> JS Array, for a receiver that must hand back what the sender had. */
export function typedToArray(typed: ArrayLike<number>): number[] {
  const assembler = new ArrayAssembler(typed.length);
  assembler.add(typed);
  return assembler.finish();
}

/** Does a received value have the kind the spec says was sent? */
export function hasKind(value: unknown, payload: PayloadId): value is Payload {
  if (isJsArrayPayload(payload)) return Array.isArray(value);
  return value instanceof typedConstructorOf(payload);
}

export interface Verification {
  verified: boolean;
  mismatch?: string;
}

/** Checks every element: the received payload must be exactly what buildPayload made, of the sent kind. */
export function verifyPayload(value: unknown, payload: PayloadId, elements: number): Verification {
  if (!hasKind(value, payload)) {
    const got = value === null || value === undefined ? String(value) : (value as object).constructor?.name ?? typeof value;
    return { verified: false, mismatch: `expected ${isJsArrayPayload(payload) ? 'an Array' : typedConstructorOf(payload).name}, got ${got}` };
  }
  const values = value as ArrayLike<number>;
  if (values.length !== elements) return { verified: false, mismatch: `expected ${elements} elements, got ${values.length}` };
  if (payload === 'mixed') {
    for (let i = 0; i < elements; i++) {
      // Object.is: -0 and 0 differ, and a NaN would never pass.
      if (!Object.is(values[i], mixedValue(i))) return { verified: false, mismatch: `element ${i} is ${String(values[i])}, expected ${mixedValue(i)}` };
    }
    return { verified: true };
  }
  for (let i = 0; i < elements; i++) {
    if (values[i] !== i) return { verified: false, mismatch: `element ${i} is ${String(values[i])}, expected ${i}` };
  }
  return { verified: true };
}
