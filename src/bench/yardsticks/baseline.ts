// The machine's own limits on a run's bytes, measured in the same run: native memcpy into fresh and
// warm memory, and the native two-process floor (this process fills a fresh segment, a fresh one
// maps it and reads every element: floor-reader.ts).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

import { addon } from '../../native.js';
import { distEntry } from '../paths.js';
import type { MemcpyBaseline, NativeFloor } from '../results.js';
import { stats } from '../stats.js';

const FLOOR_READER_TIMEOUT_MS = 120_000;
const floorReaderEntry = distEntry('bench/yardsticks/floor-reader.js');

/** One repetition of the native two-process floor. */
function measureFloorOnce(bytes: number): { produce: number; consume: number } {
  const name = `/ipclab-${process.pid}-${randomBytes(3).toString('hex')}-floor`;
  try {
    const produce = addon.fillFreshSegment(name, bytes);
    const printed = execFileSync(process.execPath, [floorReaderEntry, name, String(bytes)], {
      encoding: 'utf8',
      timeout: FLOOR_READER_TIMEOUT_MS,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const read = JSON.parse(printed) as { seconds: number; verified: boolean };
    if (!read.verified) throw new Error(`the floor's reader found elements that differ from what was written (${bytes} bytes)`);
    return { produce, consume: read.seconds };
  } finally {
    addon.SharedMemoryHandle.unlink(name);
  }
}

/** The native two-process floor for `bytes`, over `repeat` repetitions. */
export function measureFloor(bytes: number, repeat: number): NativeFloor {
  const produce: number[] = [];
  const consume: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const run = measureFloorOnce(bytes);
    produce.push(run.produce);
    consume.push(run.consume);
  }
  return {
    produceSeconds: stats(produce),
    consumeSeconds: stats(consume),
    wholeJobSeconds: stats(produce.map((seconds, i) => seconds + consume[i]!)),
  };
}

/** memcpy and the two-process floor for `bytes`; a floor that cannot be measured says why. */
export function measureBaseline(bytes: number, repeat: number): MemcpyBaseline {
  const fresh: number[] = [];
  const warm: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const timing = addon.measureMemcpy(bytes);
    fresh.push(timing.freshSeconds);
    warm.push(timing.warmSeconds);
  }
  const memcpy = { bytes, freshSeconds: stats(fresh), warmSeconds: stats(warm) };
  try {
    return { ...memcpy, floor: measureFloor(bytes, repeat) };
  } catch (error) {
    return { ...memcpy, floor: null, floorError: error instanceof Error ? error.message : String(error) };
  }
}
