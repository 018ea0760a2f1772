import { describe, expect, it } from 'vitest';

import { Semaphore } from '../src/index.js';
import { testName } from './support/names.js';
import { finished, startFixture } from './support/processes.js';

describe('a named semaphore between processes', () => {
  it('wakes a wait() in this process when another process posts it', async () => {
    const semaphore = Semaphore.create(testName('xsem'));
    try {
      const poster = startFixture('semaphore-poster.mjs', [semaphore.name, '100']);
      const exit = finished(poster);
      const started = performance.now();
      expect(await semaphore.wait(10_000)).toBe(true);
      expect(performance.now() - started).toBeGreaterThanOrEqual(90);
      expect((await exit).code).toBe(0);
      expect(semaphore.tryWait()).toBe(false);
    } finally {
      semaphore.close();
    }
  });

  it('counts: posts before the wait are kept, tryWait takes one each', () => {
    const semaphore = Semaphore.create(testName('count'), 2);
    try {
      semaphore.post();
      expect(semaphore.value).toBe(3);
      expect([semaphore.tryWait(), semaphore.tryWait(), semaphore.tryWait(), semaphore.tryWait()]).toEqual([true, true, true, false]);
      expect(semaphore.waitSync(0)).toBe(false);
    } finally {
      semaphore.close();
    }
  });

  it('tryWait({ spinMicros }) catches a post that comes while it spins, and never sleeps past the spin', async () => {
    const semaphore = Semaphore.create(testName('spin'));
    try {
      const started = performance.now();
      expect(semaphore.tryWait({ spinMicros: 20_000 })).toBe(false); // nobody posts: gives up after the spin
      expect(performance.now() - started).toBeGreaterThanOrEqual(19);
      const poster = startFixture('semaphore-poster.mjs', [semaphore.name, '200']);
      const exit = finished(poster);
      // At most 20 spins of 0.5 s (each blocks this thread); one of them sees the other process's post.
      let caught = false;
      for (let spins = 0; spins < 20 && !caught; spins++) caught = semaphore.tryWait({ spinMicros: 500_000 });
      expect(caught).toBe(true);
      expect((await exit).code).toBe(0);
      expect(semaphore.tryWait()).toBe(false);
    } finally {
      semaphore.close();
    }
  });

  it('tryWait(options) refuses bad options with a TypeError or RangeError that names them', () => {
    const semaphore = Semaphore.create(testName('spinbad'));
    try {
      expect(() => semaphore.tryWait({ spinMicros: -1 })).toThrow(RangeError);
      expect(() => semaphore.tryWait({ spinMicros: -1 })).toThrow(/options\.spinMicros must be an integer number of microseconds from 0 to 1000000/);
      expect(() => semaphore.tryWait({ spin: 5 } as never)).toThrow(TypeError);
      expect(() => semaphore.tryWait(7 as never)).toThrow(/options must be an object/);
      semaphore.post();
      expect(semaphore.tryWait({})).toBe(true);
    } finally {
      semaphore.close();
    }
  });
});
