// One profiled run, analysed: the profiles matched to the sides by the pid and thread id each side
// reports, the clock checked, and the top functions of each process counted inside the measured
// window (sender sendStart to receiver valueReady). Pure: no files, no processes.
import type { Role } from '../ids.js';
import { packageRoot } from '../paths.js';
import { phaseTimes } from '../phases.js';
import type { CaseSpec, SideReport } from '../side.js';
import { breakdown, type FaultCost } from './breakdown.js';
import { ALWAYS_LISTED, marksInsideProfile, micros, selfTimes, type LoadedProfile } from './cpuprofile.js';
import type { CompletedProfile, ProcessProfile, ProfileClock, TimelineMark } from './result.js';

/** V8's sampling interval asked for with --cpu-prof-interval, microseconds. */
export const PROFILE_INTERVAL_MICROS = 200;

export function timeline(sender: SideReport, receiver: SideReport): TimelineMark[] {
  const origin = sender.marks.sendStart;
  if (origin === undefined) return [];
  const marks = [sender, receiver].flatMap((report) =>
    Object.entries(report.marks).map(([mark, nanoseconds]) => ({ side: report.role, mark, ms: Number(BigInt(nanoseconds) - BigInt(origin)) / 1e6 })),
  );
  return marks.sort((a, b) => a.ms - b.ms || (a.side === b.side ? a.mark.localeCompare(b.mark) : a.side === 'sender' ? -1 : 1));
}

function processProfile(role: Role | 'other', loaded: LoadedProfile | undefined, ids: { pid: number; threadId: number }, marks: Record<string, string> | undefined): ProcessProfile {
  const base = { role, pid: ids.pid, threadId: ids.threadId, file: loaded?.file ?? null, samples: 0, profileStartMicros: null, profileEndMicros: null, marksInsideProfile: null, sampledMs: 0, top: [], shares: [] };
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
  faultCost: FaultCost | null = null,
): Omit<CompletedProfile, 'profileDir'> {
  const find = (report: SideReport) => profiles.find((loaded) => loaded.pid === report.pid && loaded.threadId === report.threadId);
  const sides = [sender, receiver].map((report) => ({
    ...processProfile(report.role, find(report), report, report.marks),
    usage: report.usage,
    ...(report.windowMinorFaults === undefined ? {} : { windowMinorFaults: report.windowMinorFaults }),
  }));
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
    entry.shares = breakdown(counted.functions, basisMs, entry.sampledMs);
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
    faultCost,
  };
}
