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
});
