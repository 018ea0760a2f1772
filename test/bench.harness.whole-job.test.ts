// Every completed row carries the receiver's first full read (`consume`) and the whole job
// (build + end-to-end + consume), and says what kind of work it was: hand-offs (copies 0) get no
// GB/s and no memcpy ratio, copies do.
import { describe, expect, it } from 'vitest';

import { runCase } from '../src/bench/modes/bulk.js';
import type { CompletedBulkResult } from '../src/bench/results.js';
import type { YardstickTiming } from '../src/bench/yardsticks/baseline.js';
import { WARM_HANDOFF_WARMUP, WARM_HANDOFFS } from '../src/bench/transports/shm-zero-copy.js';

const ELEMENTS = 100_000;

async function completed(transport: CompletedBulkResult['transport'], payload: CompletedBulkResult['payload'], codec: CompletedBulkResult['codec']): Promise<CompletedBulkResult> {
  const measured: YardstickTiming[] = [];
  const result = await runCase({ transport, payload, codec, elements: ELEMENTS }, { timeoutSeconds: 30, repeat: 2, yardsticks: measured });
  expect(result.reason).toBeUndefined();
  expect(result.status).toBe('completed');
  // The yardsticks were measured in step: one before each of the 2 repetitions, one more after to make 3, each stamped.
  const yardsticks = (result as CompletedBulkResult).yardsticks!;
  expect(measured.map((timing) => timing.measuredAt)).toEqual(yardsticks.measuredAt);
  expect(yardsticks.freshSeconds.samples).toHaveLength(3);
  expect([...yardsticks.measuredAt!].sort()).toEqual(yardsticks.measuredAt);
  expect(yardsticks.bytes).toBe(ELEMENTS * (payload === 'int32' ? 4 : 8));
  return result as CompletedBulkResult;
}

function expectWholeJobInEveryRun(result: CompletedBulkResult): void {
  const floor = result.yardsticks!.floor!;
  const { build, endToEnd, consume, wholeJob } = result.phases;
  expect(wholeJob!.samples).toHaveLength(2);
  wholeJob!.samples.forEach((seconds, run) => {
    expect(consume!.samples[run]).toBeGreaterThan(0);
    expect(seconds).toBe(build!.samples[run]! + endToEnd!.samples[run]! + consume!.samples[run]!);
  });
  expect(result.phases.consume).not.toBeNull();
  expect(result.phases.wholeJob!.min).toBeLessThanOrEqual(result.phases.wholeJob!.p50);
  expect(result.ratioToFloor).toBe(result.phases.wholeJob!.p50 / floor.wholeJobSeconds.p50);
}

describe('whole job and kind of every row', () => {
  it('shm-zero-copy int32 is a hand-off: produced in the segment, no GB/s, no memcpy ratio', async () => {
    const result = await completed('shm-zero-copy', 'int32', 'raw');
    expect(result).toMatchObject({ kind: 'handoff', copies: 0, throughput: null, ratioToMemcpy: null, verified: true, memory: { sender: 'reserved', receiver: 'reserved' } });
    expect(result.phases.build).not.toBeNull();
    expectWholeJobInEveryRun(result);
    // The measured hand-off is the cold one; warm ones follow it in the same processes, labelled apart.
    expect(result.handoffSeconds!.cold).toEqual(result.phases.endToEnd);
    expect(result.handoffSeconds!.warm.samples).toHaveLength(2 * (WARM_HANDOFFS - WARM_HANDOFF_WARMUP));
    expect(result.handoffSeconds!.warm.min).toBeGreaterThan(0);
  });

  it('worker-sab int32 builds in the shared buffer: a thread hand-off', async () => {
    const result = await completed('worker-sab', 'int32', 'raw');
    expect(result).toMatchObject({ kind: 'thread', copies: 0, throughput: null, ratioToMemcpy: null, verified: true, memory: { sender: 'fresh', receiver: 'pre-mapped' } });
    expect(result.phases.cast).toBeNull();
    expectWholeJobInEveryRun(result);
  });

  it('shm-zero-copy with a JS Array copies (cast in, rebuilt out)', async () => {
    const result = await completed('shm-zero-copy', 'array', 'raw');
    expect(result).toMatchObject({ kind: 'copy', copies: 2, verified: true });
    expect(result.throughput!.gigabytesPerSecond).toBeGreaterThan(0);
    expect(result.ratioToMemcpy!.fresh).toBeGreaterThan(0);
    expectWholeJobInEveryRun(result);
  });

  it('shm int32 is a copy between processes with throughput and memcpy ratios', async () => {
    const result = await completed('shm', 'int32', 'raw');
    expect(result).toMatchObject({ kind: 'copy', copies: 2, verified: true, memory: { sender: 'pre-mapped', receiver: 'fresh' } });
    expect(result.throughput!.elementsPerSecond).toBeCloseTo(ELEMENTS / result.phases.endToEnd!.p50, 6);
    expectWholeJobInEveryRun(result);
  });
});
