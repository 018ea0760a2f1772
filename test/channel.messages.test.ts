import { describe, expect, it } from 'vitest';

import { ShmChannel } from '../src/index.js';
// @ts-expect-error: a plain .mjs fixture shared with the producer process
import { makeMessage, messageSizes } from './fixtures/messages.mjs';
import { testName } from './support/names.js';
import { finished, startFixture } from './support/processes.js';

type Message = { kind: string; data: unknown };

describe('ShmChannel between processes', () => {
  it('carries 100 messages of mixed sizes (1 byte to 4x its data area) in order and intact', async () => {
    const slotSize = 4096;
    const slots = 4;
    const channel = ShmChannel.create(testName('chan'), { slotSize, slots });
    try {
      const producer = startFixture('channel-messages.mjs', [channel.name, String(slotSize), String(slots)]);
      const exit = finished(producer);
      const sizes: number[] = messageSizes(slotSize * slots);
      expect(sizes).toHaveLength(100);
      expect(Math.min(...sizes)).toBe(1);
      expect(Math.max(...sizes)).toBe(4 * slotSize * slots);
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
  it('returns what was sent: the same typed array type, an ArrayBuffer, a DataView, a value', async () => {
    const producer = ShmChannel.create(testName('kinds'), { slotSize: 64, slots: 2 });
    const consumer = ShmChannel.open(producer.name);
    try {
      const sent: unknown[] = [
        new Uint8Array([1, 2, 3]),
        new BigInt64Array([1n, -2n]),
        new Float32Array([0.5, 1.5]),
        new Uint8Array(0),
        new Uint8Array([9, 8, 7]).buffer,
        new DataView(new Uint8Array([4, 5]).buffer),
        { nested: [1, 'two', { three: 3n }], when: new Date(0) },
      ];
      const receiving = (async () => {
        const got: unknown[] = [];
        for (let i = 0; i < sent.length; i++) got.push(await consumer.receive({ timeoutMs: 5_000 }));
        return got;
      })();
      for (const item of sent) {
        if (item instanceof ArrayBuffer || ArrayBuffer.isView(item)) await producer.send(item);
        else await producer.sendValue(item);
      }
      const got = await receiving;
      got.forEach((item, index) => {
        expect(item?.constructor).toBe((sent[index] as object).constructor);
        expect(item).toEqual(sent[index]);
      });
    } finally {
      producer.close();
      consumer.close();
    }
  });

  it('opens with populate (every page mapped first) and carries messages; a populate that is not a boolean is a TypeError', async () => {
    const producer = ShmChannel.create(testName('openpop'), { slotSize: 4096, slots: 4, populate: true });
    try {
      const error = (() => {
        try {
          ShmChannel.open(producer.name, { populate: 'yes' as never }).close();
        } catch (thrown) {
          return thrown;
        }
      })();
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toMatch(/^options\.populate must be a boolean/);
      const consumer = ShmChannel.open(producer.name, { populate: true });
      try {
        const sent = Int32Array.from({ length: 5000 }, (_, i) => i * 3);
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

  it('times out a receive with ERR_TIMEOUT', async () => {
    const channel = ShmChannel.create(testName('tmo'), { slotSize: 64 });
    try {
      const started = performance.now();
      await expect(channel.receive({ timeoutMs: 100 })).rejects.toMatchObject({ code: 'ERR_TIMEOUT' });
      expect(performance.now() - started).toBeLessThan(400);
    } finally {
      channel.close();
    }
  });

  it('applies backpressure: a send into a full channel waits, then times out', async () => {
    const producer = ShmChannel.create(testName('full'), { slotSize: 64, slots: 2 });
    try {
      await producer.send(new Uint8Array(128));
      await expect(producer.send(new Uint8Array(1), { timeoutMs: 100 })).rejects.toMatchObject({ code: 'ERR_TIMEOUT' });
    } finally {
      producer.close();
    }
  });

  it('rejects bad input with TypeError / RangeError and keeps working', async () => {
    const channel = ShmChannel.create(testName('bad'), { slotSize: 64 });
    try {
      await expect(channel.send('text' as never)).rejects.toBeInstanceOf(TypeError);
      await expect(channel.send(new Uint8Array(1), { timeoutMs: -5 })).rejects.toBeInstanceOf(RangeError);
      await expect(channel.reserve(1000)).rejects.toBeInstanceOf(RangeError);
      await expect(channel.reserve(Array as never, 1)).rejects.toBeInstanceOf(TypeError);
      expect(() => channel.commit()).toThrow(expect.objectContaining({ code: 'ERR_WRONG_STATE' }));
      expect(() => ShmChannel.create(testName('bad2'), { slots: 0 })).toThrow(RangeError);
      expect(() => ShmChannel.create(testName('bad3'), { slotSize: -1 })).toThrow(RangeError);
      await channel.send(new Uint8Array([1]));
    } finally {
      channel.close();
    }
  });

  it('refuses to open a segment that is not a channel', async () => {
    const { SharedMemory } = await import('../src/index.js');
    const segment = SharedMemory.create(testName('notch'), 8192);
    try {
      expect(() => ShmChannel.open(segment.name)).toThrow(expect.objectContaining({ code: 'ERR_BAD_CHANNEL' }));
    } finally {
      segment.close();
    }
  });

  it('keeps one direction per side', async () => {
    const channel = ShmChannel.create(testName('dir'), { slotSize: 64 });
    try {
      await channel.send(new Uint8Array([1]));
      await expect(channel.receive()).rejects.toMatchObject({ code: 'ERR_WRONG_STATE' });
    } finally {
      channel.close();
    }
  });
});

describe('ShmChannel call order', () => {
  it('runs calls made without awaiting in the order they were made, a refused one included', async () => {
    const producer = ShmChannel.create(testName('order'), { slotSize: 64, slots: 2 });
    const consumer = ShmChannel.open(producer.name);
    try {
      const lengths = Array.from({ length: 40 }, (_, k) => [1, 64, 65, 200][k % 4]!); // 200: four chunks
      const message = (k: number) => new Uint8Array(lengths[k]!).fill(k);
      const sends = lengths.map((_, k) => producer.send(message(k)));
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
      expect(await Promise.all(receives)).toEqual(expected);
      await Promise.all(sends);
    } finally {
      producer.close();
      consumer.close();
    }
  });
});
