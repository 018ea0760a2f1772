// Files written before schema 3 (bench/results/full.json and 1e8.json, and two message runs kept in
// test/fixtures/schema-2) are read into the current shape:
// a case's and a message row's stats made anew from the repetitions they kept, a yardstick's from
// the five figures it kept.
import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import type { SummaryV2 } from '../src/bench/results-v2.js';
import { bulkResults, messageResults, type CompletedBulkResult, type LatencyResult, type ThroughputResult } from '../src/bench/results.js';
import { readSavedOutput, statsOfSummary } from '../src/bench/saved.js';
import { validateBenchOutput } from '../src/bench/schema.js';
import { phaseStats, stats } from '../src/bench/stats.js';

/** A file recorded in schema 2: the bulk runs in bench/results, the message runs in test/fixtures/schema-2. */
const recorded = (name: string) => {
  const folder = name === 'full.json' ? '../bench/results/' : './fixtures/schema-2/';
  return JSON.parse(readFileSync(new URL(`${folder}${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
};
const summaryOf = (samples: number[]): SummaryV2 => {
  const { min, p25, p50, p75, max } = stats(samples);
  return { min, p25, median: p50, p75, max };
};

describe('a schema-2 file', () => {
  it('is checked against schema 2, and read into a valid schema-3 output', () => {
    for (const name of ['full.json', 'latency.json', 'throughput.json']) {
      const file = recorded(name);
      expect(file.schemaVersion).toBe(2);
      const { output, problems } = readSavedOutput(file);
      expect(problems).toBeUndefined();
      expect(output!.schemaVersion).toBe(3);
      expect(validateBenchOutput(JSON.parse(JSON.stringify(output)))).toEqual([]);
    }
  });

  it("gives each case's phases and each message row's figures their stats from the repetitions the file kept", () => {
    const file = recorded('full.json') as { results: Array<{ status: string; runs?: Parameters<typeof phaseStats>[0] }> };
    const index = file.results.findIndex((result) => result.status === 'completed');
    const [result] = bulkResults(readSavedOutput(file).output!).slice(index, index + 1) as CompletedBulkResult[];
    expect(result!.phases).toEqual(phaseStats(file.results[index]!.runs!));

    const latencyFile = recorded('latency.json') as { messageResults: Array<{ runs: Array<{ p99: number }> }> };
    const latency = messageResults(readSavedOutput(latencyFile).output!)[0] as LatencyResult;
    expect(latency.roundTripSeconds.p99.samples).toEqual(latencyFile.messageResults[0]!.runs.map((run) => run.p99));

    const throughputFile = recorded('throughput.json') as { messageResults: Array<{ runs: Array<{ seconds: number }> }> };
    const throughput = messageResults(readSavedOutput(throughputFile).output!)[0] as ThroughputResult;
    expect(throughput.seconds.samples).toEqual(throughputFile.messageResults[0]!.runs.map((run) => run.seconds));
  });

  it('gives a yardstick the samples its five figures determine, up to five of them', () => {
    for (const samples of [[0.5], [2, 1], [3, 1, 2.5], [0.4, 0.1, 0.35, 0.2], [5, 1, 4.5, 2, 3]]) {
      const read = statsOfSummary(summaryOf(samples));
      const expected = stats([...samples].sort((a, b) => a - b));
      expect(read.samples).toHaveLength(samples.length);
      read.samples.forEach((sample, index) => expect(sample).toBeCloseTo(expected.samples[index]!, 12));
      for (const figure of ['min', 'p25', 'p50', 'p75', 'p90', 'p99', 'max'] as const) expect(read[figure], figure).toBeCloseTo(expected[figure], 12);
    }
    // Evenly spaced samples are told by fewer: [1, 3] has the quantiles of [1, 2, 3], p90 and p99 too.
    const { samples: _fewer, ...quantiles } = statsOfSummary(summaryOf([3, 1, 2]));
    const { samples: _all, ...expected } = stats([1, 2, 3]);
    expect(quantiles).toEqual(expected);
  });

  it('beyond five samples, keeps the five figures and reads p90 and p99 between p75 and max', () => {
    const summary = summaryOf([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const read = statsOfSummary(summary);
    expect(read).toMatchObject({ min: summary.min, p25: summary.p25, p50: summary.median, p75: summary.p75, max: summary.max });
    expect(read.p75 <= read.p90 && read.p90 <= read.p99 && read.p99 <= read.max).toBe(true);
  });
});
