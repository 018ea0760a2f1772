// SIGKILL one side of a channel (mid-transfer of 10^7 int32, holding its role with the ring full or
// empty, or before it ever received), reaped or left a zombie: the survivor's pending operation
// rejects with ERR_PEER_GONE within 2 s, and `ipclab clean` then removes the channel the dead side made. IPCLAB_KILL_ROUNDS sets the rounds
// per case (default 2 reaped and 1 zombie; the full count is 10).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { IpcError, ShmChannel } from '../src/index.js';
import { testName } from './support/names.js';
import { startVictim, waitUntilDead, type Victim } from './support/victims.js';

const ELEMENTS = 10_000_000;
const PEER_GONE_WITHIN_MS = 2000;
const fullRounds = Number(process.env.IPCLAB_KILL_ROUNDS ?? 0);
const rounds = (zombie: boolean) => (fullRounds > 0 ? fullRounds : zombie ? 1 : 2);
const cli = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.js');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function payload(): Int32Array {
  const values = new Int32Array(ELEMENTS);
  for (let i = 0; i < ELEMENTS; i++) values[i] = i;
  return values;
}

function expectEveryElement(received: unknown): void {
  expect(received).toBeInstanceOf(Int32Array);
  const values = received as Int32Array;
  expect(values.length).toBe(ELEMENTS);
  let wrong = -1;
  for (let i = 0; i < ELEMENTS && wrong < 0; i++) if (values[i] !== i) wrong = i;
  expect(wrong).toBe(-1);
}

/**
 * Runs `operation` over and over, killing the victim right after the first one resolves (so the
 * second runs into a transfer the victim was in the middle of); returns how the survivor failed
 * and how long after the kill.
 */
async function killDuring(victim: Victim, zombie: boolean, operation: () => Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  let killedAt = 0;
  const error = await (async () => {
    for (;;) {
      await operation();
      if (killedAt === 0) {
        victim.kill();
        killedAt = performance.now();
      }
    }
  })().catch((failure: unknown) => failure);
  const ms = performance.now() - killedAt;
  const state = await waitUntilDead(victim.pid);
  if (zombie) expect(state).toBe('Z');
  return { error, ms };
}

/** Kills the victim while `pending` waits on it; returns how `pending` failed and how long after the kill. */
async function killWhile(victim: Victim, zombie: boolean, pending: Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  await sleep(50);
  victim.kill();
  const killedAt = performance.now();
  const error = await pending.then(() => undefined, (failure: unknown) => failure);
  const ms = performance.now() - killedAt;
  const state = await waitUntilDead(victim.pid);
  if (zombie) expect(state).toBe('Z');
  return { error, ms };
}

function expectPeerGone({ error, ms }: { error: unknown; ms: number }, victim: Victim): void {
  expect(error).toBeInstanceOf(IpcError);
  expect(error).toMatchObject({ code: 'ERR_PEER_GONE' });
  expect((error as Error).message).toContain(`pid ${victim.pid}`);
  expect(ms).toBeLessThan(PEER_GONE_WITHIN_MS);
}

/** Runs `ipclab clean` as a process and checks that none of `names` is left in /dev/shm. */
async function cleanLeavesNothing(names: string[]): Promise<void> {
  const code = await new Promise<number | null>((resolve) => execFile(process.execPath, [cli, 'clean'], (error) => resolve(error ? 1 : 0)));
  expect(code).toBe(0);
  expect(names.filter((name) => existsSync(`/dev/shm${name}`))).toEqual([]);
}

describe.each([false, true])('a channel side killed by SIGKILL (zombie: %s)', (zombie) => {
  it('producer killed mid-transfer of 10^7 int32: the consumer rejects with ERR_PEER_GONE', async () => {
    const names: string[] = [];
    for (let round = 0; round < rounds(zombie); round++) {
      const name = testName('killprod');
      names.push(name);
      const victim = await startVictim('channel-victim.mjs', [name, 'create', 'producer'], { zombie });
      const consumer = ShmChannel.open(name);
      try {
        const outcome = await killDuring(victim, zombie, async () => expectEveryElement(await consumer.receive()));
        expectPeerGone(outcome, victim);
      } finally {
        consumer.close();
        await victim.dispose();
      }
    }
    await cleanLeavesNothing(names);
  });

  it('consumer killed mid-transfer of 10^7 int32: the producer rejects with ERR_PEER_GONE', async () => {
    const names: string[] = [];
    const values = payload();
    for (let round = 0; round < rounds(zombie); round++) {
      const name = testName('killcons');
      names.push(name);
      const victim = await startVictim('channel-victim.mjs', [name, 'create', 'consumer'], { zombie });
      const producer = ShmChannel.open(name);
      try {
        expectPeerGone(await killDuring(victim, zombie, () => producer.send(values)), victim);
      } finally {
        producer.close();
        await victim.dispose();
      }
    }
    await cleanLeavesNothing(names);
  });

  it.each(['create', 'open'])('a side that did %s the channel and died before its first receive: the producer rejects', async (how) => {
    const name = testName(`i-${how}`);
    const created = how === 'open' ? ShmChannel.create(name, { ringBytes: 1 << 22 }) : undefined;
    const victim = await startVictim('channel-victim.mjs', [name, how, 'idle'], { zombie });
    const producer = created ?? ShmChannel.open(name);
    try {
      expectPeerGone(await killWhile(victim, zombie, producer.send(payload())), victim);
    } finally {
      producer.close();
      await victim.dispose();
    }
    await cleanLeavesNothing([name]);
  });

  it('a consumer that holds its role and stopped reading died: the producer waiting on a full ring rejects', async () => {
    const name = testName('killfull');
    const victim = await startVictim('channel-victim.mjs', [name, 'create', 'stalled-consumer'], { zombie });
    const producer = ShmChannel.open(name);
    try {
      // The victim receives this one message, then reads no more; the next sends fill the ring.
      await producer.send(new Uint8Array([1]));
      const full = new Uint8Array((1 << 21) - 8);
      while (producer.trySend(full));
      expectPeerGone(await killWhile(victim, zombie, producer.send(full)), victim);
    } finally {
      producer.close();
      await victim.dispose();
    }
    await cleanLeavesNothing([name]);
  });

  it('a producer that holds its role died: the consumer waiting on an empty ring rejects', async () => {
    const name = testName('killempt');
    const consumer = ShmChannel.create(name);
    const victim = await startVictim('channel-victim.mjs', [name, 'open', 'stalled-producer'], { zombie });
    try {
      expect(await consumer.receive({ timeoutMs: 5_000 })).toEqual(new Uint8Array([1]));
      expectPeerGone(await killWhile(victim, zombie, consumer.receive()), victim);
    } finally {
      consumer.close();
      await victim.dispose();
    }
  });

  it('the creator died before anyone sent: a waiting consumer rejects', async () => {
    const name = testName('idle-cr');
    const victim = await startVictim('channel-victim.mjs', [name, 'create', 'idle'], { zombie });
    const consumer = ShmChannel.open(name);
    try {
      expectPeerGone(await killWhile(victim, zombie, consumer.receive()), victim);
    } finally {
      consumer.close();
      await victim.dispose();
    }
    await cleanLeavesNothing([name]);
  });
});
