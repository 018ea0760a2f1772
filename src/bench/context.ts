// The machine and runtime a run happened on, and where its figures came from (commit, addon
// build, flags, command), printed first by every report.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { loadedAddonPath } from '../native.js';
import { packageRoot } from './paths.js';
import { machineProvenance } from './provenance.js';
import type { RunContext } from './results.js';

/** ipclab's version from its package.json (two levels up from both src/bench and dist/bench). */
export function ipclabVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  return typeof manifest.version === 'string' ? manifest.version : 'unknown';
}

function git(args: string[], cwd: string): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 });
}

/**
 * The checkout's commit and whether tracked or untracked files differ from it; null outside a git
 * checkout. Recorded results (bench/results/) are output, not code: a run that rewrites them, or one
 * recorded after another, still ran the committed code.
 */
export function gitProvenance(root = packageRoot): RunContext['git'] {
  try {
    const commit = git(['rev-parse', 'HEAD'], root).trim();
    const dirty = git(['status', '--porcelain', '--untracked-files=normal', '--', '.', ':(exclude)bench/results'], root).trim() !== '';
    return { commit, dirty };
  } catch {
    return null;
  }
}

/** Which build system made the addon at `file`, told by the folder it was built into. */
export function addonProvenance(file: string): RunContext['addon'] {
  const parts = path.relative(packageRoot, file).split(path.sep);
  const build = parts[0] === 'build' ? 'node-gyp' : parts[0] === 'build-cmake' ? 'cmake-js' : parts[0] === 'prebuilds' ? 'prebuilt' : 'unknown';
  return { build, path: file };
}

/** `caseFlags`: the Node flags every case process was started with. */
export function collectContext(
  command: string,
  repeat: number,
  timeoutSeconds: number,
  budgetSeconds: number | null = null,
  caseFlags: readonly string[] = [],
): RunContext {
  const cpus = os.cpus();
  return {
    ipclabVersion: ipclabVersion(),
    date: new Date().toISOString(),
    cpu: cpus[0]?.model.trim() || 'unknown',
    cores: os.availableParallelism(),
    memoryBytes: os.totalmem(),
    kernel: os.release(),
    node: process.version,
    v8: process.versions.v8,
    platform: `${process.platform}-${process.arch}`,
    command,
    git: gitProvenance(),
    addon: addonProvenance(loadedAddonPath),
    nodeFlags: { harness: [...process.execArgv], cases: [...caseFlags] },
    repeat,
    timeoutSeconds,
    budgetSeconds,
    provenance: machineProvenance(),
  };
}
