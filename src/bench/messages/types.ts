// The vocabulary of the message modes (`ipclab bench --mode latency|throughput`): many small or
// mid-sized messages rather than one payload. They run on the bulk harness's case runner (fresh
// processes, ready barrier, timeout, cleanup) and print through the same renderers.
import type { SideContext, SideUsage, Summary, Topology } from '../types.js';

/** `bulk` moves one payload (the default); the other two move a stream of messages. */
export type BenchMode = 'bulk' | 'latency' | 'throughput';
export type MessageMode = Exclude<BenchMode, 'bulk'>;

/**
 * The paths a message can take. Ids shared with the bulk registry mean the same mechanism;
 * `shm-value` is ShmChannel.sendValue, `shm-batch` ShmChannel.sendMany/receiveMany, `semaphore`
 * two raw in-segment semaphores around a shared buffer, `native` the C++ reference
 * (native/reference) over the same core.
 */
export type MessageTransportId =
  | 'shm'
  | 'shm-value'
  | 'shm-batch'
  | 'semaphore'
  | 'ipc-json'
  | 'ipc-advanced'
  | 'pipe'
  | 'unix'
  | 'tcp'
  | 'worker-clone'
  | 'native';

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
  fault?: 'corrupt';
}

/** A message as a transport carries it: bytes, or text for JSON transports. */
export type Message = Uint8Array | string;

/** One direction-agnostic end of a message path. */
export interface Endpoint {
  /** Resolves once the message is handed to the path (and, for streams, the path can take more). */
  send(message: Message): Promise<void> | void;
  receive(): Promise<Message>;
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
export type MessageSideContext = Omit<SideContext, 'spec' | 'mark'> & { spec: MessageCaseSpec };

/**
 * A message transport. The server side runs where a bulk receiver would (started first in a
 * `pair`, forked or put in a worker by the client otherwise); the client side times.
 */
export interface MessageTransport {
  id: MessageTransportId;
  /** One line: the mechanism. */
  mechanism: string;
  topology: Topology;
  /** Whether --spin-micros applies (ipclab's own paths and native); other rows record null. */
  spins: boolean;
  /** The modes it runs in, when not both: a batch path has no round trip to time. */
  modes?: readonly MessageMode[];
  openServer(ctx: MessageSideContext): Promise<MessageServer>;
  openClient(ctx: MessageSideContext): Promise<MessageClient>;
}

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
