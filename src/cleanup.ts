// Finds and removes what ipclab left behind: segments and named semaphores whose names ipclab made
// ("ipclab-<pid>-..."), channels under any name (recognised by their header), the benchmark's
// per-case folders in /dev/shm and its control-socket folders in the temporary directory.
// Only what is proven unused is removed unless `all`: a channel whose handles all closed or
// died, an object whose creating process has exited.
import { closeSync, openSync, readdirSync, readSync, rmSync, statSync, unlinkSync, type Stats } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { layout } from './channel/layout.js';
import { isProcessAlive, processStartedAtMs } from './liveness.js';
import { creatorPid, OWN_PREFIX } from './names.js';
import { checkBoolean, checkOptions, checkString, messageOf } from './validate.js';

export const SHM_DIR = '/dev/shm';

export interface Leftover {
  kind: 'shared-memory' | 'channel' | 'semaphore' | 'directory' | 'temporary';
  /** The POSIX name with its leading '/' (for a folder: its name under its directory). */
  name: string;
  /** Where it is in the file system. */
  path: string;
  bytes: number;
  /** The pid that made it (from the name), or the pids holding a channel open (from its header). */
  pids: number[];
  /** `running`: in use; `exited`: every process that used it is gone; `unknown`: no owner can be told. */
  owner: 'running' | 'exited' | 'unknown';
}

export interface CleanOptions {
  /** Also remove objects in use or of unknown owner. */
  all?: boolean;
  /** Where segments live (tests point this elsewhere). Default /dev/shm. */
  shmDirectory?: string;
  /** Where the benchmark's control sockets live. Default the OS temporary directory. */
  tempDirectory?: string;
}

export interface CleanResult {
  removed: Leftover[];
  kept: Leftover[];
  failed: Array<{ item: Leftover; reason: string }>;
}

/**
 * How much later than an object's making its creator's start may read and still count: process
 * start times and file times come from different clocks, and can disagree by this much.
 */
export const CREATOR_START_SLACK_MS = 1000;

/** A process that started after the object was made cannot be its creator: its pid was reused. */
function ownerOfName(name: string, info: Stats): Pick<Leftover, 'pids' | 'owner'> {
  const pid = creatorPid(name);
  if (pid === undefined) return { pids: [], owner: 'unknown' };
  const startedAt = processStartedAtMs(pid);
  const madeAt = info.birthtimeMs > 0 ? Math.min(info.birthtimeMs, info.ctimeMs) : info.ctimeMs;
  const creatorRuns = isProcessAlive(pid) && startedAt !== undefined && startedAt <= madeAt + CREATOR_START_SLACK_MS;
  return { pids: [pid], owner: creatorRuns ? 'running' : 'exited' };
}

/** The handles recorded in a channel's header: running while any is open in a live process. */
function ownerOfChannel(header: Buffer): Pick<Leftover, 'pids' | 'owner'> {
  const pids: number[] = [];
  let running = false;
  for (let index = 0; index < layout.maxHandles; index++) {
    const entry = layout.handleTableOffset + index * layout.handleEntrySize;
    const pid = header.readInt32LE(entry + layout.handlePidOffset);
    if (pid === 0) continue;
    const flags = header.readInt32LE(entry + layout.handleFlagsOffset);
    pids.push(pid);
    if (!(flags & layout.handleClosed) && isProcessAlive(pid, header.readBigInt64LE(entry + layout.handleStartTimeOffset))) running = true;
  }
  return { pids, owner: running ? 'running' : 'exited' };
}

/** The first `bytes` of a file, or undefined when it cannot be read. */
function readHead(file: string, bytes: number): Buffer | undefined {
  let descriptor: number | undefined;
  try {
    descriptor = openSync(file, 'r');
    const head = Buffer.alloc(bytes);
    return readSync(descriptor, head, 0, bytes, 0) === bytes ? head : undefined;
  } catch {
    return undefined;
  } finally {
    if (descriptor !== undefined) closeSync(descriptor);
  }
}

