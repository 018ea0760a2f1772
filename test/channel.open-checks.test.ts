// ShmChannel.open refuses what is not a version 3 channel, in the protocol's order, with
// ERR_BAD_CHANNEL and a sentence naming the problem: too small, no magic, another layout version
// (a version 2 header written by hand), a ring size that is not one or does not fit.
import { describe, expect, it } from 'vitest';

import { layout } from '../src/channel/layout.js';
import { IpcError, SharedMemory, ShmChannel } from '../src/index.js';
import { thrown } from './support/errors.js';
import { testName } from './support/names.js';

/** A segment of `size` bytes with the given header words (offset -> u32), the magic written last. */
function segmentWith(tag: string, size: number, words: Record<number, number>): SharedMemory {
  const segment = SharedMemory.create(testName(tag), size);
  const view = new DataView(segment.buffer);
  for (const [offset, value] of Object.entries(words)) view.setUint32(Number(offset), value, true);
  return segment;
}

function openError(segment: SharedMemory): IpcError {
  const error = thrown(() => ShmChannel.open(segment.name).close());
  expect(error).toBeInstanceOf(IpcError);
  expect(error).toMatchObject({ code: 'ERR_BAD_CHANNEL', name: segment.name });
  return error as IpcError;
}

const usable = (name: string, why: string) => `"${name}" is not a usable ipclab channel: ${why}`;

describe('ShmChannel.open checks what it opens', () => {
  it('says which layout version a channel of another version has (a version 2 header)', () => {
    // Version 2: the magic, version 2, then its slot count and slot size where v3 has other fields.
    const segment = segmentWith('v2', 4096 + 4 * 4096, { 0: layout.magic, 4: 2, 8: 4, 16: 4096 });
    try {
      expect(openError(segment).message).toBe(usable(segment.name, 'layout version 2, this ipclab reads version 3'));
    } finally {
      segment.close();
    }
  });

  it('refuses a segment smaller than a header, one without the magic, and one whose ring size is wrong or does not fit', () => {
    const cases: Array<[string, number, Record<number, number>, string]> = [
      ['small', 100, {}, 'it is 100 bytes, smaller than a channel header (4096)'],
      ['nomagic', 8192, { 4: 3, 8: 4096 }, 'no channel magic (not a channel, or its creator has not finished initialising it)'],
      ['notpow2', 8192 + 4096, { 0: layout.magic, 4: 3, 8: 6000 }, "its header says the ring is 6000 bytes; expected a power of two from 4096 to 2^30 that fits its 12288 bytes"],
      ['toobig', 8192, { 0: layout.magic, 4: 3, 8: 8192 }, "its header says the ring is 8192 bytes; expected a power of two from 4096 to 2^30 that fits its 8192 bytes"],
      ['zero', 8192, { 0: layout.magic, 4: 3, 8: 0 }, "its header says the ring is 0 bytes; expected a power of two from 4096 to 2^30 that fits its 8192 bytes"],
    ];
    for (const [tag, size, words, why] of cases) {
      const segment = segmentWith(tag, size, words);
      try {
        expect(openError(segment).message).toBe(usable(segment.name, why));
      } finally {
        segment.close();
      }
    }
  });

  it('opens what create made, whatever ring size, and both ends agree on it', () => {
    for (const ringBytes of [4096, 1 << 16, 1 << 20]) {
      const created = ShmChannel.create(testName('sizes'), { ringBytes });
      const opened = ShmChannel.open(created.name);
      expect([created.ringBytes, opened.ringBytes]).toEqual([ringBytes, ringBytes]);
      const segment = SharedMemory.open(created.name);
      expect(segment.size).toBe(layout.headerBytes + ringBytes);
      segment.close();
      opened.close();
      created.close();
    }
  });
});
