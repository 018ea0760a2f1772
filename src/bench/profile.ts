// `ipclab profile`: one case run once with V8's CPU profiler in every process of the case, and
// where its time went: the phases, every mark on one timeline, and per side the functions that
// took the most self time inside the measured window (sender sendStart to receiver valueReady).
//
// Each process started with --cpu-prof writes CPU.<date>.<time>.<pid>.<tid>.<seq>.cpuprofile when
// it exits normally (process.exit included); a process killed with SIGKILL writes none. The files
// are matched to the sides by the pid and thread id each side reports.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { phaseTimes, runRepetition } from './harness.js';
import { packageRoot } from './paths.js';
import type { Role } from './ids.js';
import type { PhaseTimes } from './results.js';
import type { CaseSpec, SideReport, SideUsage } from './side.js';

/** V8's sampling interval asked for with --cpu-prof-interval, microseconds. */
export const PROFILE_INTERVAL_MICROS = 200;

// ---------------------------------------------------------------------------------------------
// The .cpuprofile format (Chrome DevTools Protocol Profiler.Profile)

export interface CallFrame {
  functionName: string;
  scriptId?: string;
  url: string;
  /** 0-based; -1 for V8's own entries such as (program) and (garbage collector). */
  lineNumber: number;
  columnNumber: number;
}

export interface CpuProfileNode {
  id: number;
  callFrame: CallFrame;
  hitCount?: number;
  children?: number[];
}

/** Times are microseconds on the clock of process.hrtime (checked per run by `marksInsideProfile`). */
export interface CpuProfile {
  nodes: CpuProfileNode[];
  startTime: number;
  endTime: number;
  /** The node id on top of the stack at each sample. */
  samples: number[];
  /** Microseconds from the previous sample (the first: from startTime). */
  timeDeltas: number[];
}

const isNumberArray = (value: unknown): value is number[] => Array.isArray(value) && value.every((item) => typeof item === 'number');

/** Parses and checks the text of a .cpuprofile file; throws an Error saying what is wrong. */
export function parseCpuProfile(text: string): CpuProfile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`not JSON (${(error as Error).message}); a file cut short by a killed process reads like this`);
  }
  const profile = value as Partial<CpuProfile> | null;
  if (typeof profile !== 'object' || profile === null) throw new Error('not a CPU profile: expected an object');
  if (typeof profile.startTime !== 'number' || typeof profile.endTime !== 'number') throw new Error('not a CPU profile: startTime and endTime must be numbers');
  if (!isNumberArray(profile.samples) || !isNumberArray(profile.timeDeltas)) throw new Error('not a CPU profile: samples and timeDeltas must be arrays of numbers');
  if (profile.samples.length !== profile.timeDeltas.length) {
    throw new Error(`not a CPU profile: ${profile.samples.length} samples but ${profile.timeDeltas.length} timeDeltas`);
  }
  if (!Array.isArray(profile.nodes)) throw new Error('not a CPU profile: nodes must be an array');
  const ids = new Set<number>();
  for (const node of profile.nodes as unknown[]) {
    const { id, callFrame } = (node ?? {}) as Partial<CpuProfileNode>;
    if (typeof id !== 'number' || typeof callFrame !== 'object' || callFrame === null || typeof callFrame.functionName !== 'string' || typeof callFrame.url !== 'string') {
      throw new Error('not a CPU profile: every node needs an id and a callFrame with functionName and url');
    }
    ids.add(id);
  }
  const unknown = profile.samples.find((id) => !ids.has(id));
  if (unknown !== undefined) throw new Error(`not a CPU profile: a sample names node ${unknown}, which is not in nodes`);
  return profile as CpuProfile;
}

/** pid, thread id (0: main thread) and sequence number from a --cpu-prof file name. */
export function parseProfileFileName(name: string): { pid: number; threadId: number; sequence: number } | undefined {
  const match = /^CPU\.\d{8}\.\d{6}\.(\d+)\.(\d+)\.(\d+)\.cpuprofile$/.exec(name);
  return match ? { pid: Number(match[1]), threadId: Number(match[2]), sequence: Number(match[3]) } : undefined;
}

// ---------------------------------------------------------------------------------------------
// Self time per function

export interface FunctionTime {
  /** "(anonymous)" for an unnamed function; V8's own rows keep their names: "(program)", "(garbage collector)", "(idle)". */
  functionName: string;
  /** file:line, relative to the package root when under it; node:internal/... kept; "(native)" for a named function V8 gives no script for; "" for V8's own rows. */
  location: string;
  selfMicros: number;
}

