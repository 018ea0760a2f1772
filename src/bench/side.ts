// One side of one case: what it is given (the case, a context), what a transport implements for
// it in each mode, and what it reports to the harness at its end.
import type { ChildProcess, ForkOptions } from 'node:child_process';
import type { Worker, WorkerOptions } from 'node:worker_threads';

import type { CodecId, Fault, MessageMode, MessageTransportId, PayloadId, Role, Topology, TransportId } from './ids.js';

export type Payload = number[] | Int32Array | Float64Array;

/** One bulk case: the same payload of `elements` elements moved once over one transport with one codec. */
export interface CaseSpec {
  transport: TransportId;
  payload: PayloadId;
  codec: CodecId;
  elements: number;
  /** Test-only fault injection, to prove the harness reports failures. */
  fault?: Fault;
}

/** One message case: `messages` measured messages of `messageBytes` bytes after `warmup` unmeasured ones. */
export interface MessageCaseSpec {
  mode: MessageMode;
  transport: MessageTransportId;
  messageBytes: number;
  /** Measured messages; in latency mode each is a round trip (a message and its echo). */
  messages: number;
  /** Messages sent first and left out of the figures. */
  warmup: number;
  /** shm, shm-value, semaphore and native spin this many microseconds before blocking; null: the library's default (no spinning). */
  spinMicros: number | null;
  /** Test-only: `corrupt` makes the client send one wrong message, which the other side must catch. */
  fault?: Extract<Fault, 'corrupt'>;
}

export function isMessageSpec(spec: CaseSpec | MessageCaseSpec): spec is MessageCaseSpec {
  return 'mode' in spec;
}

/**
 * Timestamps a side records, as `process.hrtime.bigint()` nanoseconds (CLOCK_MONOTONIC, the same
 * clock in every process on the machine). Every side records the ones marked (runner), in
 * case-process.ts or the Python case script; transports record the others when they apply.
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

/** Records `process.hrtime.bigint()` under `name` (the first call wins). */
export type Mark = (name: MarkName) => void;

/** A Mark that records nothing, for code run outside a measured case. */
export const noMark: Mark = () => undefined;

/** Where a side is and what it may start: the same in both modes. */
export interface SidePlace {
  role: Role;
  /** A prefix unique to this case for shared memory / semaphore names, e.g. "/ipclab-4242-a1b2c3". */
  objectPrefix: string;
  /** A fresh directory for this case (sockets, fifos, files), removed by the harness afterwards. */
  caseDir: string;
  /** A directory on /dev/shm for this case, removed by the harness afterwards. */
  shmDir: string;
  /** parent-child topology, sender side: forks the receiver side with these extra fork options. */
  spawnReceiver(options: ForkOptions): ChildProcess;
  /** threads topology, sender side: starts the receiver side in a worker thread. */
  startReceiverWorker(options?: WorkerOptions): Worker;
}

// ---------------------------------------------------------------------------------------------
// Bulk: one payload

/** What a bulk transport's side is given. */
export interface SideContext extends SidePlace {
  spec: CaseSpec;
  mark: Mark;
}

export interface SenderSession {
  /** Optional: build the payload in place (zero-copy). Otherwise the side builds it (case-process.ts). */
  build?(): Promise<Payload> | Payload;
  /** Moves the payload; resolves when the sender's part is done (what the sender sees). */
  send(payload: Payload): Promise<void>;
  /** Optional: runs after the timed send, before the report (warm hand-offs); what it returns joins the report. */
  afterSend?(): Promise<Partial<SideReport>>;
  /** Releases everything this side made. Called on success and on failure. */
  close(): Promise<void> | void;
}

export interface ReceiverSession {
  /** Resolves with the received payload, decoded to the same kind as was sent. */
  receive(): Promise<Payload>;
  /** Optional: called after verification, e.g. to release a zero-copy view. */
  release?(): void;
  /** Optional: runs after release, before the report (warm hand-offs); what it returns joins the report. */
  afterRelease?(): Promise<Partial<SideReport>>;
  close(): Promise<void> | void;
}

/** The program a side runs in: Node (dist/bench/case-process.js) or Python (src/bench/python/ipclab_case.py). */
export type Runtime = 'node' | 'python';

/** What the repetition runner must know of a transport to start a case's sides. */
export interface SideLayout {
  topology: Topology;
  /** Which program runs each side; Node when absent. */
  runtime?: Record<Role, Runtime>;
}

/** A bulk transport: metadata for `ipclab list`, plus the code of each side. */
export interface Transport extends SideLayout {
  id: TransportId;
  /** The Python multiprocessing row it stands for ("Queue", "Pipe", ...). */
  standsFor: string;
  /** One line: the Node mechanism. */
  mechanism: string;
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
  /** How the memory each side's data path writes or reads starts the timed window (see MemoryUse); absent where not declared. */
  memory?: MemoryUse;
  /** Runs in the receiver's process (or worker) before the ready barrier. A Python side never calls it. */
  openReceiver(ctx: SideContext): Promise<ReceiverSession>;
  /** Runs in the sender's process before the ready barrier. */
  openSender(ctx: SideContext): Promise<SenderSession>;
}

