// Finds and removes what ipclab left in /dev/shm: segments, named semaphores ("sem.*") and the
// benchmark's per-case file directories.
import { readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

import { addon } from './native.js';
import { creatorPid, isProcessAlive, OWN_PREFIX } from './names.js';

export const SHM_DIR = '/dev/shm';

export interface Leftover {
  kind: 'shared-memory' | 'semaphore' | 'directory';
  /** The POSIX name, with its leading '/' (for a directory: its path under /dev/shm). */
  name: string;
  bytes: number;
  /** The pid that made it, when the name carries one. */
  creatorPid: number | undefined;
  /** Whether that process is still running (a live run's objects are not leftovers yet). */
  creatorAlive: boolean;
}

/** Every object in /dev/shm whose name starts with "ipclab-". */
export function listOwnObjects(directory = SHM_DIR): Leftover[] {
  let entries: string[];
  try {
    entries = readdirSync(directory);
  } catch {
    return [];
  }
  const found: Leftover[] = [];
  for (const entry of entries) {
    const isSemaphore = entry.startsWith(`sem.${OWN_PREFIX}`);
    if (!isSemaphore && !entry.startsWith(OWN_PREFIX)) continue;
    let bytes = 0;
    let isDirectory = false;
    try {
      const info = statSync(path.join(directory, entry));
      bytes = info.size;
      isDirectory = info.isDirectory();
    } catch {
      continue; // removed meanwhile
    }
    const name = `/${isSemaphore ? entry.slice(4) : entry}`;
    const pid = creatorPid(name);
    const kind = isSemaphore ? 'semaphore' : isDirectory ? 'directory' : 'shared-memory';
    found.push({ kind, name, bytes, creatorPid: pid, creatorAlive: pid !== undefined && isProcessAlive(pid) });
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

/** Removes leftovers whose creator has exited (all of ours with `all`); returns what was removed. */
export function removeLeftovers(options: { all?: boolean; directory?: string } = {}): Leftover[] {
  const removed: Leftover[] = [];
  for (const item of listOwnObjects(options.directory)) {
    if (item.creatorAlive && !options.all) continue;
    if (removeObject(item, options.directory)) removed.push(item);
  }
  return removed;
}

/** Removes one object found by listOwnObjects; false when it was already gone. */
export function removeObject(item: Leftover, directory = SHM_DIR): boolean {
  if (item.kind === 'semaphore') return addon.SemaphoreHandle.unlink(item.name);
  if (item.kind === 'shared-memory') return addon.SharedMemoryHandle.unlink(item.name);
  rmSync(path.join(directory, item.name), { recursive: true, force: true });
  return true;
}
