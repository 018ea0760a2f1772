import { existsSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { IpcError, SharedMemory } from '../src/index.js';
import { testName } from './support/names.js';

const shmPath = (name: string) => `/dev/shm${name}`;

describe('SharedMemory.close', () => {
  it('detaches the buffer first, so every view reads length 0 afterwards', () => {
    const segment = SharedMemory.create(testName('close'), 4096);
    const buffer = segment.buffer;
    const view = new Int32Array(buffer);
    view[3] = 42;
    segment.close();
    expect(buffer.byteLength).toBe(0);
    expect(view.length).toBe(0);
    expect(view[3]).toBeUndefined();
  });

  it('is harmless twice, and any other use afterwards throws ERR_CLOSED', () => {
    const segment = SharedMemory.create(testName('twice'), 64);
    segment.close();
    expect(() => segment.close()).not.toThrow();
    expect(segment.closed).toBe(true);
    let caught: unknown;
    try {
      void segment.buffer;
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(IpcError);
    expect(caught).toMatchObject({ code: 'ERR_CLOSED', name: segment.name });
  });

  it('unlinks the name when the creator closes, never when an opener does', () => {
    const creator = SharedMemory.create(testName('owner'), 64);
    const opener = SharedMemory.open(creator.name);
    opener.close();
    expect(existsSync(shmPath(creator.name))).toBe(true);
    creator.close();
    expect(existsSync(shmPath(creator.name))).toBe(false);
  });

  it('keeps the name with keep: true, and unlink() reports whether there was something', () => {
    const name = testName('keep');
    SharedMemory.create(name, 64, { keep: true }).close();
    expect(existsSync(shmPath(name))).toBe(true);
    expect(SharedMemory.unlink(name)).toBe(true);
    expect(SharedMemory.unlink(name)).toBe(false);
  });

  it('keeps the memory valid for a peer that still has it open after the creator left', () => {
    const creator = SharedMemory.create(testName('peer'), 64);
    const opener = SharedMemory.open(creator.name);
    new Uint8Array(creator.buffer)[5] = 5;
    creator.close();
    expect(new Uint8Array(opener.buffer)[5]).toBe(5);
    opener.close();
  });
});
