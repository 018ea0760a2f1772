import { spawn } from 'node:child_process';

import { describe, expect, it } from 'vitest';

import { RingWriter } from '../src/channel/ring-writer.js';
import { IpcError, SharedMemory, ShmChannel } from '../src/index.js';
import { rejection } from './support/errors.js';
import { testName } from './support/names.js';

const dist = JSON.stringify(new URL('../dist/index.js', import.meta.url).href);

describe('ShmChannel.receiveInto', () => {
  it('copies each message into the same buffer, chunked or not, and says how long it was', async () => {
    const producer = ShmChannel.create(testName('into'), { ringBytes: 4096 });
    const consumer = ShmChannel.open(producer.name);
    try {
      const target = new Uint8Array(10_000).fill(0xee);
      const long = new Uint8Array(10_000).map((_, i) => (i * 7) & 0xff);
      const sending = producer.send(long); // 10 chunks through a ring of 4096 bytes
      expect(await consumer.receiveInto(target, { timeoutMs: 5_000 })).toBe(10_000);
      await sending;
      expect(target).toEqual(long);

      await producer.send(new Int32Array([1, -2, 3]));
      const ints = new Int32Array(10).fill(9);
      expect(await consumer.receiveInto(ints, { timeoutMs: 5_000 })).toBe(12);
      expect(Array.from(ints)).toEqual([1, -2, 3, 9, 9, 9, 9, 9, 9, 9]); // the rest is untouched

      await producer.send(new Uint8Array(0));
      expect(await consumer.receiveInto(new ArrayBuffer(4), { timeoutMs: 5_000 })).toBe(0);
    } finally {
      producer.close();
      consumer.close();
    }
  });

  it('writes at a view\'s offset and never past its end', async () => {
    const producer = ShmChannel.create(testName('intoview'), { ringBytes: 4096 });
    const consumer = ShmChannel.open(producer.name);
    try {
      const backing = new Uint8Array(12).fill(1);
      await producer.send(new Uint8Array([5, 6, 7, 8]));
      expect(await consumer.receiveInto(new DataView(backing.buffer, 4, 4), { timeoutMs: 5_000 })).toBe(4);
      expect(Array.from(backing)).toEqual([1, 1, 1, 1, 5, 6, 7, 8, 1, 1, 1, 1]);
    } finally {
      producer.close();
      consumer.close();
    }
  });

  it('leaves a message longer than the target in the channel, whole, for the next receive', async () => {
    const producer = ShmChannel.create(testName('intoshrt'), { ringBytes: 4096 });
    const consumer = ShmChannel.open(producer.name);
    try {
      const message = new Uint8Array(3000).map((_, i) => i & 0xff); // chunked: more than one record
      const sending = producer.send(message);
      const small = new Uint8Array(100).fill(0xaa);
      const error = await rejection(consumer.receiveInto(small, { timeoutMs: 5_000 }));
      expect(error).toBeInstanceOf(IpcError);
      expect(error).toMatchObject({ code: 'ERR_OUT_OF_RANGE' });
      expect((error as Error).message).toBe(
        `the next message on "${producer.name}" is 3000 bytes, longer than the 100-byte target; it stays for the next receive`,
      );
      expect(small.every((byte) => byte === 0xaa)).toBe(true);
      const big = new Uint8Array(3000);
      expect(await consumer.receiveInto(big, { timeoutMs: 5_000 })).toBe(3000);
      expect(big).toEqual(message);
      await sending;
      await producer.send(new Uint8Array([42]));
      expect(await consumer.receive({ timeoutMs: 5_000 })).toEqual(new Uint8Array([42]));
    } finally {
      producer.close();
      consumer.close();
    }
  });

  it('after a timeout in the middle of a message, never writes into that target again; the next receive gets the message whole', async () => {
    const consumer = ShmChannel.create(testName('intopart'), { ringBytes: 4096 });
    const raw = SharedMemory.open(consumer.name);
    try {
      // A producer written against the ring directly, so that it can stop in the middle of a message.
      const writer = new RingWriter(raw.buffer, 4096, raw.name, () => undefined);
      const message = new Uint8Array(5000).map((_, i) => (i * 13) & 0xff);
      writer.startChunked(message, 2);
      expect(writer.tryWriteChunk()).toBe(true);
      writer.publish();
      const target = new Uint8Array(5000);
      await expect(consumer.receiveInto(target, { timeoutMs: 100 })).rejects.toMatchObject({ code: 'ERR_TIMEOUT' });
      expect(target.subarray(0, 1000)).toEqual(message.subarray(0, 1000)); // the first chunk had arrived
      target.fill(0xaa);
      while (writer.chunking) {
        expect(writer.tryWriteChunk()).toBe(true);
        writer.publish();
        if (writer.chunking) expect(consumer.tryReceive()).toBeUndefined(); // reads what is there, keeps assembling
      }
      expect(await consumer.receive({ timeoutMs: 5_000 })).toEqual(message);
      expect(target.every((byte) => byte === 0xaa)).toBe(true);
    } finally {
      raw.close();
      consumer.close();
    }
  });

  it('refuses what it cannot write into, with a TypeError, and consumes nothing', async () => {
    const producer = ShmChannel.create(testName('intobad'), { ringBytes: 4096 });
    const consumer = ShmChannel.open(producer.name);
    try {
      await producer.send(new Uint8Array([3]));
      for (const bad of [undefined, null, 42, 'bytes', [1, 2], {}]) {
        const error = await rejection(consumer.receiveInto(bad as unknown as Uint8Array));
        expect(error).toBeInstanceOf(TypeError);
        expect((error as Error).message).toMatch(/^target must be an ArrayBuffer, a typed array or a DataView, got /);
      }
      const gone = new ArrayBuffer(8);
      structuredClone(gone, { transfer: [gone] });
      const error = await rejection(consumer.receiveInto(gone));
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toMatch(/^target must be writable, but its ArrayBuffer is detached/);
      const target = new Uint8Array(1);
      expect(await consumer.receiveInto(target, { timeoutMs: 5_000 })).toBe(1);
      expect(target[0]).toBe(3);
    } finally {
      producer.close();
      consumer.close();
    }
  });

  it('receives a stream from another process into one buffer, every byte checked', async () => {
    const consumer = ShmChannel.create(testName('intoproc'), { ringBytes: 8192 });
    const messages = 200;
    const length = 10_000; // five chunks each
    const child = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { ShmChannel } from ${dist};
         const channel = ShmChannel.open(${JSON.stringify(consumer.name)});
         const message = new Uint8Array(${length});
         for (let k = 0; k < ${messages}; k++) {
           for (let i = 0; i < message.length; i++) message[i] = (i + k) & 0xff;
           await channel.send(message, { timeoutMs: 10_000 });
         }
         channel.close();`,
      ],
      { stdio: 'inherit' },
    );
    try {
      const target = new Uint8Array(length);
      for (let k = 0; k < messages; k++) {
        expect(await consumer.receiveInto(target, { timeoutMs: 10_000 })).toBe(length);
        const wrong = target.findIndex((byte, i) => byte !== ((i + k) & 0xff));
        expect(wrong, `message ${k}`).toBe(-1);
      }
      await expect(consumer.receiveInto(target, { timeoutMs: 10_000 })).rejects.toMatchObject({ code: 'ERR_CHANNEL_CLOSED' });
      const code = await new Promise((resolve) => child.once('exit', resolve));
      expect(code).toBe(0);
    } finally {
      child.kill();
      consumer.close();
    }
  });
});
