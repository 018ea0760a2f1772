// Suite-level check: after every test file has run, nothing ipclab made during this run is left
// in /dev/shm. Objects of ipclab processes still running (a benchmark in another terminal) are
// not this suite's and are ignored.
import { statSync } from 'node:fs';
import path from 'node:path';

import { listOwnObjects, removeObject, SHM_DIR } from '../../src/cleanup.js';

let startedMs = 0;

export function setup(): void {
  startedMs = Date.now() - 1000;
}

export function teardown(): void {
  const leftovers = listOwnObjects().filter((item) => {
    if (item.creatorAlive && item.creatorPid !== process.pid) return false;
    try {
      return statSync(path.join(SHM_DIR, item.kind === 'semaphore' ? `sem.${item.name.slice(1)}` : item.name.slice(1))).mtimeMs >= startedMs;
    } catch {
      return false;
    }
  });
  for (const item of leftovers) removeObject(item);
  if (leftovers.length > 0) {
    throw new Error(`the test suite left ${leftovers.length} object(s) in /dev/shm: ${leftovers.map((item) => item.name).join(', ')}`);
  }
}
