// A saved run read back (`ipclab report`, `ipclab compare`, the README's tables): checked against
// the schema of its version, and a schema-2 file brought to the current shape, so that every
// renderer reads one shape.
import { readFileSync } from 'node:fs';

import { latencyStats, throughputStats } from './message-figures.js';
import type { BenchOutputV2, CompletedResultV2, FailedResultV2, LatencyResultV2, SummaryV2, ThroughputResultV2 } from './results-v2.js';
import { SCHEMA_VERSION, type BenchOutput, type BulkResult, type FailedMessageResult, type MessageResult, type Stats } from './results.js';
import { validateBenchOutput } from './schema.js';
import { phaseStats, stats } from './stats.js';

/** The output a saved file holds, in the current shape, or every way it breaks its schema. */
export function readSavedOutput(value: unknown): { output: BenchOutput; problems?: undefined } | { output?: undefined; problems: string[] } {
  const problems = validateBenchOutput(value);
  if (problems.length > 0) return { problems };
  const output = value as BenchOutput | BenchOutputV2;
  return { output: output.schemaVersion === 2 ? fromSchema2(output) : output };
}

/** The saved run in `file`, in the current shape; throws an Error naming its first problem. */
export function readSavedFile(file: string): BenchOutput {
  const { output, problems } = readSavedOutput(JSON.parse(readFileSync(file, 'utf8')));
  if (problems) throw new Error(`${file} is not an ipclab bench result: ${problems[0]}`);
  return output;
}

/**
 * A schema-2 output in the current shape. Its cases and message rows kept each repetition's
 * figures (`runs`), so their stats are made anew from them, exactly. Its yardsticks kept five
 * figures each: their samples are the ones those figures determine (see statsOfSummary).
 */
export function fromSchema2(output: BenchOutputV2): BenchOutput {
  return {
    schemaVersion: SCHEMA_VERSION,
    context: output.context,
    mode: output.mode ?? 'bulk',
    trials: output.trials,
    baselines: output.baselines.map((baseline) => ({
      ...baseline,
      freshSeconds: statsOfSummary(baseline.freshSeconds),
      warmSeconds: statsOfSummary(baseline.warmSeconds),
      floor: baseline.floor && {
        produceSeconds: statsOfSummary(baseline.floor.produceSeconds),
        consumeSeconds: statsOfSummary(baseline.floor.consumeSeconds),
        wholeJobSeconds: statsOfSummary(baseline.floor.wholeJobSeconds),
      },
    })),
    arrayFloors: (output.arrayFloors ?? []).map((floor) => ({
      elements: floor.elements,
      materializeSeconds: statsOfSummary(floor.materializeSeconds),
      castSeconds: statsOfSummary(floor.castSeconds),
    })),
    results: [...output.results.map(bulkResultOf), ...(output.messageResults ?? []).map(messageResultOf)],
  };
}

function bulkResultOf(result: CompletedResultV2 | FailedResultV2): BulkResult {
  if (result.status !== 'completed') return { mode: 'bulk', ...result };
  const { runs, phases: _phases, ...rest } = result;
  return { mode: 'bulk', ...rest, phases: phaseStats(runs) };
}

function messageResultOf(result: LatencyResultV2 | ThroughputResultV2 | FailedMessageResult): MessageResult {
  if (result.status !== 'completed') return result;
  if (result.mode === 'latency') {
    const { runs, roundTripSeconds: _medians, messagesPerSecond: _median, spread: _spread, ...rest } = result;
    return { ...rest, ...latencyStats(runs) };
  }
  const { runs, messagesPerSecond: _rate, gigabytesPerSecond: _bandwidth, spread: _spread, ...rest } = result;
  return { ...rest, ...throughputStats(runs) };
}

/** A relative difference below this is a rounding difference. */
const SAME = 1e-9;

/**
 * The stats behind five figures (min, p25, median, p75, max of n samples, quantiles interpolated
 * as stats.ts does). Up to five samples the figures determine them: the fewest that give all five
 * figures back are taken (every yardstick of an ipclab run with --repeat 5 or less), sorted, as
 * their run order is lost; where fewer give the same five figures (evenly spaced samples), they give
 * every other quantile the same too. Beyond five they cannot be told apart, and the five figures stand in
 * for them: min, p25, p50, p75 and max come back as recorded, and p90 and p99 are read between p75
 * and max.
 */
export function statsOfSummary(summary: SummaryV2): Stats {
  const { min, p25, median, p75, max } = summary;
  const fourth = min + (p25 - min) / 0.75; // n = 4: p25 lies at rank 0.75
  const candidates = [[median], [min, max], [min, median, max], [min, fourth, 2 * median - fourth, max], [min, p25, median, p75, max]];
  const close = (a: number, b: number) => Math.abs(a - b) <= SAME * Math.max(Math.abs(a), Math.abs(b), Number.MIN_VALUE);
  for (const samples of candidates) {
    const candidate = stats(samples);
    if (close(candidate.min, min) && close(candidate.p25, p25) && close(candidate.p50, median) && close(candidate.p75, p75) && close(candidate.max, max)) {
      return candidate;
    }
  }
  return stats(candidates[candidates.length - 1]!);
}
