// The verdict under `ipclab bench`: per payload and size range, ipclab's path against Node's own,
// with the min–max of the ratio, "no clear winner" where it crosses 1, and the crossover named.
// Unit tests on results made by the shared builders, then one real run of the CLI.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { renderReport } from '../src/bench/report/index.js';
import { bulkVerdicts, crossover, messageVerdicts, sizeRatio, verdictLines, verdictSentences, VERDICT_TITLE } from '../src/bench/report/verdict.js';
import type { BenchOutput, BulkResult } from '../src/bench/results.js';
import { fixtureOutput } from './fixtures/bench-output.js';
import { latency, latencyFixture, throughput, throughputFixture } from './fixtures/message-output.js';
import { ipclab } from './support/cli.js';
import { completedResult } from './support/results.js';

const SIZES = [1e3, 1e4, 1e5, 1e6];

/** shm int32/raw and ipc-advanced int32/v8 at SIZES, each repetition's end-to-end given per size. */
function bulkRun(shm: number[][], ipc: number[][], extra: BulkResult[] = []): BenchOutput {
  const results = SIZES.flatMap((elements, index) => [
    completedResult({ transport: 'shm', payload: 'int32', codec: 'raw', elements, endToEnd: shm[index]! }),
    completedResult({ transport: 'ipc-advanced', payload: 'int32', codec: 'v8', elements, endToEnd: ipc[index]! }),
  ]);
  return { ...fixtureOutput, results: [...results, ...extra] };
}

describe('the ratio at one size', () => {
  it('is theirs over ours of the medians, with the extremes of every pair of repetitions', () => {
    expect(sizeRatio({ size: 10, ours: [1, 1.1, 1.2], theirs: [2.4, 2, 2.2] })).toEqual({ size: 10, ratio: 2, low: 2 / 1.2, high: 2.4, outcome: 'faster' });
    expect(sizeRatio({ size: 10, ours: [2, 2.2], theirs: [1, 1.1] }).outcome).toBe('slower');
    expect(sizeRatio({ size: 10, ours: [1, 1.5], theirs: [1.2, 1.3] }).outcome).toBe('unclear');
  });

  it('finds where the medians cross 1, by log-log interpolation', () => {
    const ratios = [sizeRatio({ size: 1e4, ours: [2], theirs: [1] }), sizeRatio({ size: 1e5, ours: [1], theirs: [2] })];
    expect(crossover(ratios)).toEqual({ below: 1e4, above: 1e5, estimate: 32_000, clear: true });
    expect(crossover([ratios[1]!, ratios[1]!])).toBeUndefined();
    // A clear loss, then no clear winner, then a clear win: the crossover spans the unclear size.
    const unclear = sizeRatio({ size: 1e5, ours: [1, 2], theirs: [1.2, 1.3] });
    const win = sizeRatio({ size: 1e6, ours: [1], theirs: [3] });
    expect(crossover([ratios[0]!, unclear, win])).toMatchObject({ below: 1e4, above: 1e6, clear: true });
  });
});

describe('the bulk verdict', () => {
  it('names the winner per size range and the crossover, copies against copies on end-to-end', () => {
    // shm twice as slow at 10^3 and 10^4, twice as fast from 10^5.
    const output = bulkRun(
      [[0.002, 0.0021, 0.0022], [0.004, 0.0041, 0.0042], [0.005, 0.0051, 0.0052], [0.01, 0.0101, 0.0102]],
      [[0.001, 0.00105, 0.0011], [0.002, 0.00205, 0.0021], [0.01, 0.0102, 0.0104], [0.02, 0.0202, 0.0204]],
    );
    const [verdict] = bulkVerdicts(output);
    expect(verdict!.measure).toBe('end-to-end, both copy between processes');
    expect(verdict!.ratios.map((item) => item.outcome)).toEqual(['slower', 'slower', 'faster', 'faster']);
    expect(verdictLines(verdict!)).toEqual([
      'int32 up to 10^4: process.send (ipc-advanced/v8) is faster than shm/raw: 2.00x (1.82–2.20) at 10^3 to 2.00x (1.90–2.10) at 10^4; end-to-end, both copy between processes',
      'int32 from 10^5 up (crossover between 10^4 and 10^5, near 32,000 by the medians): shm/raw is faster than process.send (ipc-advanced/v8): ' +
        '2.00x (1.92–2.08) at 10^5 to 2.00x (1.96–2.04) at 10^6; end-to-end, both copy between processes',
    ]);
  });

  it('says "no clear winner" where the range of the ratio crosses 1, and marks a crossover of the medians as within the noise', () => {
    const output = bulkRun(
      [[0.001, 0.002, 0.0015], [0.002, 0.003, 0.0025], [0.004, 0.0041, 0.0042], [0.01, 0.0101, 0.0102]],
      [[0.0012, 0.0018, 0.0014], [0.0024, 0.0026, 0.0028], [0.008, 0.0082, 0.0084], [0.03, 0.0303, 0.0306]],
    );
    const lines = verdictLines(bulkVerdicts(output)[0]!);
    // The medians cross 1 between 10^3 and 10^4, but neither side is clear: named, as within the noise.
    expect(lines[0]).toBe(
      'int32 up to 10^4 (crossover between 10^3 and 10^4, near 4,300 by the medians, within the noise): no clear winner, ' +
        'shm/raw is 0.933x (0.600–1.80) to 1.04x (0.800–1.40) as fast as process.send (ipc-advanced/v8), a range that crosses 1; end-to-end, both copy between processes',
    );
    expect(lines[1]).toContain('shm/raw is faster than process.send (ipc-advanced/v8): 2.00x (1.90–2.10) at 10^5 to 3.00x (2.94–3.06) at 10^6');
  });

  it('compares a thread transport with ipclab on the whole job, saying the kinds differ', () => {
    const output = bulkRun(
      SIZES.map(() => [0.001, 0.001, 0.001]),
      SIZES.map(() => [0.002, 0.002, 0.002]),
      SIZES.map((elements) => completedResult({ transport: 'worker-transfer', payload: 'int32', codec: 'raw', elements, endToEnd: [0.0001, 0.0001, 0.0001], kind: 'thread' })),
    );
    const threads = bulkVerdicts(output).find((verdict) => verdict.theirs.startsWith('worker_threads'))!;
    expect(threads.theirs).toBe('worker_threads (worker-transfer/raw)');
    expect(threads.measure).toMatch(/^whole job/);
    // Whole job = build (a tenth) + end-to-end + consume (a fortieth) in the builder.
    expect(threads.ratios[0]!.ratio).toBeCloseTo((0.0001 * 1.125) / (0.001 * 1.125), 9);
    expect(verdictLines(threads)).toEqual([
      'int32 at every size run (10^3 to 10^6): worker_threads (worker-transfer/raw) is faster than shm/raw: 10.0x (10.0–10.0) at 10^3 to 10.0x (10.0–10.0) at 10^6; ' +
        'whole job (produce + move + first full read), kinds differ',
    ]);
  });

  it('has no verdict without both ipclab and Node rows of a payload', () => {
    expect(bulkVerdicts({ ...fixtureOutput, results: fixtureOutput.results.filter((result) => result.transport !== 'shm-zero-copy') })).toEqual([]);
  });
});

