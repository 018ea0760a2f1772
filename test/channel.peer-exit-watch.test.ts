// A side that waits long sleeps in growing slices (up to 2 s), and its event loop watches the peer's
// process through a pidfd instead: a peer killed seconds into an idle wait is noticed at once, not at
// the end of the slice, and the watch ends with the channel.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

import { afterEach, describe, expect, it } from 'vitest';

import { IpcError, ShmChannel } from '../src/index.js';
import { testName } from './support/names.js';
import { startVictim, waitUntilDead, type Victim } from './support/victims.js';

/** Long enough for the slices to reach 2 s (0.25 + 0.5 + 1 + 2 s), so the kill lands mid-slice. */
const IDLE_MS = 4000;
/** Far below the 1.75 s left of the slice the kill lands in; far above an event-loop wake-up. */
const NOTICED_WITHIN_MS = 1000;

/** The pids this process watches through pidfds (/proc/self/fdinfo says each one's Pid). */
function watchedPids(): number[] {
  const pids: number[] = [];
  for (const fd of readdirSync('/proc/self/fd')) {
    let target: string;
    let info: string;
    try {
      target = readlinkSync(`/proc/self/fd/${fd}`);
      info = readFileSync(`/proc/self/fdinfo/${fd}`, 'latin1');
    } catch {
      continue; // closed meanwhile (readdir's own descriptor among them)
    }
    const pid = /^Pid:\s+(-?\d+)$/m.exec(info);
    if (target === 'anon_inode:[pidfd]' && pid) pids.push(Number(pid[1]));
  }
  return pids;
}

let victim: Victim | undefined;
afterEach(async () => {
  await victim?.dispose();
  victim = undefined;
});

/** Opens a channel to a producer that sent one message and then holds its role; returns the wait for a second. */
async function idleConsumer(name: string, channel: ShmChannel): Promise<{ victim: Victim; pending: Promise<unknown> }> {
  const started = await startVictim('channel-victim.mjs', [name, 'open', 'stalled-producer']);
  victim = started;
  expect(await channel.receive()).toEqual(new Uint8Array([1]));
  const pending = channel.receive().then(
    () => undefined,
    (error: unknown) => error,
  );
  return { victim: started, pending };
}

describe('an idle wait watches its peer', () => {
  it('notices a producer killed seconds into the wait at once', async () => {
    const name = testName('exitwch');
    const channel = ShmChannel.create(name);
    try {
      const { victim: producer, pending } = await idleConsumer(name, channel);
      await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
      expect(watchedPids()).toContain(producer.pid);

      producer.kill();
      const killedAt = performance.now();
      const error = await pending;
      const ms = performance.now() - killedAt;
      expect(error).toBeInstanceOf(IpcError);
      expect(error).toMatchObject({ code: 'ERR_PEER_GONE' });
      expect((error as Error).message).toContain(`pid ${producer.pid}`);
      expect(ms, `ERR_PEER_GONE came ${ms.toFixed(0)} ms after the kill`).toBeLessThan(NOTICED_WITHIN_MS);
      await waitUntilDead(producer.pid);
    } finally {
      channel.close();
    }
  }, 30_000);

  it('stops watching a live peer when the channel closes', async () => {
    const name = testName('exitwch');
    const channel = ShmChannel.create(name);
    try {
      const { victim: producer, pending } = await idleConsumer(name, channel);
      const deadline = performance.now() + 10_000;
      while (!watchedPids().includes(producer.pid)) {
        expect(performance.now(), 'the wait watches its peer once past its first slice').toBeLessThan(deadline);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      channel.close();
      expect(await pending).toMatchObject({ code: 'ERR_CLOSED' });
      expect(watchedPids()).not.toContain(producer.pid);
    } finally {
      channel.close();
    }
  }, 30_000);
});
