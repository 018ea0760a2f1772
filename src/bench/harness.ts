// Runs measured cases: fresh processes per repetition, a ready barrier on a control socket, a
// per-case timeout, and cleanup of every process, file and shared memory object a case made.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { addon } from '../native.js';
import { listOwnObjects, removeObject, SHM_DIR } from '../cleanup.js';
import { isProcessAlive } from '../liveness.js';
import { CASE_ENV, caseProcessEntry, type CaseInfo } from './case-process.js';
import { collectContext } from './context.js';
import { BULK_DEFAULTS } from './defaults.js';
import { onMessages, sendMessage } from './control.js';
import type { ArrayFloorTiming } from './array-floor.js';
import { messageTransportById } from './messages/index.js';
import { isMessageSpec, type CaseSpec, type MessageCaseSpec, type SideReport, type Transport } from './side.js';
import { caseNodeFlags, distEntry } from './paths.js';
import { BYTES_PER_ELEMENT } from './payload.js';
import { pythonCaseScript, pythonCommand } from './python.js';
import { summarize, summarizePhases } from './stats.js';
import { transportById, transports } from './transports/index.js';
import { SLOT_BYTES } from './transports/shm.js';
import type { CodecId, PayloadId, Role, TransportId } from './ids.js';
import type { ArrayFloor, BenchOutput, CaseKind, CaseResult, MemcpyBaseline, NativeFloor, PhaseTimes } from './results.js';

export interface BenchOptions {
  sizes: number[];
  transports?: TransportId[];
  payloads?: PayloadId[];
  codecs?: CodecId[];
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
  result?: CaseResult;
}

export interface CaseOptions {
  repeat?: number;
  timeoutSeconds: number;
  /** Stop repeating once a case has used this many seconds (at least one repetition always runs). */
  budgetSeconds?: number;
  /** Runs right before each repetition (a yardstick measured in step with it); its time is not the case's. */
  beforeRepetition?: () => void;
}

export type RunOutcome = { ok: true; sender: SideReport; receiver: SideReport } | { ok: false; reason: string };

export interface RepetitionOptions {
  timeoutSeconds: number;
  /** Extra Node flags for every process of the case (the profiler's --cpu-prof, for instance). */
  nodeFlags?: string[];
}

const KILL_GRACE_MS = 2000;
/** How long a side's error waits for a dead peer's exit event before it is reported as the cause. */
const DEATH_HEARD_WITHIN_MS = 2000;
const arrayFloorEntry = distEntry('bench/array-floor.js');
const STDERR_TAIL_BYTES = 2000;

function seconds(from: string | undefined, to: string | undefined): number | null {
  if (from === undefined || to === undefined) return null;
  return Number(BigInt(to) - BigInt(from)) / 1e9;
}

/** Turns both sides' timestamps into phase durations (see MarkName in types.ts). */
export function phaseTimes(sender: SideReport, receiver: SideReport): PhaseTimes {
  const s = sender.marks;
  const r = receiver.marks;
  const arrived = r.received ?? r.valueReady;
  // Bytes start moving after cast/encode, unless those were streamed (they overlap the transfer,
  // ending after the first bytes arrived): then the transfer counts from the start of the send.
  const prepared = s.handoff ?? s.encodeEnd ?? s.castEnd ?? s.sendStart;
  const streamed = prepared !== undefined && arrived !== undefined && BigInt(prepared) > BigInt(arrived);
  const handoff = streamed ? s.sendStart : prepared;
  const build = seconds(s.buildStart, s.buildEnd);
  const endToEnd = seconds(s.sendStart, r.valueReady);
  const consume = seconds(r.consumeStart, r.consumeEnd);
  return {
    build,
    cast: seconds(s.castStart, s.castEnd),
    encode: seconds(s.encodeStart, s.encodeEnd),
    send: seconds(s.sendStart, s.sendEnd),
    transfer: seconds(handoff, arrived),
    recv: seconds(r.firstByte ?? r.received ?? r.valueReady, r.valueReady),
    decode: seconds(r.decodeStart, r.decodeEnd),
    endToEnd,
    consume,
    verify: seconds(r.verifyStart, r.verifyEnd),
    // Produce + move + first full read; the barrier wait between build and send is left out.
    wholeJob: build === null || endToEnd === null || consume === null ? null : build + endToEnd + consume,
  };
}

