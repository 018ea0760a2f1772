// What a run writes: one result per case, the same-run yardsticks, and the machine it ran on. The
// JSON report is this object; schema/bench-output.schema.json describes it, and saved.ts reads
// files written in the shape before it (schema 2).
import type { BenchMode, CodecId, PayloadId, PhaseName, TransportId } from './ids.js';
import type { CaseSpec, MemoryUse, MessageCaseSpec, SideUsage } from './side.js';

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

/**
 * Every measured quantity: its samples, one per repetition in run order, and their quantiles
 * (interpolated between the two nearest ranks, as R's and NumPy's default: [1..6] has p50 3.5).
 * The median is p50; reports show p25–p75 beside it from five repetitions, min–max below.
 */
export interface Stats {
  samples: number[];
  min: number;
  p25: number;
  p50: number;
  p75: number;
  p90: number;
  p99: number;
  max: number;
}

/**
 * What kind of work a case does, for like-with-like comparisons: `copy` between processes (bytes
 * were copied), `handoff` between processes (copies 0: the receiver reads what the sender made),
 * `thread` (both sides in one process, worker transports).
 */
export type CaseKind = 'copy' | 'handoff' | 'thread';

/** A bulk case as a result names it. */
interface BulkCase {
  mode: 'bulk';
  transport: TransportId;
  payload: PayloadId;
  codec: CodecId;
  elements: number;
  /** Bytes of the payload as raw elements (elements x element size; 8 per element for `array`). */
  payloadBytes: number;
}

export interface CompletedBulkResult extends BulkCase {
  status: 'completed';
  verified: boolean;
  /** Present when verification failed: the first wrong element. */
  reason?: string;
  /** What a side said the reader must know (SideReport.note), e.g. "int32 as array.array('i')". */
  note?: string;
  repetitions: number;
  /** Per phase, its seconds in each repetition where it applies; null where it applies in none. */
  phases: Record<PhaseName, Stats | null>;
  kind: CaseKind;
  /** See Transport.copies: 0 is a hand-off. */
  copies: number;
  /** Where each side's page faults fall: fresh, reserved or pre-mapped memory at the start of the timed window (side.ts MemoryUse); absent where the transport does not declare it. */
  memory?: MemoryUse;
  /** Payload bytes and elements per second of the end-to-end median; null for a hand-off (nothing was copied). */
  throughput: { gigabytesPerSecond: number; elementsPerSecond: number } | null;
  sender: SideUsage;
  receiver: SideUsage;
  /** endToEnd median divided by the memcpy into fresh / warm memory measured in step with this case; null for a hand-off or without a baseline. */
  ratioToMemcpy: { fresh: number; warm: number } | null;
  /** wholeJob median divided by the native reference's whole job for the same bytes, measured in step with this case; null without one. */
  ratioToFloor: number | null;
  /**
   * Hand-offs that make warm ones after the measured one (shm-zero-copy): cold is the measured,
   * first hand-off of each repetition (its end-to-end); warm pools the hand-offs after a warm-up
   * over all repetitions (a 4-byte record through the same reserve/commit/receiveInPlace path).
   */
  handoffSeconds?: { cold: Stats; warm: Stats };
  /** The yardsticks measured right before each of this case's repetitions (and after, up to three), which its ratios divide by; absent in older files. */
  yardsticks?: MemcpyBaseline;
}

/** A case that did not run to its end (errored) or could not run here (skipped), and why. */
export interface FailedBulkResult extends BulkCase {
  status: 'errored' | 'skipped';
  verified: false;
  reason: string;
}

export type BulkResult = CompletedBulkResult | FailedBulkResult;

/** A message case as a result names it (its test-only fault left out). */
type MessageCase = Omit<MessageCaseSpec, 'fault'>;

export interface LatencyResult extends MessageCase {
  mode: 'latency';
  status: 'completed';
  verified: boolean;
  reason?: string;
  repetitions: number;
  /** Each repetition's percentiles of its round trips (seconds), over the repetitions. */
  roundTripSeconds: { p50: Stats; p90: Stats; p99: Stats; max: Stats };
  /** Percentiles of every round trip of every repetition pooled (seconds; count: round trips); what p90/p99/max report. Absent in older files. */
  pooledRoundTripSeconds?: { p50: number; p90: number; p99: number; max: number; count: number };
  /** The repetitions' p50s spread by more than 1.5x, max over min (message-figures.ts); absent in older files. */
  noisy?: boolean;
  /** Each repetition's round trips per second (count over summed round-trip time). */
  messagesPerSecond: Stats;
  client: SideUsage;
  server: SideUsage;
}