/** Where a frame's code is, for people: see FunctionTime.location. */
export function frameLocation(frame: Pick<CallFrame, 'functionName' | 'url' | 'lineNumber'>, root = packageRoot): string {
  if (frame.url === '') return frame.functionName === '' || frame.functionName.startsWith('(') ? '' : '(native)';
  let where = frame.url;
  if (where.startsWith('file://')) {
    const file = fileURLToPath(where);
    const relative = path.relative(root, file);
    where = relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
  }
  return frame.lineNumber >= 0 ? `${where}:${frame.lineNumber + 1}` : where;
}

/**
 * Self time of every function inside [windowStartMicros, windowEndMicros], most first (ties by
 * name and location), and the sampled time inside the window. Sample i is at startTime + the sum of
 * timeDeltas[0..i] and stands for the time until the next sample (the last: until endTime), the
 * way Chrome DevTools counts it; a sample that straddles a window edge counts only its part inside.
 */
export function selfTimes(profile: CpuProfile, windowStartMicros: number, windowEndMicros: number, root = packageRoot): { functions: FunctionTime[]; sampledMicros: number } {
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const totals = new Map<string, FunctionTime>();
  let sampledMicros = 0;
  let at = profile.startTime;
  for (let index = 0; index < profile.samples.length; index++) {
    at += profile.timeDeltas[index]!;
    const until = index + 1 < profile.samples.length ? at + profile.timeDeltas[index + 1]! : profile.endTime;
    const inside = Math.min(until, windowEndMicros) - Math.max(at, windowStartMicros);
    if (!(inside > 0)) continue; // outside the window, or a (rare) out-of-order sample
    const frame = frames.get(profile.samples[index]!)!;
    const key = `${frame.functionName}\0${frame.url}\0${frame.lineNumber}\0${frame.columnNumber}`;
    let entry = totals.get(key);
    if (!entry) {
      entry = { functionName: frame.functionName || '(anonymous)', location: frameLocation(frame, root), selfMicros: 0 };
      totals.set(key, entry);
    }
    entry.selfMicros += inside;
    sampledMicros += inside;
  }
  const functions = [...totals.values()].sort(
    (a, b) => b.selfMicros - a.selfMicros || a.functionName.localeCompare(b.functionName) || a.location.localeCompare(b.location),
  );
  return { functions, sampledMicros };
}

/** V8's rows for time outside JS (the VM itself, the collector): listed for every process even when outside the top n. */
export const ALWAYS_LISTED = ['(program)', '(garbage collector)'] as const;

/** The `n` functions with the most self time inside the window (see selfTimes). */
export function topFunctions(profile: CpuProfile, windowStartMicros: number, windowEndMicros: number, n: number, root = packageRoot): FunctionTime[] {
  return selfTimes(profile, windowStartMicros, windowEndMicros, root).functions.slice(0, n);
}

/** An hrtime mark (decimal nanoseconds) in microseconds, the unit of V8's profile times. */
const micros = (nanoseconds: string) => Number(BigInt(nanoseconds)) / 1000;

/**
 * Whether every mark of a side (hrtime nanoseconds) falls inside its profile's [startTime, endTime]
 * (microseconds): the evidence that V8's sample times and process.hrtime share one clock.
 */
export function marksInsideProfile(profile: Pick<CpuProfile, 'startTime' | 'endTime'>, marks: Record<string, string>): boolean {
  const times = Object.values(marks).map(micros);
  return times.length > 0 && times.every((time) => time >= profile.startTime && time <= profile.endTime);
}

// ---------------------------------------------------------------------------------------------
// One profiled run, analysed

export interface TimelineMark {
  side: Role;
  mark: string;
  /** Milliseconds from the sender's sendStart (negative before it). */
  ms: number;
}

/** Every mark of both sides in ms from the sender's sendStart, in time order (ties: sender first, then by name). */
export function timeline(sender: SideReport, receiver: SideReport): TimelineMark[] {
  const origin = sender.marks.sendStart;
  if (origin === undefined) return [];
  const marks = [sender, receiver].flatMap((report) =>
    Object.entries(report.marks).map(([mark, nanoseconds]) => ({ side: report.role, mark, ms: Number(BigInt(nanoseconds) - BigInt(origin)) / 1e6 })),
  );
  return marks.sort((a, b) => a.ms - b.ms || (a.side === b.side ? a.mark.localeCompare(b.mark) : a.side === 'sender' ? -1 : 1));
}

