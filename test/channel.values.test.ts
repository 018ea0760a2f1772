// sendValue between two processes over a real ShmChannel: every value arrives as v8.deserialize
// would give it, those the JavaScript value writer handles and those it leaves to V8 (Map, Set,
// Date, cycles, shared objects, sparse arrays, class instances, deep and large values) alike, in
// whole records from the ring and in chunks larger than a record.
import { isDeepStrictEqual } from 'node:util';
import { deserialize, serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';

import { ShmChannel } from '../src/index.js';
import { testName } from './support/names.js';
import { finished, startFixture } from './support/processes.js';
import { same } from './support/values.js';
// @ts-expect-error: a plain .mjs fixture shared with the sending process
import { valueCases } from './fixtures/value-cases.mjs';

describe('sendValue between processes', () => {
  it('delivers every value as v8.deserialize gives it, the fast kinds and the fallback ones', async () => {
    const { fast, fallback } = valueCases() as { fast: unknown[]; fallback: [string, unknown][] };
    // 64 KiB: the value over 64 KiB goes through in chunks, the rest in whole records.
    const channel = ShmChannel.create(testName('values'), { ringBytes: 64 * 1024 });
    try {
      const exit = finished(startFixture('channel-values.mjs', [channel.name]));
      for (const sent of fast) {
        const received = await channel.receive({ timeoutMs: 10_000 });
        expect(same(received, deserialize(serialize(sent))), String(sent)).toBe(true);
      }
      const received = new Map<string, unknown>();
      for (const [why, sent] of fallback) {
        received.set(why, await channel.receive({ timeoutMs: 10_000 }));
        expect(isDeepStrictEqual(received.get(why), deserialize(serialize(sent))), why).toBe(true);
      }
      const cycle = received.get('a cycle') as { self: unknown };
      expect(cycle.self).toBe(cycle);
      const twice = received.get('an object met twice') as { first: unknown; second: unknown };
      expect(twice.first).toBe(twice.second);
      expect(received.get('a Map')).toBeInstanceOf(Map);
      expect(received.get('a Date')).toBeInstanceOf(Date);
      expect(Object.getPrototypeOf(received.get('a class instance'))).toBe(Object.prototype);
      expect(1 in (received.get('a holey array') as unknown[])).toBe(false);
      await expect(channel.receive({ timeoutMs: 5_000 })).rejects.toMatchObject({ code: 'ERR_CHANNEL_CLOSED' });
      const result = await exit;
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
    } finally {
      channel.close();
    }
  });

  it('keeps a value sent while the ring is full intact when later values are written', async () => {
    const producer = ShmChannel.create(testName('valwait'), { ringBytes: 4096 });
    const consumer = ShmChannel.open(producer.name);
    try {
      // The writer's scratch is reused by each call: a value that must wait for room is copied first.
      const values = Array.from({ length: 40 }, (_, i) => ({ i, text: 'v'.repeat(200 + i), bytes: new Uint8Array(64).fill(i) }));
      const sending = values.map((value) => producer.sendValue(value));
      for (const value of values) expect(same(await consumer.receive({ timeoutMs: 10_000 }), value)).toBe(true);
      await Promise.all(sending);
    } finally {
      producer.close();
      consumer.close();
    }
  });
});
