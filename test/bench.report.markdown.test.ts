import { describe, expect, it } from 'vitest';

import { renderMarkdown } from '../src/bench/report/markdown.js';
import { SUMMARY_TITLE } from '../src/bench/report/summaries.js';
import { EXPECTED_RESULT_HEADERS, fixtureOutput, fixtureTransports } from './fixtures/bench-output.js';

const text = renderMarkdown(fixtureOutput, { transports: fixtureTransports });
const lines = text.split('\n');
const tableLines = lines.filter((line) => line.startsWith('|'));

/** Cells of a GitHub table row, honouring escaped pipes. */
const cells = (line: string) =>
  line
    .slice(2, -2)
    .split(/(?<!\\) \| /)
    .map((cell) => cell.replaceAll('\\|', '|'));

describe('Markdown report', () => {
  it('opens with the context line', () => {
    expect(text).toContain('cpu: Fixture CPU 3000 (2 cores), memory: 24.0 GiB, kernel: 6.1.0-fixture (linux-x64)');
    expect(text).toContain('date: 2025-01-02T03:04:05.000Z');
    expect(text).toContain('- memcpy of 8,000,000 bytes: 0.000800 s into fresh memory (mmap + copy, clock stopped before munmap)');
    expect(text).toContain('native reference: 0.00136 s whole job');
    expect(text).toContain('commit 0123456789ab; addon: node-gyp build');
  });

  it('is a GitHub table with units in the headers and numbers aligned right', () => {
    expect(cells(tableLines[0]!)).toEqual(EXPECTED_RESULT_HEADERS);
    expect(tableLines[1]).toBe('| --- | --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |');
    expect(tableLines).toHaveLength(2 + fixtureOutput.results.length);
    for (const line of tableLines) expect(cells(line)).toHaveLength(15);
  });

  it('puts each result in a row, with reasons intact and pipes escaped', () => {
    const pipe = cells(tableLines.find((line) => line.startsWith('| pipe | Pipe | copy | array | v8 |'))!);
    expect(pipe.slice(5, 14)).toEqual([
      '10^6',
      '0.0300 (0.0250–0.0350)',
      '0.0360 (0.0300–0.0420)',
      '0.0600 (0.0500–0.0700)',
      '0.0675 (0.0563–0.0788)',
      '49.6x',
      '0.133',
      '75.0x',
      'verified',
    ]);
    const skipped = tableLines.find((line) => line.startsWith('| worker-sab'))!;
    expect(skipped).toContain('worker-sab carries typed arrays only (int32 \\| float64)');
    expect(cells(skipped)[13]).toBe('skipped');
    expect(text).toContain('| errored | JSON text for 10^8 elements exceeds V8\'s string limit of 536,870,888 characters ("Invalid string length") |');
  });

  it('ends with the summaries as a list', () => {
    expect(text).toContain(`## ${SUMMARY_TITLE}`);
    expect(lines).toContain('- 10^6 int32, copies between processes, end-to-end: ipc-advanced 0.132 (0.128–0.140) s fastest');
  });
});
