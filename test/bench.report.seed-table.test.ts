// The README's seed table: Python's rows measured here beside Node's fastest counterpart, the JS
// Array findings, and the published figures only as a footnote (FIXTURE figures, invented).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { renderSeedSection, renderSeedTable, replaceSeedSection, seedFindings, seedResultsPath, SEED_END, SEED_START } from '../src/bench/report/seed-table.js';
import { stats } from '../src/bench/stats.js';
import type { CodecId, PayloadId, TransportId } from '../src/bench/ids.js';
import { bulkResults, type BenchOutput, type BulkResult } from '../src/bench/results.js';
import { readSavedFile } from '../src/bench/saved.js';
import { fixtureOutput } from './fixtures/bench-output.js';
import { completedResult, failedResult } from './support/results.js';

const ELEMENTS = 1e8;

/** A verified copy with one repetition: build 1 s, send half of end-to-end, recv a quarter, consume 0.1 s. */
function completed(transport: TransportId, payload: PayloadId, codec: CodecId, endToEnd: number): BulkResult {
  const phases = (seconds: number) => ({ build: 1, encode: null, decode: null, send: seconds / 2, transfer: seconds, recv: seconds / 4, consume: 0.1, verify: 0.01 });
  return completedResult({ transport, payload, codec, elements: ELEMENTS, endToEnd: [endToEnd], phases });
}

const skipped = (transport: TransportId, payload: PayloadId, reason: string): BulkResult =>
  failedResult('skipped', { transport, payload, codec: 'raw', elements: ELEMENTS }, reason);

const output: BenchOutput = {
  ...fixtureOutput,
  context: { ...fixtureOutput.context, command: 'ipclab bench --sizes 1e8 --python' },
  arrayFloors: [{ elements: ELEMENTS, materializeSeconds: stats([0.7, 0.8, 0.9]), castSeconds: stats([0.2, 0.25, 0.3]) }],
  results: [
    completed('ipc-advanced', 'array', 'v8', 10),
    completed('ipc-advanced', 'int32', 'v8', 0.8),
    completed('shm', 'array', 'raw', 0.9),
    completed('shm', 'int32', 'raw', 0.25),
    completed('shm-zero-copy', 'array', 'raw', 1.2),
    completed('py-queue', 'array', 'pickle', 30),
    completed('py-queue', 'int32', 'pickle', 2),
    completed('py-rawarray', 'array', 'raw', 8),
    skipped('py-shared-memory', 'int32', 'needs numpy, which python3 (Python 3.11.7) cannot import'),
    completed('py-shared-memory', 'array', 'raw', 4.5),
    failedResult('errored', { transport: 'py-manager', payload: 'array', codec: 'pickle', elements: ELEMENTS }, 'timed out after 60 s waiting for the payload to arrive and be verified'),
  ],
};

describe('seed table', () => {
  it('puts each Python row beside the fastest Node transport for the same method', () => {
    const table = renderSeedTable(output);
    expect(table).toContain('| Queue | py-queue | 15.0 / 7.50 / **30.0** | 1.00 / 0.500 / **2.00** | ipc-advanced/v8 **10.0** | ipc-advanced/v8 **0.800** |');
    expect(table).toContain('| RawArray + numpy | py-rawarray-numpy (receiver keeps the numpy array, as the seed did) | not run | not run | shm/raw **0.900** | shm/raw **0.250** |');
    expect(table).toContain('|  | py-rawarray (list rebuilt with .tolist()) | 4.00 / 2.00 / **8.00** | not run |  |  |');
    expect(table).toContain('|  | py-file-shm (/dev/shm, beside file-shm) | not run | not run | - | - |');
    expect(table).toContain('| Manager (list proxy) | py-manager | errored: timed out after 60 s waiting for the payload to arrive and be verified | not run | - | - |');
    expect(table).toContain('| shared\\_memory (Python 3.8+; not in the 2019 study) | py-shared-memory | 2.25 / 1.13 / **4.50** | skipped: needs numpy, which python3 (Python 3.11.7) cannot import | shm/raw **0.900** | shm/raw **0.250** |');
    expect(table).toContain('|  | py-array-nolock | not run | not run |  |  |');
  });

  it('states the JS Array findings with their figures, and the floor', () => {
    expect(seedFindings(output)).toEqual([
      "JS Array of 10^8 in, JS Array out: ipclab's fastest path (shm/raw) takes 0.900 s end to end, 11.1x faster than Node's process.send with advanced serialization (10.0 s) in the same run.",
      "Python's fastest list → list row here is py-shared-memory (4.50 s end to end); ipclab's JS Array path is 5.00x faster.",
      "Floor in the same run: one process turning a local Int32Array of 10^8 into a JS Array as the receiver does takes 0.800 s, the sender's cast alone 0.250 s; ipclab's path is 1.13x the slower of the two.",
    ]);
  });

  it('says which side is faster when a Python row beats the JS Array path', () => {
    const results = bulkResults(output).filter((result) => result.transport !== 'shm-zero-copy');
    const slow = { ...output, results: results.map((result) => (result.transport === 'shm' && result.payload === 'array' ? completed('shm', 'array', 'raw', 9) : result)) };
    expect(seedFindings(slow)[1]).toBe("Python's fastest list → list row here is py-shared-memory (4.50 s end to end); it is 2.00x faster than ipclab's JS Array path at this size.");
  });

  it('refuses a run without Python rows', () => {
    expect(() => renderSeedTable({ ...output, results: output.results.filter((result) => !result.transport.startsWith('py-')) })).toThrow(
      new RangeError('the run has no Python rows (py-*): record it with --python'),
    );
  });

  it('keeps the published 2019 figures to a labelled, sourced footnote and replaces only its own section', () => {
    const section = renderSeedSection(output, 'bench/results/seed.json');
    expect(section.startsWith(SEED_START)).toBe(true);
    expect(section.endsWith(SEED_END)).toBe(true);
    expect(section).toContain('Published figures, not measured here (Python 3.7, 2019, another machine;');
    expect(section).toContain('Reproduce: `ipclab bench --sizes 1e8 --python` (results: [bench/results/seed.json](bench/results/seed.json)).');
    expect(replaceSeedSection(`before\n${SEED_START}\nold\n${SEED_END}\nafter`, section)).toBe(`before\n${section}\nafter`);
    expect(() => replaceSeedSection('no markers', section)).toThrow(Error);
    expect(seedResultsPath(`x\n${section}\n`)).toBe('bench/results/seed.json');
  });
});

describe("the seed section of BENCHMARKS.md", () => {
  it('is exactly what the generator makes from the recorded run it names', () => {
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
    const readme = readFileSync(path.join(root, 'BENCHMARKS.md'), 'utf8');
    const resultsPath = seedResultsPath(readme);
    expect(resultsPath, 'BENCHMARKS.md has a seed section naming its results file').toBeDefined();
    expect(existsSync(path.join(root, resultsPath!))).toBe(true);
    const recorded = readSavedFile(path.join(root, resultsPath!));
    const start = readme.indexOf(SEED_START);
    expect(readme.slice(start, readme.indexOf(SEED_END) + SEED_END.length)).toBe(renderSeedSection(recorded, resultsPath!));
  });
});
