// The machine's own limits on a run's bytes, measured in the same run and in step with the rows
// they divide (one repetition right before each repetition of a case): native memcpy into fresh and
// into warm memory, and the native reference (this process fills a new segment, a fresh one maps
// it and reads every element: floor-reader.ts; native/core/segment_reference.hpp says how). Every
// repetition records the time it was measured.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

import { addon } from '../../native.js';
import { distEntry } from '../paths.js';
import type { MemcpyBaseline, NativeFloor } from '../results.js';
import { stats } from '../stats.js';

const FLOOR_READER_TIMEOUT_MS = 120_000;
const floorReaderEntry = distEntry('bench/yardsticks/floor-reader.js');

/** One repetition of every yardstick for one size. */
export interface YardstickTiming {
  /** When this repetition started (ISO 8601). */
  measuredAt: string;
  memcpyFreshSeconds: number;
  memcpyWarmSeconds: number;
  /** The native reference's halves; undefined when it failed (referenceError says why). */
  reference?: { setupSeconds: number; produceSeconds: number; consumeSeconds: number };
  referenceError?: string;
}

/** One repetition of the native reference. */
function measureReferenceOnce(bytes: number): NonNullable<YardstickTiming['reference']> {
  const name = `/ipclab-${process.pid}-${randomBytes(3).toString('hex')}-reference`;
  try {
    const fill = addon.fillFreshSegment(name, bytes);
    const printed = execFileSync(process.execPath, [floorReaderEntry, name, String(bytes)], {
      encoding: 'utf8',
      timeout: FLOOR_READER_TIMEOUT_MS,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const read = JSON.parse(printed) as { seconds: number; verified: boolean };
    if (!read.verified) throw new Error(`the native reference's reader found elements that differ from what was written (${bytes} bytes)`);
    return { ...fill, consumeSeconds: read.seconds };
  } finally {
    addon.SharedMemoryHandle.unlink(name);
  }
}

/** memcpy (fresh, then truly warm) and the native reference for `bytes`, once, stamped with the time. */
export function measureYardstickOnce(bytes: number): YardstickTiming {
  const measuredAt = new Date().toISOString();
  const memcpy = addon.measureMemcpy(bytes);
  const timing: YardstickTiming = { measuredAt, memcpyFreshSeconds: memcpy.freshSeconds, memcpyWarmSeconds: memcpy.warmSeconds };
  try {
    timing.reference = measureReferenceOnce(bytes);
  } catch (error) {
    timing.referenceError = error instanceof Error ? error.message : String(error);
  }
  return timing;
}

/** The reference over the repetitions that measured it; null when none did. */
function referenceOf(timings: readonly YardstickTiming[]): NativeFloor | null {
  const measured = timings.flatMap((timing) => (timing.reference ? [timing.reference] : []));
  if (measured.length === 0) return null;
  return {
    setupSeconds: stats(measured.map((run) => run.setupSeconds)),
    produceSeconds: stats(measured.map((run) => run.produceSeconds)),
    consumeSeconds: stats(measured.map((run) => run.consumeSeconds)),
    wholeJobSeconds: stats(measured.map((run) => run.produceSeconds + run.consumeSeconds)),
  };
}

/** The yardsticks for `bytes` over their repetitions (at least one), in the order measured. */
export function baselineOf(bytes: number, timings: readonly YardstickTiming[]): MemcpyBaseline {
  if (timings.length === 0) throw new RangeError(`a baseline needs at least one yardstick repetition, got none for ${bytes} bytes`);
  const floor = referenceOf(timings);
  const floorError = timings.find((timing) => timing.referenceError !== undefined)?.referenceError;
  return {
    bytes,
    measuredAt: timings.map((timing) => timing.measuredAt),
    freshSeconds: stats(timings.map((timing) => timing.memcpyFreshSeconds)),
    warmSeconds: stats(timings.map((timing) => timing.memcpyWarmSeconds)),
    floor,
    ...(floor === null && floorError !== undefined ? { floorError } : {}),
  };
}

/** memcpy and the native reference for `bytes`, `repeat` repetitions back to back. */
export function measureBaseline(bytes: number, repeat: number): MemcpyBaseline {
  return baselineOf(bytes, Array.from({ length: repeat }, () => measureYardstickOnce(bytes)));
}
