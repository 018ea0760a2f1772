// The default terminal table: at most 120 columns, each time in its own unit with its spread,
// failures and notes as footnotes, each transport's constraint once; --wide keeps every column.
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { wrapText } from '../src/bench/report/compact.js';
import { renderTable, TERMINAL_WIDTH } from '../src/bench/report/table.js';
import { transports } from '../src/bench/transports/index.js';
import { readSavedFile } from '../src/bench/saved.js';
import { fixtureOutput, fixtureTransports, JSON_LIMIT_REASON } from './fixtures/bench-output.js';
import { repository } from './support/npm.js';

const text = renderTable(fixtureOutput, { transports: fixtureTransports });
const lines = text.trimEnd().split('\n');
const width = (line: string) => [...line].length;
const row = (start: string) => lines.find((line) => line.startsWith(start))!;

describe('the default terminal table', () => {
  it('fits 120 columns, for the fixture and for the recorded run', () => {
    expect(TERMINAL_WIDTH).toBe(120);
    const recorded = readSavedFile(path.join(repository, 'bench', 'results', 'full.json'));
    expect(recorded.results.length).toBeGreaterThan(100);
    for (const output of [text, renderTable(recorded, { transports })]) {
      expect(output.split('\n').filter((line) => width(line) > 120)).toEqual([]);
    }
  });

  it('prints each time in the unit that suits it, with its spread', () => {
    expect(text).toMatch(/shm-zero-copy +int32\/raw +10\^6 +hand-off +1\.10 ms \(1\.00–1\.20\)/);
    expect(text).toMatch(/pipe +array\/json +10\^5 +copy +20\.0 ms \(18\.0–25\.0\)/);
    expect(text).not.toMatch(/0\.000\d/); // no long runs of zeros
  });

  it('says each failure once, as a footnote, and each constraint once per transport', () => {
    const errored = row('ipc-json');
    const mark = /errored \[(\d+)\]$/.exec(errored)![1];
    const footnote = lines.findIndex((line) => line.startsWith(`[${mark}] ipc-json array/json at 10^8:`));
    expect(footnote).toBeGreaterThan(0);
    expect(lines.slice(footnote, footnote + 3).join(' ').replace(/\s+/g, ' ')).toContain(JSON_LIMIT_REASON);
    for (const { id, constraint } of fixtureTransports) {
      expect(text.split(`  ${id}: ${constraint}\n`).length - 1, id).toBe(1);
    }
  });

  it('--wide keeps every column and note on its row', () => {
    const wide = renderTable(fixtureOutput, { transports: fixtureTransports, wide: true });
    expect(wide).toContain('constraint / remarks');
    expect(Math.max(...wide.split('\n').map(width))).toBeGreaterThan(120);
  });
});

describe('wrapText', () => {
  it('breaks between words, keeps the first indent and indents the rest; cuts a word longer than the line', () => {
    expect(wrapText('  alpha beta gamma', 12, '    ')).toEqual(['  alpha beta', '    gamma']);
    expect(wrapText('x'.repeat(25), 10, '  ')).toEqual(['x'.repeat(10), `  ${'x'.repeat(8)}`, `  ${'x'.repeat(7)}`]);
  });
});