export interface ThroughputResult extends MessageCase {
  mode: 'throughput';
  status: 'completed';
  verified: boolean;
  reason?: string;
  repetitions: number;
  /** Each repetition's window, from the last warm-up message's arrival to the last message's. */
  seconds: Stats;
  messagesPerSecond: Stats;
  /** 10^9 message bytes per second. */
  gigabytesPerSecond: Stats;
  /** The repetitions' GB/s spread by more than 1.5x, max over min (message-figures.ts); absent in older files. */
  noisy?: boolean;
  client: SideUsage;
  server: SideUsage;
}

export interface FailedMessageResult extends MessageCase {
  status: 'errored' | 'skipped';
  verified: false;
  reason: string;
}

export type MessageResult = LatencyResult | ThroughputResult | FailedMessageResult;

/** One result per case, told apart by `mode` and then by `status`. */
export type Result = BulkResult | MessageResult;

export const isBulkResult = (result: Result): result is BulkResult => result.mode === 'bulk';
export const isMessageResult = (result: Result): result is MessageResult => result.mode !== 'bulk';

/**
 * The native reference for the same bytes (native/core/segment_reference.hpp), the best a C
 * programmer would write for the job: a new segment is created, sized and reserved before the
 * clock starts; one process maps it, populates the mapping and fills it; another maps it
 * read-only, populates that mapping and reads (checks) every 8-byte element. (Named `floor` in the
 * JSON since schema 3; a row that beats it by more than 10% is flagged, see reference-check.ts.)
 */
export interface NativeFloor {
  /** shm_open, ftruncate and posix_fallocate, before the produce clock starts (as ipclab's receiver creates its channel before the barrier). Absent in files before it was recorded. */
  setupSeconds?: Stats;
  /** Mapping, populating and filling the segment (clock stopped before munmap). */
  produceSeconds: Stats;
  /** Opening, mapping, populating and reading every element in the other process (clock stopped before munmap). */
  consumeSeconds: Stats;
  /** produce + consume per repetition. */
  wholeJobSeconds: Stats;
}

/** The machine's own limit on the same bytes, measured in the same run, in step with the rows it divides. */
export interface MemcpyBaseline {
  bytes: number;
  /** When each repetition was measured (ISO 8601), in the order of the samples; absent in files written before it was recorded. */
  measuredAt?: string[];
  /** mmap of fresh pages + memcpy into them (page faults included); the clock stops before munmap. */
  freshSeconds: Stats;
  /** memcpy into memory that one earlier copy already wrote (no faults, no first touch). */
  warmSeconds: Stats;
  /** The native reference; null when it could not be measured (floorError says why). */
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
  materializeSeconds: Stats;
  castSeconds: Stats;
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
  /** CPU flags, huge pages, load and Python's versions (provenance.ts); absent in files written before it was recorded. */
  provenance?: RunProvenance;
}

export interface RunProvenance {
  /** The first CPU's model name, its number of flags, and those of them that change copy speed. */
  cpu: { model: string; flagCount: number; copyFlags: string[] };
  /** The selected modes of /sys/kernel/mm/transparent_hugepage (enabled, defrag, shmem_enabled); null where unreadable. */
  transparentHugePages: { enabled: string | null; defrag: string | null; shmemEnabled: string | null };
  /** os.loadavg() (1, 5, 15 minutes) before the first case and after the last; after is null until the run ends. */
  loadAverage: { before: number[]; after: number[] | null };
  /** NUMPY_MADVISE_HUGEPAGE as the Python rows saw it (null: unset, numpy's default of asking for huge pages). */
  numpyMadviseHugepage: string | null;
  /** The interpreter, Python's and numpy's versions, when Python rows ran; null otherwise. */
  python: { command: string; version: string | null; numpy: string | null } | null;
}

/** The version of this shape, written into every output (schema/bench-output.schema.json). */
export const SCHEMA_VERSION = 3;

export interface BenchOutput {
  schemaVersion: typeof SCHEMA_VERSION;
  context: RunContext;
  mode: BenchMode;
  /** Every case the run planned, in run order. */
  trials: Array<CaseSpec | MessageCaseSpec>;
  /** Bulk runs: the machine's own limits, one per payload size in bytes. */
  baselines: MemcpyBaseline[];
  /** Bulk runs that moved a JS Array over ipclab's shm transport: the floor under it, one per such size. */
  arrayFloors: ArrayFloor[];
  results: Result[];
}

/** The bulk results of an output, in run order. */
export const bulkResults = (output: Pick<BenchOutput, 'results'>): BulkResult[] => output.results.filter(isBulkResult);
/** The latency and throughput results of an output, in run order. */
export const messageResults = (output: Pick<BenchOutput, 'results'>): MessageResult[] => output.results.filter(isMessageResult);
