// Linux keeps the named semaphore <x> at /dev/shm/sem.<x>: a segment named "sem.x" would be that
// semaphore, so every name beginning with "sem." is refused before any system call.
import { existsSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { Semaphore, SharedMemory, ShmChannel } from '../src/index.js';
import { thrown } from './support/errors.js';
import { testName } from './support/names.js';

describe('names beginning with "sem."', () => {
  it.each([
    ['SharedMemory.create', (name: string) => SharedMemory.create(name, 64)],
    ['SharedMemory.open', (name: string) => SharedMemory.open(name)],
    ['SharedMemory.unlink', (name: string) => SharedMemory.unlink(name)],
    ['Semaphore.create', (name: string) => Semaphore.create(name)],
    ['Semaphore.open', (name: string) => Semaphore.open(name)],
    ['Semaphore.unlink', (name: string) => Semaphore.unlink(name)],
    ['ShmChannel.create', (name: string) => ShmChannel.create(name)],
    ['ShmChannel.open', (name: string) => ShmChannel.open(name)],
  ])('%s refuses them with a RangeError and leaves the semaphore they alias alone', (_call, call) => {
    const semaphore = Semaphore.create(testName('alias'), 3);
    try {
      const alias = `sem.${semaphore.name.slice(1)}`.slice(0, 30);
      expect(existsSync(`/dev/shm/sem.${semaphore.name.slice(1)}`)).toBe(true);
      for (const name of [alias, `/${alias}`]) {
        const error = thrown(() => call(name));
        expect(error).toBeInstanceOf(RangeError);
        expect((error as Error).message).toMatch(/^name must not start with "sem\.": .*named semaphore/);
      }
      expect(semaphore.value).toBe(3);
      expect(existsSync(`/dev/shm/sem.${semaphore.name.slice(1)}`)).toBe(true);
    } finally {
      semaphore.close();
    }
  });

  it('still accepts names that merely contain "sem."', () => {
    const segment = SharedMemory.create(testName('a.sem.b'), 64);
    segment.close();
  });
});
