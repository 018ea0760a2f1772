// Ctrl-C during `ipclab bench`: SIGINT to a real benchmark process in the middle of a case ends
// its case processes and leaves nothing in /dev/shm or the temporary directory.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { expect, it } from 'vitest';

import { isProcessAlive } from '../src/liveness.js';

const cli = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.js');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Pids whose parent is `parent`. */
function childrenOf(parent: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent;
      } catch {
        return false;
      }
    })
    .map(Number);
}

const shmEntriesOf = (pid: number) => readdirSync('/dev/shm').filter((entry) => entry.includes(`ipclab-${pid}-`));

it('SIGINT in the middle of a case stops its processes and leaves no files, folders or segments', async () => {
  const temporary = mkdtempSync(path.join(os.tmpdir(), 'bench-interrupt-'));
  const bench = spawn(
    process.execPath,
    [cli, 'bench', '--sizes', '10^7', '--transports', 'shm', '--payloads', 'int32', '--codecs', 'raw', '--repeat', '3'],
    { env: { ...process.env, TMPDIR: temporary }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  bench.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    bench.once('close', (code, signal) => resolve({ code, signal })), // 'close': its stderr is all read
  );
  const pid = bench.pid!;
  try {
    // Wait until a case runs: its processes exist and it has made its segment and folders.
    let caseProcesses: number[] = [];
    for (let waited = 0; waited < 40_000; waited += 20) {
      caseProcesses = childrenOf(pid);
      const made = shmEntriesOf(pid);
      if (caseProcesses.length >= 2 && made.some((entry) => !entry.includes('-files-'))) break;
      await sleep(20);
    }
    expect(caseProcesses.length).toBeGreaterThanOrEqual(2);
    expect(shmEntriesOf(pid).length).toBeGreaterThanOrEqual(2);
    expect(readdirSync(temporary).length).toBeGreaterThan(0);

    bench.kill('SIGINT');
    expect(await exited).toEqual({ code: 130, signal: null });
    expect(stderr).toContain('Interrupted by SIGINT: stopped every case and removed what they made.');
    expect(caseProcesses.filter((child) => isProcessAlive(child))).toEqual([]);
    expect(shmEntriesOf(pid)).toEqual([]);
    expect(readdirSync(temporary)).toEqual([]);
  } finally {
    // After a failure, leave nothing running either.
    for (const child of childrenOf(pid)) {
      try {
        process.kill(-child, 'SIGKILL'); // case processes lead their own process groups
      } catch {
        // already gone
      }
    }
    bench.kill('SIGKILL');
    rmSync(temporary, { recursive: true, force: true });
  }
});
