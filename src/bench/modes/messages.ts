// The message modes (`ipclab bench --mode latency|throughput`): plan the cases, run each on the
// repetition runner in fresh processes, turn the sides' outcomes into per-repetition figures, and
// summarise them.
import os from 'node:os';

import { collectContext } from '../context.js';
import { defaultMessageCount, defaultWarmup } from '../defaults.js';
import { MESSAGE_TRANSPORT_IDS, type MessageMode, type MessageTransportId } from '../ids.js';
import { caseNodeFlags } from '../paths.js';
import { quantile, statsOf } from '../stats.js';
import { SCHEMA_VERSION, type BenchOutput, type LatencyResult, type MessageResult, type ThroughputResult } from '../results.js';
import type { DriveOutcome, MessageCaseSpec, ServeOutcome, SideReport } from '../side.js';
import { messageTransportById } from '../messages/index.js';
import { runRepetition } from '../runner/repetition.js';

export interface MessageBenchOptions {
  mode: MessageMode;
  /** Message sizes in bytes. */
  sizes: number[];
  transports?: MessageTransportId[];
  /** Measured messages per repetition; default per size (defaultMessageCount). */
  messages?: number;
  warmup?: number;
  spinMicros?: number | null;
  repeat: number;
  timeoutSeconds: number;
  budgetSeconds?: number;
  command?: string;
  /** Test-only: make one transport's client send a wrong message. */
  fault?: { transport: MessageTransportId; fault: 'corrupt' };
}

export interface MessageProgressEvent {
  index: number;
  total: number;
  spec: MessageCaseSpec;
  elapsedSeconds: number;
  result?: MessageResult;
}

/** Every case, smallest size first, transports in registry order. */
export function planMessageTrials(options: Omit<MessageBenchOptions, 'repeat' | 'timeoutSeconds'>): MessageCaseSpec[] {
  const ids = options.transports ?? MESSAGE_TRANSPORT_IDS;
  const trials: MessageCaseSpec[] = [];
  for (const messageBytes of [...options.sizes].sort((a, b) => a - b)) {
    const messages = options.messages ?? defaultMessageCount(options.mode, messageBytes);
    for (const transport of ids) {
      const path = messageTransportById(transport);
      if (!path) throw new RangeError(`unknown message transport "${transport}"; expected one of ${MESSAGE_TRANSPORT_IDS.join(', ')}`);
      trials.push({
        mode: options.mode,
        transport,
        messageBytes,
        messages,
        warmup: options.warmup ?? defaultWarmup(options.mode, messages, messageBytes),
        spinMicros: path.spins ? (options.spinMicros ?? null) : null,
        ...(options.fault?.transport === transport ? { fault: options.fault.fault } : {}),
      });
    }
  }
  return trials;
}

/** One latency repetition: p50/p90/p99/max of its round trips (seconds), and its round trips per second. */
export interface LatencyRun {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  messagesPerSecond: number;
}

/** One throughput repetition: its window (seconds), and messages and 10^9 bytes per second through it. */
export interface ThroughputRun {
  seconds: number;
  messagesPerSecond: number;
  gigabytesPerSecond: number;
}

/** p50/p90/p99/max (seconds) and round trips per second of one repetition's samples. */
export function latencyRun(roundTripNanos: readonly number[]): LatencyRun {
  if (roundTripNanos.length === 0) throw new RangeError('a latency run needs at least one round trip');
  const sorted = roundTripNanos.map((nanos) => nanos / 1e9).sort((a, b) => a - b);
  const total = sorted.reduce((sum, value) => sum + value, 0);
  return {
    p50: quantile(sorted, 0.5),
    p90: quantile(sorted, 0.9),
    p99: quantile(sorted, 0.99),
    max: sorted[sorted.length - 1]!,
    messagesPerSecond: sorted.length / total,
  };
}

/**
 * One throughput repetition: the window runs from the arrival of the last warm-up message (or,
 * without warm-up, the client's start) to the arrival of the last message, so it holds exactly
 * `messages` deliveries.
 */
export function throughputRun(spec: MessageCaseSpec, server: ServeOutcome, client: DriveOutcome): ThroughputRun {
  const start = server.windowStartNs ?? client.startNs;
  if (start === undefined || server.windowEndNs === undefined) throw new Error('the throughput sides reported no time window');
  const seconds = Number(BigInt(server.windowEndNs) - BigInt(start)) / 1e9;
  return {
    seconds,
    messagesPerSecond: spec.messages / seconds,
    gigabytesPerSecond: (spec.messages * spec.messageBytes) / seconds / 1e9,
  };
}

function specFields(spec: MessageCaseSpec) {
  const { fault: _fault, ...fields } = spec;
  return fields;
}

const outcomeOf = <T>(report: SideReport) => report.messageOutcome as T | undefined;

