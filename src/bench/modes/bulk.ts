// The bulk mode (`ipclab bench`): every selected case moved once per repetition in fresh
// processes, its phases summarised, beside the same-run yardsticks it is divided by.
import os from 'node:os';

import { collectContext } from '../context.js';
import { finishProvenance } from '../provenance.js';
import { BULK_DEFAULTS } from '../defaults.js';
import { NODE_TRANSPORT_IDS, type CodecId, type PayloadId, type TransportId } from '../ids.js';
import { caseNodeFlags } from '../paths.js';
import { payloadBytes } from '../payload.js';
import { phaseTimes, warmHandoffSeconds } from '../phases.js';
import { SCHEMA_VERSION, type ArrayFloor, type BenchOutput, type BulkResult, type CaseKind, type PhaseTimes } from '../results.js';
import { runRepetition } from '../runner/repetition.js';
import type { CaseSpec, SideReport, Transport } from '../side.js';
import { phaseStats, stats } from '../stats.js';
import { transportById } from '../transports/index.js';
import { CHUNK_BYTES } from '../transports/shm.js';
import { WARM_HANDOFF_WARMUP } from '../transports/shm-zero-copy.js';
import { arrayFloorOf, measureArrayFloorOnce, type ArrayFloorTiming } from '../yardsticks/array-floor.js';
import { baselineOf, measureYardstickOnce, type YardstickTiming } from '../yardsticks/baseline.js';

export interface BenchOptions {
  sizes: readonly number[];
  transports?: readonly TransportId[];
  payloads?: readonly PayloadId[];
  codecs?: readonly CodecId[];
  repeat: number;
  timeoutSeconds: number;
  /** Per case: no further repetitions once a case has used this many seconds. */
  budgetSeconds?: number;
  /** Test-only: inject a fault into the cases of one transport. */
  fault?: { transport: TransportId; fault: NonNullable<CaseSpec['fault']> };
  /** Recorded in the output's context. */
  command?: string;
}

export interface ProgressEvent {
  index: number;
  total: number;
  spec: CaseSpec;
  elapsedSeconds: number;
  /** Present once the case has finished. */
  result?: BulkResult;
}

export interface CaseOptions {
  repeat?: number;
  timeoutSeconds: number;
  /** Stop repeating once a case has used this many seconds (at least one repetition always runs). */
  budgetSeconds?: number;
  /** Runs right before each repetition (a yardstick measured in step with it); its time is not the case's. */
  beforeRepetition?: () => void;
  /**
   * Measure memcpy and the native reference right before each repetition (and after the case, up to
   * YARDSTICK_MIN_REPETITIONS), append each measurement here, and divide the case's ratios by them.
   */
  yardsticks?: YardstickTiming[];
}

/** Repetitions of the yardsticks a case always has beside it, however few its own. */
const YARDSTICK_MIN_REPETITIONS = 3;

/** Copies between processes, hand-offs between processes, and thread transports are told apart. */
export function caseKind(transport: Pick<Transport, 'topology'>, copies: number): CaseKind {
  if (transport.topology === 'threads') return 'thread';
  return copies === 0 ? 'handoff' : 'copy';
}

function baseResult(spec: CaseSpec) {
  return { mode: 'bulk' as const, transport: spec.transport, payload: spec.payload, codec: spec.codec, elements: spec.elements, payloadBytes: payloadBytes(spec) };
}

/** Why a case cannot run, as a skipped row's reason; undefined when it can. */
export function unsupportedReason(spec: CaseSpec): string | undefined {
  const transport = transportById(spec.transport);
  if (!transport) return `unknown transport "${spec.transport}"`;
  if (!transport.payloads.includes(spec.payload)) {
    return `${spec.transport} does not carry ${spec.payload} payloads (it carries ${transport.payloads.join(', ')})`;
  }
  if (!transport.codecs.includes(spec.codec)) {
    return `${spec.transport} does not use the ${spec.codec} codec (it uses ${transport.codecs.join(', ')})`;
  }
  return transport.unsupported?.(spec);
}

