// The synchronous and batch calls: trySend/tryReceive never wait, sendMany publishes a batch with
// one store of the tail and at most one wake-up, receiveMany takes everything there up to `max`,
// and a receive (or the async iterator) that finds messages ready settles without an event-loop turn.
import { afterEach, describe, expect, it } from 'vitest';

import { layout } from '../src/channel/layout.js';
import { IpcError, ShmChannel } from '../src/index.js';
import { addon } from '../src/native.js';
import { rejection } from './support/errors.js';
import { testName } from './support/names.js';

const bytes = (...values: number[]) => new Uint8Array(values);
const restore: Array<() => void> = [];
afterEach(() => restore.splice(0).forEach((undo) => undo()));

/** Counts stores of a channel's tail (index 32 of a 1024-word header view) and calls of the addon's waker. */
function countPublishes(): { tailStores: number; wakes: number } {
  const counts = { tailStores: 0, wakes: 0 };
  const store = Atomics.store;
  const wakeWaiter = addon.wakeWaiter;
  Atomics.store = ((array: Int32Array, index: number, value: number) => {
    if (array.length === layout.headerBytes / 4 && index === layout.tailOffset / 4) counts.tailStores++;
    return store(array, index, value);
  }) as typeof Atomics.store;
  addon.wakeWaiter = (segment, offset) => {
    counts.wakes++;
    return wakeWaiter(segment, offset);
  };
  restore.push(() => {
    Atomics.store = store;
    addon.wakeWaiter = wakeWaiter;
  });
  return counts;
}

/** Whether the event loop turned (a setImmediate ran) while `action` ran. */
async function loopTurnedDuring(action: () => Promise<void>): Promise<boolean> {
  let turned = false;
  const immediate = setImmediate(() => (turned = true));
  await action();
  clearImmediate(immediate);
  return turned;
}

function pair(tag: string, ringBytes = 4096): { producer: ShmChannel; consumer: ShmChannel; close(): void } {
  const producer = ShmChannel.create(testName(tag), { ringBytes });
  const consumer = ShmChannel.open(producer.name);
  return { producer, consumer, close: () => [producer, consumer].forEach((channel) => channel.close()) };
}

describe('trySend and tryReceive', () => {
  it('write and read at once, false and undefined when there is no room or nothing there; never wait', () => {
    const { producer, consumer, close } = pair('try');
    try {
      expect(consumer.tryReceive()).toBeUndefined();
      let sent = 0;
      while (producer.trySend(bytes(sent & 0xff, 1, 2, 3, 4, 5, 6, 7))) sent++;
      expect(sent).toBe(4096 / 16); // 16-byte records fill the ring exactly
      expect(producer.trySend(bytes(1))).toBe(false);
      for (let k = 0; k < sent; k++) expect(consumer.tryReceive()).toEqual(bytes(k & 0xff, 1, 2, 3, 4, 5, 6, 7));
      expect(consumer.tryReceive()).toBeUndefined();
      expect(producer.trySend(new Float64Array([0.25]))).toBe(true);
      expect(consumer.tryReceive()).toEqual(new Float64Array([0.25]));
    } finally {
      close();
    }
  });

  it('gives room back once a call has read, so a consumer that then idles never holds up the producer', async () => {
    const consumer = ShmChannel.create(testName('room'), { ringBytes: 4096 });
    const producer = ShmChannel.open(consumer.name);
    const message = (value: number) => bytes(value, 1, 2, 3, 4, 5, 6, 7);
    try {
      let sent = 0;
      while (producer.trySend(message(sent & 255))) sent++;
      expect(sent).toBeGreaterThan(100);
      expect(Array.from(consumer.tryReceive() as Uint8Array)).toEqual(Array.from(message(0)));
      await new Promise((resolve) => setImmediate(resolve)); // the consumer's event loop turns
      expect(producer.trySend(message(9))).toBe(true);
      expect(producer.trySend(message(9))).toBe(false);
      // A producer already waiting for room gets it from the read that makes it.
      const waiting = producer.send(message(10), { timeoutMs: 10_000 });
      expect(await consumer.receiveMany({ max: 1 })).toHaveLength(1);
      await waiting;
      expect(producer.trySend(message(11))).toBe(false);
    } finally {
      producer.close();
      consumer.close();
    }
  });

  it('tryReceive throws ERR_CHANNEL_CLOSED once the producer closed and everything was read; trySend once the consumer closed', () => {
    const { producer, consumer, close } = pair('trycls');
    try {
      expect(producer.trySend(bytes(1))).toBe(true);
      producer.close();
      expect(consumer.tryReceive()).toEqual(bytes(1));
      expect(() => consumer.tryReceive()).toThrow(expect.objectContaining({ code: 'ERR_CHANNEL_CLOSED' }));
    } finally {
      close();
    }
    const other = pair('trycls2');
    try {
      expect(other.consumer.tryReceive()).toBeUndefined();
      other.consumer.close();
      expect(() => other.producer.trySend(bytes(1))).toThrow(expect.objectContaining({ code: 'ERR_CHANNEL_CLOSED' }));
    } finally {
      other.close();
    }
  });
});

