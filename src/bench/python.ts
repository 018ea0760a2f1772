// The Python side of the benchmark: which interpreter runs src/bench/python/ipclab_case.py, and
// what it can do here (a probe run once per process, before any Python case is planned).
import { spawnSync } from 'node:child_process';
import path from 'node:path';

import { packageRoot } from './paths.js';

/** The script every Python side runs; it speaks the same control protocol as case-process.js. */
export const pythonCaseScript = path.join(packageRoot, 'src', 'bench', 'python', 'ipclab_case.py');

/** The interpreter: $IPCLAB_PYTHON, else python3 on the PATH. */
export function pythonCommand(): string {
  return process.env.IPCLAB_PYTHON || 'python3';
}

export interface PythonProbe {
  /** Python's version, or null when the interpreter could not be run. */
  python: string | null;
  /** numpy's version, or null when it is not importable (or hidden by IPCLAB_PYTHON_NO_NUMPY=1). */
  numpy: string | null;
  /** Why Python cannot run, when `python` is null. */
  problem?: string;
}

const PROBE_TIMEOUT_MS = 20_000;
let probed: { key: string; result: PythonProbe } | undefined;

/** Runs the case script's --probe once per interpreter and numpy setting, and remembers the answer. */
export function probePython(): PythonProbe {
  const key = `${pythonCommand()}\0${process.env.IPCLAB_PYTHON_NO_NUMPY ?? ''}`;
  if (probed?.key === key) return probed.result;
  const run = spawnSync(pythonCommand(), [pythonCaseScript, '--probe'], { encoding: 'utf8', timeout: PROBE_TIMEOUT_MS });
  let result: PythonProbe;
  if (run.error) {
    const code = (run.error as NodeJS.ErrnoException).code;
    result = { python: null, numpy: null, problem: code === 'ENOENT' ? `${pythonCommand()} is not installed (not found on the PATH)` : `${pythonCommand()} could not run: ${run.error.message}` };
  } else if (run.status !== 0) {
    const detail = run.stderr.trim().split('\n').slice(-1)[0] ?? '';
    result = { python: null, numpy: null, problem: `${pythonCommand()} ${pythonCaseScript} --probe exited with ${run.status ?? run.signal}: ${detail}` };
  } else {
    result = JSON.parse(run.stdout) as PythonProbe;
  }
  probed = { key, result };
  return result;
}

/** Why a Python side cannot run here, or undefined when it can. */
export function pythonMissing(needsNumpy: boolean): string | undefined {
  const probe = probePython();
  if (probe.python === null) return probe.problem;
  if (needsNumpy && probe.numpy === null) return `needs numpy, which ${pythonCommand()} (Python ${probe.python}) cannot import (Debian: apt-get install python3-numpy)`;
  return undefined;
}
