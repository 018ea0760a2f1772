// The message modes (`ipclab bench --mode latency|throughput`): plan the cases, run each on the
// repetition runner in fresh processes, turn the sides' outcomes into per-repetition figures, and
// summarise them.
import os from 'node:os';

import { collectContext } from '../context.js';
import { defaultMessageCount, defaultWarmup } from '../defaults.js';
import { MESSAGE_TRANSPORT_IDS, type MessageMode, type MessageTransportId } from '../ids.js';
import { latencyRun, latencyStats, throughputRun, throughputStats, type LatencyRun, type ThroughputRun } from '../message-figures.js';
import { messageTransportById, messageTransportIds, runsIn } from '../messages/index.js';
import { caseNodeFlags } from '../paths.js';
import { SCHEMA_VERSION, type BenchOutput, type LatencyResult, type MessageResult, type ThroughputResult } from '../results.js';
import { runRepetition } from '../runner/repetition.js';
import type { DriveOutcome, MessageCaseSpec, ServeOutcome, SideReport } from '../side.js';

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
  const ids = options.transports ?? messageTransportIds(options.mode);
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

function specFields(spec: MessageCaseSpec) {
  const { fault: _fault, ...fields } = spec;
  return fields;
}

const outcomeOf = <T>(report: SideReport) => report.messageOutcome as T | undefined;

/** Runs `repeat` fresh repetitions of one message case; the first failure ends it as errored. */
export async function runMessageCase(spec: MessageCaseSpec, options: Pick<MessageBenchOptions, 'repeat' | 'timeoutSeconds' | 'budgetSeconds'>): Promise<MessageResult> {
  const transport = messageTransportById(spec.transport);
  if (!transport) return { ...specFields(spec), status: 'errored', verified: false, reason: `unknown message transport "${spec.transport}"` };
  if (!runsIn(transport, spec.mode)) {
    return { ...specFields(spec), status: 'skipped', verified: false, reason: `${spec.transport} runs in ${transport.modes!.join(', ')} mode only` };
  }
  const unsupported = transport.unsupported?.(spec);
  if (unsupported !== undefined) return { ...specFields(spec), status: 'skipped', verified: false, reason: unsupported };
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
    ...latencyStats(runs),
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
    ...throughputStats(runs),
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