describe('sendMany and receiveMany', () => {
  it('publishes a batch with one store of the tail and wakes a sleeping consumer once', async () => {
    const { producer, consumer, close } = pair('many', 1 << 16);
    try {
      const receiving = consumer.receiveMany({ timeoutMs: 5_000 });
      await new Promise((resolve) => setTimeout(resolve, 50)); // the consumer is asleep now
      const counts = countPublishes();
      const batch = Array.from({ length: 100 }, (_, k) => bytes(k, k + 1));
      await producer.sendMany(batch);
      expect(counts).toEqual({ tailStores: 1, wakes: 1 });
      expect(await receiving).toEqual(batch);
    } finally {
      close();
    }
  });

  it('takes everything there up to max, at least one, waiting like receive when there is none', async () => {
    const { producer, consumer, close } = pair('manymax');
    try {
      await producer.sendMany([bytes(1), new Int16Array([2, -2]), bytes(3), bytes(4), bytes(5)]);
      expect(await consumer.receiveMany({ max: 2 })).toEqual([bytes(1), new Int16Array([2, -2])]);
      expect(await consumer.receiveMany()).toEqual([bytes(3), bytes(4), bytes(5)]);
      await expect(consumer.receiveMany({ timeoutMs: 50 })).rejects.toMatchObject({ code: 'ERR_TIMEOUT' });
      const later = consumer.receiveMany({ max: Infinity, timeoutMs: 5_000 });
      await producer.send(bytes(6));
      expect(await later).toEqual([bytes(6)]);
      for (const bad of [0, -1, 1.5, Number.NaN]) await expect(consumer.receiveMany({ max: bad })).rejects.toThrow(/^options\.max must be a positive integer or Infinity/);
      await expect(producer.sendMany('x' as never)).rejects.toThrow(/^list must be an array/);
      await expect(producer.sendMany([bytes(1), 'x' as never])).rejects.toThrow(/^list\[1\] must be an ArrayBuffer, a typed array or a DataView/);
      expect(consumer.tryReceive()).toBeUndefined(); // a refused batch sent nothing
    } finally {
      close();
    }
  });

  it('streams a batch larger than the ring (messages chunked among whole ones) in order', async () => {
    const { producer, consumer, close } = pair('manybig');
    try {
      const batch = Array.from({ length: 300 }, (_, k) => new Uint8Array(k % 50 === 0 ? 9000 : 1 + (k % 200)).fill(k & 0xff));
      const sending = producer.sendMany(batch, { timeoutMs: 10_000 });
      const received: unknown[] = [];
      while (received.length < batch.length) received.push(...(await consumer.receiveMany({ max: 7, timeoutMs: 10_000 })));
      await sending;
      expect(received).toEqual(batch);
    } finally {
      close();
    }
  });
});

describe('receiving messages that are already there', () => {
  it('receive() settles without an event-loop turn', async () => {
    const { producer, consumer, close } = pair('ready');
    try {
      await producer.sendMany(Array.from({ length: 50 }, (_, k) => bytes(k)));
      expect(await loopTurnedDuring(async () => {
        for (let k = 0; k < 50; k++) expect(await consumer.receive()).toEqual(bytes(k));
      })).toBe(false);
    } finally {
      close();
    }
  });

  it('for await drains what is there before it waits, and ends when the producer closes', async () => {
    const { producer, consumer, close } = pair('iter');
    try {
      await producer.sendMany(Array.from({ length: 50 }, (_, k) => bytes(k)));
      const seen: unknown[] = [];
      expect(await loopTurnedDuring(async () => {
        for await (const message of consumer) {
          seen.push(message);
          if (seen.length === 50) break;
        }
      })).toBe(false);
      setTimeout(() => void producer.send(bytes(50)).then(() => producer.close()), 20);
      for await (const message of consumer) seen.push(message);
      expect(seen).toEqual(Array.from({ length: 51 }, (_, k) => bytes(k)));
      const error = await rejection(consumer.receive());
      expect(error).toBeInstanceOf(IpcError);
      expect(error).toMatchObject({ code: 'ERR_CHANNEL_CLOSED' });
    } finally {
      close();
    }
  });
});
