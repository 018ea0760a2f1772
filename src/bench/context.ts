// The machine and runtime a run happened on, printed first by every report.
import { readFileSync } from 'node:fs';
import os from 'node:os';

import type { RunContext } from './types.js';

/** ipclab's version from its package.json (two levels up from both src/bench and dist/bench). */
export function ipclabVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  return typeof manifest.version === 'string' ? manifest.version : 'unknown';
}

export function collectContext(command: string, repeat: number, timeoutSeconds: number, budgetSeconds: number | null = null): RunContext {
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
    repeat,
    timeoutSeconds,
    budgetSeconds,
  };
}
