// `ipclab clean` as a real process: it removes only what is proven unused (a channel whose handles
// all closed or died, whatever its name; an object whose creator exited, is a zombie, or whose pid
// was reused; an interrupted benchmark's folders), keeps what it cannot prove dead unless --all,
// and reports each object it cannot remove without stopping.
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CREATOR_START_SLACK_MS, removeLeftovers } from '../src/cleanup.js';
import { processStartedAtMs } from '../src/liveness.js';
import { releaseCleanLock, takeCleanLock } from './support/clean-lock.js';
import { requires, root } from './support/requirements.js';
import { startVictim, waitUntilDead } from './support/victims.js';

const cli = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.js');
const NOBODY = 65534;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function clean(args: string[], options: { env?: NodeJS.ProcessEnv; uid?: number; gid?: number } = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, 'clean', ...args], { env: { ...process.env, ...options.env }, uid: options.uid, gid: options.gid }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr });
    });
  });
}

const random = () => Math.random().toString(16).slice(2, 8);

/**
 * A running process that started provably after `madeAtMs`, as `clean` reads start times (whole
 * seconds of boot time in /proc, then CREATOR_START_SLACK_MS): one whose pid an object's name could
 * only have had before. Started again every 200 ms until one is, for at most 10 s.
 */
async function processStartedAfter(madeAtMs: number): Promise<ChildProcess> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const child = spawn('sleep', ['60']);
    const startedAt = processStartedAtMs(child.pid!);
    if (startedAt !== undefined && startedAt > madeAtMs + CREATOR_START_SLACK_MS) return child;
    child.kill();
    if (Date.now() > deadline) throw new Error(`no process started after ${madeAtMs} + ${CREATOR_START_SLACK_MS} ms within 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
/** The pid of a process that has already exited. */
const exitedPid = () => spawnSync(process.execPath, ['-e', '']).pid!;

describe('ipclab clean', () => {
  // These run `ipclab clean` over the real /dev/shm: one at a time across copies of the suite.
  beforeAll(takeCleanLock, 11 * 60_000);
  afterAll(releaseCleanLock);

  it('recognises a channel under any name by its header: kept while its creator runs, removed once it died', async () => {
    const name = `/jobs-${random()}`;
    const victim = await startVictim('channel-victim.mjs', [name, 'create', 'idle']);
    try {
      const live = await clean(['--dry-run']);
      expect(live.stdout).toMatch(new RegExp(`Kept .*\\n(.*\\n)*  channel  /dev/shm${name}  4\\.0 MiB  pid ${victim.pid} \\(running\\)`));
      expect((await clean([])).stdout).not.toContain(`Removed.*${name}`);
      expect(existsSync(`/dev/shm${name}`)).toBe(true);
      victim.kill();
      await waitUntilDead(victim.pid);
      const run = await clean([]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`^Removed \\d+ object\\(s\\):\\n(.*\\n)*  channel  /dev/shm${name}  4\\.0 MiB  pid ${victim.pid} \\(exited\\)`));
      expect(existsSync(`/dev/shm${name}`)).toBe(false);
    } finally {
      await victim.dispose();
      rmSync(`/dev/shm${name}`, { force: true });
    }
  });

  it('keeps an object whose creator cannot be told (ipclab-<not a pid>) unless --all', async () => {
    const name = `ipclab-notapid-${random()}`;
    const file = path.join('/dev/shm', name);
    writeFileSync(file, Buffer.alloc(64));
    try {
      const run = await clean([]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain(`  shared-memory  ${file}  64 B  owner unknown`);
      expect(run.stdout).toMatch(/Kept \d+ object\(s\) in use or of unknown owner \(--all removes them too\):/);
      expect(existsSync(file)).toBe(true);
    } finally {
      rmSync(file, { force: true });
    }
    // --all removes it; shown on a private folder so that no one else's live objects are touched.
    const directory = mkdtempSync(path.join(os.tmpdir(), 'clean-all-'));
    try {
      writeFileSync(path.join(directory, name), Buffer.alloc(64));
      const tempDirectory = path.join(directory, 'none');
      expect(removeLeftovers({ shmDirectory: directory, tempDirectory }).kept.map((item) => item.name)).toEqual([`/${name}`]);
      expect(removeLeftovers({ all: true, shmDirectory: directory, tempDirectory }).removed.map((item) => item.name)).toEqual([`/${name}`]);
      expect(existsSync(path.join(directory, name))).toBe(false);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it("removes a zombie's objects and those named after a pid that a younger process now has", async () => {
    const channel = `/ipclab-${process.pid}-${random()}`;
    const victim = await startVictim('channel-victim.mjs', [channel, 'create', 'idle'], { zombie: true });
    const directory = mkdtempSync(path.join(os.tmpdir(), 'clean-dead-'));
    let younger: ChildProcess | undefined;
    try {
      writeFileSync(path.join(directory, `ipclab-${victim.pid}-zombie`), '');
      victim.kill();
      expect(await waitUntilDead(victim.pid)).toBe('Z');
      // An object made well before a process started cannot be that process's: its pid was reused.
      const made = path.join(directory, 'made-earlier');
      writeFileSync(made, '');
      younger = await processStartedAfter(statSync(made).ctimeMs);
      const reused = `ipclab-${younger.pid}-reused`;
      renameSync(made, path.join(directory, reused));
      const mine = `ipclab-${process.pid}-mine`;
      writeFileSync(path.join(directory, mine), '');
      const result = removeLeftovers({ shmDirectory: directory, tempDirectory: path.join(directory, 'none') });
      // Sorted on both sides: which name sorts first depends on the two pids.
      expect(result.removed.map((item) => [item.name, item.owner]).sort()).toEqual(
        [
          [`/ipclab-${victim.pid}-zombie`, 'exited'],
          [`/${reused}`, 'exited'],
        ].sort(),
      );
      expect(result.kept.map((item) => [item.name, item.owner])).toEqual([[`/${mine}`, 'running']]);
    } finally {
      younger?.kill();
      await victim.dispose();
      rmSync(`/dev/shm${channel}`, { force: true });
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it("removes an interrupted benchmark's control-socket folder and /dev/shm file folder", async () => {
    const pid = exitedPid();
    const temporary = mkdtempSync(path.join(os.tmpdir(), 'clean-tmp-'));
    const controlFolder = path.join(temporary, `ipclab-${pid}-${random()}-AbCdEf`);
    const filesFolder = path.join('/dev/shm', `ipclab-${pid}-${random()}-files-AbCdEf`);
    try {
      mkdirSync(controlFolder);
      writeFileSync(path.join(controlFolder, 'control.sock'), '');
      mkdirSync(filesFolder);
      writeFileSync(path.join(filesFolder, 'payload.bin'), Buffer.alloc(1024));
      const run = await clean([], { env: { TMPDIR: temporary } });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain(`  temporary  ${controlFolder}  pid ${pid} (exited)`);
      expect(run.stdout).toContain(`  directory  ${filesFolder}  pid ${pid} (exited)`);
      expect(existsSync(controlFolder)).toBe(false);
      expect(existsSync(filesFolder)).toBe(false);
    } finally {
      rmSync(temporary, { recursive: true, force: true });
      rmSync(filesFolder, { recursive: true, force: true });
    }
  });

  it('reports each object it cannot remove, removes the rest, and exits 1', async (context) => {
    requires(context, root); // to run `clean` as nobody among root's objects
    const pid = exitedPid();
    const temporary = mkdtempSync(path.join(os.tmpdir(), 'clean-perm-'));
    chmodSync(temporary, 0o1777);
    const othersObject = path.join('/dev/shm', `ipclab-${pid}-${random()}-root`);
    const ownObject = path.join('/dev/shm', `ipclab-${pid}-${random()}-nobody`);
    try {
      writeFileSync(othersObject, Buffer.alloc(64)); // root's, in the sticky /dev/shm: nobody may not remove it
      writeFileSync(ownObject, Buffer.alloc(64));
      chownSync(ownObject, NOBODY, NOBODY);
      const run = await clean([], { uid: NOBODY, gid: NOBODY, env: { TMPDIR: temporary } });
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(`  shared-memory  ${ownObject}  64 B  pid ${pid} (exited)`);
      expect(run.stdout).toMatch(new RegExp(`Could not remove \\d+ object\\(s\\):\\n(.*\\n)*  shared-memory  ${othersObject}  64 B  pid ${pid} \\(exited\\): EPERM`));
      expect(existsSync(ownObject)).toBe(false);
      expect(existsSync(othersObject)).toBe(true);
    } finally {
      rmSync(othersObject, { force: true });
      rmSync(ownObject, { force: true });
      rmSync(temporary, { recursive: true, force: true });
    }
  });
});
