import { describe, expect, it } from 'vitest';

import { PHASE_NAMES } from '../src/bench/ids.js';
import { quantile, summarize, summarizePhases } from '../src/bench/stats.js';
import type { PhaseTimes } from '../src/bench/results.js';

describe('quantile', () => {
  it('interpolates linearly between ranks (tinybench pins [1..6] -> p50 3.5)', () => {
    const sorted = [1, 2, 3, 4, 5, 6];
    expect(quantile(sorted, 0.5)).toBe(3.5);
    expect(quantile(sorted, 0)).toBe(1);
    expect(quantile(sorted, 1)).toBe(6);
    expect(quantile(sorted, 0.25)).toBe(2.25);
    expect(quantile(sorted, 0.75)).toBe(4.75);
    expect(quantile([1, 2, 3, 4, 5], 0.5)).toBe(3);
    expect(quantile([10, 20], 0.9)).toBe(19);
    expect(quantile([7], 0.3)).toBe(7);
  });

  it('rejects an empty array and q outside [0, 1]', () => {
    expect(() => quantile([], 0.5)).toThrow(RangeError);
    expect(() => quantile([1, 2], 1.5)).toThrow(/between 0 and 1, got 1.5/);
    expect(() => quantile([1, 2], Number.NaN)).toThrow(RangeError);
  });
});

describe('summarize', () => {
  it('gives min, interpolated quartiles and median, and max of unsorted values', () => {
    expect(summarize([6, 1, 5, 2, 4, 3])).toEqual({ min: 1, p25: 2.25, median: 3.5, p75: 4.75, max: 6 });
    expect(summarize([0.3, 0.1, 0.2])).toMatchObject({ min: 0.1, median: 0.2, max: 0.3 });
    expect(summarize([4])).toEqual({ min: 4, p25: 4, median: 4, p75: 4, max: 4 });
  });

  it('sorts numerically, not as strings', () => {
    expect(summarize([10, 9, 100])).toEqual({ min: 9, p25: 9.5, median: 10, p75: 55, max: 100 });
  });

  it('does not reorder its input', () => {
    const values = [3, 1, 2];
    summarize(values);
    expect(values).toEqual([3, 1, 2]);
  });

  it('rejects empty input and non-finite values, naming the index', () => {
    expect(() => summarize([])).toThrow(RangeError);
    expect(() => summarize([1, Number.NaN])).toThrow(/NaN at index 1/);
    expect(() => summarize([Infinity])).toThrow(/Infinity at index 0/);
  });
});

describe('summarizePhases', () => {
  const run = (endToEnd: number, cast: number | null, decode: number | null): PhaseTimes => ({
    build: 0.5,
    cast,
    encode: null,
    send: endToEnd / 2,
    transfer: endToEnd / 4,
    recv: endToEnd / 2,
    decode,
    endToEnd,
    consume: 0.25,
    verify: 0.01,
    wholeJob: 0.5 + endToEnd + 0.25,
  });

  it('summarizes every phase over the runs and gives null where a phase never applies', () => {
    const phases = summarizePhases([run(3, null, 1), run(1, null, null), run(2, null, 3)]);
    expect(Object.keys(phases)).toEqual([...PHASE_NAMES]);
    expect(phases.endToEnd).toEqual({ min: 1, p25: 1.5, median: 2, p75: 2.5, max: 3 });
    expect(phases.send).toEqual({ min: 0.5, p25: 0.75, median: 1, p75: 1.25, max: 1.5 });
    expect(phases.wholeJob).toEqual({ min: 1.75, p25: 2.25, median: 2.75, p75: 3.25, max: 3.75 });
    expect(phases.cast).toBeNull();
    expect(phases.encode).toBeNull();
    // decode applies in two of three runs: summarized over those two.
    expect(phases.decode).toEqual({ min: 1, p25: 1.5, median: 2, p75: 2.5, max: 3 });
    expect(phases.build).toEqual({ min: 0.5, p25: 0.5, median: 0.5, p75: 0.5, max: 0.5 });
  });
});