/** Copies between processes, hand-offs between processes, and thread transports are told apart. */
export function caseKind(transport: Pick<Transport, 'topology'>, copies: number): CaseKind {
  if (transport.topology === 'threads') return 'thread';
  return copies === 0 ? 'handoff' : 'copy';
}

function payloadBytes(spec: Pick<CaseSpec, 'payload' | 'elements'>): number {
  return spec.elements * BYTES_PER_ELEMENT[spec.payload];
}

/** Removes what a case left: its directories and every /dev/shm object under its prefix. */
function removeCaseLeftovers(objectPrefix: string, directories: string[]): void {
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
  for (const item of listOwnObjects()) {
    if (item.name.startsWith(objectPrefix)) removeObject(item);
  }
}

/** What each running case must undo at once if the benchmark is interrupted. */
const interruptCleanups = new Set<() => void>();
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Makes SIGINT (Ctrl-C) and SIGTERM kill every case's processes and remove what they made, then exit. */
export function cleanUpOnInterrupt(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const cleanup of interruptCleanups) cleanup();
      process.stderr.write(`\nInterrupted by ${signal}: stopped every case and removed what they made.\n`);
      process.exit(128 + os.constants.signals[signal]);
    });
  }
}

/** Kills the children's process groups and waits (briefly, synchronously) until each child is dead. */
function killAndAwait(children: ChildProcess[]): void {
  children.forEach(killGroup);
  const deadline = performance.now() + KILL_GRACE_MS;
  while (children.some((child) => child.pid !== undefined && isProcessAlive(child.pid)) && performance.now() < deadline) {
    Atomics.wait(sleeper, 0, 0, 5);
  }
}

/** Kills the child's whole process group: forked receivers, brokers and Python's helper processes
 * too, even when the child itself has already exited (a crashed sender leaves its receiver). */
function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // the group is already empty
  }
}

