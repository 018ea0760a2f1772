import { describe, expect, it } from 'vitest';

import { Semaphore, SharedMemory } from '../src/index.js';
import { testName } from './support/names.js';

/**
 * How late a timed wait may end on a loaded machine and still have kept its timeout: well under
 * the 20 s a wait without one would take here, well over what a busy scheduler delays a thread.
 */
const LATE_MS = 5_000;

describe('timed waits', () => {
  it.each([0, 20, 200])('wait(%i) resolves false once its timeout has passed', async (timeoutMs) => {
    const semaphore = Semaphore.create(testName('tw'));
    try {
      const started = performance.now();
      expect(await semaphore.wait(timeoutMs)).toBe(false);
      const elapsed = performance.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(timeoutMs - 1);
      expect(elapsed).toBeLessThan(timeoutMs + LATE_MS);
    } finally {
      semaphore.close();
    }
  });

  it('waitSync(100) returns false once its timeout has passed', () => {
    const semaphore = Semaphore.create(testName('tws'));
    try {
      const started = performance.now();
      expect(semaphore.waitSync(100)).toBe(false);
      const elapsed = performance.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(99);
      expect(elapsed).toBeLessThan(100 + LATE_MS);
    } finally {
      semaphore.close();
    }
  });

  it('an in-segment semaphore times out the same way and then still works', async () => {
    const segment = SharedMemory.create(testName('twin'), 4096);
    try {
      const semaphore = Semaphore.createIn(segment, 64, 0);
      expect(await semaphore.wait(30)).toBe(false);
      semaphore.post();
      expect(await semaphore.wait(30)).toBe(true);
    } finally {
      segment.close();
    }
  });
});
