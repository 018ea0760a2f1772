import { afterEach, describe, expect, it } from 'vitest';

import { SharedMemory } from '../src/index.js';
import { testName } from './support/names.js';
import { runFixture } from './support/processes.js';

const opened: SharedMemory[] = [];
afterEach(() => opened.splice(0).forEach((segment) => segment.close()));

describe('a segment shared between processes', () => {
  it('carries 10^6 int32 that a child writes and the parent verifies, every one', async () => {
    const count = 1_000_000;
    const segment = SharedMemory.create(testName('xproc'), count * 4);
    opened.push(segment);
    const result = await runFixture('shm-writer.mjs', [segment.name, String(count)]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);

    const values = new Int32Array(segment.buffer);
    let wrong = -1;
    for (let i = 0; i < count; i++) {
      if (values[i] !== i) {
        wrong = i;
        break;
      }
    }
    expect(wrong).toBe(-1);
  });

  it('opens by name with or without the leading slash, sized by the object itself', () => {
    const name = testName('slash');
    const segment = SharedMemory.create(name, 12345);
    opened.push(segment);
    const withoutSlash = SharedMemory.open(name.slice(1));
    opened.push(withoutSlash);
    expect(withoutSlash.name).toBe(name);
    expect(withoutSlash.size).toBe(12345);
    new Uint8Array(segment.buffer)[12344] = 7;
    expect(new Uint8Array(withoutSlash.buffer)[12344]).toBe(7);
  });

  it('maps readOnly opens so that local writes never reach the segment', () => {
    const segment = SharedMemory.create(testName('ro'), 4096);
    opened.push(segment);
    new Uint8Array(segment.buffer)[0] = 1;
    const reader = SharedMemory.open(segment.name, { readOnly: true });
    opened.push(reader);
    expect(reader.readOnly).toBe(true);
    expect(new Uint8Array(reader.buffer)[0]).toBe(1);
    new Uint8Array(reader.buffer)[0] = 99;
    expect(new Uint8Array(segment.buffer)[0]).toBe(1);
  });

  it('pre-faults pages with populate and reserves them up front', () => {
    const segment = SharedMemory.create(testName('pop'), 8 * 1024 * 1024, { populate: true });
    opened.push(segment);
    expect(new Uint8Array(segment.buffer).every((byte) => byte === 0)).toBe(true);
  });

  it('maps every page into an opener with populate, keeping what the creator wrote', () => {
    const pages = 4096;
    const pageBytes = 4096;
    const segment = SharedMemory.create(testName('openpop'), pages * pageBytes);
    opened.push(segment);
    const written = new Uint8Array(segment.buffer);
    for (let page = 0; page < pages; page++) written[page * pageBytes] = (page % 251) + 1;

    // A write to every page (no read first: a read fault maps its neighbours too): one fault each in
    // a plain opener, none once populate has mapped them.
    const faultsWritingEveryPage = (populate: boolean) => {
      const opener = SharedMemory.open(segment.name, { populate });
      opened.push(opener);
      const bytes = new Uint8Array(opener.buffer);
      const before = process.resourceUsage().minorPageFault;
      for (let page = 0; page < pages; page++) bytes[page * pageBytes + 1] = (page % 251) + 2;
      return { faults: process.resourceUsage().minorPageFault - before, bytes };
    };
    const plain = faultsWritingEveryPage(false);
    const populated = faultsWritingEveryPage(true);
    expect(plain.faults).toBeGreaterThan(pages / 2);
    expect(populated.faults).toBeLessThan(pages / 8);
    for (let page = 0; page < pages; page++) {
      expect(populated.bytes[page * pageBytes]).toBe((page % 251) + 1);
      expect(written[page * pageBytes + 1]).toBe((page % 251) + 2);
    }

    const reader = SharedMemory.open(segment.name, { readOnly: true, populate: true });
    opened.push(reader);
    expect(new Uint8Array(reader.buffer)[pageBytes * 7]).toBe(8);
    new Uint8Array(reader.buffer)[pageBytes * 7] = 0;
    expect(written[pageBytes * 7]).toBe(8);
  });
});
