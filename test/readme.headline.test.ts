// The README's results section is generated from a recorded run (bench/update-readme.mjs): its
// headline table and sentences must be exactly what that run's JSON gives, and the figures in
// the table must be the medians the JSON holds.
import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { formatSeconds } from '../src/bench/report/format.js';
import { largestSize, README_RESULTS_END, README_RESULTS_START, readmeResultsSection } from '../src/bench/report/headline.js';
import { bulkResults } from '../src/bench/results.js';
import { readSavedFile } from '../src/bench/saved.js';
import { validateBenchOutput } from '../src/bench/schema.js';

const root = new URL('../', import.meta.url);
const readme = readFileSync(new URL('BENCHMARKS.md', root), 'utf8');
const section = readme.slice(readme.indexOf(README_RESULTS_START), readme.indexOf(README_RESULTS_END) + README_RESULTS_END.length);
const named = /full results: \[([^\]]+\.json)\]/.exec(section)?.[1];

describe('the results section of BENCHMARKS.md', () => {
  it('names the recorded run it comes from, which follows the schema', () => {
    expect(readme.indexOf(README_RESULTS_START)).toBeGreaterThan(-1);
    expect(named).toMatch(/^bench\/results\/.+\.json$/);
    expect(validateBenchOutput(JSON.parse(readFileSync(new URL(named!, root), 'utf8')))).toEqual([]);
  });

  it('is exactly what the generator makes of that run (regenerate: node bench/update-readme.mjs)', () => {
    const output = readSavedFile(new URL(named!, root).pathname);
    expect(section).toBe(readmeResultsSection(output, named!));
  });

  it("shows each row's end-to-end medians as the JSON holds them, and the commit they came from", () => {
    const output = readSavedFile(new URL(named!, root).pathname);
    const elements = largestSize(output);
    const rows = section.split('\n').filter((line) => /^\| [^-]/.test(line)).slice(1);
    expect(rows.length).toBeGreaterThan(0);
    let checked = 0;
    for (const row of rows) {
      const cells = row.slice(2, -2).split(' | ');
      const [transport, , codec, arrayCell, int32Cell] = cells.slice(2);
      for (const [payload, text] of [['array', arrayCell], ['int32', int32Cell]] as const) {
        const result = bulkResults(output).find((item) => item.transport === transport && item.codec === codec && item.payload === payload && item.elements === elements);
        const bold = /^\*\*([^ *]+)/.exec(text ?? '')?.[1];
        if (result?.status === 'completed') {
          expect(bold, `${transport} ${payload}/${codec}`).toBe(formatSeconds(result.phases.endToEnd?.p50));
          checked++;
        } else {
          expect(bold, `${transport} ${payload}/${codec}`).toBeUndefined();
        }
      }
    }
    expect(checked).toBeGreaterThan(0);
    if (output.context.git) expect(section).toContain(`commit ${output.context.git.commit.slice(0, 12)}`);
  });
});
