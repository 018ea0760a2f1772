// `ipclab compare A.json B.json`: shared verified cases side by side with B/A, a bootstrap interval
// and Mann–Whitney's p with the n of each side; a difference is marked only where the samples can
// show one; cases only one run has are listed; a side of several runs pools their repetitions; bad
// files are refused.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { compareRuns } from '../src/bench/report/compare.js';
import type { BenchOutput } from '../src/bench/results.js';
import { stats } from '../src/bench/stats.js';
import { fixtureOutput } from './fixtures/bench-output.js';
import { ipclab } from './support/cli.js';
import { completedResult } from './support/results.js';

let directory = '';
let fileA = '';
let fileB = '';

/** shm int32/raw and pipe array/json at 10^6, one repetition per value of `base` (pipe's 5x), scaled by `shm` and `pipe`. */
function runOf(base: readonly number[], shm = 1, pipe = 1): BenchOutput {
  return {
    ...fixtureOutput,
    results: [
      completedResult({ transport: 'shm', payload: 'int32', codec: 'raw', elements: 1e6, endToEnd: base.map((value) => value * shm) }),
      completedResult({ transport: 'pipe', payload: 'array', codec: 'json', elements: 1e6, endToEnd: base.map((value) => value * 5 * pipe) }),
    ],
  };
}

const SIX = [0.01, 0.0104, 0.0098, 0.0102, 0.0107, 0.0099];
const sixRepetitions = (shm = 1, pipe = 1) => runOf(SIX, shm, pipe);

/** B: the fixture with pipe array/json 10^6 twice as slow and pipe 10^5 dropped (3 repetitions a case). */
function changedRun(): BenchOutput {
  const b = structuredClone(fixtureOutput);
  const slower = b.results[1]!;
  b.results[1] = completedResult({ transport: 'pipe', payload: 'array', codec: 'json', elements: 1e6, endToEnd: [0.2, 0.22, 0.24] });
  expect(slower.transport).toBe('pipe');
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
  it('says "too few samples to tell" at 3 repetitions a side, even where the min-max ranges are far apart', () => {
    const comparison = compareRuns(fixtureOutput, changedRun());
    const verdicts = Object.fromEntries(comparison.cases.map((item) => [`${item.label} ${item.elements}`, [item.verdict, Number(item.ratio.toFixed(3))]]));
    expect(verdicts['pipe array/json 1000000']).toEqual(['too-few', 2]);
    expect(comparison.cases.every((item) => item.verdict === 'too-few')).toBe(true);
    // 7 cases at 5% family-wise: 0.05/7 per case; 2/C(2n, n) reaches it from n = 6.
    expect(comparison.samplesNeeded).toBe(6);
    expect(comparison.onlyInA).toEqual(['pipe array/json at 10^5']);
    expect(comparison.onlyInB).toEqual([]);
  });

  it('marks a difference that six repetitions a side show, and none where the runs agree; deterministic', () => {
    const comparison = compareRuns(sixRepetitions(), sixRepetitions(1, 1.3));
    const [shm, pipe] = comparison.cases;
    expect(shm!.verdict).toBe('same');
    expect(shm!.p).toBeCloseTo(1, 6); // identical samples: every value tied
    expect(pipe!.verdict).toBe('slower');
    expect(pipe!.p).toBeCloseTo(2 / 924, 12);
    expect(pipe!.interval[0]).toBeGreaterThan(1);
    expect(compareRuns(sixRepetitions(), sixRepetitions(1, 1.3))).toEqual(comparison);
    // Faster, and a shift that the samples' overlap leaves unshown.
    expect(compareRuns(sixRepetitions(), sixRepetitions(0.5)).cases[0]!.verdict).toBe('faster');
    expect(compareRuns(sixRepetitions(), sixRepetitions(1.02)).cases[0]!.verdict).toBe('same');
  });

  it('prints n per side, the ratio with its interval, p and the verdict, within 120 columns', async () => {
    const run = await ipclab('compare', fileA, fileB);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    const rows = run.stdout.split('\n');
    expect(rows[0]).toBe(`A: ${fileA} (ipclab 0.1.0, 2025-01-02T03:04:05.000Z, ipclab bench --sizes 1e5,1e6)`);
    expect(rows.find((row) => row.startsWith('pipe array/json '))).toMatch(/^pipe array\/json 10\^6 +3\+3 +110 ms +220 ms +2\.00x \([\d.]+–[\d.]+\) +0\.10 +too few samples to tell$/);
    expect(run.stdout).toContain('7 shared case(s): B faster in 0, slower in 0, no difference shown in 0, too few samples to tell in 7');
    expect(run.stdout).toContain('each side needs at least 6 repetitions: --repeat 6');
    expect(run.stdout).toContain('Only in A (1): pipe array/json at 10^5\n');
    expect(Math.max(...rows.map((row) => row.length))).toBeLessThanOrEqual(120);
  });

  it('compares another phase with --phase', async () => {
    const run = await ipclab('compare', fileA, fileB, '--phase', 'send');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Phase: send of verified cases');
    expect((await ipclab('compare', fileA, fileB, '--phase', 'speed')).stderr).toContain('--phase: unknown value "speed"; expected one of build,');
  });

  it('pools the repetitions of several runs on a side, one header line per run', async () => {
    /** Three repetitions of each case, scaled by `scale`. */
    const half = (scale: number) => runOf(SIX.slice(0, 3), scale, scale);
    const halves = [half(1), half(1.3)];
    const pooled = compareRuns(halves, sixRepetitions());
    const pooledShm = pooled.cases[0]!.a.samples;
    expect(pooledShm).toHaveLength(6);
    [0.01, 0.0104, 0.0098, 0.013, 0.01352, 0.01274].forEach((value, index) => expect(pooledShm[index]).toBeCloseTo(value, 12));
    expect(pooled.cases[0]!.a.p50).toBe(stats(pooledShm).p50);
    expect(pooled.cases.map((item) => `${item.a.samples.length}+${item.b.samples.length}`)).toEqual(['6+6', '6+6']);

    const files = halves.map((output, index) => {
      const file = path.join(directory, `half${index + 1}.json`);
      writeFileSync(file, JSON.stringify(output));
      return file;
    });
    const run = await ipclab('compare', files.join(','), fileB);
    expect(run.code, run.stderr).toBe(0);
    const rows = run.stdout.split('\n');
    expect(rows[0]).toMatch(new RegExp(`^A1: ${files[0]} \\(ipclab `));
    expect(rows[1]).toMatch(new RegExp(`^A2: ${files[1]} \\(ipclab `));
    expect(rows[2]).toMatch(/^B: /);
    expect(rows[3]).toBe('A pools the repetitions of its 2 runs.');
    expect(run.stdout).toMatch(/^pipe array\/json 10\^6 +6\+3 /m);
    expect((await ipclab('compare', `${fileA},`, fileB)).stderr).toContain('names an empty file; expected one run\'s JSON file, or several joined by commas');
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
