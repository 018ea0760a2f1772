// A test that runs `ipclab clean` over the real /dev/shm, or leaves there what such a clean would
// take (an object whose creator has exited), must not overlap with one of another copy of the
// suite running on the same machine: each would remove the other's objects. They take this lock,
// held across processes: a folder in the temporary directory, naming the pid that holds it. (A
// test that can keep its objects in a temporary directory of its own needs no lock.)
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { isProcessAlive } from '../../src/liveness.js';

/** Not named "ipclab-...", so that `ipclab clean` never lists it. */
const LOCK = path.join(os.tmpdir(), 'ipclab.clean-tests.lock');
const OWNER = path.join(LOCK, 'pid');
const RETRY_MS = 100;
const DEADLINE_MS = 10 * 60_000;

function holder(): number | undefined {
  try {
    return Number(readFileSync(OWNER, 'utf8'));
  } catch {
    return undefined; // being made or removed
  }
}

/** Takes the lock, waiting while a live process holds it; a dead holder's lock is taken over. */
export async function takeCleanLock(): Promise<void> {
  const deadline = Date.now() + DEADLINE_MS;
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(OWNER, String(process.pid));
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const pid = holder();
    if (pid !== undefined && !isProcessAlive(pid)) rmSync(LOCK, { recursive: true, force: true });
    else if (Date.now() > deadline) throw new Error(`${LOCK} is still held by pid ${pid} after ${DEADLINE_MS / 60_000} minutes`);
    else await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
  }
}

export function releaseCleanLock(): void {
  if (holder() === process.pid) rmSync(LOCK, { recursive: true, force: true });
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