/** One repetition of one case (bulk or message) in fresh processes, with both sides' raw reports. */
export async function runRepetition(spec: CaseSpec | MessageCaseSpec, options: RepetitionOptions): Promise<RunOutcome> {
  const { timeoutSeconds } = options;
  const nodeFlags = [...caseNodeFlags(os.totalmem()), ...(options.nodeFlags ?? [])];
  const transport = isMessageSpec(spec) ? messageTransportById(spec.transport) : transportById(spec.transport);
  if (!transport) return { ok: false, reason: `unknown transport "${spec.transport}"` };
  const tag = `${process.pid}-${randomBytes(3).toString('hex')}`;
  const objectPrefix = `/ipclab-${tag}`;
  const caseDir = mkdtempSync(path.join(os.tmpdir(), `ipclab-${tag}-`));
  const shmDir = mkdtempSync(path.join(SHM_DIR, `ipclab-${tag}-files-`));
  const controlPath = path.join(caseDir, 'control.sock');
  const children: ChildProcess[] = [];
  const sockets = new Map<Role, net.Socket>();
  const ready = new Set<Role>();
  const reports = new Map<Role, SideReport>();
  const server = net.createServer();
  let settle: (outcome: RunOutcome) => void = () => undefined;
  const outcome = new Promise<RunOutcome>((resolve) => {
    settle = resolve;
  });
  const fail = (reason: string) => settle({ ok: false, reason });
  let result: RunOutcome | undefined;
  const sideErrors = new Map<Role, string>();
  let exitsBeingReported = 0;
  // A side's error may only echo the other side's death (ERR_PEER_GONE): let that death speak first,
  // however late its exit event arrives on a loaded machine (the peer may see a zombie before we do).
  const failUnlessADeathSpeaks = (reason: string) => {
    const since = performance.now();
    const check = () => {
      const deathUnheard =
        exitsBeingReported > 0 ||
        children.some((child) => child.exitCode === null && child.signalCode === null && child.pid !== undefined && !isProcessAlive(child.pid));
      if (deathUnheard && performance.now() - since < DEATH_HEARD_WITHIN_MS) setTimeout(check, 25);
      else fail(reason);
    };
    setTimeout(check, 250);
  };
  const interrupted = () => {
    killAndAwait(children);
    removeCaseLeftovers(objectPrefix, [caseDir, shmDir]);
  };
  interruptCleanups.add(interrupted);

  const isPython = (role: Role) => 'runtime' in transport && transport.runtime?.[role] === 'python';
  // A Node sender of a pair starts with its receiver (saving a process start per repetition) and
  // opens its side only when told the receiver is ready; a Python sender starts then.
  const senderStartsEarly = transport.topology === 'pair' && !isPython('sender');
  let setupSent = false;
  const sendSetupOnceReady = () => {
    const sender = sockets.get('sender');
    if (setupSent || !sender || !ready.has('receiver')) return;
    setupSent = true;
    void sendMessage(sender, { type: 'setup' }).catch(() => undefined);
  };
  const start = (role: Role) => {
    const awaitSetup = role === 'sender' && senderStartsEarly;
    const info: CaseInfo = { role, spec, objectPrefix, caseDir, shmDir, controlPath, nodeFlags, ...(awaitSetup ? { awaitSetup } : {}) };
    const env = { ...process.env, [CASE_ENV]: JSON.stringify(info) };
    // A Python side runs the same protocol from its own script; its temp files (a Manager's
    // socket directory) go in the case directory, which is removed afterwards.
    const python = isPython(role);
    const [command, args] = python ? [pythonCommand(), ['-u', pythonCaseScript]] : [process.execPath, [...nodeFlags, caseProcessEntry]];
    const child = spawn(command, args, {
      env: python ? { ...env, TMPDIR: caseDir } : env,
      stdio: ['ignore', 'inherit', 'pipe'],
      detached: true,
    });
    children.push(child);
    let stderr = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => {
      stderr = (stderr + text).slice(-STDERR_TAIL_BYTES);
    });
    child.on('exit', (code, signal) => {
      exitsBeingReported++;
      // Let the control socket deliver a last error message before blaming the exit.
      setTimeout(() => {
        exitsBeingReported--;
        const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
        const detail = stderr.trim().split('\n').slice(-3).join(' | ');
        // A side that reported its own error before exiting is failed by that error, not by its exit.
        if (reports.has(role)) return;
        const reported = sideErrors.get(role);
        fail(reported !== undefined ? `${role} failed: ${reported}` : `${role} ${how} before reporting${detail ? `: ${detail}` : ''}`);
      }, 100);
    });
  };

  const maybeGo = () => {
    if (ready.has('sender') && ready.has('receiver')) {
      const sender = sockets.get('sender');
      if (sender) void sendMessage(sender, { type: 'go' }).catch(() => undefined);
    }
  };

  server.on('connection', (socket) => {
    onMessages(socket, (message) => {
      switch (message.type) {
        case 'hello':
          sockets.set(message.role, socket);
          if (senderStartsEarly) sendSetupOnceReady();
          break;
        case 'ready':
          ready.add(message.role);
          if (message.role === 'receiver' && transport.topology === 'pair') {
            if (senderStartsEarly) sendSetupOnceReady();
            else if (children.length === 1) start('sender');
          }
          maybeGo();
          break;
        case 'report':
          reports.set(message.role, message.report);
          if (reports.has('sender') && reports.has('receiver')) {
            settle({ ok: true, sender: reports.get('sender')!, receiver: reports.get('receiver')! });
          }
          break;
        case 'error':
          // A side's error may only echo the other side's death (ERR_PEER_GONE): let that exit speak first.
          sideErrors.set(message.role, message.message);
          failUnlessADeathSpeaks(`${message.role} failed: ${message.message}`);
          break;
      }
    });
    socket.on('error', () => undefined);
  });

  const timer = setTimeout(() => {
    const what = isMessageSpec(spec) ? 'every message' : 'the payload';
    const waiting = ready.size < 2 ? `the ready barrier (ready: ${[...ready].join(', ') || 'none'})` : `${what} to arrive and be verified`;
    fail(`timed out after ${timeoutSeconds} s waiting for ${waiting}`);
  }, timeoutSeconds * 1000);

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(controlPath, resolve);
    });
    start(transport.topology === 'pair' ? 'receiver' : 'sender');
    if (senderStartsEarly) start('sender');
    result = await outcome;
    return result;
  } finally {
    clearTimeout(timer);
    // After a failure nothing is worth waiting for; after success, sides get a moment to exit.
    if (!result?.ok) children.forEach(killGroup);
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const grace = setTimeout(() => killGroup(child), KILL_GRACE_MS);
            child.once('exit', () => {
              clearTimeout(grace);
              resolve();
            });
          }),
      ),
    );
    for (const socket of sockets.values()) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    removeCaseLeftovers(objectPrefix, [caseDir, shmDir]);
    interruptCleanups.delete(interrupted);
  }
}

function baseResult(spec: CaseSpec) {
  return {
    transport: spec.transport,
    payload: spec.payload,
    codec: spec.codec,
    elements: spec.elements,
    payloadBytes: payloadBytes(spec),
  };
}

