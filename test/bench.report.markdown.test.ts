import { describe, expect, it } from 'vitest';

import { renderMarkdown } from '../src/bench/report/markdown.js';
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
    expect(text).toContain('- memcpy of 8,000,000 bytes: 0.000800 s into fresh memory');
  });

  it('is a GitHub table with units in the headers and numbers aligned right', () => {
    expect(cells(tableLines[0]!)).toEqual(EXPECTED_RESULT_HEADERS);
    expect(tableLines[1]).toBe('| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |');
    expect(tableLines).toHaveLength(2 + fixtureOutput.results.length);
    for (const line of tableLines) expect(cells(line)).toHaveLength(12);
  });

  it('puts each result in a row, with reasons intact and pipes escaped', () => {
    const pipe = cells(tableLines.find((line) => line.startsWith('| pipe | Pipe | array | v8 |'))!);
    expect(pipe.slice(4, 11)).toEqual(['10^6', '0.0300', '0.0360', '0.0600', '0.133', '75.0x', 'verified']);
    const skipped = tableLines.find((line) => line.startsWith('| worker-sab'))!;
    expect(skipped).toContain('worker-sab carries typed arrays only (int32 \\| float64)');
    expect(cells(skipped)[10]).toBe('skipped');
    expect(text).toContain('| errored | JSON text for 10^8 elements exceeds V8\'s string limit of 536,870,888 characters ("Invalid string length") |');
  });

  it('ends with the summaries as a list', () => {
    expect(text).toContain('## Summary (end-to-end medians of verified cases, at the largest size per payload)');
    expect(lines).toContain('- shm-zero-copy 120x faster than ipc-advanced at 10^6 int32');
  });
});
