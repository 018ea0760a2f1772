import { describe, expect, it } from 'vitest';

import { IpcError, Semaphore, SharedMemory } from '../src/index.js';
import { thrown, rejection } from './support/errors.js';
import { testName } from './support/names.js';



describe('Semaphore input checks', () => {
  it('rejects bad initial values', () => {
    expect(thrown(() => Semaphore.create(testName('init'), -1))).toBeInstanceOf(RangeError);
    expect(thrown(() => Semaphore.create(testName('init'), 2 ** 31))).toBeInstanceOf(RangeError);
    expect(thrown(() => Semaphore.create(testName('init'), '1' as never))).toBeInstanceOf(TypeError);
  });

  it('rejects bad names and modes like SharedMemory does', () => {
    expect(thrown(() => Semaphore.create('a/b'))).toBeInstanceOf(RangeError);
    expect(thrown(() => Semaphore.create(testName('mode'), 0, { mode: 0o7777 }))).toBeInstanceOf(RangeError);
  });

  it('rejects bad timeouts for wait and waitSync, naming the argument', async () => {
    const semaphore = Semaphore.create(testName('tmo'));
    try {
      for (const timeout of [-1, Number.NaN, 2 ** 60]) {
        const error = await rejection(semaphore.wait(timeout));
        expect(error).toBeInstanceOf(RangeError);
        expect((error as Error).message).toMatch(/timeoutMs must be a number of milliseconds/);
        expect(thrown(() => semaphore.waitSync(timeout))).toBeInstanceOf(RangeError);
      }
      expect(await rejection(semaphore.wait('10' as never))).toBeInstanceOf(TypeError);
    } finally {
      semaphore.close();
    }
  });

  it('refuses to create an existing name (EEXIST) and to open a missing one (ENOENT)', () => {
    const semaphore = Semaphore.create(testName('dup'));
    try {
      expect(thrown(() => Semaphore.create(semaphore.name))).toMatchObject({ code: 'EEXIST', syscall: 'sem_open' });
    } finally {
      semaphore.close();
    }
    const missing = thrown(() => Semaphore.open(testName('none')));
    expect(missing).toBeInstanceOf(IpcError);
    expect(missing).toMatchObject({ code: 'ENOENT', syscall: 'sem_open' });
    expect(Semaphore.unlink(testName('none'))).toBe(false);
  });

  it('rejects in-segment offsets that do not fit or are misaligned, and read-only segments', () => {
    const segment = SharedMemory.create(testName('off'), 4096);
    try {
      expect(thrown(() => Semaphore.createIn(segment, 4096 - 8))).toBeInstanceOf(RangeError);
      expect(thrown(() => Semaphore.createIn(segment, 3))).toBeInstanceOf(RangeError);
      expect(thrown(() => Semaphore.createIn(segment, -8))).toBeInstanceOf(RangeError);
      expect(thrown(() => Semaphore.createIn({} as SharedMemory, 0))).toBeInstanceOf(TypeError);
      const reader = SharedMemory.open(segment.name, { readOnly: true });
      try {
        expect(thrown(() => Semaphore.createIn(reader, 0))).toMatchObject({ code: 'ERR_READ_ONLY' });
      } finally {
        reader.close();
      }
    } finally {
      segment.close();
    }
  });
});

describe('Semaphore after close', () => {
  it('throws ERR_CLOSED on every use but close, which stays harmless', async () => {
    const semaphore = Semaphore.create(testName('closed'), 1);
    semaphore.close();
    semaphore.close();
    for (const use of [() => semaphore.post(), () => semaphore.tryWait(), () => semaphore.waitSync(0), () => semaphore.value]) {
      expect(thrown(use)).toMatchObject({ code: 'ERR_CLOSED' });
    }
    expect(await rejection(semaphore.wait(10))).toMatchObject({ code: 'ERR_CLOSED' });
  });

  it('rejects a pending wait() with ERR_CLOSED when the semaphore is closed', async () => {
    const semaphore = Semaphore.create(testName('pend'));
    const pending = semaphore.wait(10_000);
    semaphore.close();
    expect(await rejection(pending)).toMatchObject({ code: 'ERR_CLOSED' });
  });

  it('never touches unmapped memory: a wait pending on an in-segment semaphore ends when its segment closes', async () => {
    const segment = SharedMemory.create(testName('unmap'), 4096);
    const semaphore = Semaphore.createIn(segment, 0, 0);
    const pending = semaphore.wait(10_000);
    segment.close();
    expect(await rejection(pending)).toMatchObject({ code: 'ERR_CLOSED' });
    expect(thrown(() => semaphore.post())).toMatchObject({ code: 'ERR_CLOSED' });
  });
});
