// The zero-copy path: reserve() gives a contiguous region of the ring to fill and commit()
// publishes it; receiveInPlace() views the record in the ring until release() hands it back.
import { describe, expect, it } from 'vitest';

import { ShmChannel } from '../src/index.js';
import { rejection } from './support/errors.js';
import { testName } from './support/names.js';

describe('ShmChannel zero-copy path', () => {
  it('lets the producer fill a view in the ring and the consumer read that same memory', async () => {
    const producer = ShmChannel.create(testName('zc'), { ringBytes: 16384 });
    const consumer = ShmChannel.open(producer.name);
    try {
      const region = await producer.reserve(Int32Array, 1000);
      for (let i = 0; i < region.length; i++) region[i] = i * 2;
      producer.commit();
      const view = await consumer.receiveInPlace<Int32Array>({ timeoutMs: 5_000 });
      expect(view).toBeInstanceOf(Int32Array);
      expect(view.length).toBe(1000);
      expect(view.every((value, i) => value === i * 2)).toBe(true);
      expect(view.buffer).not.toBe(region.buffer); // a different mapping of the same memory...
      region[0] = 77;
      expect(view[0]).toBe(77); // ...so no copy was made
      consumer.release();

      const next = await producer.reserve(Int32Array, 10, { timeoutMs: 100 });
      next.fill(3);
      producer.commit(5);
      const short = await consumer.receiveInPlace<Int32Array>({ timeoutMs: 5_000 });
      expect(Array.from(short)).toEqual([3, 3, 3, 3, 3]);
      consumer.release();
    } finally {
      producer.close();
      consumer.close();
    }
  });

  it('gives a contiguous region at every position of the ring, across the wrap', async () => {
    const producer = ShmChannel.create(testName('zcwrap'), { ringBytes: 4096 });
    const consumer = ShmChannel.open(producer.name);
    try {
      for (let round = 0; round < 300; round++) {
        const length = 1 + ((round * 97) % 2000); // up to one record: half the ring
        const region = await producer.reserve(length, { timeoutMs: 5_000 });
        expect(region.length).toBe(length);
        region.fill(round & 0xff);
        producer.commit();
        const view = await consumer.receiveInPlace<Uint8Array>({ timeoutMs: 5_000 });
        expect(view.length).toBe(length);
        expect(view.every((byte) => byte === (round & 0xff))).toBe(true);
        consumer.release();
      }
    } finally {
      producer.close();
      consumer.close();
    }
  });

  it('leaves a message sent in chunks for receive() instead of viewing it in place', async () => {
    const producer = ShmChannel.create(testName('zcbig'), { ringBytes: 4096 });
    const consumer = ShmChannel.open(producer.name);
    try {
      const big = new Uint8Array(3000).map((_, i) => i);
      const sending = producer.send(big);
      const error = await rejection(consumer.receiveInPlace());
      expect(error).toMatchObject({ code: 'ERR_OUT_OF_RANGE' });
      expect((error as Error).message).toBe(
        `the next message on "${producer.name}" is 3000 bytes, sent in chunks (more than one record of this ring holds, 2040 bytes); receive() it instead`,
      );
      expect(await consumer.receive()).toEqual(big);
      await sending;
    } finally {
      producer.close();
      consumer.close();
    }
  });

  it('holds one reservation and one in-place view at a time, and a reservation blocks sends until committed', async () => {
    const producer = ShmChannel.create(testName('zcone'), { ringBytes: 4096 });
    const consumer = ShmChannel.open(producer.name);
    try {
      await producer.reserve(8);
      await expect(producer.reserve(8)).rejects.toMatchObject({ code: 'ERR_WRONG_STATE' });
      await expect(producer.send(new Uint8Array(1))).rejects.toMatchObject({ code: 'ERR_WRONG_STATE' });
      expect(() => producer.commit(9)).toThrow(RangeError);
      producer.commit(2);
      await producer.send(new Uint8Array([4]));
      expect((await consumer.receiveInPlace()).byteLength).toBe(2);
      await expect(consumer.receive()).rejects.toMatchObject({ code: 'ERR_WRONG_STATE' });
      expect(() => consumer.tryReceive()).toThrow(expect.objectContaining({ code: 'ERR_WRONG_STATE' }));
      consumer.release();
      expect(() => consumer.release()).toThrow(expect.objectContaining({ code: 'ERR_WRONG_STATE' }));
      expect(await consumer.receive()).toEqual(new Uint8Array([4]));
    } finally {
      producer.close();
      consumer.close();
    }
  });
});
