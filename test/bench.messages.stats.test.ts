// The figures of one repetition, pinned with exact fixtures, and the default plan.
import { describe, expect, it } from 'vitest';

import { defaultMessageCount, defaultWarmup } from '../src/bench/defaults.js';
import { latencyRun, throughputRun } from '../src/bench/message-figures.js';
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
