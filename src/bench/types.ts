// The benchmark's shared vocabulary: what a case is, what each side of a transport implements,
// what a side reports, and what one measured result holds.

/**
 * What is moved: `array`, a JS Array of the integers 0..n-1 (Python's list); `mixed`, a JS Array of
 * doubles that are not all integers (fractions, negatives, huge magnitudes; see payload.ts); or a
 * typed array of 0..n-1.
 */
export type PayloadId = 'array' | 'mixed' | 'int32' | 'float64';
export type Payload = number[] | Int32Array | Float64Array;

/**
 * How a payload becomes bytes: JSON text, V8 structured-clone bytes, the typed array's own bytes,
 * or Python's pickle (the Python reference transports).
 */
export type CodecId = 'json' | 'v8' | 'raw' | 'pickle';

/** Names every transport; one file per transport under src/bench/transports/. */
export type TransportId =
  | 'ipc-json'
  | 'ipc-advanced'
  | 'pipe'
  | 'shm-element'
  | 'broker'
  | 'shm'
  | 'shm-zero-copy'
  | 'file-tmp'
  | 'file-shm'
  | 'unix'
  | 'tcp'
  | 'worker-clone'
  | 'worker-transfer'
  | 'worker-sab'
  // Python's multiprocessing, measured here (src/bench/python/ipclab_case.py)
  | 'py-queue'
  | 'py-pipe'
  | 'py-array'
  | 'py-array-nolock'
  | 'py-manager'
  | 'py-rawarray'
  | 'py-file'
  | 'py-socket'
  | 'py-shared-memory'
  // Node and Python on the two sides of one ipclab shared-memory segment
  | 'interop-node-to-py'
  | 'interop-py-to-node';

export type Role = 'sender' | 'receiver';

/**
 * How the sides are started. `pair`: the harness spawns both processes. `parent-child`: the
 * harness spawns the sender, whose transport forks the receiver (`ctx.spawnReceiver`), as
 * `child_process.fork` IPC needs. `threads`: the harness spawns the sender, whose transport starts
 * the receiver in a worker thread (`ctx.startReceiverWorker`).
 */
export type Topology = 'pair' | 'parent-child' | 'threads';

/** One case: the same payload of `elements` elements moved once over one transport with one codec. */
export interface CaseSpec {
  transport: TransportId;
  payload: PayloadId;
  codec: CodecId;
  elements: number;
  /** Test-only fault injection, to prove the harness reports failures. */
  fault?: Fault;
}

/**
 * `crash`: the sender exits abruptly after the barrier. `hang`: the receiver never returns.
 * `corrupt`: the sender changes one element after building, so the receiver must catch it.
 */
export type Fault = 'crash' | 'hang' | 'corrupt';

/**
 * Timestamps a side records, as `process.hrtime.bigint()` nanoseconds (CLOCK_MONOTONIC, the same
 * clock in every process on the machine). The generic runner records the ones marked (runner);
 * transports record the others when they apply.
 */
export type MarkName =
  // sender
  | 'buildStart' // (runner)
  | 'buildEnd' // (runner)
  | 'sendStart' // (runner) the barrier has passed; the sender starts moving its payload
  | 'castStart' // array -> typed array conversion for a raw path (Python's "numpy cast")
  | 'castEnd'
  | 'encodeStart' // serialization done as its own step (not streamed)
  | 'encodeEnd'
  | 'handoff' // bytes start moving: after cast/encode, or at the start when those are streamed; zero-copy: just before commit
  | 'sendEnd' // (runner) send() resolved: what the sender sees
  // receiver
  | 'firstByte' // first data (or the wake-up) reached the receiver
  | 'received' // all data is at the receiver in wire form (bytes, a view), before decoding
  | 'decodeStart'
  | 'decodeEnd'
  | 'valueReady' // (runner) receive() resolved with a usable payload of the sent kind
  | 'consumeStart' // (runner) the receiver's first full read of the value (a view pays its page faults here)
  | 'consumeEnd' // (runner)
  | 'verifyStart' // (runner)
  | 'verifyEnd'; // (runner)

export type Marks = Partial<Record<MarkName, bigint>>;