// ---------------------------------------------------------------------------------------------
// Messages: a stream of small or mid-sized messages, run by the same harness

/** A message as a transport carries it: bytes, or text for JSON transports. */
export type Message = Uint8Array | string;

/** One direction-agnostic end of a message path. */
export interface Endpoint {
  /** Resolves once the message is handed to the path (and, for streams, the path can take more). */
  send(message: Message): Promise<void> | void;
  receive(): Promise<Message>;
  /**
   * Paths that receive into one reused buffer: `next()` resolves with the next message's length, its
   * bytes in `buffer`. The loops await it directly: a wrapper promise per message (`.then`) cost a
   * fast path a third of its rate.
   */
  receiveInto?: { buffer: Uint8Array; next(): Promise<number> };
  /** Batch paths: hands every message of `messages` to the path at once. */
  sendBatch?(messages: Message[]): Promise<void> | void;
  /** Batch paths: every message there, at least one and at most `max`. */
  receiveBatch?(max: number): Promise<Message[]>;
  close(): Promise<void> | void;
}

/** What the side that is not timed (echo in latency, sink in throughput) reports. */
export interface ServeOutcome {
  verified: boolean;
  mismatch?: string;
  /** Throughput: when the last warm-up message arrived (absent without warm-up), and the last message. */
  windowStartNs?: string;
  windowEndNs?: string;
  /** native: the resource use of the C++ process that did the work, in place of its Node wrapper's. */
  usage?: SideUsage;
}

/** What the timing side reports. */
export interface DriveOutcome {
  verified: boolean;
  mismatch?: string;
  /** Latency: each measured round trip, nanoseconds. */
  roundTripNanos?: number[];
  /** Throughput: when the first message started (used when there is no warm-up). */
  startNs?: string;
  /** native: as in ServeOutcome. */
  usage?: SideUsage;
}

export interface MessageServer {
  serve(): Promise<ServeOutcome>;
  close(): Promise<void> | void;
}

export interface MessageClient {
  drive(): Promise<DriveOutcome>;
  close(): Promise<void> | void;
}

/** The side context with a message case in place of a bulk one. */
export interface MessageSideContext extends SidePlace {
  spec: MessageCaseSpec;
}

/**
 * A message transport. The server side runs where a bulk receiver would (started first in a
 * `pair`, forked or put in a worker by the client otherwise); the client side times.
 */
export interface MessageTransport extends SideLayout {
  id: MessageTransportId;
  /** One line: the mechanism. */
  mechanism: string;
  /** Whether --spin-micros applies (ipclab's own paths and native); other rows record null. */
  spins: boolean;
  /** The modes it runs in, when not both: a batch path has no round trip to time. */
  modes?: readonly MessageMode[];
  /** Why this path cannot run here (python3 missing, ...), or undefined when it can: a `skipped` row with the reason. */
  unsupported?(spec: MessageCaseSpec): string | undefined;
  openServer(ctx: MessageSideContext): Promise<MessageServer>;
  openClient(ctx: MessageSideContext): Promise<MessageClient>;
}

// ---------------------------------------------------------------------------------------------
// What a side reports

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
  /** Bulk: minor page faults from the ready barrier to the end of this side's part (sender sendEnd, receiver valueReady). */
  windowMinorFaults?: number;
  /** Receiver only: whether every element matched, and the first mismatch if not. */
  verified?: boolean;
  mismatch?: string;
  /** Message modes: the side's verdict and timings. */
  messageOutcome?: ServeOutcome | DriveOutcome;
  /** Something a reader of the row must know, e.g. which Python type carried an int32 payload. */
  note?: string;
  /**
   * Hand-off transports: warm hand-offs after the measured one, as process.hrtime.bigint() strings,
   * one per hand-off: when the sender started each (sender) and when the receiver held it (receiver).
   */
  warmHandoffNanos?: string[];
}

/**
 * Where the page faults of a side's data path fall, so that rows that pay them and rows that do
 * not are told apart: `fresh`, new pages allocated and faulted inside the timed window; `reserved`,
 * pages allocated before the window (posix_fallocate) and mapped into the process inside it;
 * `pre-mapped`, pages faulted in before the window (populated, or zero-filled as Python's mp.Array).
 */
export type MemoryState = 'fresh' | 'reserved' | 'pre-mapped';

/** Sender: the memory it writes the payload into; receiver: the memory its received value lives in. */
export interface MemoryUse {
  sender: MemoryState;
  receiver: MemoryState;
}