function isChannelHeader(head: Buffer): boolean {
  return head.readUInt32LE(layout.magicOffset) === layout.magic && head.readUInt32LE(layout.versionOffset) === layout.version;
}

function listShm(directory: string): Leftover[] {
  const found: Leftover[] = [];
  for (const entry of safeReaddir(directory)) {
    const file = path.join(directory, entry);
    let info: Stats;
    try {
      info = statSync(file);
    } catch {
      continue; // removed meanwhile
    }
    const ours = entry.startsWith(OWN_PREFIX);
    if (entry.startsWith('sem.')) {
      if (entry.startsWith(`sem.${OWN_PREFIX}`)) {
        found.push({ kind: 'semaphore', name: `/${entry.slice(4)}`, path: file, bytes: info.size, ...ownerOfName(entry.slice(4), info) });
      }
    } else if (info.isDirectory()) {
      if (ours) found.push({ kind: 'directory', name: entry, path: file, bytes: 0, ...ownerOfName(entry, info) });
    } else if (info.isFile()) {
      const head = info.size >= layout.headerBytes ? readHead(file, layout.headerBytes) : undefined;
      if (head && isChannelHeader(head)) {
        found.push({ kind: 'channel', name: `/${entry}`, path: file, bytes: info.size, ...ownerOfChannel(head) });
      } else if (ours) {
        found.push({ kind: 'shared-memory', name: `/${entry}`, path: file, bytes: info.size, ...ownerOfName(entry, info) });
      }
    }
  }
  return found;
}

function listTemporary(directory: string): Leftover[] {
  const found: Leftover[] = [];
  for (const entry of safeReaddir(directory)) {
    if (!entry.startsWith(OWN_PREFIX)) continue;
    const file = path.join(directory, entry);
    try {
      found.push({ kind: 'temporary', name: entry, path: file, bytes: 0, ...ownerOfName(entry, statSync(file)) });
    } catch {
      continue;
    }
  }
  return found;
}

function safeReaddir(directory: string): string[] {
  try {
    return readdirSync(directory);
  } catch {
    return [];
  }
}

/** Everything ipclab made that is still in /dev/shm and the temporary directory. */
export function listOwnObjects(options?: Omit<CleanOptions, 'all'>): Leftover[] {
  const opts = checkOptions<CleanOptions>(options, 'options', ['shmDirectory', 'tempDirectory']);
  return listIn(opts);
}

function listIn(options: Omit<CleanOptions, 'all'>): Leftover[] {
  const shmDirectory = options.shmDirectory === undefined ? SHM_DIR : checkString(options.shmDirectory, 'options.shmDirectory');
  const tempDirectory = options.tempDirectory === undefined ? os.tmpdir() : checkString(options.tempDirectory, 'options.tempDirectory');
  const found = [...listShm(shmDirectory), ...listTemporary(tempDirectory)];
  return found.sort((a, b) => a.path.localeCompare(b.path));
}

/** Whether `clean` removes `item`: proven unused, or anything with `all`. */
export function isRemovable(item: Leftover, all = false): boolean {
  return all || item.owner === 'exited';
}

/** Removes one object; a failure is thrown as the file system reports it. */
export function removeObject(item: Leftover): void {
  if (item.kind === 'directory' || item.kind === 'temporary') {
    rmSync(item.path, { recursive: true, force: true });
    return;
  }
  try {
    unlinkSync(item.path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error; // gone meanwhile is fine
  }
}

/** Removes every removable object, each on its own: one that cannot be removed does not stop the rest. */
export function removeLeftovers(options?: CleanOptions): CleanResult {
  const opts = checkOptions<CleanOptions>(options, 'options', ['all', 'shmDirectory', 'tempDirectory']);
  const all = checkBoolean(opts.all, 'options.all', false);
  const result: CleanResult = { removed: [], kept: [], failed: [] };
  for (const item of listIn(opts)) {
    if (!isRemovable(item, all)) {
      result.kept.push(item);
      continue;
    }
    try {
      removeObject(item);
      result.removed.push(item);
    } catch (error) {
      result.failed.push({ item, reason: messageOf(error) });
    }
  }
  return result;
}
