// The JS Array path of the raw codec: the receiver's array is allocated once and filled in place,
// and the floor under it (materialising, and the sender's cast) is measured in real processes, in
// step with the case.
import { describe, expect, it } from 'vitest';

import { runBench, runCase } from '../src/bench/modes/bulk.js';
import { measureArrayFloorOnce } from '../src/bench/yardsticks/array-floor.js';
import { ArrayAssembler, arrayOfHoles } from '../src/bench/payload.js';

describe('arrayOfHoles', () => {
  it('above the fast limit, concatenates chunks of holes into one array of exactly the length, all holes', () => {
    const length = 3 * (1 << 20) + 5; // three reused chunks and a remainder
    const values = arrayOfHoles(length, 1000);
    expect(values.length).toBe(length);
    expect(0 in values || length - 1 in values || 1 << 20 in values).toBe(false);
    for (let i = 0; i < length; i++) values[i] = i;
    expect(values.every((value, i) => value === i)).toBe(true);
  });

  it('at or below the limit is new Array(length)', () => {
    expect(arrayOfHoles(5, 1000)).toEqual(new Array(5));
  });
});

describe('ArrayAssembler', () => {
  it('fills the array in order from typed pieces and refuses more or fewer elements than announced', () => {
    const assembler = new ArrayAssembler(5);
    assembler.add(Int32Array.of(0, 1, 2));
    expect(() => assembler.finish()).toThrow(RangeError);
    expect(() => assembler.add(Int32Array.of(3, 4, 5))).toThrow('more than the 5 announced');
    assembler.add(Float64Array.of(3.5, -1e300));
    expect(assembler.finish()).toEqual([0, 1, 2, 3.5, -1e300]);
  });
});

describe('the JS Array floor', () => {
  it('measures materialising and casting 10^5 elements in a fresh process', () => {
    const timing = measureArrayFloorOnce(100_000, 4096, 60);
    expect(timing.materializeSeconds).toBeGreaterThan(0);
    expect(timing.castSeconds).toBeGreaterThan(0);
  });

  it('runs a yardstick right before each repetition of a case, outside the case\'s budget', async () => {
    const events: string[] = [];
    const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
    const result = await runCase(
      { transport: 'shm', payload: 'array', codec: 'raw', elements: 1000 },
      {
        repeat: 3,
        timeoutSeconds: 30,
        budgetSeconds: 3,
        beforeRepetition: () => {
          events.push('yardstick');
          sleep(2000); // three of these alone would exceed the budget
        },
      },
    );
    expect(result.verified).toBe(true);
    expect(result.status === 'completed' && result.repetitions).toBe(3);
    expect(events).toHaveLength(3);
  });

  it('comes with a run that moves a JS Array over shm/raw, from at least three repetitions', async () => {
    const output = await runBench({ sizes: [100_000], transports: ['shm'], payloads: ['array'], codecs: ['raw'], repeat: 1, timeoutSeconds: 60 });
    expect(output.results.map((result) => result.verified)).toEqual([true]);
    const floor = output.arrayFloors?.[0];
    expect(floor?.elements).toBe(100_000);
    for (const part of [floor!.materializeSeconds, floor!.castSeconds]) {
      expect(part.min).toBeGreaterThan(0);
      expect(part.min).toBeLessThanOrEqual(part.p50);
      expect(part.p50).toBeLessThanOrEqual(part.max);
    }
  });
});
