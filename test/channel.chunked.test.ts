// Messages larger than a record stream through the ring in chunks: 10^7 int32 between processes,
// every element checked, through rings of several sizes; a producer that stops in the middle of
// a message leaves the consumer an ERR_PEER_GONE saying how much of it arrived.
import { describe, expect, it } from 'vitest';

import { IpcError, ShmChannel } from '../src/index.js';
import { rejection } from './support/errors.js';
import { testName } from './support/names.js';
import { finished, startFixture } from './support/processes.js';

const ELEMENTS = 10_000_000;

describe('chunked messages', () => {
  it.each([4096, 1 << 16, 1 << 22])('carries 10^7 int32 across processes through a ring of %i bytes, every element intact', async (ringBytes) => {
    const channel = ShmChannel.create(testName(`big${Math.log2(ringBytes)}`), { ringBytes });
    try {
      const exit = finished(startFixture('channel-side.mjs', ['send-int32', channel.name, String(ELEMENTS)]));
      const received = await channel.receive<Int32Array>({ timeoutMs: 60_000 });
      expect(received).toBeInstanceOf(Int32Array);
      expect(received.length).toBe(ELEMENTS);
      let wrong = -1;
      for (let i = 0; i < ELEMENTS && wrong < 0; i++) if (received[i] !== i) wrong = i;
      expect(wrong).toBe(-1);
      expect(await exit).toMatchObject({ code: 0, stderr: '' });
      await expect(channel.receive({ timeoutMs: 5_000 })).rejects.toMatchObject({ code: 'ERR_CHANNEL_CLOSED' });
    } finally {
      channel.close();
    }
  }, 120_000);

  it('a producer that closes in the middle of a message leaves the consumer ERR_PEER_GONE with how much arrived', async () => {
    const producer = ShmChannel.create(testName('cut'), { ringBytes: 4096 });
    const consumer = ShmChannel.open(producer.name);
    try {
      const message = new Uint8Array(10_000);
      await expect(producer.send(message, { timeoutMs: 100 })).rejects.toMatchObject({ code: 'ERR_TIMEOUT' });
      // The stream is cut: this side cannot send again, and says why.
      await expect(producer.send(new Uint8Array(1))).rejects.toMatchObject({
        code: 'ERR_WRONG_STATE',
        message: `an earlier send() stopped in the middle of a message (channel "${producer.name}")`,
      });
      producer.close();
      const error = await rejection(consumer.receive({ timeoutMs: 5_000 }));
      expect(error).toBeInstanceOf(IpcError);
      expect(error).toMatchObject({ code: 'ERR_PEER_GONE' });
      expect((error as Error).message).toMatch(
        new RegExp(`^channel "${producer.name}" ended in the middle of a message: \\d+ of its 10000 bytes arrived \\(the producer closed channel "${producer.name}"\\)$`),
      );
    } finally {
      producer.close();
      consumer.close();
    }
  });

  it('a send that timed out before it wrote anything leaves the channel usable', async () => {
    const producer = ShmChannel.create(testName('notcut'), { ringBytes: 4096 });
    const consumer = ShmChannel.open(producer.name);
    try {
      await producer.sendMany([new Uint8Array(2040), new Uint8Array(2040)]); // full
      await expect(producer.send(new Uint8Array(10_000), { timeoutMs: 50 })).rejects.toMatchObject({ code: 'ERR_TIMEOUT' });
      const sending = producer.send(new Uint8Array(10_000).fill(3));
      expect((await consumer.receiveMany({ max: 2 })).length).toBe(2);
      expect(await consumer.receive()).toEqual(new Uint8Array(10_000).fill(3));
      await sending;
    } finally {
      producer.close();
      consumer.close();
    }
  });
});