/** Runs `repeat` fresh repetitions of one case. The first failure ends the case as errored. */
export async function runCase(spec: CaseSpec, options: CaseOptions): Promise<BulkResult> {
  const transport = transportById(spec.transport);
  if (!transport) return { ...baseResult(spec), status: 'errored', verified: false, reason: `unknown transport "${spec.transport}"` };
  const skipReason = unsupportedReason(spec);
  if (skipReason) return { ...baseResult(spec), status: 'skipped', verified: false, reason: skipReason };

  const repeat = options.repeat ?? 1;
  const runs: PhaseTimes[] = [];
  let last: { sender: SideReport; receiver: SideReport } | undefined;
  let mismatch: string | undefined;
  const started = performance.now();
  const budgetMs = (options.budgetSeconds ?? Infinity) * 1000;
  let yardstickMs = 0;
  const bytes = payloadBytes(spec);
  const inStep: YardstickTiming[] = [];
  const warmHandoffs: number[] = [];
  const measureYardsticks = () => {
    const timing = measureYardstickOnce(bytes);
    inStep.push(timing);
    options.yardsticks?.push(timing);
  };
  for (let repetition = 0; repetition < repeat && (repetition === 0 || performance.now() - started - yardstickMs < budgetMs); repetition++) {
    const yardstickStarted = performance.now();
    if (options.yardsticks) measureYardsticks();
    options.beforeRepetition?.();
    yardstickMs += performance.now() - yardstickStarted;
    const outcome = await runRepetition({ spec, layout: transport }, { timeoutSeconds: options.timeoutSeconds });
    if (!outcome.ok) {
      const where = repeat > 1 ? ` (repetition ${repetition + 1} of ${repeat})` : '';
      return { ...baseResult(spec), status: 'errored', verified: false, reason: `${outcome.reason}${where}` };
    }
    runs.push(phaseTimes(outcome.sender, outcome.receiver));
    warmHandoffs.push(...warmHandoffSeconds(outcome.sender, outcome.receiver, WARM_HANDOFF_WARMUP));
    last = outcome;
    if (!outcome.receiver.verified) {
      mismatch = outcome.receiver.mismatch ?? 'verification failed';
      break;
    }
  }
  while (options.yardsticks && inStep.length < YARDSTICK_MIN_REPETITIONS) measureYardsticks();
  const baseline = inStep.length > 0 ? baselineOf(bytes, inStep) : undefined;
  const phases = phaseStats(runs);
  const endToEnd = phases.endToEnd?.p50 ?? NaN;
  const wholeJob = phases.wholeJob?.p50;
  const note = [last!.sender.note, last!.receiver.note].find((text) => text !== undefined);
  const copies = transport.copies(spec);
  // Throughput and memcpy ratios describe bytes that were copied; a hand-off copied none.
  const copied = copies > 0;
  return {
    ...baseResult(spec),
    status: 'completed',
    verified: mismatch === undefined,
    ...(mismatch === undefined ? {} : { reason: `verification failed: ${mismatch}` }),
    ...(note === undefined ? {} : { note }),
    repetitions: runs.length,
    phases,
    kind: caseKind(transport, copies),
    copies,
    ...(transport.memory ? { memory: transport.memory } : {}),
    throughput: copied ? { gigabytesPerSecond: bytes / endToEnd / 1e9, elementsPerSecond: spec.elements / endToEnd } : null,
    sender: last!.sender.usage,
    receiver: last!.receiver.usage,
    ratioToMemcpy:
      copied && baseline ? { fresh: endToEnd / baseline.freshSeconds.p50, warm: endToEnd / baseline.warmSeconds.p50 } : null,
    ratioToFloor: baseline?.floor && wholeJob !== undefined ? wholeJob / baseline.floor.wholeJobSeconds.p50 : null,
    ...(baseline ? { yardsticks: baseline } : {}),
    ...(warmHandoffs.length > 0 && phases.endToEnd ? { handoffSeconds: { cold: phases.endToEnd, warm: stats(warmHandoffs) } } : {}),
  };
}

/** Every case the options select, smallest size first. Codecs a transport does not use are left out. */
export function planTrials(options: Pick<BenchOptions, 'sizes' | 'transports' | 'payloads' | 'codecs' | 'fault'>): CaseSpec[] {
  const selected = options.transports ?? NODE_TRANSPORT_IDS;
  const trials: CaseSpec[] = [];
  for (const elements of [...options.sizes].sort((a, b) => a - b)) {
    for (const id of selected) {
      const transport = transportById(id);
      if (!transport) throw new RangeError(`unknown transport "${id}"; run "ipclab list" to see them`);
      for (const payload of options.payloads ?? BULK_DEFAULTS.payloads) {
        const codecs = transport.codecs.filter((codec) => !options.codecs || options.codecs.includes(codec));
        // A payload the transport cannot carry still gets one (skipped) row, so the gap is visible.
        const rows = transport.payloads.includes(payload) ? codecs : codecs.slice(0, 1);
        const fault = options.fault?.transport === id ? { fault: options.fault.fault } : {};
        for (const codec of rows) trials.push({ transport: id, payload, codec, elements, ...fault });
      }
    }
  }
  return trials;
}

