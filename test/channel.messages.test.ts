// ShmChannel's send/receive contract on protocol v3: messages of every kind and size (1 byte to 4x
// the ring) between processes, typed arrays arriving as their type, values and JSON, populate,
// timeouts, backpressure, bad input, one direction per side, and calls kept in call order.
import { describe, expect, it } from 'vitest';

import { ShmChannel } from '../src/index.js';
// @ts-expect-error: a plain .mjs fixture shared with the producer process
import { makeMessage, messageSizes } from './fixtures/messages.mjs';
import { rejection, thrown } from './support/errors.js';
import { testName } from './support/names.js';
import { finished, startFixture } from './support/processes.js';

type Message = { kind: string; data: unknown };

describe('ShmChannel between processes', () => {
  it('carries 100 messages of mixed kinds and sizes (1 byte to 4x its ring) in order and intact', async () => {
    const ringBytes = 4096;
    const channel = ShmChannel.create(testName('chan'), { ringBytes });
    try {
      const producer = startFixture('channel-messages.mjs', [channel.name, String(ringBytes)]);
      const exit = finished(producer);
      const sizes: number[] = messageSizes(ringBytes);
      expect(sizes).toHaveLength(100);
      expect(Math.min(...sizes)).toBe(1);
      expect(Math.max(...sizes)).toBe(4 * ringBytes);
      for (const [index, size] of sizes.entries()) {
        const expected = makeMessage(index, size) as Message;
        const received = await channel.receive({ timeoutMs: 10_000 });
        expect(received?.constructor).toBe((expected.data as object).constructor);
        expect(received).toEqual(expected.data);
      }
      await expect(channel.receive({ timeoutMs: 5_000 })).rejects.toMatchObject({ code: 'ERR_CHANNEL_CLOSED' });
      const result = await exit;
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
    } finally {
      channel.close();
    }
  });
});

