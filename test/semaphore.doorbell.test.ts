// An async wait() on an in-segment semaphore is woken by the poster ringing this process's
// doorbell socket (one hop), not by a waiter thread. These tests check what that path promises.
import { describe, expect, it } from 'vitest';

import { IpcError, MAX_SPIN_MICROS, Semaphore, SharedMemory, ShmChannel } from '../src/index.js';
import { rejection, thrown } from './support/errors.js';
import { testName } from './support/names.js';
import { finished, nextMessage, startFixture } from './support/processes.js';
import { until } from './support/until.js';

/** The process id in the doorbell word an armed waiter published (its high 32 bits). */
function doorbellOwner(segment: SharedMemory, offset: number): number {
  return new Uint32Array(segment.buffer, offset + 20, 1)[0]!;
}

describe('wait() on an in-segment semaphore', () => {
  it('keeps the waiting process alive until another process posts, then lets it exit', async () => {
    const segment = SharedMemory.create(testName('bell'), 4096);
    try {
      Semaphore.createIn(segment, 0, 0);
      const waiter = startFixture('segment-semaphore.mjs', [segment.name, '0', 'wait', '20000']);
      const exit = finished(waiter);
      await nextMessage(waiter);
      await until('the waiter armed the doorbell', () => doorbellOwner(segment, 0) === waiter.pid);
      const poster = startFixture('segment-semaphore.mjs', [segment.name, '0', 'post', '0']);
      expect((await finished(poster)).code).toBe(0);
      const result = await exit;
      expect(result).toMatchObject({ code: 0, stdout: 'true\n', stderr: '' });
      expect(doorbellOwner(segment, 0)).toBe(0);
    } finally {
      segment.close();
    }
  });

  it('wakes two processes waiting on one semaphore (one on the doorbell, one on a waiter thread) with two posts', async () => {
    const segment = SharedMemory.create(testName('two'), 4096);
    try {
      const semaphore = Semaphore.createIn(segment, 64, 0);
      const waiters = [0, 1].map(() => startFixture('segment-semaphore.mjs', [segment.name, '64', 'wait', '20000']));
      const exits = waiters.map((waiter) => finished(waiter));
      await Promise.all(waiters.map((waiter) => nextMessage(waiter)));
      semaphore.post();
      semaphore.post();
      for (const result of await Promise.all(exits)) expect(result).toMatchObject({ code: 0, stdout: 'true\n', stderr: '' });
      expect(semaphore.value).toBe(0);
    } finally {
      segment.close();
    }
  });

  it('takes over the doorbell a SIGKILLed waiter left armed, and is woken through it', async () => {
    const segment = SharedMemory.create(testName('dead'), 4096);
    try {
      const semaphore = Semaphore.createIn(segment, 0, 0);
      const victim = startFixture('segment-semaphore.mjs', [segment.name, '0', 'wait', '20000']);
      const victimExit = finished(victim);
      await nextMessage(victim);
      await until('the victim armed the doorbell', () => doorbellOwner(segment, 0) === victim.pid);
      victim.kill('SIGKILL');
      expect((await victimExit).signal).toBe('SIGKILL');

      const waited = semaphore.wait(20_000);
      expect(doorbellOwner(segment, 0)).toBe(process.pid);
      const poster = startFixture('segment-semaphore.mjs', [segment.name, '0', 'post', '50']);
      expect(await waited).toBe(true);
      expect((await finished(poster)).code).toBe(0);
      expect(doorbellOwner(segment, 0)).toBe(0);
    } finally {
      segment.close();
    }
  });

  it('ends a pending wait with ERR_CLOSED as soon as the semaphore is closed', async () => {
    const segment = SharedMemory.create(testName('close'), 4096);
    try {
      const semaphore = Semaphore.createIn(segment, 0, 0);
      const pending = semaphore.wait(20_000);
      const started = performance.now();
      semaphore.close();
      const error = await rejection(pending);
      expect(error).toBeInstanceOf(IpcError);
      expect(error).toMatchObject({ code: 'ERR_CLOSED' });
      expect(performance.now() - started).toBeLessThan(10_000); // at close, not at the wait's 20 s timeout
      expect(doorbellOwner(segment, 0)).toBe(0);
    } finally {
      segment.close();
    }
  });
});

describe('spinMicros', () => {
  it('takes a unit that is already there, and still times out when none comes', async () => {
    const segment = SharedMemory.create(testName('spin'), 4096);
    try {
      const semaphore = Semaphore.createIn(segment, 0, 1);
      expect(await semaphore.wait(1000, { spinMicros: 500 })).toBe(true);
      expect(await semaphore.wait(30, { spinMicros: 500 })).toBe(false);
      semaphore.post();
      expect(await semaphore.wait(undefined, { spinMicros: 0 })).toBe(true);
    } finally {
      segment.close();
    }
  });

  it('rejects values that are not an integer from 0 to 10^6, naming options.spinMicros', async () => {
    const name = testName('spinbad');
    const segment = SharedMemory.create(name, 8192);
    try {
      const semaphore = Semaphore.createIn(segment, 0, 1);
      for (const bad of [-1, 1.5, NaN, Infinity, MAX_SPIN_MICROS + 1, '10', 10n, null]) {
        const expected = typeof bad === 'number' ? RangeError : TypeError;
        const waitError = await rejection(semaphore.wait(10, { spinMicros: bad as never }));
        expect(waitError).toBeInstanceOf(expected);
        expect((waitError as Error).message).toMatch(/^options\.spinMicros must be an integer number of microseconds from 0 to 1000000/);
        const createError = thrown(() => ShmChannel.create(testName('spinch'), { spinMicros: bad as never }));
        expect(createError).toBeInstanceOf(expected);
        expect(thrown(() => ShmChannel.open(name, { spinMicros: bad as never }))).toBeInstanceOf(expected);
      }
      expect(semaphore.value).toBe(1);
    } finally {
      segment.close();
    }
  });
});
