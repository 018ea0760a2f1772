// What `ipclab profile` finds: one case's phases, its marks on one timeline, and per process the
// functions that took the most self time. Written as JSON by --format json; read by report/profile.ts.
import type { Role } from '../ids.js';
import type { PhaseTimes } from '../results.js';
import type { CaseSpec, SideUsage } from '../side.js';
import type { FaultCost, Share } from './breakdown.js';


export interface TimelineMark {
  side: Role;
  mark: string;
  /** Milliseconds from the sender's sendStart (negative before it). */
  ms: number;
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
  /** The counted time split into shares (breakdown.ts), every share listed; empty without a usable profile. */
  shares: Share[];
  /** Resource use the side reported (absent for "other"). */
  usage?: SideUsage;
  /** Minor page faults from the ready barrier to the end of this side's part of the window (absent for "other"). */
  windowMinorFaults?: number;
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
  /** The cost of one minor page fault measured in the same run, to turn fault counts into time; null if it could not be measured. */
  faultCost: FaultCost | null;
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
