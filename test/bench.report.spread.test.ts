// Every median is shown with its spread (min–max, or p25–p75 from 5 repetitions); a case whose
// max/min exceeds 1.5x is marked noisy; a row with fewer repetitions than asked says so.
import { describe, expect, it } from 'vitest';

import { formatMedianSpread, isNoisy, resultNotes, resultTable } from '../src/bench/report/format.js';
import { stats, phaseStats } from '../src/bench/stats.js';
import { PHASE_NAMES } from '../src/bench/ids.js';
import { bulkResults, type CompletedBulkResult, type PhaseTimes } from '../src/bench/results.js';
import { fixtureOutput, fixtureTransports } from './fixtures/bench-output.js';

const base = bulkResults(fixtureOutput).find((result): result is CompletedBulkResult => result.status === 'completed' && result.transport === 'pipe')!;
/** The first repetition of the base case. */
const firstRun = Object.fromEntries(PHASE_NAMES.map((phase) => [phase, base.phases[phase]?.samples[0] ?? null])) as unknown as PhaseTimes;

function withEndToEnd(values: number[]): CompletedBulkResult {
  const runs: PhaseTimes[] = values.map((seconds) => ({ ...firstRun, endToEnd: seconds, wholeJob: seconds }));
  return { ...base, repetitions: runs.length, phases: phaseStats(runs) };
}

describe('spread', () => {
  it('is min–max below 5 repetitions, p25–p75 from 5, absent for one', () => {
    expect(formatMedianSpread(stats([2.589, 1.251, 2.529]), 3)).toBe('2.53 (1.25–2.59)');
    expect(formatMedianSpread(stats([1, 2, 3, 4, 5]), 5)).toBe('3.00 (2.00–4.00)');
    expect(formatMedianSpread(stats([0.5]), 1)).toBe('0.500');
    expect(formatMedianSpread(null, 3)).toBe('-');
  });

  it('marks max/min above 1.5x as noisy (the recorded 10^8 shm array raw: 2.07x)', () => {
    expect(isNoisy(withEndToEnd([2.589, 1.251, 2.529]))).toBe(true);
    expect(isNoisy(withEndToEnd([1, 1.5, 1.2]))).toBe(false);
    expect(isNoisy(withEndToEnd([1]))).toBe(false);
    expect(resultNotes(withEndToEnd([2.589, 1.251, 2.529]), { repeat: 3, budgetSeconds: null })).toEqual(['noisy: max/min 2.07x']);
  });

  it('says when a row ran fewer repetitions than asked, and why', () => {
    expect(resultNotes(withEndToEnd([2.5]), { repeat: 3, budgetSeconds: 30 })).toEqual(['1 of 3 repetitions (the 30 s budget was used up)']);
    expect(resultNotes(withEndToEnd([2.5, 2.6]), { repeat: 3, budgetSeconds: null })).toEqual(['2 of 3 repetitions']);
  });

  it('labels a hand-off as one in the table, without GB/s or memcpy ratio', () => {
    const { columns, rows } = resultTable(fixtureOutput, { transports: fixtureTransports });
    const at = (header: string) => columns.findIndex((column) => column.header === header);
    const handoff = rows[fixtureOutput.results.findIndex((result) => result.transport === 'shm-zero-copy' && result.elements === 1_000_000)]!;
    expect(handoff[at('kind')]).toBe('hand-off');
    expect(handoff[at('GB/s')]).toBe('-');
    expect(handoff[at('vs memcpy, fresh (x)')]).toBe('-');
    expect(handoff[at('end-to-end (s)')]).toBe('0.00110 (0.00100–0.00120)');
    expect(handoff[at('vs reference (x)')]).toBe('1.82x');
    expect(handoff[at('constraint / remarks')]).toMatch(/^hand-off: nothing copied, end-to-end is the hand-off latency/);
  });
});
