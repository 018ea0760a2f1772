// Where a missing await is the likely cause of an error, the error says so.
import { describe, expect, it } from 'vitest';

import { ShmChannel } from '../src/index.js';
import { rejection } from './support/errors.js';
import { testName } from './support/names.js';

describe('hints for a missing await', () => {
  it('commit() after a reserve() that has not resolved (the ring is full) says the reserve is still pending', async () => {
    const consumer = ShmChannel.create(testName('hintres'), { ringBytes: 4096 });
    const producer = ShmChannel.open(consumer.name);
    try {
      await producer.send(new Uint8Array(2040));
      await producer.send(new Uint8Array(2040)); // full: the next reserve() waits
      const reserving = producer.reserve(100);
      expect(() => producer.commit()).toThrow(/commit\(\) needs a reserve\(\) first, and the reserve\(\) called before it has not resolved yet \(a missing await\?\)/);
      const closing = rejection(producer.close({ timeoutMs: 0 }));
      expect(await rejection(reserving)).toMatchObject({ code: 'ERR_MESSAGES_LOST' });
      expect(await closing).toMatchObject({ code: 'ERR_MESSAGES_LOST' });
    } finally {
      await consumer.close();
    }
  });

  it('commit() with no reserve() at all shows the order of the calls', async () => {
    const channel = ShmChannel.create(testName('hintnone'));
    try {
      await channel.send(new Uint8Array(1));
      expect(() => channel.commit()).toThrow(/commit\(\) needs a reserve\(\) first: `const view = await channel.reserve\(n\)`, fill view, then commit\(\)/);
    } finally {
      await channel.close();
    }
  });

  it('release() while receiveInPlace() still waits says so', async () => {
    const consumer = ShmChannel.create(testName('hintrel'));
    try {
      const viewing = consumer.receiveInPlace();
      expect(() => consumer.release()).toThrow(/release\(\) needs a receiveInPlace\(\) first, and the one called before it has not resolved yet \(a missing await\?\)/);
      await consumer.close();
      expect(await rejection(viewing)).toMatchObject({ code: 'ERR_CLOSED' });
    } finally {
      await consumer.close();
    }
  });

  it('a Promise given where data belongs is named as one', async () => {
    const channel = ShmChannel.create(testName('hintprom'));
    try {
      const data = Promise.resolve(new Uint8Array(4));
      await expect(channel.send(data as never)).rejects.toThrow(/got a Promise \(a missing await\?\)/);
    } finally {
      await channel.close();
    }
  });
});