/** Runs `repeat` fresh repetitions of one message case; the first failure ends it as errored. */
export async function runMessageCase(spec: MessageCaseSpec, options: Pick<MessageBenchOptions, 'repeat' | 'timeoutSeconds' | 'budgetSeconds'>): Promise<MessageResult> {
  const transport = messageTransportById(spec.transport);
  if (!transport) return { ...specFields(spec), status: 'errored', verified: false, reason: `unknown message transport "${spec.transport}"` };
  const latency: LatencyRun[] = [];
  const throughput: ThroughputRun[] = [];
  let usage: Usage | undefined;
  let mismatch: string | undefined;
  const started = performance.now();
  const budgetMs = (options.budgetSeconds ?? Infinity) * 1000;
  for (let repetition = 0; repetition < options.repeat && (repetition === 0 || performance.now() - started < budgetMs); repetition++) {
    const outcome = await runRepetition({ spec, layout: transport }, { timeoutSeconds: options.timeoutSeconds });
    const where = options.repeat > 1 ? ` (repetition ${repetition + 1} of ${options.repeat})` : '';
    if (!outcome.ok) return { ...specFields(spec), status: 'errored', verified: false, reason: `${outcome.reason}${where}` };
    const server = outcomeOf<ServeOutcome>(outcome.receiver);
    const client = outcomeOf<DriveOutcome>(outcome.sender);
    if (!server || !client) return { ...specFields(spec), status: 'errored', verified: false, reason: `a side reported no message outcome${where}` };
    try {
      if (spec.mode === 'latency') latency.push(latencyRun(client.roundTripNanos ?? []));
      else throughput.push(throughputRun(spec, server, client));
    } catch (error) {
      return { ...specFields(spec), status: 'errored', verified: false, reason: `${(error as Error).message}${where}` };
    }
    usage = { client: outcome.sender.usage, server: outcome.receiver.usage };
    mismatch = server.mismatch ?? client.mismatch ?? (server.verified && client.verified ? undefined : 'verification failed');
    if (mismatch !== undefined) break;
  }
  const verdict = mismatch === undefined ? { verified: true } : { verified: false, reason: `verification failed: ${mismatch}` };
  return spec.mode === 'latency' ? latencyResult(spec, latency, verdict, usage!) : throughputResult(spec, throughput, verdict, usage!);
}

type Verdict = { verified: boolean; reason?: string };
type Usage = Pick<LatencyResult, 'client' | 'server'>;

/** A latency row from its repetitions: each figure over them. */
export function latencyResult(spec: MessageCaseSpec, runs: LatencyRun[], verdict: Verdict, usage: Usage): LatencyResult {
  return {
    ...specFields(spec),
    mode: 'latency',
    status: 'completed',
    ...verdict,
    repetitions: runs.length,
    roundTripSeconds: {
      p50: statsOf(runs, (run) => run.p50),
      p90: statsOf(runs, (run) => run.p90),
      p99: statsOf(runs, (run) => run.p99),
      max: statsOf(runs, (run) => run.max),
    },
    messagesPerSecond: statsOf(runs, (run) => run.messagesPerSecond),
    ...usage,
  };
}

/** A throughput row from its repetitions. */
export function throughputResult(spec: MessageCaseSpec, runs: ThroughputRun[], verdict: Verdict, usage: Usage): ThroughputResult {
  return {
    ...specFields(spec),
    mode: 'throughput',
    status: 'completed',
    ...verdict,
    repetitions: runs.length,
    seconds: statsOf(runs, (run) => run.seconds),
    messagesPerSecond: statsOf(runs, (run) => run.messagesPerSecond),
    gigabytesPerSecond: statsOf(runs, (run) => run.gigabytesPerSecond),
    ...usage,
  };
}

/** A whole latency or throughput run. */
export async function runMessageBench(options: MessageBenchOptions, onProgress?: (event: MessageProgressEvent) => void): Promise<BenchOutput> {
  const trials = planMessageTrials(options);
  // Recorded before the first case: the date it started, and the code and tree it started from.
  const context = collectContext(options.command ?? `ipclab bench --mode ${options.mode}`, options.repeat, options.timeoutSeconds, options.budgetSeconds ?? null, caseNodeFlags(os.totalmem()));
  const started = performance.now();
  const results: MessageResult[] = [];
  for (const [index, spec] of trials.entries()) {
    const elapsedSeconds = () => (performance.now() - started) / 1000;
    onProgress?.({ index, total: trials.length, spec, elapsedSeconds: elapsedSeconds() });
    const result = await runMessageCase(spec, options);
    results.push(result);
    onProgress?.({ index, total: trials.length, spec, elapsedSeconds: elapsedSeconds(), result });
  }
  return {
    schemaVersion: SCHEMA_VERSION,
    context,
    mode: options.mode,
    trials: trials.map(specFields),
    baselines: [],
    arrayFloors: [],
    results,
  };
}
