import { describe, expect, it } from 'vitest';

import { ShmChannel } from '../src/index.js';
import { testName } from './support/names.js';

describe('ShmChannel zero-copy path', () => {
  it('lets the producer fill a view in the segment and the consumer read that same memory', async () => {
    const producer = ShmChannel.create(testName('zc'), { slotSize: 4 * 1000, slots: 1 });
    const consumer = ShmChannel.open(producer.name);
    try {
      const slot = await producer.reserve(Int32Array, 1000);
      for (let i = 0; i < slot.length; i++) slot[i] = i * 2;
      producer.commit();
      const view = await consumer.receiveInPlace<Int32Array>({ timeoutMs: 5_000 });
      expect(view).toBeInstanceOf(Int32Array);
      expect(view.length).toBe(1000);
      expect(view.every((value, i) => value === i * 2)).toBe(true);
      expect(view.buffer).not.toBe(slot.buffer); // a different mapping of the same memory...
      slot[0] = 77;
      expect(view[0]).toBe(77); // ...so no copy was made
      consumer.release();

      // the slot is free again: the next reserve does not wait
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

  it('leaves a message larger than a slot for receive() instead of viewing it in place', async () => {
    const producer = ShmChannel.create(testName('zcbig'), { slotSize: 64, slots: 2 });
    const consumer = ShmChannel.open(producer.name);
    try {
      const big = new Uint8Array(200).map((_, i) => i);
      const sending = producer.send(big);
      await expect(consumer.receiveInPlace()).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE' });
      expect(await consumer.receive()).toEqual(big);
      await sending;
    } finally {
      producer.close();
      consumer.close();
    }
  });
});
