// A test that runs `ipclab clean` over the real /dev/shm, or leaves there what such a clean would
// take (an object whose creator has exited), must not overlap with one of another copy of the
// suite running on the same machine: each would remove the other's objects. They take this lock,
// held across processes: a folder in the temporary directory, naming the pid that holds it and
// that process's start time, so that a dead holder's pid reused by another process frees it too.
// (A test that can keep its objects in a temporary directory of its own needs no lock.)
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { isProcessAlive, ownStartTime } from '../../src/liveness.js';

/** Not named "ipclab-...", so that `ipclab clean` never lists it. */
const LOCK = path.join(os.tmpdir(), 'ipclab.clean-tests.lock');
const OWNER = path.join(LOCK, 'pid');
const RETRY_MS = 100;
const DEADLINE_MS = 10 * 60_000;

interface Holder {
  pid: number;
  startTime: bigint;
}

/** Who holds the lock; undefined while it is being made or removed (no file yet, or not all written). */
function holder(): Holder | undefined {
  let text: string;
  try {
    text = readFileSync(OWNER, 'utf8');
  } catch {
    return undefined;
  }
  const fields = /^(\d+) (\d+)$/.exec(text);
  return fields ? { pid: Number(fields[1]), startTime: BigInt(fields[2]!) } : undefined;
}

/** Takes the lock, waiting while a live process holds it; a dead holder's lock is taken over. */
export async function takeCleanLock(): Promise<void> {
  const deadline = Date.now() + DEADLINE_MS;
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(OWNER, `${process.pid} ${ownStartTime}`);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = holder();
    if (owner !== undefined && !isProcessAlive(owner.pid, owner.startTime)) rmSync(LOCK, { recursive: true, force: true });
    else if (Date.now() > deadline) throw new Error(`${LOCK} is still held by pid ${owner?.pid} after ${DEADLINE_MS / 60_000} minutes`);
    else await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
  }
}

export function releaseCleanLock(): void {
  if (holder()?.pid === process.pid) rmSync(LOCK, { recursive: true, force: true });
}

/** Runs `use` holding the lock. */
export async function withCleanLock<T>(use: () => Promise<T>): Promise<T> {
  await takeCleanLock();
  try {
    return await use();
  } finally {
    releaseCleanLock();
  }
}
