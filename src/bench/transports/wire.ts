// How a case's elements travel as a typed array on a raw path, and what that costs: the element
// type sized for before the values are seen, the copies a JS Array's cast and rebuild add, and the
// sizes int32 cannot carry. Shared by every transport that casts (shared memory, workers, frames).
import { isJsArrayPayload, rawWireType, typedConstructorOf, type WireType } from '../payload.js';
import type { CaseSpec } from '../side.js';

/** The typed array type elements travel as where space is sized before the values are seen (an `array` payload travels as int32). */
export function wireType(spec: CaseSpec): WireType {
  return typedConstructorOf(spec.payload);
}

/**
 * wireType(spec), once the sender has checked that it carries every value of `values` exactly: a
 * JS Array announced as `array` whose values are not all int32 fails the case with the reason
 * (the space was sized for int32), instead of being changed on the way.
 */
export function checkedWireType(spec: CaseSpec, values: readonly unknown[]): WireType {
  const type = wireType(spec);
  if (type === Int32Array && rawWireType(values) !== Int32Array) {
    const index = values.findIndex((value) => (Number(value) | 0) !== value || Object.is(value, -0));
    throw new RangeError(
      `element ${index} (${String(values[index])}) is not an int32, and this ${spec.transport} case sized its shared memory for the int32 values an \`${spec.payload}\` payload holds`,
    );
  }
  return type;
}

export function wireBytes(spec: CaseSpec): number {
  return spec.elements * wireType(spec).BYTES_PER_ELEMENT;
}

/** Copies a raw path adds for a JS Array payload: the cast to the wire type and the rebuild of the Array. */
export function castCopies(spec: CaseSpec): number {
  return spec.codec === 'raw' && isJsArrayPayload(spec.payload) ? 2 : 0;
}

/** Int32 can hold the `array` payload's integers only below 2^31. */
export function int32Limit(spec: CaseSpec): string | undefined {
  if (spec.payload === 'array' && spec.elements > 2 ** 31) return 'array elements above 2^31 do not fit the int32 wire type';
  return undefined;
}
