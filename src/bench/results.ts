// What a run writes: one result per case, the same-run yardsticks, and the machine it ran on. The
// JSON report is this object; schema/bench-output.schema.json describes it.
import type { BenchMode, CodecId, PayloadId, PhaseName, TransportId } from './ids.js';
import type { CaseSpec, MessageCaseSpec, SideUsage } from './side.js';

/** Seconds per phase; null where the phase does not apply to this case. */
export interface PhaseTimes {
  build: number | null;
  cast: number | null;
  encode: number | null;
  send: number | null;
  transfer: number | null;
  recv: number | null;
  decode: number | null;
  endToEnd: number | null;
  /** The receiver's first full read of the value it ended up with, right after it was ready. */
  consume: number | null;
  verify: number | null;
  /** build + endToEnd + consume: produce, move, first full read (barrier waiting excluded). */
  wholeJob: number | null;
}

/** Over repetitions: interpolated quantiles (p25 / p75 are shown instead of min-max from 5 repetitions). */
export interface Summary {
  min: number;
  p25: number;
  median: number;
  p75: number;
  max: number;
}

/**
 * What kind of work a case does, for like-with-like comparisons: `copy` between processes (bytes
 * were copied), `handoff` between processes (copies 0: the receiver reads what the sender made),
 * `thread` (both sides in one process, worker transports).
 */
export type CaseKind = 'copy' | 'handoff' | 'thread';

interface ResultBase {
  transport: TransportId;
  payload: PayloadId;
  codec: CodecId;
  elements: number;
  /** Bytes of the payload as raw elements (elements x element size; 8 per element for `array`). */
  payloadBytes: number;
}

export interface CompletedResult extends ResultBase {
  status: 'completed';
  verified: boolean;
  /** Present when verification failed: the first wrong element. */
  reason?: string;
  /** What a side said the reader must know (SideReport.note), e.g. "int32 as array.array('i')". */
  note?: string;
  repetitions: number;
  /** One entry per repetition, in run order. */
  runs: PhaseTimes[];
  /** Per phase min / median / max over repetitions (null where the phase does not apply). */
  phases: Record<PhaseName, Summary | null>;
  kind: CaseKind;
  /** See Transport.copies: 0 is a hand-off. */
  copies: number;
  /** Payload bytes and elements per second of the end-to-end median; null for a hand-off (nothing was copied). */
  throughput: { gigabytesPerSecond: number; elementsPerSecond: number } | null;
  sender: SideUsage;
  receiver: SideUsage;
  /** endToEnd median divided by the same-run native memcpy into fresh / warm memory; null for a hand-off or without a baseline. */
  ratioToMemcpy: { fresh: number; warm: number } | null;
  /** wholeJob median divided by the same-run native two-process floor's whole job for the same bytes; null without one. */
  ratioToFloor: number | null;
}

export interface ErroredResult extends ResultBase {
  status: 'errored';
  verified: false;
  reason: string;
}

export interface SkippedResult extends ResultBase {
  status: 'skipped';
  verified: false;
  reason: string;
}

export type CaseResult = CompletedResult | ErroredResult | SkippedResult;

/** p50/p90/p99/max of one repetition's round trips, seconds, and its round trips per second. */
export interface LatencyRun {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  messagesPerSecond: number;
}

export interface ThroughputRun {
  seconds: number;
  messagesPerSecond: number;
  gigabytesPerSecond: number;
}

type MessageResultBase = Omit<MessageCaseSpec, 'fault'>;

export interface LatencyResult extends MessageResultBase {
  mode: 'latency';
  status: 'completed';
  verified: boolean;
  reason?: string;
  repetitions: number;
  runs: LatencyRun[];
  /** Medians over repetitions of each repetition's percentile. */
  roundTripSeconds: { p50: number; p90: number; p99: number; max: number };
  /** Round trips per second (count / summed round-trip time), median over repetitions. */
  messagesPerSecond: number;
  /** Min / median / max over repetitions. */
  spread: { p50: Summary; p90: Summary; p99: Summary; max: Summary; messagesPerSecond: Summary };
  client: SideUsage;
  server: SideUsage;
}

export interface ThroughputResult extends MessageResultBase {
  mode: 'throughput';
  status: 'completed';
  verified: boolean;
  reason?: string;
  repetitions: number;
  runs: ThroughputRun[];
  messagesPerSecond: number;
  gigabytesPerSecond: number;
  spread: { messagesPerSecond: Summary; gigabytesPerSecond: Summary };
  client: SideUsage;
  server: SideUsage;
}

export interface FailedMessageResult extends MessageResultBase {
  status: 'errored' | 'skipped';
  verified: false;
  reason: string;
}

export type MessageResult = LatencyResult | ThroughputResult | FailedMessageResult;

/**
 * The native two-process reference for the same bytes: one process fills a fresh shared memory
 * segment, another maps it read-only and reads (checks) every 8-byte element.
 */
export interface NativeFloor {
  /** Creating, sizing, mapping and filling the fresh segment (clock stopped before munmap). */
  produceSeconds: Summary;
  /** Opening, mapping and reading every element in the other process (clock stopped before munmap). */
  consumeSeconds: Summary;
  /** produce + consume per repetition. */
  wholeJobSeconds: Summary;
}

/** The machine's own limit on the same bytes, measured in the same run. */
export interface MemcpyBaseline {
  bytes: number;
  /** mmap of fresh pages + memcpy into them (page faults included); the clock stops before munmap. */
  freshSeconds: Summary;
  warmSeconds: Summary;
  /** null when the floor could not be measured (floorError says why). */
  floor: NativeFloor | null;
  floorError?: string;
}

/**
 * The floor under any transport of a JS Array, measured in the same run in one fresh process per
 * repetition, each right before a repetition of the shm JS Array case: turning a local Int32Array
 * into a JS Array the way the shm receiver does, and the sender's cast of a JS Array into int32
 * slots, each alone. No transport can beat the slower one.
 */
export interface ArrayFloor {
  elements: number;
  materializeSeconds: Summary;
  castSeconds: Summary;
}

export interface RunContext {
  ipclabVersion: string;
  date: string;
  cpu: string;
  cores: number;
  memoryBytes: number;
  kernel: string;
  node: string;
  v8: string;
  platform: string;
  /** The exact command line (argv) that produced this output. */
  command: string;
  /** Where the figures came from: the checkout's commit and whether its tree had changes; null outside a git checkout. */
  git: { commit: string; dirty: boolean } | null;
  /** The addon the run loaded: which build system made it, and its path. */
  addon: { build: 'node-gyp' | 'cmake-js' | 'prebuilt' | 'unknown'; path: string };
  /** Node flags of the harness (process.execArgv) and of every case process. */
  nodeFlags: { harness: string[]; cases: string[] };
  repeat: number;
  timeoutSeconds: number;
  /** Per case: no further repetitions once a case had used this many seconds; null: none. */
  budgetSeconds: number | null;
}

export interface BenchOutput {
  schemaVersion: 2;
  context: RunContext;
  /** Which mode ran; absent in bulk runs recorded before the message modes existed. */
  mode?: BenchMode;
  trials: CaseSpec[];
  baselines: MemcpyBaseline[];
  /** Present when the run moved a JS Array over ipclab's shm transport: one per such size. */
  arrayFloors?: ArrayFloor[];
  results: CaseResult[];
  /** Latency and throughput runs: one row per message case (their `results` are empty). */
  messageResults?: MessageResult[];
}
