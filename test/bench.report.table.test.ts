import { describe, expect, it } from 'vitest';

import { SUMMARY_TITLE } from '../src/bench/report/summaries.js';
import { renderTable } from '../src/bench/report/table.js';
import {
  EXPECTED_RESULT_HEADERS,
  fixtureOutput,
  fixtureTransports,
  JSON_LIMIT_REASON,
  MISMATCH_REASON,
  SKIP_REASON,
} from './fixtures/bench-output.js';

const text = renderTable(fixtureOutput, { transports: fixtureTransports, wide: true });
const lines = text.split('\n');

/** The table row of one case, split on runs of 2+ spaces. */
function row(transport: string, payload: string, codec: string, elements: string): string[] {
  const line = lines.find((candidate) => {
    const cells = candidate.split(/ {2,}/);
    return cells[0] === transport && cells.includes(payload) && cells.includes(codec) && cells.includes(elements);
  });
  if (!line) throw new Error(`no row for ${transport} ${payload} ${codec} ${elements} in:\n${text}`);
  return line.trim().split(/ {2,}/);
}

describe('terminal table', () => {
  it('starts with the machine and runtime, then how the run was made', () => {
    expect(lines[0]).toBe(
      'cpu: Fixture CPU 3000 (2 cores), memory: 24.0 GiB, kernel: 6.1.0-fixture (linux-x64), ' +
        'runtime: Node v20.20.0 (V8 11.3.244.8-node.33), date: 2025-01-02T03:04:05.000Z',
    );
    expect(lines[1]).toContain('command: ipclab bench --sizes 1e5,1e6; 3 repetition(s) per case');
    expect(lines[1]).toContain('timeout 120 s per case');
    expect(lines[2]).toBe(
      'commit 0123456789ab; addon: node-gyp build (/fixture/ipclab/build/Release/ipclab.node); Node flags: harness none, case processes --max-old-space-size=4096',
    );
    expect(text).toContain(
      'memcpy of 4,000,000 bytes: 0.000400 s into fresh memory (mmap + copy, clock stopped before munmap), 0.000200 s into warm memory (medians); ' +
        'native reference: 0.000680 s whole job (one process maps a new reserved segment, populates and fills it in 0.000440 s, another maps it, populates and reads every element in 0.000240 s)',
    );
    expect(text).toContain('Times in seconds; each median is followed by its spread in parentheses: min–max, or p25–p75 from 5 repetitions;');
  });

  it('has column headers with units', () => {
    const header = lines.find((line) => line.startsWith('transport'))!;
    expect(header.split(/ {2,}/)).toEqual(EXPECTED_RESULT_HEADERS);
  });

  it('prints medians and the constraint of a verified case; throughput and the memcpy ratio only where bytes were copied', () => {
    expect(row('shm-zero-copy', 'int32', 'raw', '10^6')).toEqual([
      'shm-zero-copy',
      'RawArray, done right',
      'hand-off',
      'int32',
      'raw',
      '10^6',
      '0.000550 (0.000500–0.000600)',
      '0.000660 (0.000600–0.000720)',
      '0.00110 (0.00100–0.00120)',
      '0.00124 (0.00113–0.00135)',
      '1.82x',
      '-', // a hand-off copies nothing: no GB/s, no memcpy ratio
      '-',
      'verified',
      'hand-off: nothing copied, end-to-end is the hand-off latency (no GB/s, no memcpy ratio); compare the whole job; 1-D typed array, completion flag needed',
    ]);
    expect(row('ipc-advanced', 'int32', 'v8', '10^6').slice(8, 13)).toEqual(['0.132 (0.128–0.140)', '0.148 (0.144–0.158)', '218x', '0.0303', '330x']);
  });

  it('shows why a case errored, was skipped or failed verification', () => {
    expect(row('ipc-json', 'array', 'json', '10^8')).toEqual(['ipc-json', 'Queue', '-', 'array', 'json', '10^8', '-', '-', '-', '-', '-', '-', '-', 'errored', JSON_LIMIT_REASON]);
    expect(row('worker-sab', 'array', 'raw', '10^6').slice(-2)).toEqual(['skipped', SKIP_REASON]);
    expect(row('file-tmp', 'int32', 'raw', '10^6').slice(-2)).toEqual(['NOT VERIFIED', MISMATCH_REASON]);
  });

  it('aligns numeric columns on the right', () => {
    const header = lines.find((line) => line.startsWith('transport'))!;
    const endOfEndToEnd = header.indexOf('end-to-end (s)') + 'end-to-end (s)'.length;
    const shm = lines.find((line) => line.startsWith('shm-zero-copy') && line.includes('10^6'))!;
    const pipe = lines.find((line) => line.startsWith('pipe ') && line.includes('10^5'))!;
    expect(shm.slice(0, endOfEndToEnd).endsWith('0.00110 (0.00100–0.00120)')).toBe(true);
    expect(pipe.slice(0, endOfEndToEnd).endsWith('0.0200 (0.0180–0.0250)')).toBe(true);
  });

  it('ends with the summaries as ratios', () => {
    expect(text).toContain(`${SUMMARY_TITLE}:\n`);
    expect(text).toContain('\n  10^6 array, copies between processes, end-to-end: pipe/v8 0.0600 (0.0500–0.0700) s fastest; pipe/json 1.83x slower, tcp 2.50x slower\n');
  });

  it('prints "-" for stands-for when no transport metadata is given', () => {
    const bare = renderTable(fixtureOutput, { wide: true });
    expect(bare.split('\n').find((line) => line.startsWith('pipe'))!.split(/ {2,}/)[1]).toBe('-');
  });
});