/** Runs `repeat` fresh repetitions of one case. The first failure ends the case as errored. */
export async function runCase(spec: CaseSpec, options: CaseOptions, baseline?: MemcpyBaseline): Promise<CaseResult> {
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
  for (let repetition = 0; repetition < repeat && (repetition === 0 || performance.now() - started - yardstickMs < budgetMs); repetition++) {
    if (options.beforeRepetition) {
      const yardstickStarted = performance.now();
      options.beforeRepetition();
      yardstickMs += performance.now() - yardstickStarted;
    }
    const outcome = await runRepetition(spec, { timeoutSeconds: options.timeoutSeconds });
    if (!outcome.ok) {
      const where = repeat > 1 ? ` (repetition ${repetition + 1} of ${repeat})` : '';
      return { ...baseResult(spec), status: 'errored', verified: false, reason: `${outcome.reason}${where}` };
    }
    runs.push(phaseTimes(outcome.sender, outcome.receiver));
    last = outcome;
    if (!outcome.receiver.verified) {
      mismatch = outcome.receiver.mismatch ?? 'verification failed';
      break;
    }
  }
  const phases = summarizePhases(runs);
  const endToEnd = phases.endToEnd?.median ?? NaN;
  const wholeJob = phases.wholeJob?.median;
  const note = [last!.sender.note, last!.receiver.note].find((text) => text !== undefined);
  const bytes = payloadBytes(spec);
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
    runs,
    phases,
    kind: caseKind(transport, copies),
    copies,
    throughput: copied ? { gigabytesPerSecond: bytes / endToEnd / 1e9, elementsPerSecond: spec.elements / endToEnd } : null,
    sender: last!.sender.usage,
    receiver: last!.receiver.usage,
    ratioToMemcpy:
      copied && baseline ? { fresh: endToEnd / baseline.freshSeconds.median, warm: endToEnd / baseline.warmSeconds.median } : null,
    ratioToFloor: baseline?.floor && wholeJob !== undefined ? wholeJob / baseline.floor.wholeJobSeconds.median : null,
  };
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

