// The figures of one repetition, pinned with exact fixtures, and the default plan.
import { describe, expect, it } from 'vitest';

import { defaultMessageCount, defaultWarmup } from '../src/bench/defaults.js';
import { isSpreadNoisy, latencyRun, latencyStats, throughputRun } from '../src/bench/message-figures.js';
import { crossingClause, fewSamplesClause, ratioRange } from '../src/bench/report/ratio-range.js';
import { quantile } from '../src/bench/stats.js';
import { planMessageTrials } from '../src/bench/modes/messages.js';
import type { MessageCaseSpec } from '../src/bench/side.js';

describe('message statistics', () => {
  it('takes interpolated percentiles of the round trips, and round trips per second over their sum', () => {
    // 1..100 µs in any order
    const nanos = Array.from({ length: 100 }, (_, index) => ((index * 37) % 100 + 1) * 1000);
    const run = latencyRun(nanos);
    expect(run.p50 * 1e6).toBeCloseTo(50.5, 9);
    expect(run.p90 * 1e6).toBeCloseTo(90.1, 9);
    expect(run.p99 * 1e6).toBeCloseTo(99.01, 9);
    expect(run.max * 1e6).toBeCloseTo(100, 9);
    expect(run.messagesPerSecond).toBeCloseTo(100 / 0.00505, 6);
    expect(() => latencyRun([])).toThrow(RangeError);
  });

  it('times a stream from the last warm-up arrival, or from the start without warm-up', () => {
    const spec = { messages: 1000, messageBytes: 1_000_000 } as MessageCaseSpec;
    expect(throughputRun(spec, { verified: true, windowStartNs: '1000000000', windowEndNs: '1500000000' }, { verified: true, startNs: '0' })).toEqual({
      seconds: 0.5,
      messagesPerSecond: 2000,
      gigabytesPerSecond: 2,
    });
    expect(throughputRun(spec, { verified: true, windowEndNs: '2000000000' }, { verified: true, startNs: '1000000000' }).seconds).toBe(1);
    expect(() => throughputRun(spec, { verified: true }, { verified: true })).toThrow(/no time window/);
  });

  it('plans every path at every size, smallest first, with counts capped by bytes moved', () => {
    expect(defaultMessageCount('latency', 8)).toBe(2000);
    expect(defaultMessageCount('latency', 2 ** 16)).toBe(256);
    expect(defaultMessageCount('latency', 2 ** 20)).toBe(16);
    expect(defaultMessageCount('throughput', 8)).toBe(200_000);
    expect(defaultMessageCount('throughput', 1024)).toBe(200_000);
    expect(defaultMessageCount('throughput', 2 ** 20)).toBe(256);
    expect(defaultWarmup('latency', 2000, 8)).toBe(3000);
    expect(defaultWarmup('latency', 2000, 4096)).toBe(3000);
    expect(defaultWarmup('latency', 256, 2 ** 16)).toBe(256);
    expect(defaultWarmup('latency', 16, 2 ** 20)).toBe(16);
    expect(defaultWarmup('latency', 20_000, 8)).toBe(3000);
    expect(defaultWarmup('latency', 50_000, 8)).toBe(5000);
    expect(defaultWarmup('throughput', 200_000, 8)).toBe(20_000);
    expect(defaultWarmup('throughput', 4096, 2 ** 16)).toBe(4096);
    expect(defaultWarmup('throughput', 256, 2 ** 20)).toBe(256);
    expect(defaultWarmup('throughput', 100, 8)).toBe(5000);
    const trials = planMessageTrials({ mode: 'latency', sizes: [1024, 8], transports: ['shm', 'native'], spinMicros: 20 });
    expect(trials.map((trial) => [trial.transport, trial.messageBytes, trial.spinMicros])).toEqual([
      ['shm', 8, 20],
      ['native', 8, 20],
      ['shm', 1024, 20],
      ['native', 1024, 20],
    ]);
    // Paths that do not spin record null, so no row claims a setting it did not use.
    expect(planMessageTrials({ mode: 'latency', sizes: [8], transports: ['ipc-json'], spinMicros: 20 })[0]!.spinMicros).toBeNull();
    expect(() => planMessageTrials({ mode: 'latency', sizes: [8], transports: ['frob' as never] })).toThrow(RangeError);
  });
});

describe('pooled percentiles and the noisy flag', () => {
  it('p90/p99/max pool every repetition\'s round trips instead of taking the median of per-repetition percentiles', () => {
    // Repetition 1: 1..10 µs; repetition 2: 101..110 µs. Pooled p90 is in the slow run; each run's own p90 is not.
    const fast = latencyRun(Array.from({ length: 10 }, (_, i) => (i + 1) * 1000));
    const slow = latencyRun(Array.from({ length: 10 }, (_, i) => (i + 101) * 1000));
    const row = latencyStats([fast, slow]);
    const pooled = [...fast.sortedSeconds!, ...slow.sortedSeconds!].sort((a, b) => a - b);
    expect(row.pooledRoundTripSeconds).toEqual({ p50: quantile(pooled, 0.5), p90: quantile(pooled, 0.9), p99: quantile(pooled, 0.99), max: 110e-6, count: 20 });
    expect(row.pooledRoundTripSeconds!.p90).toBeCloseTo(108.1e-6, 12);
    expect(row.roundTripSeconds.max.p50).toBeCloseTo((10e-6 + 110e-6) / 2, 12); // what the old column showed
    expect(row.noisy).toBe(true); // p50s 5.5 µs and 105.5 µs
    expect(latencyStats([fast, fast]).noisy).toBe(false);
  });

  it('a row is noisy when its repetitions spread by more than 1.5x, max over min', () => {
    expect(isSpreadNoisy([1, 1.5])).toBe(false);
    expect(isSpreadNoisy([1, 1.51])).toBe(true);
    expect(isSpreadNoisy([2])).toBe(false);
  });

  it('a ratio sentence says when the min–max ranges cross 1, and when it rests on fewer than 3 repetitions', () => {
    expect(ratioRange({ min: 2, max: 4 }, { min: 1, max: 2 })).toEqual([1, 4]);
    expect(crossingClause({ min: 2, max: 4 }, { min: 1, max: 2 })).toMatch(/allow 1\.00x–4\.00x, which crosses 1/);
    expect(crossingClause({ min: 3, max: 4 }, { min: 1, max: 2 })).toBe('');
    expect(fewSamplesClause(3, 5)).toBe('');
    expect(fewSamplesClause(1, 5)).toBe(' (from 1 repetition only)');
  });
});
