// Property-based fuzzing (fast-check) of every public function and method with hostile arguments:
// wrong types, NaN, ±Infinity, huge numbers, BigInt, odd names, detached buffers, closed objects,
// throwing getters, Proxies. It runs in a child process so that a crash or abort is seen; as root
// the child gets a private 64 MiB tmpfs over /dev/shm, so huge sizes are tried too and nothing it
// does can touch anyone else's objects. IPCLAB_FUZZ_CALLS sets the calls (default 10^4).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { finished } from './support/processes.js';

const calls = Number(process.env.IPCLAB_FUZZ_CALLS ?? 10_000);
const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'api-fuzz.mjs');
const isolated = process.getuid?.() === 0;

describe('the public API under hostile arguments', () => {
  it(`${calls} calls: only IpcError, or TypeError/RangeError naming the argument; no crash, no hang`, async () => {
    const seed = Date.now() % 2 ** 31;
    const node = [process.execPath, fixture, String(calls), String(seed), isolated ? 'isolated' : 'shared'];
    const script = 'mount -t tmpfs -o size=64m tmpfs /dev/shm && exec "$@"';
    const child = isolated
      ? spawn('unshare', ['-m', '--propagation', 'private', 'sh', '-c', script, 'fuzz', ...node], { stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn(node[0]!, node.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    const run = await finished(child);
    const last = run.stdout.trim().split('\n').pop() ?? '';
    // No report line (a crash, a kill): the assertion below shows the seed, stderr, signal and code.
    const report = (last.startsWith('{') ? JSON.parse(last) : { report: `no report line; stdout ended with ${JSON.stringify(last.slice(-200))}` }) as {
      calls?: number;
      failures?: unknown[];
      report?: string;
      outcomes?: Record<string, number>;
    };
    expect({ seed, failures: report.failures, report: report.report, stderr: run.stderr, signal: run.signal, code: run.code }).toEqual({
      seed,
      failures: undefined,
      report: undefined,
      stderr: '',
      signal: null,
      code: 0,
    });
    expect(report.calls).toBeGreaterThanOrEqual(calls);
    // Every entry point was reached, and some calls got through the checks to real work.
    const outcomes = Object.keys(report.outcomes ?? {});
    for (const entry of ['SharedMemory.create', 'Semaphore.createIn', 'channel.send', 'channel.reserve', 'removeLeftovers', 'new IpcError']) {
      expect(outcomes.some((outcome) => outcome.startsWith(`${entry}: `))).toBe(true);
    }
    expect(outcomes.some((outcome) => outcome.endsWith(': returned') || outcome.endsWith(': resolved'))).toBe(true);
  }, 600_000);
});