/** A profile file as found after a run: parsed, or why it could not be. */
export interface LoadedProfile {
  file: string;
  pid: number;
  threadId: number;
  profile?: CpuProfile;
  error?: string;
}

export interface TopFunction {
  functionName: string;
  location: string;
  selfMs: number;
  /** Share of the window (or of the whole profile, when `basis` is "whole-profile"), percent. */
  percent: number;
}

export interface ProcessProfile {
  /** A side of the case, or "other" for a profile of a process that is neither (a helper). */
  role: Role | 'other';
  pid: number;
  threadId: number;
  /** The .cpuprofile file's name, or null when there is none to use (see `problem`). */
  file: string | null;
  /** Why this side has no usable profile. */
  problem?: string;
  samples: number;
  profileStartMicros: number | null;
  profileEndMicros: number | null;
  /** Whether all of this side's marks fall inside its profile's time span (see marksInsideProfile). */
  marksInsideProfile: boolean | null;
  /** Sampled milliseconds counted: inside the window, or the whole profile (see `basis`). */
  sampledMs: number;
  top: TopFunction[];
  /** Resource use the side reported (absent for "other"). */
  usage?: SideUsage;
}

export interface ProfileClock {
  /** True when every profiled side's marks lie inside its profile's span: sample times are hrtime times. */
  shared: boolean;
  /** What `top` counts: time inside the measured window, or (clock not shared) the whole of each profile. */
  basis: 'window' | 'whole-profile';
  note: string;
}

export interface CompletedProfile {
  status: 'completed';
  case: CaseSpec;
  verified: boolean;
  mismatch?: string;
  intervalMicros: number;
  phases: PhaseTimes;
  /** The measured window: sender sendStart to receiver valueReady, hrtime nanoseconds as decimal strings. */
  window: { from: 'sender sendStart'; to: 'receiver valueReady'; startNs: string; endNs: string; ms: number };
  timeline: TimelineMark[];
  clock: ProfileClock;
  /** Sender, receiver, then any other profiled process. */
  processes: ProcessProfile[];
  /** Where the profiles were kept (--keep-profiles), else null: they were removed. */
  profileDir: string | null;
}

export interface ErroredProfile {
  status: 'errored';
  case: CaseSpec;
  reason: string;
  /** The profile files that were written (a side killed with SIGKILL writes none). */
  profileFiles: string[];
  profileDir: string | null;
}

export type ProfileResult = CompletedProfile | ErroredProfile;


function processProfile(role: Role | 'other', loaded: LoadedProfile | undefined, ids: { pid: number; threadId: number }, marks: Record<string, string> | undefined): ProcessProfile {
  const base = { role, pid: ids.pid, threadId: ids.threadId, file: loaded?.file ?? null, samples: 0, profileStartMicros: null, profileEndMicros: null, marksInsideProfile: null, sampledMs: 0, top: [] };
  if (!loaded) {
    const where = ids.threadId === 0 ? `pid ${ids.pid}` : `pid ${ids.pid}, thread ${ids.threadId}`;
    return { ...base, problem: `no profile was written for ${where}: a process writes its profile only when it exits normally (one killed with SIGKILL writes none)` };
  }
  if (!loaded.profile) return { ...base, problem: `${loaded.file} could not be read: ${loaded.error ?? 'unknown error'}` };
  const profile = loaded.profile;
  return {
    ...base,
    samples: profile.samples.length,
    profileStartMicros: profile.startTime,
    profileEndMicros: profile.endTime,
    marksInsideProfile: marks === undefined ? null : marksInsideProfile(profile, marks),
  };
}

/**
 * Puts one successful run together with the profiles it wrote: matches files to sides by pid and
 * thread id, checks the clock, and counts the top `n` functions of each process. Pure: no files.
 */
