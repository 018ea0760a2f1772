// The raw codec never changes a value of a JS Array: int32 on the wire only when every value is
// an int32 (and not -0), float64 otherwise; a value that is not a number is refused by name.
import { describe, expect, it } from 'vitest';

import { encodeBody } from '../src/bench/codecs/bodies.js';
import { decodeFrame, frameGroups } from '../src/bench/codecs/frame.js';
import { buildMixed, mixedValue, rawWireType, verifyPayload } from '../src/bench/payload.js';
import { checkedWireType } from '../src/bench/transports/wire.js';
import type { CaseSpec } from '../src/bench/side.js';

const frameOf = (values: number[]) => Buffer.concat([...frameGroups(encodeBody(values, 'raw'))].flat());

function expectSameValues(actual: unknown, expected: readonly number[]): void {
  expect(Array.isArray(actual)).toBe(true);
  const values = actual as number[];
  expect(values).toHaveLength(expected.length);
  // Object.is: -0 must stay -0 and NaN must stay NaN.
  for (let i = 0; i < expected.length; i++) expect(Object.is(values[i], expected[i]), `element ${i}: ${values[i]} vs ${expected[i]}`).toBe(true);
}

describe('raw codec of a JS Array', () => {
  it('sends int32 values as int32', () => {
    const values = [0, 1, -1, 2147483647, -2147483648];
    expect(rawWireType(values)).toBe(Int32Array);
    const body = encodeBody(values, 'raw');
    expect(body.wire).toBe(Int32Array);
    expect(body.byteLength).toBe(values.length * 4);
    expectSameValues(decodeFrame(frameOf(values)), values);
  });

  it('sends anything else as float64, exactly: fractions, -0, past int32, huge, tiny, NaN, infinities', () => {
    for (const odd of [0.5, -0, 2147483648, -2147483649, 2 ** 40, -1e300, 5e-324, Number.NaN, Infinity, -Infinity]) {
      const values = [1, 2, odd, 3];
      expect(rawWireType(values), String(odd)).toBe(Float64Array);
      const body = encodeBody(values, 'raw');
      expect(body.wire).toBe(Float64Array);
      expect(body.byteLength).toBe(values.length * 8);
      expectSameValues(decodeFrame(frameOf(values)), values);
    }
  });

  it('carries the mixed payload exactly, and verification checks every element', () => {
    const mixed = buildMixed(1000);
    expect(mixed.slice(0, 8)).toEqual([0, 0.5, -1e300, 2 ** 40, -(4 + 0.25), 5e-7, 2 ** 53 - 6, 5e-324 * 7]);
    const received = decodeFrame(frameOf(mixed));
    expectSameValues(received, mixed);
    expect(verifyPayload(received, 'mixed', 1000)).toEqual({ verified: true });
    (received as number[])[9] = 0.5000000000000001;
    expect(verifyPayload(received, 'mixed', 1000)).toEqual({ verified: false, mismatch: `element 9 is 0.5000000000000001, expected ${mixedValue(9)}` });
  });

  it('refuses a value that is not a number, naming it', () => {
    expect(() => encodeBody([1, '2' as unknown as number], 'raw')).toThrow(TypeError);
    expect(() => encodeBody([1, '2' as unknown as number], 'raw')).toThrow('element 1 is string');
    expect(() => rawWireType([null])).toThrow('element 0 is null');
  });
});

describe('shared memory sized for int32 before the values are seen', () => {
  const spec: CaseSpec = { transport: 'shm-element', payload: 'array', codec: 'raw', elements: 3 };

  it('accepts int32 values, and mixed values where float64 was sized', () => {
    expect(checkedWireType(spec, [0, 1, 2])).toBe(Int32Array);
    expect(checkedWireType({ ...spec, payload: 'mixed' }, [0, 0.5, -1e300])).toBe(Float64Array);
  });

  it('fails the case with the element and the reason rather than change a value', () => {
    expect(() => checkedWireType(spec, [0, 1.5, 2])).toThrow(
      new RangeError('element 1 (1.5) is not an int32, and this shm-element case sized its shared memory for the int32 values an `array` payload holds'),
    );
    expect(() => checkedWireType(spec, [0, -0])).toThrow(RangeError);
  });
});