describe('the message verdict', () => {
  it('compares ShmChannel with process.send at each message size, with or without native', () => {
    expect(verdictSentences(latencyFixture)).toEqual([
      'latency, messages at 8 B: ShmChannel (shm) is 2.00x (1.50–2.33) faster than process.send (ipc-json); p50 round trip between two processes',
    ]);
    // The throughput fixture has only shm and native: no verdict against Node; with process.send added, one.
    expect(messageVerdicts(throughputFixture)).toEqual([]);
    const withNode = { ...throughputFixture, results: [...throughputFixture.results, throughput('ipc-advanced', 2 ** 20, [0.5, 0.6, 0.7])] };
    expect(verdictSentences(withNode)).toEqual([
      'throughput, messages at 1.0 MiB: ShmChannel (shm) is 2.67x (2.14–3.60) faster than process.send (ipc-advanced); messages per second, each checked by the receiver',
    ]);
  });

  it('is in the Markdown and HTML reports too', () => {
    const line = 'latency, messages at 8 B: ShmChannel (shm) is 2.00x (1.50–2.33) faster than process.send (ipc-json); p50 round trip between two processes';
    expect(renderReport('markdown', latencyFixture)).toContain(`\n## ${VERDICT_TITLE}\n\n- ${line}\n`);
    expect(renderReport('html', latencyFixture)).toContain('<h2>Verdict</h2>');
  });

  it('names the message size from which shm beats worker_threads', () => {
    const rows = [latency('shm', 8, [30, 31, 32]), latency('worker-clone', 8, [10, 11, 12]), latency('shm', 65536, [50, 51, 52]), latency('worker-clone', 65536, [200, 210, 220])];
    const lines = verdictSentences({ ...latencyFixture, results: rows });
    expect(lines[1]).toMatch(/^latency, messages at 64\.0 KiB \(crossover between 8 B and 64\.0 KiB, near .+ by the medians\): ShmChannel \(shm\) is 4\.12x/);
  });
});

describe('ipclab bench ends with the verdict', () => {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'ipclab-verdict-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('one line per size range for int32, the crossover named when the medians cross 1', async () => {
    const out = path.join(directory, 'run.json');
    const args = ['bench', '--sizes', '1e3,1e4,1e5,1e6', '--payloads', 'int32', '--transports', 'shm,ipc-advanced', '--codecs', 'raw,v8', '--repeat', '2'];
    const run = await ipclab(...args, '--format', 'json', '--out', out);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(120);
    const title = lines.findIndex((line) => line.startsWith('Verdict ('));
    expect(title, run.stdout).toBeGreaterThan(0);
    const verdict = lines.slice(title + 1).join('\n');
    // The verdict is the last section: its lines (and their wrapped continuations) run to the end.
    expect(lines.slice(title + 1).every((line) => line.startsWith('  int32 ') || line.startsWith('      ')), verdict).toBe(true);
    const output = JSON.parse(readFileSync(out, 'utf8')) as BenchOutput;
    const [expected] = bulkVerdicts(output);
    // ipclab's side is its fastest codec at 10^6 (raw, or v8 when load shuffles two close medians).
    expect(expected!.ours).toMatch(/^shm\/(raw|v8)$/);
    expect(expected!.ratios.map((item) => item.size)).toEqual(SIZES);
    const unwrapped = verdict.replace(/\n {6}/g, ' ');
    expect(unwrapped).toBe(verdictLines(expected!).map((line) => `  ${line}`).join('\n'));
    const medians = expected!.ratios.map((item) => item.ratio > 1);
    const spansCrossover = medians.some((faster) => faster) && medians.some((faster) => !faster);
    expect(unwrapped.includes('crossover between'), unwrapped).toBe(spansCrossover);
    expect(VERDICT_TITLE).toContain('min–max');
  }, 90_000);
});
