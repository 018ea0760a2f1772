// The tests `ipclab compare` judges by: Mann–Whitney U (exact, and the normal approximation),
// the smallest p-value a sample size allows, and the seeded bootstrap of a ratio of medians.
// Expected p-values are scipy.stats.mannwhitneyu's for the same samples.
import { describe, expect, it } from 'vitest';

import { bootstrapRatioOfMedians, mannWhitney, samplesNeeded, smallestPossibleP } from '../src/bench/significance.js';
import { injectedDelayMs, INJECT_DELAY_ENV } from '../src/bench/transports/inject-delay.js';

describe('Mann–Whitney U', () => {
  it('gives the exact two-sided p-value for small samples without ties', () => {
    expect(mannWhitney([1, 3, 5, 7, 9], [2, 4, 6, 8, 10])).toEqual({ u: 10, p: expect.closeTo(0.6904761904761905, 12), exact: true });
    expect(mannWhitney([1, 2, 4], [3, 5, 6, 7]).p).toBeCloseTo(0.11428571428571428, 12);
    expect(mannWhitney([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]).p).toBeCloseTo(2 / 252, 12);
  });

  it('uses the normal approximation with ties or past 30 a side', () => {
    const a = Array.from({ length: 31 }, (_, index) => index + 1);
    const b = [1.5, 2.5, ...Array.from({ length: 29 }, (_, index) => index + 40)];
    const large = mannWhitney(a, b);
    expect(large.exact).toBe(false);
    expect(large.p / 3.0836976365770417e-9).toBeCloseTo(1, 1);
    expect(mannWhitney([1, 1, 2], [2, 3, 3]).exact).toBe(false);
  });

  it('knows the smallest p a sample size allows: 3 a side can never reach 5%', () => {
    expect(smallestPossibleP(3, 3)).toBeCloseTo(0.1, 12);
    expect(samplesNeeded(0.05)).toBe(4);
    expect(samplesNeeded(0.05 / 14)).toBe(6);
  });
});

describe('the bootstrap of the ratio of medians', () => {
  it('is seeded (the same interval every time) and brackets the ratio of the medians', () => {
    const a = [1, 1.1, 1.2, 1.05, 0.95];
    const b = [2, 2.1, 2.2, 1.9, 2.05];
    const interval = bootstrapRatioOfMedians(a, b);
    expect(bootstrapRatioOfMedians(a, b)).toEqual(interval);
    expect(interval[0]).toBeLessThan(2.05 / 1.05);
    expect(interval[1]).toBeGreaterThan(2.05 / 1.05);
    expect(interval[0]).toBeGreaterThan(1.5);
    expect(() => bootstrapRatioOfMedians([], b)).toThrow(RangeError);
  });
});

describe('the injected delay (fault injection for compare tests)', () => {
  it('is 0 unless set, and refuses what is not a number of milliseconds', () => {
    expect(injectedDelayMs({})).toBe(0);
    expect(injectedDelayMs({ [INJECT_DELAY_ENV]: '25' })).toBe(25);
    expect(() => injectedDelayMs({ [INJECT_DELAY_ENV]: 'soon' })).toThrow(/IPCLAB_BENCH_INJECT_DELAY_MS="soon": expected a number of milliseconds/);
  });
});
