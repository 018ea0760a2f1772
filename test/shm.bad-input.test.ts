import { describe, expect, it } from 'vitest';

import { IpcError, SharedMemory } from '../src/index.js';
import { thrown } from './support/errors.js';
import { testName } from './support/names.js';


describe('SharedMemory names', () => {
  it.each([
    ['an empty name', '', RangeError, /must not be empty/],
    ['a lone slash', '/', RangeError, /must not be empty/],
    ['an inner slash', '/a/b', RangeError, /must not contain '\/'/],
    ['a NUL byte', 'a\0b', RangeError, /NUL/],
    ['a dot', '.', RangeError, /"\." or "\.\."/],
    ['a name over 30 bytes', `/${'x'.repeat(31)}`, RangeError, /at most 30 bytes/],
    ['a number', 42, TypeError, /must be a string, got 42/],
    ['undefined', undefined, TypeError, /must be a string/],
  ])('rejects %s with a clear error', (_what, name, errorClass, message) => {
    const error = thrown(() => SharedMemory.create(name as string, 64));
    expect(error).toBeInstanceOf(errorClass);
    expect((error as Error).message).toMatch(message);
  });
});

describe('SharedMemory sizes', () => {
  it.each([
    ['0', 0, RangeError],
    ['-1', -1, RangeError],
    ['NaN', Number.NaN, RangeError],
    ['2^60', 2 ** 60, RangeError],
    ['1.5', 1.5, RangeError],
    ['Infinity', Infinity, RangeError],
    ['a string', '64', TypeError],
    ['a bigint', 64n, TypeError],
  ])('rejects a size of %s and creates nothing', (_what, size, errorClass) => {
    const name = testName('size');
    const error = thrown(() => SharedMemory.create(name, size as number));
    expect(error).toBeInstanceOf(errorClass);
    expect((error as Error).message).toMatch(/size must be a positive integer number of bytes up to 2\^46/);
    expect(SharedMemory.unlink(name)).toBe(false);
  });

  it('names the given value in the message', () => {
    expect((thrown(() => SharedMemory.create(testName('msg'), 2 ** 60)) as Error).message).toMatch(/got 2\^60/);
    expect((thrown(() => SharedMemory.create(testName('msg'), -3)) as Error).message).toMatch(/got -3/);
  });
});

describe('SharedMemory modes and options', () => {
  it.each([
    [-1, RangeError],
    [0o1000, RangeError],
    [0.5, RangeError],
    ['rw', TypeError],
  ])('rejects mode %s', (mode, errorClass) => {
    const error = thrown(() => SharedMemory.create(testName('mode'), 64, { mode: mode as number }));
    expect(error).toBeInstanceOf(errorClass);
    expect((error as Error).message).toMatch(/options\.mode must be an integer permission mode from 0 to 0o777/);
  });

  it('rejects unknown options and options of the wrong type', () => {
    expect(thrown(() => SharedMemory.create(testName('opt'), 64, { populate: 'yes' as unknown as boolean }))).toBeInstanceOf(TypeError);
    const unknown = thrown(() => SharedMemory.create(testName('opt'), 64, { size: 3 } as never));
    expect(unknown).toBeInstanceOf(TypeError);
    expect((unknown as Error).message).toMatch(/unknown option "size"/);
    expect(thrown(() => SharedMemory.open(testName('opt'), 'ro' as never))).toBeInstanceOf(TypeError);
    const populate = thrown(() => SharedMemory.open(testName('opt'), { populate: 1 as unknown as boolean }));
    expect(populate).toBeInstanceOf(TypeError);
    expect((populate as Error).message).toMatch(/options\.populate/);
  });
});

describe('SharedMemory system errors', () => {
  it('refuses to create an existing name with EEXIST and leaves the original intact', () => {
    const original = SharedMemory.create(testName('dup'), 64);
    new Uint8Array(original.buffer)[0] = 9;
    try {
      const error = thrown(() => SharedMemory.create(original.name, 128));
      expect(error).toBeInstanceOf(IpcError);
      expect(error).toMatchObject({ code: 'EEXIST', syscall: 'shm_open', name: original.name });
      expect((error as IpcError).errno).toBeGreaterThan(0);
      expect((error as Error).message).toContain(`shm_open "${original.name}" failed: already exists (EEXIST)`);
      expect(new Uint8Array(original.buffer)[0]).toBe(9);
      expect(original.size).toBe(64);
    } finally {
      original.close();
    }
  });

  it('opens a missing name with ENOENT', () => {
    const error = thrown(() => SharedMemory.open(testName('missing')));
    expect(error).toBeInstanceOf(IpcError);
    expect(error).toMatchObject({ code: 'ENOENT', syscall: 'shm_open' });
  });

  it('refuses a non-exclusive create whose size disagrees with the existing object', () => {
    const original = SharedMemory.create(testName('size'), 64);
    try {
      expect(thrown(() => SharedMemory.create(original.name, 128, { exclusive: false }))).toMatchObject({ code: 'ERR_SIZE_MISMATCH' });
      const same = SharedMemory.create(original.name, 64, { exclusive: false });
      expect(same.created).toBe(false);
      same.close();
    } finally {
      original.close();
    }
  });

  it('applies the requested mode exactly', async () => {
    const { statSync } = await import('node:fs');
    const segment = SharedMemory.create(testName('mode'), 64, { mode: 0o640 });
    try {
      expect(statSync(`/dev/shm${segment.name}`).mode & 0o777).toBe(0o640);
    } finally {
      segment.close();
    }
  });
});
