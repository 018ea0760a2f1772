// Defect: a named semaphore's mode was reduced by the umask (0o666 asked, 0o644 got), unlike a
// segment's, so a second user got EACCES. The mode asked for is applied exactly.
import { statSync } from 'node:fs';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { Semaphore } from '../src/index.js';
import { testName } from './support/names.js';

const modeOf = (semaphore: Semaphore) => statSync(`/dev/shm/sem.${semaphore.name.slice(1)}`).mode & 0o777;

describe('a named semaphore under a umask', () => {
  let previousUmask = 0;
  beforeEach(() => {
    previousUmask = process.umask(0o077);
  });
  afterEach(() => {
    process.umask(previousUmask);
  });

  it.each([0o666, 0o640, 0o600, 0o604])('gets mode %o exactly, exclusive or not', (mode) => {
    const exclusive = Semaphore.create(testName('mode'), 0, { mode });
    const shared = Semaphore.create(testName('mode'), 0, { mode, exclusive: false });
    try {
      expect(modeOf(exclusive)).toBe(mode);
      expect(modeOf(shared)).toBe(mode);
    } finally {
      exclusive.close();
      shared.close();
    }
  });

  it('leaves the mode of an existing semaphore alone when opening it with exclusive: false', () => {
    const first = Semaphore.create(testName('keep'), 0, { mode: 0o640 });
    try {
      const second = Semaphore.create(first.name, 0, { mode: 0o666, exclusive: false, keep: true });
      second.post();
      expect(first.tryWait()).toBe(true);
      second.close();
      expect(modeOf(first)).toBe(0o640);
    } finally {
      first.close();
    }
  });
});
