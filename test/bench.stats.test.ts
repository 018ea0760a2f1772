import { describe, expect, it } from 'vitest';

import { PHASE_NAMES } from '../src/bench/ids.js';
import { quantile, stats, phaseStats } from '../src/bench/stats.js';
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

describe('stats', () => {
  it('keeps the samples in run order, with min, interpolated quantiles and max', () => {
    expect(stats([6, 1, 5, 2, 4, 3])).toEqual({ samples: [6, 1, 5, 2, 4, 3], min: 1, p25: 2.25, p50: 3.5, p75: 4.75, p90: 5.5, p99: 5.95, max: 6 });
    expect(stats([0.3, 0.1, 0.2])).toMatchObject({ min: 0.1, p50: 0.2, max: 0.3 });
    expect(stats([4])).toEqual({ samples: [4], min: 4, p25: 4, p50: 4, p75: 4, p90: 4, p99: 4, max: 4 });
  });

  it('sorts numerically, not as strings', () => {
    expect(stats([10, 9, 100])).toMatchObject({ min: 9, p25: 9.5, p50: 10, p75: 55, max: 100 });
  });

  it('does not reorder its input', () => {
    const values = [3, 1, 2];
    stats(values);
    expect(values).toEqual([3, 1, 2]);
  });

  it('rejects empty input and non-finite values, naming the index', () => {
    expect(() => stats([])).toThrow(RangeError);
    expect(() => stats([1, Number.NaN])).toThrow(/NaN at index 1/);
    expect(() => stats([Infinity])).toThrow(/Infinity at index 0/);
  });
});

describe('phaseStats', () => {
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

  it('gives every phase its stats over the runs, and null where a phase never applies', () => {
    const phases = phaseStats([run(3, null, 1), run(1, null, null), run(2, null, 3)]);
    expect(Object.keys(phases)).toEqual([...PHASE_NAMES]);
    expect(phases.endToEnd).toMatchObject({ samples: [3, 1, 2], min: 1, p25: 1.5, p50: 2, p75: 2.5, max: 3 });
    expect(phases.send).toMatchObject({ samples: [1.5, 0.5, 1], min: 0.5, p25: 0.75, p50: 1, p75: 1.25, max: 1.5 });
    expect(phases.wholeJob).toMatchObject({ min: 1.75, p25: 2.25, p50: 2.75, p75: 3.25, max: 3.75 });
    expect(phases.cast).toBeNull();
    expect(phases.encode).toBeNull();
    // decode applies in two of three runs: its stats are over those two.
    expect(phases.decode).toMatchObject({ samples: [1, 3], min: 1, p25: 1.5, p50: 2, p75: 2.5, max: 3 });
    expect(phases.build).toMatchObject({ samples: [0.5, 0.5, 0.5], min: 0.5, p50: 0.5, max: 0.5 });
  });
});