/** What the generic runner gives a transport side. */
export interface SideContext {
  role: Role;
  spec: CaseSpec;
  /** A prefix unique to this case for shared memory / semaphore names, e.g. "/ipclab-4242-a1b2c3". */
  objectPrefix: string;
  /** A fresh directory for this case (sockets, fifos, files), removed by the harness afterwards. */
  caseDir: string;
  /** A directory on /dev/shm for this case, removed by the harness afterwards. */
  shmDir: string;
  /** Records `process.hrtime.bigint()` under `name` (the first call wins). */
  mark(name: MarkName): void;
  /** parent-child topology, sender side: forks the receiver side with these extra fork options. */
  spawnReceiver(options: import('node:child_process').ForkOptions): import('node:child_process').ChildProcess;
  /** threads topology, sender side: starts the receiver side in a worker thread. */
  startReceiverWorker(options?: import('node:worker_threads').WorkerOptions): import('node:worker_threads').Worker;
}

export interface SenderSession {
  /** Optional: build the payload in place (zero-copy). Otherwise the runner builds it. */
  build?(): Promise<Payload> | Payload;
  /** Moves the payload; resolves when the sender's part is done (what the sender sees). */
  send(payload: Payload): Promise<void>;
  /** Releases everything this side made. Called on success and on failure. */
  close(): Promise<void> | void;
}

export interface ReceiverSession {
  /** Resolves with the received payload, decoded to the same kind as was sent. */
  receive(): Promise<Payload>;
  /** Optional: called after verification, e.g. to release a zero-copy view. */
  release?(): void;
  close(): Promise<void> | void;
}

/** The program a side runs in: Node (dist/bench/case-process.js) or Python (src/bench/python/ipclab_case.py). */
export type Runtime = 'node' | 'python';

/** A transport: metadata for `ipclab list`, plus the code of each side. */
export interface Transport {
  id: TransportId;
  /** Which program runs each side; Node when absent. A Python side never calls openSender/openReceiver. */
  runtime?: Record<Role, Runtime>;
  /** The Python multiprocessing row it stands for ("Queue", "Pipe", ...). */
  standsFor: string;
  /** One line: the Node mechanism. */
  mechanism: string;
  topology: Topology;
  payloads: readonly PayloadId[];
  codecs: readonly CodecId[];
  /** The constraint on data, as in the Python table ("picklable", "1-D array, completion flag needed"). */
  constraint: string;
  /** Known limits, each a sentence. */
  limits: readonly string[];
  /**
   * How many times the payload's bytes are copied on the way from the sender's value to the
   * receiver's value: writes into and reads out of a kernel buffer, segment or file, and casts to
   * or from a wire type (encode/decode are phases of their own and not counted). 0 marks a
   * hand-off: the receiver's value is the very memory the sender produced the payload in.
   */
  copies(spec: CaseSpec): number;
  /**
   * Why this transport cannot run a combination, or undefined when it can. Checked before a case
   * starts; a string becomes a `skipped` result with that reason.
   */
  unsupported?(spec: CaseSpec): string | undefined;
  /** Runs in the receiver's process (or worker) before the ready barrier. */
  openReceiver(ctx: SideContext): Promise<ReceiverSession>;
  /** Runs in the sender's process before the ready barrier. */
  openSender(ctx: SideContext): Promise<SenderSession>;
}

/** Resource use of one side, read at its end. */
export interface SideUsage {
  /** Peak resident set size, bytes. */
  maxRssBytes: number;
  userCpuSeconds: number;
  systemCpuSeconds: number;
  minorPageFaults: number;
  majorPageFaults: number;
  /** True when this side shares its process with the other (worker transports). */
  sharedProcess: boolean;
}

/** What a side sends the harness at its end. Marks are decimal strings of nanoseconds. */
export interface SideReport {
  role: Role;
  /** The process this side ran in, and its worker thread id (0 on a main thread): names its --cpu-prof file. */
  pid: number;
  threadId: number;
  marks: Record<string, string>;
  usage: SideUsage;
  /** Receiver only: whether every element matched, and the first mismatch if not. */
  verified?: boolean;
  mismatch?: string;
  /** Message modes: the side's verdict and timings (see messages/types.ts). */
  messageOutcome?: import('./messages/types.js').ServeOutcome | import('./messages/types.js').DriveOutcome;
  /** Something a reader of the row must know, e.g. which Python type carried an int32 payload. */
  note?: string;
}

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

export type PhaseName = keyof PhaseTimes;

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
  mode?: import('./messages/types.js').BenchMode;
  trials: CaseSpec[];
  baselines: MemcpyBaseline[];
  /** Present when the run moved a JS Array over ipclab's shm transport: one per such size. */
  arrayFloors?: ArrayFloor[];
  results: CaseResult[];
  /** Latency and throughput runs: one row per message case (their `results` are empty). */
  messageResults?: import('./messages/types.js').MessageResult[];
}
