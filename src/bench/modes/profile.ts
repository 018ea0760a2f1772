// `ipclab profile`: one case run once with V8's CPU profiler in every process of the case, and
// where its time went (profile/analysis.ts). The profile files are kept only when asked.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { addon } from '../../native.js';
import { analyzeProfiledRun, PROFILE_INTERVAL_MICROS } from '../profile/analysis.js';
import { faultCostFromMemcpy, type FaultCost } from '../profile/breakdown.js';
import { loadProfiles } from '../profile/cpuprofile.js';
import type { ProfileResult } from '../profile/result.js';
import { runRepetition } from '../runner/repetition.js';
import type { CaseSpec } from '../side.js';
import { transportById } from '../transports/index.js';

export interface ProfileOptions {
  /** How many functions to list per process. */
  top: number;
  timeoutSeconds: number;
  /** Keep the directory of .cpuprofile files (its path is in the result) instead of removing it. */
  keepProfiles?: boolean;
}

/** Bytes and repetitions of the memcpy that prices a page fault (fresh pages against warm ones). */
const FAULT_COST_BYTES = 16 * 2 ** 20;
const FAULT_COST_REPEAT = 3;

/** One minor page fault's cost on this machine now: fresh minus warm memcpy per 4 KiB page, the median of a few. */
export function measureFaultCost(): FaultCost | null {
  try {
    const costs = Array.from({ length: FAULT_COST_REPEAT }, () => {
      const timing = addon.measureMemcpy(FAULT_COST_BYTES);
      return faultCostFromMemcpy(FAULT_COST_BYTES, timing.freshSeconds, timing.warmSeconds);
    }).sort((a, b) => a - b);
    return { microsPerFault: costs[Math.floor(costs.length / 2)]!, how: `fresh minus warm memcpy of 16 MiB, per 4 KiB page, median of ${FAULT_COST_REPEAT}` };
  } catch {
    return null;
  }
}

/** Runs `spec` once with every process under V8's CPU profiler and says where the time went. */
export async function runProfile(spec: CaseSpec, options: ProfileOptions): Promise<ProfileResult> {
  const transport = transportById(spec.transport);
  if (!transport) return { status: 'errored', case: spec, reason: `unknown transport "${spec.transport}"`, profileFiles: [], profileDir: null };
  const directory = mkdtempSync(path.join(os.tmpdir(), `ipclab-${process.pid}-prof-`));
  const profileDir = options.keepProfiles ? directory : null;
  try {
    const outcome = await runRepetition({ spec, layout: transport }, {
      timeoutSeconds: options.timeoutSeconds,
      nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${directory}`, `--cpu-prof-interval=${PROFILE_INTERVAL_MICROS}`],
    });
    const profiles = loadProfiles(directory);
    if (!outcome.ok) return { status: 'errored', case: spec, reason: outcome.reason, profileFiles: profiles.map((loaded) => loaded.file), profileDir };
    return { ...analyzeProfiledRun(spec, outcome.sender, outcome.receiver, profiles, options.top, undefined, measureFaultCost()), profileDir };
  } finally {
    if (!options.keepProfiles) rmSync(directory, { recursive: true, force: true });
  }
}
