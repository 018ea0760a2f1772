// send() without await, then close() without await, in a real producer process: close() lets the
// pending sends finish first, so every message arrives; when they cannot all be sent (close gave
// up, or the process exited at once) the consumer's `for await` throws ERR_MESSAGES_LOST with the
// number lost, after every message before them arrived intact: never a quiet, short stream.
import { describe, expect, it } from 'vitest';

import { IpcError, ShmChannel } from '../src/index.js';
import { testName } from './support/names.js';
import { finished, startFixture } from './support/processes.js';

/** A ring that holds 8 of the 8000-byte messages: most of the 40 sends are still pending at close. */
const RING_BYTES = 65536;
const COUNT = 40;
const BYTES = 8000;

/**
 * Runs the careless producer with `ending`; returns the messages received (each checked) and how
 * the stream ended. An ending that gives sends up is read only once the producer has exited, so
 * that the ring (8 messages) holds everything that got through and the rest is surely lost.
 */
async function consume(ending: string, count = COUNT, bytes = BYTES): Promise<{ received: number; error: IpcError | undefined; stdout: string }> {
  const consumer = ShmChannel.create(testName('careless'), { ringBytes: RING_BYTES });
  try {
    expect(consumer.tryReceive()).toBeUndefined(); // claims the consumer role before the producer starts
    const child = startFixture('channel-careless.mjs', ['sends', consumer.name, String(count), String(bytes), ending]);
    const exit = finished(child);
    if (ending !== 'close') await exit;
    let received = 0;
    let error: IpcError | undefined;
    try {
      for await (const message of consumer) {
        const view = message as Uint8Array;
        expect(view.length).toBe(bytes);
        const k = received;
        expect(view.every((byte, i) => byte === ((7 * k + i) & 255)), `message ${k} intact`).toBe(true);
        received++;
      }
    } catch (caught) {
      error = caught as IpcError;
    }
    const { code, stderr, stdout } = await exit;
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    return { received, error, stdout };
  } finally {
    await consumer.close();
  }
}

describe('send() without await, then close()', () => {
  it('close() without await lets every pending send finish: all 40 messages arrive, then a clean end', async () => {
    const { received, error } = await consume('close');
    expect(error).toBeUndefined();
    expect(received).toBe(COUNT);
  });

  it('chunked messages (4x the ring) pending at close() all arrive too', async () => {
    const { received, error } = await consume('close', 5, RING_BYTES * 4);
    expect(error).toBeUndefined();
    expect(received).toBe(5);
  });

  it('close({ timeoutMs: 0 }) gives the pending sends up: the producer is told which, the consumer how many', async () => {
    const { received, error, stdout } = await consume('give-up');
    expect(received).toBe(Math.floor(RING_BYTES / (BYTES + 8)));
    expect(error).toBeInstanceOf(IpcError);
    expect(error!.code).toBe('ERR_MESSAGES_LOST');
    const lost = COUNT - received;
    expect(error!.message).toContain(`with ${lost} sends it never wrote`);
    const told = JSON.parse(stdout) as { code: string; message: string };
    expect(told.code).toBe('ERR_MESSAGES_LOST');
    expect(told.message).toContain(`closed with ${lost} sends lost`);
    expect(told.message).toContain(`send() of message ${received + 1} (${BYTES} bytes)`);
    expect(told.message).toContain(`send() of message ${COUNT} (${BYTES} bytes)`);
  });

  it('process.exit() with sends pending: the exit hook closes the channel, and the consumer hears how many were lost', async () => {
    const { received, error } = await consume('exit');
    expect(received).toBe(Math.floor(RING_BYTES / (BYTES + 8)));
    expect(error?.code).toBe('ERR_MESSAGES_LOST');
    expect(error!.message).toContain(`with ${COUNT - received} sends it never wrote`);
  });
});

describe('close() in the same process', () => {
  it('refuses sends made after it, and resolves once the pending ones are in the ring', async () => {
    const consumer = ShmChannel.create(testName('clsself'), { ringBytes: 4096 });
    const producer = ShmChannel.open(consumer.name);
    try {
      const sends = [1, 2, 3].map((k) => producer.send(new Uint8Array(1500).fill(k)));
      const closing = producer.close();
      expect(producer.closed).toBe(true);
      await expect(producer.send(new Uint8Array(1))).rejects.toMatchObject({ code: 'ERR_CLOSED', message: expect.stringContaining('close() was called') });
      const got: number[] = [];
      for await (const message of consumer) got.push((message as Uint8Array)[0]!);
      await closing;
      await Promise.all(sends);
      expect(got).toEqual([1, 2, 3]);
    } finally {
      await producer.close();
      await consumer.close();
    }
  });

  it('a reserve() never committed before close(): close() rejects naming it, and the consumer gets ERR_MESSAGES_LOST', async () => {
    const consumer = ShmChannel.create(testName('closeres'));
    const producer = ShmChannel.open(consumer.name);
    await producer.send(new Uint8Array(4));
    await producer.reserve(16);
    await expect(producer.close()).rejects.toMatchObject({ code: 'ERR_MESSAGES_LOST', message: expect.stringContaining('never commit()ed') });
    expect(await consumer.receive()).toEqual(new Uint8Array(4));
    await expect(consumer.receive()).rejects.toMatchObject({ code: 'ERR_MESSAGES_LOST', message: expect.stringContaining('1 send it never wrote') });
    await consumer.close();
  });
});
