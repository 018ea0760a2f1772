// Each failure has the documented class and form: a rejection for every promise-returning call,
// IpcError with ERR_CLOSED for channel operations cut short by close(), TypeError for bad values.
import { describe, expect, it } from 'vitest';

import { IpcError, MAX_NAME_LENGTH, MAX_TAG_LENGTH, ShmChannel, uniqueName } from '../src/index.js';
import { rejection, thrown } from './support/errors.js';
import { testName } from './support/names.js';

describe('IpcError', () => {
  it('can be made with a message alone, like Error', () => {
    const error = new IpcError('x');
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toBe('x');
    expect(error.code).toBe('ERR_IPC');
    expect(error.name).toBe('IpcError');
    expect(String(error)).toBe('IpcError [ERR_IPC]: x');
  });

  it('keeps the fields it is given', () => {
    const error = new IpcError('gone', { code: 'ENOENT', errno: 2, syscall: 'shm_open', name: '/jobs' });
    expect(error).toMatchObject({ code: 'ENOENT', errno: 2, syscall: 'shm_open', name: '/jobs' });
  });
});

describe('uniqueName', () => {
  it('rejects a tag that is not a string with a TypeError naming it', () => {
    const error = thrown(() => uniqueName(1 as unknown as string));
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(/^tag must be a string/);
  });

  it('uses a tag as it is, or refuses it with a RangeError: never shortened or changed', () => {
    expect(uniqueName('jobs')).toMatch(/^\/ipclab-\d+-[0-9a-f]{6}-jobs$/);
    expect(uniqueName()).toMatch(/^\/ipclab-\d+-[0-9a-f]{6}$/);
    expect(uniqueName('x'.repeat(MAX_TAG_LENGTH))).toMatch(new RegExp(`-${'x'.repeat(MAX_TAG_LENGTH)}$`));
    expect(() => uniqueName('frames-out')).toThrow(
      new RangeError(
        'tag must be at most 8 characters from A-Z a-z 0-9 _ . - (the pid and random part take the rest of the 30 bytes a name may have), got "frames-out" (10 characters)',
      ),
    );
    expect(() => uniqueName('a/b')).toThrow(RangeError);
    expect(() => uniqueName('ü')).toThrow(RangeError);
  });

  it('fits the portable name limit with the longest tag and the largest Linux pid', () => {
    const longest = `ipclab-${2 ** 22}-${'0'.repeat(6)}-${'x'.repeat(MAX_TAG_LENGTH)}`;
    expect(longest.length).toBe(MAX_NAME_LENGTH);
  });
});

describe('ShmChannel error forms', () => {
  it('sends waiting and queued when close() gives them up reject with IpcError ERR_MESSAGES_LOST naming each', async () => {
    const channel = ShmChannel.create(testName('queued'), { ringBytes: 4096 });
    const consumer = ShmChannel.open(channel.name);
    try {
      await channel.send(new Uint8Array(2040)); // half the ring
      await channel.send(new Uint8Array(2040)); // the ring is full
      const waiting = channel.send(new Uint8Array(1));
      const queued = channel.send(new Uint8Array(1));
      await new Promise((resolve) => setTimeout(resolve, 20)); // the first is now blocked, the second queued behind it
      const closing = rejection(channel.close({ timeoutMs: 0 })); // give them up at once
      const waitingError = await rejection(waiting);
      expect(waitingError).toBeInstanceOf(IpcError);
      expect(waitingError).toMatchObject({ code: 'ERR_MESSAGES_LOST', message: expect.stringContaining('send() of message 3 (1 bytes) was not sent') });
      const queuedError = await rejection(queued);
      expect(queuedError).toBeInstanceOf(IpcError);
      expect(queuedError).toMatchObject({ code: 'ERR_MESSAGES_LOST', message: expect.stringContaining('send() of message 4 (1 bytes) was not sent') });
      expect(await closing).toMatchObject({ code: 'ERR_MESSAGES_LOST', message: expect.stringContaining('closed with 2 sends lost') });
    } finally {
      channel.close();
      consumer.close();
    }
  });

  it('send() of detached data rejects with a TypeError instead of throwing', async () => {
    const channel = ShmChannel.create(testName('detached'), { ringBytes: 4096 });
    try {
      const buffer = new ArrayBuffer(8);
      const view = new Int32Array(buffer);
      structuredClone(buffer, { transfer: [buffer] });
      for (const data of [buffer, view]) {
        let promise: Promise<void> | undefined;
        expect(() => (promise = channel.send(data))).not.toThrow();
        const error = await rejection(promise!);
        expect(error).toBeInstanceOf(TypeError);
        expect((error as Error).message).toMatch(/^data must be readable, but its ArrayBuffer is detached/);
      }
    } finally {
      channel.close();
    }
  });

  it('sendValue() of a value that cannot be cloned rejects with a TypeError that says so', async () => {
    const channel = ShmChannel.create(testName('clone'), { ringBytes: 4096 });
    try {
      for (const value of [() => 1, Symbol('s'), { nested: () => 2 }]) {
        const error = await rejection(channel.sendValue(value));
        expect(error).toBeInstanceOf(TypeError);
        expect((error as Error).message).toMatch(/^value must be structured-cloneable \(no functions, symbols or native handles\): .+/);
      }
    } finally {
      channel.close();
    }
  });
});
