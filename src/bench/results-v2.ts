// What a run wrote before schema 3 (schema/bench-output-v2.schema.json), told by how it differs
// from the current shape: five figures per quantity (min, p25, median, p75, max), each repetition's
// figures in `runs`, no `mode` on a bulk result, and message rows apart from bulk ones. Kept only
// to read such files (saved.ts); nothing writes it.
import type { BenchMode, PhaseName } from './ids.js';
import type { LatencyRun, ThroughputRun } from './message-figures.js';
import type { CompletedBulkResult, FailedBulkResult, FailedMessageResult, LatencyResult, PhaseTimes, RunContext, ThroughputResult } from './results.js';
import type { CaseSpec } from './side.js';

export interface SummaryV2 {
  min: number;
  p25: number;
  median: number;
  p75: number;
  max: number;
}

/** A completed bulk case: as now, but with five figures per phase, its runs, and no mode. */
export interface CompletedResultV2 extends Omit<CompletedBulkResult, 'mode' | 'phases'> {
  runs: PhaseTimes[];
  phases: Record<PhaseName, SummaryV2 | null>;
}

export type FailedResultV2 = Omit<FailedBulkResult, 'mode'>;

/** A completed latency row: each repetition's figures in `runs`, their medians, and their spread. */
export interface LatencyResultV2 extends Omit<LatencyResult, 'roundTripSeconds' | 'messagesPerSecond'> {
  runs: LatencyRun[];
  roundTripSeconds: { p50: number; p90: number; p99: number; max: number };
  messagesPerSecond: number;
  spread: { p50: SummaryV2; p90: SummaryV2; p99: SummaryV2; max: SummaryV2; messagesPerSecond: SummaryV2 };
}

export interface ThroughputResultV2 extends Omit<ThroughputResult, 'seconds' | 'messagesPerSecond' | 'gigabytesPerSecond'> {
  runs: ThroughputRun[];
  messagesPerSecond: number;
  gigabytesPerSecond: number;
  spread: { messagesPerSecond: SummaryV2; gigabytesPerSecond: SummaryV2 };
}

export interface MemcpyBaselineV2 {
  bytes: number;
  freshSeconds: SummaryV2;
  warmSeconds: SummaryV2;
  floor: { produceSeconds: SummaryV2; consumeSeconds: SummaryV2; wholeJobSeconds: SummaryV2 } | null;
  floorError?: string;
}

export interface BenchOutputV2 {
  schemaVersion: 2;
  context: RunContext;
  mode?: BenchMode;
  trials: CaseSpec[];
  baselines: MemcpyBaselineV2[];
  arrayFloors?: Array<{ elements: number; materializeSeconds: SummaryV2; castSeconds: SummaryV2 }>;
  results: Array<CompletedResultV2 | FailedResultV2>;
  messageResults?: Array<LatencyResultV2 | ThroughputResultV2 | FailedMessageResult>;
}