export function analyzeProfiledRun(
  spec: CaseSpec,
  sender: SideReport,
  receiver: SideReport,
  profiles: readonly LoadedProfile[],
  n: number,
  root = packageRoot,
): Omit<CompletedProfile, 'profileDir'> {
  const find = (report: SideReport) => profiles.find((loaded) => loaded.pid === report.pid && loaded.threadId === report.threadId);
  const sides = [sender, receiver].map((report) => ({ ...processProfile(report.role, find(report), report, report.marks), usage: report.usage }));
  const others = profiles
    .filter((loaded) => ![sender, receiver].some((report) => loaded.pid === report.pid && loaded.threadId === report.threadId))
    .map((loaded) => processProfile('other', loaded, loaded, undefined));
  const processes = [...sides, ...others];

  const startNs = sender.marks.sendStart;
  const endNs = receiver.marks.valueReady;
  const checked = sides.filter((side) => side.marksInsideProfile !== null);
  const shared = startNs !== undefined && endNs !== undefined && checked.length > 0 && checked.every((side) => side.marksInsideProfile);
  const clock: ProfileClock = shared
    ? {
        shared,
        basis: 'window',
        note: "every mark of each profiled side lies inside its profile's time span: V8 sample times and process.hrtime share one clock, so self times are counted inside the measured window",
      }
    : {
        shared,
        basis: 'whole-profile',
        note:
          checked.length === 0
            ? 'no side has a usable profile to check the clock against'
            : "some side's marks fall outside its profile's time span, so sample times cannot be placed on the hrtime clock here: self times are totals over each whole profile (start-up and exit included), not the measured window",
      };
  const windowMs = startNs !== undefined && endNs !== undefined ? Number(BigInt(endNs) - BigInt(startNs)) / 1e6 : 0;

  for (const entry of processes) {
    const loaded = profiles.find((candidate) => candidate.file === entry.file)?.profile;
    if (!loaded || entry.problem) continue;
    const [from, to] = shared ? [micros(startNs!), micros(endNs!)] : [-Infinity, Infinity];
    const counted = selfTimes(loaded, from, to, root);
    const basisMs = shared ? windowMs : (loaded.endTime - loaded.startTime) / 1000;
    entry.sampledMs = counted.sampledMicros / 1000;
    const top = counted.functions.slice(0, n);
    for (const name of ALWAYS_LISTED) {
      if (!top.some((item) => item.functionName === name)) {
        top.push(counted.functions.find((item) => item.functionName === name) ?? { functionName: name, location: '', selfMicros: 0 });
      }
    }
    entry.top = top.map((item) => ({
      functionName: item.functionName,
      location: item.location,
      selfMs: item.selfMicros / 1000,
      percent: basisMs > 0 ? (item.selfMicros / 1000 / basisMs) * 100 : 0,
    }));
  }

  return {
    status: 'completed',
    case: spec,
    verified: receiver.verified === true,
    ...(receiver.verified === true ? {} : { mismatch: receiver.mismatch ?? 'verification failed' }),
    intervalMicros: PROFILE_INTERVAL_MICROS,
    phases: phaseTimes(sender, receiver),
    window: { from: 'sender sendStart', to: 'receiver valueReady', startNs: startNs ?? '', endNs: endNs ?? '', ms: windowMs },
    timeline: timeline(sender, receiver),
    clock,
    processes,
  };
}

/** Every --cpu-prof file in `directory`, parsed (or with the reason it could not be), oldest first. */
export function loadProfiles(directory: string): LoadedProfile[] {
  const loaded: LoadedProfile[] = [];
  for (const file of readdirSync(directory).sort()) {
    const ids = parseProfileFileName(file);
    if (!ids) continue;
    try {
      loaded.push({ file, pid: ids.pid, threadId: ids.threadId, profile: parseCpuProfile(readFileSync(path.join(directory, file), 'utf8')) });
    } catch (error) {
      loaded.push({ file, pid: ids.pid, threadId: ids.threadId, error: (error as Error).message });
    }
  }
  return loaded;
}

export interface ProfileOptions {
  /** How many functions to list per process. */
  top: number;
  timeoutSeconds: number;
  /** Keep the directory of .cpuprofile files (its path is in the result) instead of removing it. */
  keepProfiles?: boolean;
}

/** Runs `spec` once with every process under V8's CPU profiler and says where the time went. */
export async function runProfile(spec: CaseSpec, options: ProfileOptions): Promise<ProfileResult> {
  const directory = mkdtempSync(path.join(os.tmpdir(), `ipclab-${process.pid}-prof-`));
  const profileDir = options.keepProfiles ? directory : null;
  try {
    const outcome = await runRepetition(spec, {
      timeoutSeconds: options.timeoutSeconds,
      nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${directory}`, `--cpu-prof-interval=${PROFILE_INTERVAL_MICROS}`],
    });
    const profiles = loadProfiles(directory);
    if (!outcome.ok) return { status: 'errored', case: spec, reason: outcome.reason, profileFiles: profiles.map((loaded) => loaded.file), profileDir };
    return { ...analyzeProfiledRun(spec, outcome.sender, outcome.receiver, profiles, options.top), profileDir };
  } finally {
    if (!options.keepProfiles) rmSync(directory, { recursive: true, force: true });
  }
}
