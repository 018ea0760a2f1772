// The .cpuprofile format (Chrome DevTools Protocol Profiler.Profile) that V8 writes under
// --cpu-prof: reading one, matching it to a process by its file name, and counting self time per
// function inside a window of time.
//
// Each process started with --cpu-prof writes CPU.<date>.<time>.<pid>.<tid>.<seq>.cpuprofile when
// it exits normally (process.exit included); a process killed with SIGKILL writes none.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { packageRoot } from '../paths.js';

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
export const micros = (nanoseconds: string) => Number(BigInt(nanoseconds)) / 1000;

/**
 * Whether every mark of a side (hrtime nanoseconds) falls inside its profile's [startTime, endTime]
 * (microseconds): the evidence that V8's sample times and process.hrtime share one clock.
 */
export function marksInsideProfile(profile: Pick<CpuProfile, 'startTime' | 'endTime'>, marks: Record<string, string>): boolean {
  const times = Object.values(marks).map(micros);
  return times.length > 0 && times.every((time) => time >= profile.startTime && time <= profile.endTime);
}

/** A profile file as found after a run: parsed, or why it could not be. */
export interface LoadedProfile {
  file: string;
  pid: number;
  threadId: number;
  profile?: CpuProfile;
  error?: string;
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