describe('ShmChannel in one process', () => {
  it('returns what was sent: the same typed array type, an ArrayBuffer, a DataView, a value, JSON', async () => {
    const producer = ShmChannel.create(testName('kinds'), { ringBytes: 4096 });
    const consumer = ShmChannel.open(producer.name);
    try {
      expect(producer.ringBytes).toBe(4096);
      expect(consumer.ringBytes).toBe(4096);
      const sent: unknown[] = [
        new Uint8Array([1, 2, 3]),
        new BigInt64Array([1n, -2n]),
        new Float32Array([0.5, 1.5]),
        new Float64Array([Number.NaN, -0, Infinity]),
        new Uint8ClampedArray([0, 255]),
        new Uint8Array(0),
        new Uint8Array([9, 8, 7]).buffer,
        new DataView(new Uint8Array([4, 5]).buffer),
        { nested: [1, 'two', { three: 3n }], when: new Date(0) },
      ];
      const receiving = (async () => {
        const got: unknown[] = [];
        for (let i = 0; i < sent.length + 1; i++) got.push(await consumer.receive({ timeoutMs: 5_000 }));
        return got;
      })();
      for (const item of sent) {
        if (item instanceof ArrayBuffer || ArrayBuffer.isView(item)) await producer.send(item);
        else await producer.sendValue(item);
      }
      await producer.sendJson({ text: 'é€😀', list: [1, null, true] });
      const got = await receiving;
      sent.forEach((item, index) => {
        expect(got[index]?.constructor).toBe((item as object).constructor);
        expect(got[index]).toEqual(item);
      });
      expect(got[sent.length]).toEqual({ text: 'é€😀', list: [1, null, true] });
      // A Buffer travels as the Uint8Array it is.
      await producer.send(Buffer.from('abc'));
      expect((await consumer.receive())?.constructor).toBe(Uint8Array);
    } finally {
      producer.close();
      consumer.close();
    }
  });

  it('opens with populate (every page mapped first) and carries messages; a populate that is not a boolean is a TypeError', async () => {
    const producer = ShmChannel.create(testName('openpop'), { ringBytes: 1 << 16, populate: true });
    try {
      const error = thrown(() => ShmChannel.open(producer.name, { populate: 'yes' as never }).close());
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toMatch(/^options\.populate must be a boolean/);
      const consumer = ShmChannel.open(producer.name, { populate: true });
      try {
        const sent = Int32Array.from({ length: 50_000 }, (_, i) => i * 3); // three times the ring
        const receiving = consumer.receive({ timeoutMs: 5_000 });
        await producer.send(sent);
        expect(await receiving).toEqual(sent);
      } finally {
        consumer.close();
      }
    } finally {
      producer.close();
    }
  });

  it('times out a receive with ERR_TIMEOUT, and the next receive works', async () => {
    const channel = ShmChannel.create(testName('tmo'));
    const producer = ShmChannel.open(channel.name);
    try {
      const started = performance.now();
      const error = await rejection(channel.receive({ timeoutMs: 100 }));
      expect(error).toMatchObject({ code: 'ERR_TIMEOUT', message: `timed out waiting for data on channel "${channel.name}"` });
      expect(performance.now() - started).toBeGreaterThanOrEqual(99);
      await producer.send(new Uint8Array([5]));
      expect(await channel.receive({ timeoutMs: 5_000 })).toEqual(new Uint8Array([5]));
    } finally {
      producer.close();
      channel.close();
    }
  });

  it('applies backpressure: a send into a full ring waits, then times out; once there is room it goes through', async () => {
    const producer = ShmChannel.create(testName('full'), { ringBytes: 4096 });
    const consumer = ShmChannel.open(producer.name);
    try {
      await producer.send(new Uint8Array(4096 / 2 - 8)); // one record of half the ring
      await producer.send(new Uint8Array(4096 / 2 - 8)); // the ring is full
      expect(producer.trySend(new Uint8Array(1))).toBe(false);
      await expect(producer.send(new Uint8Array(1), { timeoutMs: 100 })).rejects.toMatchObject({ code: 'ERR_TIMEOUT' });
      const sending = producer.send(new Uint8Array([7]), { timeoutMs: 5_000 });
      expect((await consumer.receive<Uint8Array>()).length).toBe(2040);
      await sending;
      expect((await consumer.receive<Uint8Array>()).length).toBe(2040);
      expect(await consumer.receive()).toEqual(new Uint8Array([7]));
    } finally {
      producer.close();
      consumer.close();
    }
  });

  it('rejects bad input with TypeError / RangeError and keeps working', async () => {
    const channel = ShmChannel.create(testName('bad'), { ringBytes: 4096 });
    try {
      await expect(channel.send('text' as never)).rejects.toBeInstanceOf(TypeError);
      await expect(channel.send(new Uint8Array(1), { timeoutMs: -5 })).rejects.toBeInstanceOf(RangeError);
      await expect(channel.reserve(4096)).rejects.toBeInstanceOf(RangeError);
      await expect(channel.reserve(Array as never, 1)).rejects.toBeInstanceOf(TypeError);
      await expect(channel.sendJson(() => 1)).rejects.toThrow(/^value must be JSON-serializable/);
      await expect(channel.sendJson({ big: 1n })).rejects.toBeInstanceOf(TypeError);
      expect(() => channel.trySend(new Uint8Array(4096))).toThrow(RangeError);
      expect(() => channel.commit()).toThrow(expect.objectContaining({ code: 'ERR_WRONG_STATE' }));
      await channel.send(new Uint8Array([1]));
    } finally {
      channel.close();
    }
  });

  it('takes ringBytes as a power of two from 4096 to 2^30, and says that slots and slotSize were replaced by it', () => {
    for (const bad of [0, 1000, 4095, 6000, 2 ** 31, 1.5, -4096]) {
      const error = thrown(() => ShmChannel.create(testName('ring'), { ringBytes: bad }));
      expect(error).toBeInstanceOf(RangeError);
      expect((error as Error).message).toMatch(/^options\.ringBytes must be a power of two from 4096 to 2\^30, got /);
    }
    expect(thrown(() => ShmChannel.create(testName('ring'), { ringBytes: '4096' as never }))).toBeInstanceOf(TypeError);
    for (const old of [{ slots: 4 }, { slotSize: 1024 }, { slots: 2, slotSize: 64 }]) {
      const error = thrown(() => ShmChannel.create(testName('ring'), old as never));
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toMatch(/^options\.(slots|slotSize) was replaced by options\.ringBytes: a channel is one ring of ringBytes bytes/);
    }
    const channel = ShmChannel.create(testName('ringdef'));
    expect(channel.ringBytes).toBe(4 * 1024 * 1024);
    channel.close();
  });

  it('keeps one direction per side', async () => {
    const channel = ShmChannel.create(testName('dir'));
    try {
      await channel.send(new Uint8Array([1]));
      await expect(channel.receive()).rejects.toMatchObject({ code: 'ERR_WRONG_STATE' });
      expect(() => channel.tryReceive()).toThrow(expect.objectContaining({ code: 'ERR_WRONG_STATE' }));
    } finally {
      channel.close();
    }
  });

  it('refuses every call after close with ERR_CLOSED, and close twice is a no-op', async () => {
    const channel = ShmChannel.create(testName('after'));
    channel.close();
    channel.close();
    expect(channel.closed).toBe(true);
    await expect(channel.send(new Uint8Array(1))).rejects.toMatchObject({ code: 'ERR_CLOSED' });
    await expect(channel.receive()).rejects.toMatchObject({ code: 'ERR_CLOSED' });
    expect(() => channel.trySend(new Uint8Array(1))).toThrow(expect.objectContaining({ code: 'ERR_CLOSED' }));
    expect(() => channel.tryReceive()).toThrow(expect.objectContaining({ code: 'ERR_CLOSED' }));
  });
});

describe('ShmChannel call order', () => {
  it('runs calls made without awaiting in the order they were made, a refused one included', async () => {
    const producer = ShmChannel.create(testName('order'), { ringBytes: 4096 });
    const consumer = ShmChannel.open(producer.name);
    try {
      const lengths = Array.from({ length: 40 }, (_, k) => [1, 64, 2040, 5000][k % 4]!); // 5000: chunked, longer than the ring
      const message = (k: number) => new Uint8Array(lengths[k]!).fill(k);
      const sends = lengths.map((_, k) => producer.send(message(k)));
      expect(producer.trySend(new Uint8Array(1))).toBe(false); // earlier sends still wait: it may not jump ahead
      const expected: unknown[] = [];
      const receives: Array<Promise<unknown>> = [];
      for (const [k] of lengths.entries()) {
        if (k % 8 === 3) {
          // too small for message k: refused, and message k stays for the receive after it
          receives.push(consumer.receiveInto(new Uint8Array(100)).catch((error: { code?: string }) => error.code));
          expected.push('ERR_OUT_OF_RANGE');
        }
        receives.push(consumer.receive());
        expected.push(message(k));
      }
      expect(consumer.tryReceive()).toBeUndefined(); // earlier receives come first
      expect(await Promise.all(receives)).toEqual(expected);
      await Promise.all(sends);
    } finally {
      producer.close();
      consumer.close();
    }
  });
});
