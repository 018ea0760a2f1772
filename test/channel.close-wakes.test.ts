// Closing one side wakes the other side's pending wait at once, in another process: a consumer
// asleep on an empty ring and a producer asleep on a full ring end with ERR_CHANNEL_CLOSED well
// before the 250 ms slice after which a sleeper would look by itself. A handle closed in the same
// process ends its own pending waits with ERR_CLOSED.
import { createInterface } from 'node:readline';
import type { ChildProcess } from 'node:child_process';

import { describe, expect, it } from 'vitest';

import { ShmChannel } from '../src/index.js';
import { rejection } from './support/errors.js';
import { testName } from './support/names.js';
import { finished, startFixture } from './support/processes.js';

/** Far below the sleeper's 250 ms slice, and far above a wake-up (tens of µs), for a loaded machine. */
const AT_ONCE_MS = 100;
const ROUNDS = 5;

function lines(child: ChildProcess): AsyncIterator<string> {
  return createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
}

/** Starts the fixture, waits for its "ready" and a moment of sleep, closes `channel`, returns how long the child took to notice (ms). */
async function closeAndTime(channel: ShmChannel, what: 'receive' | 'fill'): Promise<{ ms: number; code: string }> {
  const child = startFixture('channel-side.mjs', [what, channel.name]);
  const exit = finished(child);
  const output = lines(child);
  expect((await output.next()).value).toBe('ready');
  await new Promise((resolve) => setTimeout(resolve, 30 + Math.random() * 300)); // anywhere in a slice
  const closedAt = process.hrtime.bigint();
  channel.close();
  const [, code, ns] = ((await output.next()).value as string).split(' ');
  expect(await exit).toMatchObject({ code: 0, stderr: '' });
  return { ms: Number(BigInt(ns!) - closedAt) / 1e6, code: code! };
}

describe('closing a channel wakes the other side at once', () => {
  it(`a consumer asleep on an empty ring (${ROUNDS} rounds)`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const producer = ShmChannel.create(testName('wakecons'));
      await producer.send(new Uint8Array(1)); // claims the producer role
      const { ms, code } = await closeAndTime(producer, 'receive');
      expect(code).toBe('ERR_CHANNEL_CLOSED');
      expect(ms).toBeLessThan(AT_ONCE_MS);
    }
  });

  it(`a producer asleep on a full ring (${ROUNDS} rounds)`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const consumer = ShmChannel.create(testName('wakeprod'), { ringBytes: 8192 });
      expect(consumer.tryReceive()).toBeUndefined(); // claims the consumer role
      const { ms, code } = await closeAndTime(consumer, 'fill');
      expect(code).toBe('ERR_CHANNEL_CLOSED');
      expect(ms).toBeLessThan(AT_ONCE_MS);
    }
  });

  it('a handle closed in this process ends its own pending receive with ERR_CLOSED at once', async () => {
    const channel = ShmChannel.create(testName('wakeself'));
    const pending = channel.receive();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = performance.now();
    channel.close();
    expect(await rejection(pending)).toMatchObject({ code: 'ERR_CLOSED', message: `channel "${channel.name}" was closed while waiting for data` });
    expect(performance.now() - started).toBeLessThan(AT_ONCE_MS);
  });
});
