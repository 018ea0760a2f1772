// Two open channel ends waiting on each other (each process waits to receive from the other, which
// sends nothing) sleep: over 10 s each process uses under 1% of a core, read from /proc.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

import { describe, expect, it } from 'vitest';

import { SharedMemory } from '../src/index.js';
import { testName } from './support/names.js';
import { finished, startFixture } from './support/processes.js';

const WINDOW_MS = 10_000;
const TICKS_PER_SECOND = 100; // USER_HZ

/** utime + stime of a process, in clock ticks (/proc/<pid>/stat fields 14 and 15). */
function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[14 - 3]) + Number(fields[15 - 3]);
}

describe('idle channel ends', () => {
  it('two ends waiting on each other use under 1% of a core each over 10 s', async () => {
    const [a, b] = [testName('idlea'), testName('idleb')];
    const children = [startFixture('channel-side.mjs', ['idle-pair', a, b]), startFixture('channel-side.mjs', ['idle-pair', b, a])];
    const outputs = children.map((child) => createInterface({ input: child.stdout! })[Symbol.asyncIterator]());
    const exits = children.map((child) => finished(child));
    try {
      for (const output of outputs) expect((await output.next()).value).toBe('ready');
      const before = children.map((child) => cpuTicks(child.pid!));
      const started = performance.now();
      await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
      const seconds = (performance.now() - started) / 1000;
      const shares = children.map((child, i) => (cpuTicks(child.pid!) - before[i]!) / TICKS_PER_SECOND / seconds);
      for (const share of shares) expect(share, `CPU shares of the two processes: ${shares.map((x) => x.toFixed(5)).join(', ')}`).toBeLessThan(0.01);
    } finally {
      for (const child of children) child.kill('SIGTERM');
      await Promise.all(exits);
      for (const name of [a, b]) SharedMemory.unlink(name); // the killed creators could not

    }
  }, 60_000);
});
