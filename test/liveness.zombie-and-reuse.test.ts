// A zombie (killed, not yet reaped) is dead although kill(pid, 0) still succeeds on it, and a pid
// recorded with its process start time stops counting as alive once another process reuses it.
import { describe, expect, it } from 'vitest';

import { layout } from '../src/channel/layout.js';
import { IpcError, SharedMemory, ShmChannel } from '../src/index.js';
import { isProcessAlive, ownStartTime } from '../src/liveness.js';
import { rejection } from './support/errors.js';
import { testName } from './support/names.js';
import { startVictim, waitUntilDead } from './support/victims.js';

describe('process liveness', () => {
  it('counts a zombie as dead', async () => {
    const name = testName('zombie');
    const victim = await startVictim('channel-victim.mjs', [name, 'create', 'idle'], { zombie: true });
    try {
      expect(isProcessAlive(victim.pid)).toBe(true);
      victim.kill();
      expect(await waitUntilDead(victim.pid)).toBe('Z');
      expect(() => process.kill(victim.pid, 0)).not.toThrow(); // what the old check relied on
      expect(isProcessAlive(victim.pid)).toBe(false);
    } finally {
      await victim.dispose();
      SharedMemory.unlink(name);
    }
  });

  it('tells a reused pid from the process recorded with it by its start time', () => {
    expect(ownStartTime).toBeGreaterThan(0n);
    expect(isProcessAlive(process.pid, ownStartTime)).toBe(true);
    expect(isProcessAlive(process.pid, ownStartTime - 1n)).toBe(false);
    expect(isProcessAlive(process.pid)).toBe(true);
  });

  it.each([0, -1, 2 ** 22 + 1, 1.5, Number.NaN])('counts pid %s as no process', (pid) => {
    expect(isProcessAlive(pid)).toBe(false);
  });

  it('a channel whose producer pid now belongs to another process rejects the consumer with ERR_PEER_GONE', async () => {
    const consumer = ShmChannel.create(testName('reused'), { ringBytes: 4096 });
    const raw = SharedMemory.open(consumer.name);
    try {
      // The trace a dead producer leaves once its pid has been given to this very process:
      // this pid, an earlier start time, the producer bit, in a free entry of the handle table.
      const entry = layout.handleTableOffset + (layout.maxHandles - 1) * layout.handleEntrySize;
      const words = new Int32Array(raw.buffer, entry, 2);
      new BigInt64Array(raw.buffer, entry + layout.handleStartTimeOffset, 1)[0] = ownStartTime - 1n;
      words[layout.handleFlagsOffset / 4] = layout.handleProducer;
      words[layout.handlePidOffset / 4] = process.pid;
      const error = await rejection(consumer.receive({ timeoutMs: 5000 }));
      expect(error).toBeInstanceOf(IpcError);
      expect(error).toMatchObject({ code: 'ERR_PEER_GONE' });
      expect((error as Error).message).toContain(`(pid ${process.pid}) has exited`);
    } finally {
      raw.close();
      consumer.close();
    }
  });
});
