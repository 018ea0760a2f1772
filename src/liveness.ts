// Whether a process still runs, as /proc tells it: a zombie (state Z) or a dying process (X) is
// dead, and a process start time recorded beside a pid tells a reused pid from the original.
import { readFileSync } from 'node:fs';

/** Linux's largest pid (PID_MAX_LIMIT); anything outside 1..this is not a process. */
const MAX_PID = 2 ** 22;

interface ProcessStat {
  state: string;
  /** Field 22 of /proc/<pid>/stat: clock ticks after boot at which the process started. */
  startTime: bigint;
}

/** Whether `pid` could name a process (a handle table a peer scribbled over may hold anything). */
export function isPid(pid: number): boolean {
  return Number.isInteger(pid) && pid >= 1 && pid <= MAX_PID;
}

function readStat(pid: number): ProcessStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return undefined;
  }
  // The command name (field 2) may hold spaces and parentheses; the fields after its last ')' do not.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const startTime = fields[22 - 3];
  if (fields[0] === undefined || startTime === undefined || !/^\d+$/.test(startTime)) return undefined;
  return { state: fields[0], startTime: BigInt(startTime) };
}

/** This process's start time, to record beside its pid. */
export const ownStartTime: bigint = readStat(process.pid)?.startTime ?? 0n;

/**
 * Whether process `pid` runs and is not a zombie. With `startTime` (0n meaning unknown), a process
 * that started at another time is a different one that reused the pid, so the recorded one is dead.
 */
export function isProcessAlive(pid: number, startTime = 0n): boolean {
  if (!isPid(pid)) return false;
  const stat = readStat(pid);
  if (stat === undefined) return false;
  if (stat.state === 'Z' || stat.state === 'X' || stat.state === 'x') return false;
  return startTime === 0n || stat.startTime === startTime;
}

/** Milliseconds after the epoch at which process `pid` started, or undefined when it is not running. */
export function processStartedAtMs(pid: number): number | undefined {
  if (!isPid(pid)) return undefined;
  const stat = readStat(pid);
  const bootSeconds = /^btime (\d+)$/m.exec(readFileSafely('/proc/stat'))?.[1];
  if (stat === undefined || bootSeconds === undefined) return undefined;
  return Number(bootSeconds) * 1000 + Number(stat.startTime) * (1000 / CLOCK_TICKS_PER_SECOND);
}

/** USER_HZ, the unit of /proc start times: 100 on every Linux architecture Node runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

function readFileSafely(file: string): string {
  try {
    return readFileSync(file, 'latin1');
  } catch {
    return '';
  }
}
