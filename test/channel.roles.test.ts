// Roles belong to a channel handle, not to a process: a second producer or consumer is refused
// whether it is another handle in the same process or a worker thread, so no message is lost.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

import { describe, expect, it } from 'vitest';

import { IpcError, ShmChannel } from '../src/index.js';
import { rejection } from './support/errors.js';
import { testName } from './support/names.js';
import { startVictim, waitUntilDead } from './support/victims.js';

const claimRole = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'channel-claim-role.mjs');

function inWorker(name: string, role: 'producer' | 'consumer'): Promise<{ ok: boolean; className?: string; code?: string; message?: string }> {
  const worker = new Worker(claimRole, { workerData: { name, role } });
  return new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

describe('ShmChannel roles', () => {
  it('refuses a second producer handle in the same process, and every message of the first arrives', async () => {
    const consumer = ShmChannel.create(testName('two-prod'), { ringBytes: 4096 });
    const first = ShmChannel.open(consumer.name);
    const second = ShmChannel.open(consumer.name);
    try {
      await first.send(new Uint8Array([1]));
      const error = await rejection(second.send(new Uint8Array([2])));
      expect(error).toBeInstanceOf(IpcError);
      expect(error).toMatchObject({
        code: 'ERR_WRONG_STATE',
        message: `channel "${consumer.name}" already has a producer: another handle in this process (or one of its worker threads); a channel has one producer and one consumer`,
      });
      const sent = [3, 4, 5, 6, 7, 8];
      const receiving = (async () => {
        const got: number[] = [];
        for (let i = 0; i < sent.length + 1; i++) got.push(...(await consumer.receive<Uint8Array>({ timeoutMs: 5000 })));
        return got;
      })();
      for (const value of sent) await first.send(new Uint8Array([value]));
      expect(await receiving).toEqual([1, ...sent]);
    } finally {
      for (const channel of [first, second, consumer]) channel.close();
    }
  });

  it('refuses a second consumer handle in the same process', async () => {
    const producer = ShmChannel.create(testName('two-cons'), { ringBytes: 4096 });
    const first = ShmChannel.open(producer.name);
    const second = ShmChannel.open(producer.name);
    try {
      const receiving = first.receive<Uint8Array>({ timeoutMs: 5000 });
      const error = await rejection(second.receive({ timeoutMs: 100 }));
      expect(error).toBeInstanceOf(IpcError);
      expect(error).toMatchObject({ code: 'ERR_WRONG_STATE' });
      expect((error as Error).message).toContain('already has a consumer');
      await producer.send(new Uint8Array([9]));
      expect([...(await receiving)]).toEqual([9]);
    } finally {
      for (const channel of [first, second, producer]) channel.close();
    }
  });

  it.each(['producer', 'consumer'] as const)('refuses a second %s in a worker thread of the same process', async (role) => {
    const channel = ShmChannel.create(testName(`w-${role.slice(0, 4)}`), { ringBytes: 4096 });
    const peer = ShmChannel.open(channel.name);
    try {
      const holding = role === 'producer' ? channel.send(new Uint8Array([1])) : channel.receive({ timeoutMs: 5000 });
      const result = await inWorker(channel.name, role);
      expect(result).toMatchObject({ ok: false, className: 'IpcError', code: 'ERR_WRONG_STATE' });
      expect(result.message).toContain(`already has a ${role}: another handle in this process (or one of its worker threads)`);
      if (role === 'producer') expect([...(await peer.receive<Uint8Array>({ timeoutMs: 5000 }))]).toEqual([1]);
      else await peer.send(new Uint8Array([2]));
      await holding;
    } finally {
      channel.close();
      peer.close();
    }
  });

  it('lets a producer take the role over from one that died, and the stream goes on in order', async () => {
    const consumer = ShmChannel.create(testName('takeover'), { ringBytes: 4096 });
    const victim = await startVictim('channel-victim.mjs', [consumer.name, 'open', 'stalled-producer']);
    try {
      victim.kill();
      await waitUntilDead(victim.pid);
      const second = ShmChannel.open(consumer.name);
      try {
        await second.send(new Uint8Array([2]));
        await second.send(new Uint8Array([3]));
      } finally {
        second.close();
      }
      const received = [];
      for (let k = 0; k < 3; k++) received.push(Array.from(await consumer.receive<Uint8Array>({ timeoutMs: 10_000 })));
      expect(received).toEqual([[1], [2], [3]]);
    } finally {
      await victim.dispose();
      consumer.close();
    }
  });

  it('refuses to hand over a role that its holder closed: the stream has ended', async () => {
    const consumer = ShmChannel.create(testName('clsrole'), { ringBytes: 4096 });
    const first = ShmChannel.open(consumer.name);
    try {
      await first.send(new Uint8Array([1]));
      first.close();
      const second = ShmChannel.open(consumer.name);
      try {
        const error = await rejection(second.send(new Uint8Array([2])));
        expect(error).toBeInstanceOf(IpcError);
        expect((error as IpcError).code).toBe('ERR_CHANNEL_CLOSED');
        expect((error as IpcError).message).toContain('cannot be taken over');
      } finally {
        second.close();
      }
      expect(Array.from(await consumer.receive<Uint8Array>())).toEqual([1]);
    } finally {
      consumer.close();
    }
  });
});
