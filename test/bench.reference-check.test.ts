// The native reference is checked in every run: a row whose whole job beats it by more than 10%
// is printed with a warning naming both. Proven with a reference slowed on purpose (the
// test-only IPCLAB_TEST_SLOW_REFERENCE_MS, honoured inside the reference's produce window).
import { describe, expect, it } from 'vitest';

import type { BenchOutput, CompletedBulkResult } from '../src/bench/results.js';
import { referenceWarnings, REFERENCE_BEATEN_BELOW } from '../src/bench/report/reference-check.js';
import { measureBaseline } from '../src/bench/yardsticks/baseline.js';
import { validateBenchOutput } from '../src/bench/schema.js';
import { runIpclab } from './support/cli.js';

const SLOW_MS = 400;

function bench(slowMs: number | undefined, format: string) {
  const env = { ...process.env };
  delete env.IPCLAB_TEST_SLOW_REFERENCE_MS;
  if (slowMs !== undefined) env.IPCLAB_TEST_SLOW_REFERENCE_MS = String(slowMs);
  return runIpclab(['bench', '--sizes', '1e4', '--repeat', '1', '--transports', 'shm-zero-copy', '--payloads', 'int32', '--format', format], { env });
}

describe('native reference check', () => {
  it('the slowdown switch lengthens the reference\'s produce step by that much, and only when set', () => {
    process.env.IPCLAB_TEST_SLOW_REFERENCE_MS = '150';
    try {
      expect(measureBaseline(4096, 1).floor!.produceSeconds.min).toBeGreaterThanOrEqual(0.15);
    } finally {
      delete process.env.IPCLAB_TEST_SLOW_REFERENCE_MS;
    }
    expect(measureBaseline(4096, 1).floor!.produceSeconds.min).toBeLessThan(0.15);
  });

  it('a run against a reference made slow prints a warning naming the row and the reference', async () => {
    const run = await bench(SLOW_MS, 'table');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/WARNING: shm-zero-copy int32\/raw at 10\^4 beats the native reference \(0\.[4-9]\d* s\) by \d+%/);
  });

  it('the warning follows the JSON: every row below 0.9x of its in-step reference, and no other', async () => {
    const run = await bench(SLOW_MS, 'json');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/WARNING: shm-zero-copy int32\/raw at 10\^4 beats the native reference/);
    const output = JSON.parse(run.stdout) as BenchOutput;
    expect(validateBenchOutput(output)).toEqual([]); // yardsticks, memory, hand-offs and provenance as the schema says
    const row = output.results[0] as CompletedBulkResult;
    expect(row.yardsticks!.floor!.produceSeconds.min).toBeGreaterThanOrEqual(SLOW_MS / 1000);
    expect(row.ratioToFloor).toBeLessThan(REFERENCE_BEATEN_BELOW);
    expect(referenceWarnings(output)).toHaveLength(1);
    const unflagged = { ...output, results: [{ ...row, ratioToFloor: REFERENCE_BEATEN_BELOW }] };
    expect(referenceWarnings(unflagged)).toEqual([]);
  });
});
