// `ipclab compare` on real runs: two sides of the same build, each six one-repetition runs made
// alternately with the other side's and pooled, mark no difference; a run of the same build with a
// known slowdown injected (IPCLAB_BENCH_INJECT_DELAY_MS, fault injection in the shm
// receiver) is marked slower in every case.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { compareRuns } from '../src/bench/report/compare.js';
import type { BenchOutput } from '../src/bench/results.js';
import { INJECT_DELAY_ENV } from '../src/bench/transports/inject-delay.js';
import { runIpclab } from './support/cli.js';

const directory = mkdtempSync(path.join(os.tmpdir(), 'ipclab-compare-real-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** `repeat` repetitions of shm int32/raw at 10^3 and 10^4: with 2 cases, 5 a side can show a difference at 5% family-wise. */
async function run(name: string, repeat: number, delayMs?: number): Promise<string> {
  const out = path.join(directory, `${name}.json`);
  const env = { ...process.env, [INJECT_DELAY_ENV]: delayMs === undefined ? '' : String(delayMs) };
  const args = ['bench', '--sizes', '1e3,1e4', '--payloads', 'int32', '--transports', 'shm', '--codecs', 'raw', '--repeat', String(repeat), '--format', 'json', '--out', out];
  const result = await runIpclab(args, { env });
  expect(result.code, result.stderr).toBe(0);
  return out;
}

const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as BenchOutput;

describe('ipclab compare on real runs', () => {
  it('marks nothing between two sides of one build run alternately, and marks an injected 25 ms slowdown', async () => {
    // One run per side after another (A B, B A, A B, ...), so that both sides meet the same load:
    // made as two runs one after the other on a loaded machine, the same build once measured
    // 1.79 ms against 822 µs at 10^4 (p = 0.016). What remains is chance, held below 5%.
    const [runsA, runsB]: [string[], string[]] = [[], []];
    for (let round = 0; round < 6; round++) {
      for (const side of round % 2 === 0 ? ['a', 'b'] : ['b', 'a']) (side === 'a' ? runsA : runsB).push(await run(`${side}${round}`, 1));
    }
    const [a, b] = [runsA.join(','), runsB.join(',')];
    const slow = await run('slow', 5, 25);

    const same = await runIpclab(['compare', a, b]);
    expect(same.code, same.stderr).toBe(0);
    const sameCases = compareRuns(runsA.map(read), runsB.map(read)).cases;
    expect(sameCases).toHaveLength(2);
    expect(sameCases.map((item) => item.verdict), same.stdout).toEqual(['same', 'same']);
    expect(same.stdout).not.toContain('* B');
    expect(same.stdout).toMatch(/^shm int32\/raw 10\^3 +6\+6 /m);

    const slower = await runIpclab(['compare', a, slow]);
    expect(slower.code, slower.stderr).toBe(0);
    const slowCases = compareRuns(runsA.map(read), read(slow)).cases;
    expect(slowCases.map((item) => item.verdict), slower.stdout).toEqual(['slower', 'slower']);
    for (const item of slowCases) expect(item.b.p50 - item.a.p50).toBeGreaterThan(0.02);
    expect(slower.stdout).toMatch(/^shm int32\/raw 10\^4 +6\+5 +.* \* B slower$/m);
    expect(slower.stdout).toContain('2 shared case(s): B faster in 0, slower in 2, no difference shown in 0, too few samples to tell in 0.');
  }, 120_000);
});
