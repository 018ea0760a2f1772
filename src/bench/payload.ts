// Building, converting and verifying payloads: the integers 0..n-1 as a JS Array or a typed array.
import type { Payload, PayloadId } from './types.js';

export const BYTES_PER_ELEMENT: Record<PayloadId, number> = { array: 8, int32: 4, float64: 8 };

/** The raw element type a payload travels as on a `raw` path. */
export function typedConstructorOf(payload: PayloadId): Int32ArrayConstructor | Float64ArrayConstructor {
  return payload === 'float64' ? Float64Array : Int32Array;
}

export function buildPayload(payload: PayloadId, elements: number): Payload {
  if (payload === 'array') return buildArray(elements);
  const values = new (typedConstructorOf(payload))(elements);
  for (let i = 0; i < elements; i++) values[i] = i;
  return values;
}

/** A packed JS Array of small integers (V8 PACKED_SMI_ELEMENTS), like Python's list(range(n)). */
export function buildArray(elements: number): number[] {
  const values: number[] = [];
  for (let i = 0; i < elements; i++) values.push(i);
  return values;
}

/** array -> typed array: the step Python's RawArray row times as "numpy cast". */
export function castToTyped(values: number[], type: Int32ArrayConstructor | Float64ArrayConstructor): Int32Array | Float64Array {
  const typed = new type(values.length);
  for (let i = 0; i < values.length; i++) typed[i] = values[i]!;
  return typed;
}

/** typed array -> JS Array, for a receiver that must hand back what the sender had. */
export function typedToArray(typed: ArrayLike<number>): number[] {
  const values: number[] = [];
  const length = typed.length;
  for (let i = 0; i < length; i++) values.push(typed[i]!);
  return values;
}

/** Does a received value have the kind the spec says was sent? */
export function hasKind(value: unknown, payload: PayloadId): value is Payload {
  if (payload === 'array') return Array.isArray(value);
  return value instanceof typedConstructorOf(payload);
}

export interface Verification {
  verified: boolean;
  mismatch?: string;
}

/** Checks every element: the received payload must be exactly 0..n-1 of the sent kind. */
export function verifyPayload(value: unknown, payload: PayloadId, elements: number): Verification {
  if (!hasKind(value, payload)) {
    const got = value === null || value === undefined ? String(value) : (value as object).constructor?.name ?? typeof value;
    return { verified: false, mismatch: `expected ${payload === 'array' ? 'an Array' : typedConstructorOf(payload).name}, got ${got}` };
  }
  const values = value as ArrayLike<number>;
  if (values.length !== elements) return { verified: false, mismatch: `expected ${elements} elements, got ${values.length}` };
  for (let i = 0; i < elements; i++) {
    if (values[i] !== i) return { verified: false, mismatch: `element ${i} is ${String(values[i])}, expected ${i}` };
  }
  return { verified: true };
}
