// The same-run yardsticks: native memcpy into fresh pages (clock stopped before munmap) and the
// native reference (this process fills a new reserved segment, another maps it and reads and
// checks every element). Real figures are only checked for sense, never against thresholds.
import { describe, expect, it } from 'vitest';

import { IpcError } from '../src/errors.js';
import { measureBaseline } from '../src/bench/yardsticks/baseline.js';
import { addon } from '../src/native.js';
import { thrown } from './support/errors.js';

describe('yardsticks', () => {
  it('measures memcpy and the two-process floor for the same bytes, each repetition summarized', () => {
    const baseline = measureBaseline(1_000_003, 3); // not a multiple of 8: the tail bytes are filled and checked too
    expect(baseline.bytes).toBe(1_000_003);
    expect(baseline.freshSeconds.min).toBeGreaterThan(0);
    expect(baseline.floor).not.toBeNull();
    const floor = baseline.floor!;
    for (const summary of [floor.produceSeconds, floor.consumeSeconds, floor.wholeJobSeconds]) {
      expect(summary.min).toBeGreaterThan(0);
      expect(summary.min).toBeLessThanOrEqual(summary.p50);
      expect(summary.p50).toBeLessThanOrEqual(summary.max);
    }
    // Each repetition's whole job is its produce plus its consume.
    expect(floor.wholeJobSeconds.min).toBeGreaterThanOrEqual(floor.produceSeconds.min + floor.consumeSeconds.min - 1e-12);
    expect(floor.wholeJobSeconds.max).toBeLessThanOrEqual(floor.produceSeconds.max + floor.consumeSeconds.max + 1e-12);
  });

  it('the floor reader checks every element and finds a changed one', () => {
    const name = `/ipclab-${process.pid}-yardstick-check`;
    try {
      addon.fillFreshSegment(name, 4096);
      expect(addon.readSegment(name, 4096).verified).toBe(true);
      const segment = addon.SharedMemoryHandle.open(name, false, false);
      const bytes = new Uint8Array(segment.buffer());
      bytes[4000] = bytes[4000]! ^ 1;
      segment.close();
      expect(addon.readSegment(name, 4096).verified).toBe(false);
    } finally {
      addon.SharedMemoryHandle.unlink(name);
    }
  });

  it('reports a missing segment or one that exists already as an IpcError', () => {
    const missing = thrown(() => addon.readSegment(`/ipclab-${process.pid}-yardstick-missing`, 8));
    expect(missing).toBeInstanceOf(IpcError);
    expect(missing).toMatchObject({ code: 'ENOENT', syscall: 'shm_open' });
    const name = `/ipclab-${process.pid}-yardstick-twice`;
    try {
      addon.fillFreshSegment(name, 8);
      expect(thrown(() => addon.fillFreshSegment(name, 8))).toMatchObject({ code: 'EEXIST', syscall: 'shm_open' });
    } finally {
      addon.SharedMemoryHandle.unlink(name);
    }
  });
});
