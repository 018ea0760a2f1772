// Suite-level check: after every test file has run, nothing ipclab made during this run is left
// in /dev/shm. Objects of ipclab processes still running (a benchmark in another terminal) are
// not this suite's and are ignored; the clean lock keeps another copy of the suite from being in
// the middle of its clean tests, whose objects would look like leftovers.
import { statSync } from 'node:fs';

import { listOwnObjects, removeObject } from '../../src/cleanup.js';
import { withCleanLock } from './clean-lock.js';

let startedMs = 0;

export function setup(): void {
  startedMs = Date.now() - 1000;
}

export function teardown(): Promise<void> {
  return withCleanLock(async () => removeLeftovers());
}

function removeLeftovers(): void {
  const leftovers = listOwnObjects().filter((item) => {
    if (item.owner === 'running' && !item.pids.includes(process.pid)) return false;
    if (item.kind === 'temporary' && item.owner === 'unknown') return false; // another suite's own temporary folder
    try {
      return statSync(item.path).mtimeMs >= startedMs;
    } catch {
      return false;
    }
  });
  for (const item of leftovers) removeObject(item);
  if (leftovers.length > 0) {
    throw new Error(`the test suite left ${leftovers.length} object(s) in /dev/shm or the temporary directory: ${leftovers.map((item) => item.path).join(', ')}`);
  }
}
