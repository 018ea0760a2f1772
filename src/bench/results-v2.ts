// What a run wrote before schema 3 (schema/bench-output-v2.schema.json): five figures per quantity
// (min, p25, median, p75, max), each repetition's figures in `runs`, and message rows apart from
// bulk ones. Kept only to read such files (saved.ts); nothing writes it.
import type { BenchMode, CodecId, PayloadId, PhaseName, TransportId } from './ids.js';
import type { CaseKind, PhaseTimes, RunContext } from './results.js';
import type { CaseSpec, MessageCaseSpec, SideUsage } from './side.js';

export interface SummaryV2 {
  min: number;
  p25: number;
  median: number;
  p75: number;
  max: number;
}

interface BulkCaseV2 {
  transport: TransportId;
  payload: PayloadId;
  codec: CodecId;
  elements: number;
  payloadBytes: number;
}

export interface CompletedResultV2 extends BulkCaseV2 {
  status: 'completed';
  verified: boolean;
  reason?: string;
  note?: string;
  repetitions: number;
  runs: PhaseTimes[];
  phases: Record<PhaseName, SummaryV2 | null>;
  kind: CaseKind;
  copies: number;
  throughput: { gigabytesPerSecond: number; elementsPerSecond: number } | null;
  sender: SideUsage;
  receiver: SideUsage;
  ratioToMemcpy: { fresh: number; warm: number } | null;
  ratioToFloor: number | null;
}

export interface FailedResultV2 extends BulkCaseV2 {
  status: 'errored' | 'skipped';
  verified: false;
  reason: string;
}

type MessageCaseV2 = Omit<MessageCaseSpec, 'fault'>;

export interface LatencyResultV2 extends MessageCaseV2 {
  mode: 'latency';
  status: 'completed';
  verified: boolean;
  reason?: string;
  repetitions: number;
  runs: Array<{ p50: number; p90: number; p99: number; max: number; messagesPerSecond: number }>;
  /** Medians over `runs`, and their spread. */
  roundTripSeconds: { p50: number; p90: number; p99: number; max: number };
  messagesPerSecond: number;
  spread: { p50: SummaryV2; p90: SummaryV2; p99: SummaryV2; max: SummaryV2; messagesPerSecond: SummaryV2 };
  client: SideUsage;
  server: SideUsage;
}

export interface ThroughputResultV2 extends MessageCaseV2 {
  mode: 'throughput';
  status: 'completed';
  verified: boolean;
  reason?: string;
  repetitions: number;
  runs: Array<{ seconds: number; messagesPerSecond: number; gigabytesPerSecond: number }>;
  /** Medians over `runs`, and their spread. */
  messagesPerSecond: number;
  gigabytesPerSecond: number;
  spread: { messagesPerSecond: SummaryV2; gigabytesPerSecond: SummaryV2 };
  client: SideUsage;
  server: SideUsage;
}

export interface FailedMessageResultV2 extends MessageCaseV2 {
  status: 'errored' | 'skipped';
  verified: false;
  reason: string;
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
  messageResults?: Array<LatencyResultV2 | ThroughputResultV2 | FailedMessageResultV2>;
}
