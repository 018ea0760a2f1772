// One form for timeouts across the API: { timeoutMs } on every call that waits (semaphore waits
// keep their older number form too), and a wrong form is a TypeError or RangeError that shows the
// expected one.
import { describe, expect, it } from 'vitest';

import { Semaphore, ShmChannel } from '../src/index.js';
import { testName } from './support/names.js';

/** A timed wait may end this late on a loaded machine and still have kept its timeout. */
const LATE_MS = 5_000;

async function elapsedMs(action: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await action();
  return performance.now() - started;
}

describe('semaphore waits', () => {
  it('wait({ timeoutMs }) and wait(ms) both resolve false once the timeout has passed; so does waitSync({ timeoutMs })', async () => {
    const semaphore = Semaphore.create(testName('form'));
    try {
      for (const call of [() => semaphore.wait({ timeoutMs: 30 }), () => semaphore.wait(30), () => semaphore.wait({ timeoutMs: 30, spinMicros: 10 })]) {
        let result: boolean | undefined;
        const ms = await elapsedMs(async () => (result = await call()));
        expect(result).toBe(false);
        expect(ms).toBeGreaterThanOrEqual(29);
        expect(ms).toBeLessThan(30 + LATE_MS);
      }
      const started = performance.now();
      expect(semaphore.waitSync({ timeoutMs: 30 })).toBe(false);
      expect(performance.now() - started).toBeGreaterThanOrEqual(29);
      semaphore.post();
      expect(await semaphore.wait({ timeoutMs: 1000 })).toBe(true);
    } finally {
      semaphore.close();
    }
  });

  it('a wrong form names what was expected', async () => {
    const semaphore = Semaphore.create(testName('formbad'));
    try {
      await expect(semaphore.wait('300' as never)).rejects.toThrow(new TypeError('timeoutMs must be a number of milliseconds, or options such as { timeoutMs: 300 }, for wait(); got "300"'));
      await expect(semaphore.wait({ timeoutMs: -1 })).rejects.toThrow(RangeError);
      await expect(semaphore.wait({ timeoutMs: -1 })).rejects.toThrow(/^options\.timeoutMs must be a number of milliseconds/);
      await expect(semaphore.wait({ timeout: 5 } as never)).rejects.toThrow(new TypeError('options has an unknown option "timeout"; expected one of timeoutMs, spinMicros'));
      const waitAnyhow = semaphore.wait.bind(semaphore) as (...args: unknown[]) => Promise<boolean>;
      await expect(waitAnyhow({ timeoutMs: 5 }, {})).rejects.toThrow(/^options must not follow an options object: wait\(\{ timeoutMs, \.\.\. \}\) takes them all/);
      expect(() => semaphore.waitSync({ timeoutMs: 5, spinMicros: 1 } as never)).toThrow(new TypeError('options has an unknown option "spinMicros"; expected one of timeoutMs'));
    } finally {
      semaphore.close();
    }
  });
});

describe('channel calls', () => {
  it('receive, receiveMany, receiveInto, receiveInPlace, send and reserve take { timeoutMs } and end with ERR_TIMEOUT', async () => {
    const consumer = ShmChannel.create(testName('formch'), { ringBytes: 4096 });
    const producer = ShmChannel.open(consumer.name);
    try {
      const timedOut = { code: 'ERR_TIMEOUT' };
      await expect(consumer.receive({ timeoutMs: 20 })).rejects.toMatchObject(timedOut);
      await expect(consumer.receiveMany({ timeoutMs: 20 })).rejects.toMatchObject(timedOut);
      await expect(consumer.receiveInto(new Uint8Array(8), { timeoutMs: 20 })).rejects.toMatchObject(timedOut);
      await expect(consumer.receiveInPlace({ timeoutMs: 20 })).rejects.toMatchObject(timedOut);
      await producer.send(new Uint8Array(2040));
      await producer.send(new Uint8Array(2040)); // the ring is full
      await expect(producer.send(new Uint8Array(1), { timeoutMs: 20 })).rejects.toMatchObject(timedOut);
      await expect(producer.reserve(8, { timeoutMs: 20 })).rejects.toMatchObject(timedOut);
    } finally {
      await producer.close({ timeoutMs: 0 });
      await consumer.close();
    }
  });

  it('a bare number, or a wrong timeoutMs, names the expected form', async () => {
    const channel = ShmChannel.create(testName('formchbd'));
    try {
      await expect(channel.receive(300 as never)).rejects.toThrow(new TypeError('options must be an object such as { timeoutMs: 300 }, got the number 300'));
      await expect(channel.send(new Uint8Array(1), 300 as never)).rejects.toThrow(/^options must be an object such as \{ timeoutMs: 300 \}/);
      await expect(channel.receive({ timeoutMs: 'soon' } as never)).rejects.toThrow(new TypeError('options.timeoutMs must be a number of milliseconds (or Infinity), got "soon"'));
      await expect(channel.receive({ timeoutMs: -5 })).rejects.toThrow(RangeError);
      await expect(channel.close({ timeoutMs: NaN })).rejects.toThrow(RangeError);
      expect(channel.closed).toBe(false); // a close() refused for its options closed nothing
    } finally {
      await channel.close();
    }
  });
});