/** Every case the options select, smallest size first. Codecs a transport does not use are left out. */
export function planTrials(options: Pick<BenchOptions, 'sizes' | 'transports' | 'payloads' | 'codecs' | 'fault'>): CaseSpec[] {
  const selected = options.transports ?? transports.map((transport) => transport.id);
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

const FLOOR_READER_TIMEOUT_MS = 120_000;

/** One repetition of the native two-process floor: this process fills a fresh segment, a fresh one reads it. */
function measureFloorOnce(bytes: number): { produce: number; consume: number } {
  const name = `/ipclab-${process.pid}-${randomBytes(3).toString('hex')}-floor`;
  try {
    const produce = addon.fillFreshSegment(name, bytes);
    const printed = execFileSync(process.execPath, [distEntry('bench/floor-reader.js'), name, String(bytes)], {
      encoding: 'utf8',
      timeout: FLOOR_READER_TIMEOUT_MS,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const read = JSON.parse(printed) as { seconds: number; verified: boolean };
    if (!read.verified) throw new Error(`the floor's reader found elements that differ from what was written (${bytes} bytes)`);
    return { produce, consume: read.seconds };
  } finally {
    addon.SharedMemoryHandle.unlink(name);
  }
}

/** The native two-process floor for `bytes`, over `repeat` repetitions. */
export function measureFloor(bytes: number, repeat: number): NativeFloor {
  const produce: number[] = [];
  const consume: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const run = measureFloorOnce(bytes);
    produce.push(run.produce);
    consume.push(run.consume);
  }
  return {
    produceSeconds: summarize(produce),
    consumeSeconds: summarize(consume),
    wholeJobSeconds: summarize(produce.map((seconds, i) => seconds + consume[i]!)),
  };
}

/** Slot elements the floor casts and assembles by: the shm transport's int32 slot. */
const FLOOR_SLOT_ELEMENTS = SLOT_BYTES / Int32Array.BYTES_PER_ELEMENT;

/** One repetition of the JS Array floor (see ArrayFloor), in a fresh Node process. */
export function measureArrayFloorOnce(elements: number, timeoutSeconds: number): ArrayFloorTiming {
  const run = spawnSync(process.execPath, [...caseNodeFlags(os.totalmem()), arrayFloorEntry, String(elements), String(FLOOR_SLOT_ELEMENTS)], {
    encoding: 'utf8',
    timeout: timeoutSeconds * 1000,
  });
  if (run.status !== 0) throw new Error(`the JS Array floor at ${elements} elements failed (${run.error?.message ?? run.signal ?? `exit ${run.status}`}): ${run.stderr.trim().split('\n').slice(-1)[0] ?? ''}`);
  return JSON.parse(run.stdout) as ArrayFloorTiming;
}

/** Repetitions of the floor a run always has, however few the case's own. */
const ARRAY_FLOOR_MIN_REPETITIONS = 3;

/**
 * The shm JS Array case with its floor measured in step: one floor repetition right before each of
 * the case's (so both see the machine in the same state; it is shared and drifts over minutes), then
 * more after it up to ARRAY_FLOOR_MIN_REPETITIONS.
 */
async function runCaseBesideArrayFloor(spec: CaseSpec, options: CaseOptions, baseline: MemcpyBaseline | undefined): Promise<{ result: CaseResult; floor: ArrayFloor }> {
  const timings: ArrayFloorTiming[] = [];
  const measureOnce = () => timings.push(measureArrayFloorOnce(spec.elements, options.timeoutSeconds));
  const result = await runCase(spec, { ...options, beforeRepetition: measureOnce }, baseline);
  while (timings.length < ARRAY_FLOOR_MIN_REPETITIONS) measureOnce();
  const floor = {
    elements: spec.elements,
    materializeSeconds: summarize(timings.map((timing) => timing.materializeSeconds)),
    castSeconds: summarize(timings.map((timing) => timing.castSeconds)),
  };
  return { result, floor };
}

/** The machine's own limits on the same bytes in the same run: native memcpy and the two-process floor. */
export function measureBaseline(bytes: number, repeat: number): MemcpyBaseline {
  const fresh: number[] = [];
  const warm: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const timing = addon.measureMemcpy(bytes);
    fresh.push(timing.freshSeconds);
    warm.push(timing.warmSeconds);
  }
  const memcpy = { bytes, freshSeconds: summarize(fresh), warmSeconds: summarize(warm) };
  try {
    return { ...memcpy, floor: measureFloor(bytes, repeat) };
  } catch (error) {
    return { ...memcpy, floor: null, floorError: error instanceof Error ? error.message : String(error) };
  }
}

export async function runBench(options: BenchOptions, onProgress?: (event: ProgressEvent) => void): Promise<BenchOutput> {
  const trials = planTrials(options);
  // Recorded before the first case: the date it started, and the code and tree it started from.
  const context = collectContext(
    options.command ?? 'ipclab bench',
    options.repeat,
    options.timeoutSeconds,
    options.budgetSeconds ?? null,
    caseNodeFlags(os.totalmem()),
  );
  const started = performance.now();
  const baselines = new Map<number, MemcpyBaseline>();
  const arrayFloors = new Map<number, ArrayFloor>();
  const results: CaseResult[] = [];
  for (const [index, spec] of trials.entries()) {
    const elapsedSeconds = () => (performance.now() - started) / 1000;
    onProgress?.({ index, total: trials.length, spec, elapsedSeconds: elapsedSeconds() });
    const bytes = payloadBytes(spec);
    let baseline = baselines.get(bytes);
    if (!baseline && !unsupportedReason(spec)) {
      baseline = measureBaseline(bytes, Math.max(options.repeat, 3));
      baselines.set(bytes, baseline);
    }
    const caseOptions = { repeat: options.repeat, timeoutSeconds: options.timeoutSeconds, budgetSeconds: options.budgetSeconds };
    let result: CaseResult;
    if (spec.transport === 'shm' && spec.payload === 'array' && spec.codec === 'raw' && !arrayFloors.has(spec.elements) && !unsupportedReason(spec)) {
      const paired = await runCaseBesideArrayFloor(spec, caseOptions, baseline);
      arrayFloors.set(spec.elements, paired.floor);
      result = paired.result;
    } else {
      result = await runCase(spec, caseOptions, baseline);
    }
    results.push(result);
    onProgress?.({ index, total: trials.length, spec, elapsedSeconds: elapsedSeconds(), result });
  }
  return {
    schemaVersion: 2,
    context,
    trials,
    baselines: [...baselines.values()].sort((a, b) => a.bytes - b.bytes),
    ...(arrayFloors.size > 0 ? { arrayFloors: [...arrayFloors.values()] } : {}),
    results,
  };
}