/** Elements the JS Array floor casts and assembles by: the shm transport's int32 chunk. */
const ARRAY_FLOOR_SLOT_ELEMENTS = CHUNK_BYTES / Int32Array.BYTES_PER_ELEMENT;
/** Repetitions of the JS Array floor a run always has, however few the case's own. */
const ARRAY_FLOOR_MIN_REPETITIONS = 3;

/** The case whose JS Array floor is measured beside it: ipclab's own JS Array path. */
const hasArrayFloor = (spec: CaseSpec) => spec.transport === 'shm' && spec.payload === 'array' && spec.codec === 'raw';

/**
 * The shm JS Array case with its floor measured in step: one floor repetition right before each of
 * the case's (so both see the machine in the same state; it is shared and drifts over minutes), then
 * more after it up to ARRAY_FLOOR_MIN_REPETITIONS.
 */
async function runCaseBesideArrayFloor(spec: CaseSpec, options: CaseOptions): Promise<{ result: BulkResult; floor: ArrayFloor }> {
  const timings: ArrayFloorTiming[] = [];
  const measureOnce = () => timings.push(measureArrayFloorOnce(spec.elements, ARRAY_FLOOR_SLOT_ELEMENTS, options.timeoutSeconds));
  const result = await runCase(spec, { ...options, beforeRepetition: measureOnce });
  while (timings.length < ARRAY_FLOOR_MIN_REPETITIONS) measureOnce();
  return { result, floor: arrayFloorOf(spec.elements, timings) };
}

export async function runBench(options: BenchOptions, onProgress?: (event: ProgressEvent) => void): Promise<BenchOutput> {
  const trials = planTrials(options);
  // Recorded before the first case: the date it started, and the code and tree it started from.
  const context = collectContext(options.command ?? 'ipclab bench', options.repeat, options.timeoutSeconds, options.budgetSeconds ?? null, caseNodeFlags(os.totalmem()));
  const started = performance.now();
  const yardsticks = new Map<number, YardstickTiming[]>();
  const arrayFloors = new Map<number, ArrayFloor>();
  const results: BulkResult[] = [];
  for (const [index, spec] of trials.entries()) {
    const elapsedSeconds = () => (performance.now() - started) / 1000;
    onProgress?.({ index, total: trials.length, spec, elapsedSeconds: elapsedSeconds() });
    const runnable = unsupportedReason(spec) === undefined;
    const bytes = payloadBytes(spec);
    // Every case gets memcpy and the native reference right before each of its repetitions; the
    // run's table of yardsticks pools them per size.
    const sizeYardsticks = yardsticks.get(bytes) ?? [];
    if (runnable) yardsticks.set(bytes, sizeYardsticks);
    const caseOptions = { repeat: options.repeat, timeoutSeconds: options.timeoutSeconds, budgetSeconds: options.budgetSeconds, yardsticks: sizeYardsticks };
    let result: BulkResult;
    if (hasArrayFloor(spec) && !arrayFloors.has(spec.elements) && runnable) {
      const paired = await runCaseBesideArrayFloor(spec, caseOptions);
      arrayFloors.set(spec.elements, paired.floor);
      result = paired.result;
    } else {
      result = await runCase(spec, caseOptions);
    }
    results.push(result);
    onProgress?.({ index, total: trials.length, spec, elapsedSeconds: elapsedSeconds(), result });
  }
  const ranPython = trials.some((spec) => transportById(spec.transport)?.runtime !== undefined);
  return {
    schemaVersion: SCHEMA_VERSION,
    context: context.provenance ? { ...context, provenance: finishProvenance(context.provenance, ranPython) } : context,
    mode: 'bulk',
    trials,
    baselines: [...yardsticks.entries()].filter(([, timings]) => timings.length > 0).map(([bytes, timings]) => baselineOf(bytes, timings)).sort((a, b) => a.bytes - b.bytes),
    arrayFloors: [...arrayFloors.values()],
    results,
  };
}
