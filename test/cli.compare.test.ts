// `ipclab compare A.json B.json`: shared verified cases side by side with B/A, marked where the
// min-max spreads do not overlap; cases only one run has are listed; bad files are refused.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { compareRuns } from '../src/bench/report/compare.js';
import { stats } from '../src/bench/stats.js';
import type { BenchOutput, CompletedBulkResult } from '../src/bench/results.js';
import { fixtureOutput } from './fixtures/bench-output.js';
import { ipclab } from './support/cli.js';

let directory = '';
let fileA = '';
let fileB = '';

/** B: pipe array/json 10^6 twice as slow beyond the spread, pipe array/v8 10^6 within it, pipe 10^5 dropped. */
function changedRun(): BenchOutput {
  const b = structuredClone(fixtureOutput);
  const slower = b.results[1] as CompletedBulkResult;
  slower.phases.endToEnd = stats([0.2, 0.22, 0.24]);
  const same = b.results[2] as CompletedBulkResult;
  same.phases.endToEnd = stats([0.045, 0.055, 0.065]);
  const faster = b.results[5] as CompletedBulkResult; // shm-zero-copy int32/raw 10^6: 0.001-0.0012 in A
  faster.phases.endToEnd = stats([0.0004, 0.0005, 0.0006]);
  b.results.splice(0, 1);
  return b;
}

beforeAll(() => {
  directory = mkdtempSync(path.join(os.tmpdir(), 'ipclab-compare-'));
  fileA = path.join(directory, 'a.json');
  fileB = path.join(directory, 'b.json');
  writeFileSync(fileA, JSON.stringify(fixtureOutput));
  writeFileSync(fileB, JSON.stringify(changedRun()));
});

afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('ipclab compare', () => {
  it('pairs the shared verified cases and marks differences beyond the spread', () => {
    const comparison = compareRuns(fixtureOutput, changedRun());
    const verdicts = Object.fromEntries(comparison.cases.map((item) => [`${item.label} ${item.elements}`, [item.verdict, Number(item.ratio.toFixed(3))]]));
    expect(verdicts).toEqual({
      'pipe array/json 1000000': ['slower', 2],
      'pipe array/v8 1000000': ['overlap', 0.917],
      'tcp array/json 1000000': ['overlap', 1],
      'shm-zero-copy int32/raw 100000': ['overlap', 1],
      'shm-zero-copy int32/raw 1000000': ['faster', 0.455],
      'ipc-advanced int32/v8 100000': ['overlap', 1],
      'ipc-advanced int32/v8 1000000': ['overlap', 1],
    });
    expect(comparison.onlyInA).toEqual(['pipe array/json at 10^5']);
    expect(comparison.onlyInB).toEqual([]);
  });

  it('prints the side-by-side table with spreads, ratios and marks', async () => {
    const run = await ipclab('compare', fileA, fileB);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    const rows = run.stdout.split('\n');
    expect(rows[0]).toBe(`A: ${fileA} (ipclab 0.1.0, 2025-01-02T03:04:05.000Z, ipclab bench --sizes 1e5,1e6)`);
    expect(rows.find((row) => row.startsWith('pipe array/json '))).toMatch(/^pipe array\/json +10\^6 +110 ms \(100–120\) +220 ms \(200–240\) +2\.00x +\* slower$/);
    expect(rows.find((row) => row.startsWith('shm-zero-copy int32/raw ') && row.includes('10^6'))).toMatch(/1\.10 ms \(1\.00–1\.20\) +500 µs \(400–600\) +0\.455x +\* faster$/);
    expect(rows.find((row) => row.startsWith('pipe array/v8 '))).toMatch(/0\.917x$/);
    expect(run.stdout).toContain('7 shared case(s): B faster with the spreads apart in 1, slower in 1, within the noise (spreads overlap) in 5.');
    expect(run.stdout).toContain('Only in A (1): pipe array/json at 10^5\n');
    expect(Math.max(...rows.map((row) => row.length))).toBeLessThanOrEqual(120);
  });

  it('compares another phase with --phase', async () => {
    const run = await ipclab('compare', fileA, fileB, '--phase', 'send');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Phase: send medians');
    expect((await ipclab('compare', fileA, fileB, '--phase', 'speed')).stderr).toContain('--phase: unknown value "speed"; expected one of build,');
  });

  it('refuses a bad file, naming it and the first offending path, and wrong arity', async () => {
    const bad = path.join(directory, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...fixtureOutput, schemaVersion: 0 }));
    const run = await ipclab('compare', fileA, bad);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^ipclab: ".*bad\.json" is not an ipclab bench result: \/schemaVersion must be equal to constant/);
    expect((await ipclab('compare', fileA)).stderr).toContain('"ipclab compare" takes A.json B.json; got "');
  });
});
