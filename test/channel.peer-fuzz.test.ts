// ShmChannel against a hostile peer that writes into everything protocol v3 puts in the segment
// (header, counters, waiting lines, handle table, records), run in a child process so that a crash
// or abort is seen: every operation succeeds or ends in an IpcError, and none hangs past its timeout.
// IPCLAB_FUZZ_ROUNDS sets the rounds (default 60; 12 operations and about 6 corruptions each).
import { describe, expect, it } from 'vitest';

import { runFixture } from './support/processes.js';

const rounds = Number(process.env.IPCLAB_FUZZ_ROUNDS ?? 60);

describe('ShmChannel with a peer writing random bytes into it', () => {
  it(`${rounds} rounds: every operation succeeds or rejects with IpcError, none crashes or hangs`, async () => {
    const seed = Date.now() % 2 ** 31;
    const run = await runFixture('channel-peer-fuzz.mjs', [String(rounds), String(seed)]);
    const report = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as {
      failure?: unknown;
      operations?: number;
      outcomes?: Record<string, number>;
    };
    expect({ seed, failure: report.failure, stderr: run.stderr, signal: run.signal, code: run.code }).toEqual({
      seed,
      failure: undefined,
      stderr: '',
      signal: null,
      code: 0,
    });
    expect(report.operations).toBeGreaterThanOrEqual(rounds * 12);
    // The corruption reached the checks: some operations failed on what the peer wrote, the ring's
    // checks among them, and some operations of each side went through.
    const keys = Object.keys(report.outcomes ?? {});
    const codes = keys.map((key) => key.split(': ')[1]);
    expect(codes).toContain('ok');
    expect(codes).toContain('ERR_BAD_CHANNEL');
    expect(keys.some((key) => /^(send|sendMany|sendJson|trySend): ok$/.test(key))).toBe(true);
    expect(keys.some((key) => /^(receive|receiveInto|receiveMany|tryReceive): ok$/.test(key))).toBe(true);
  }, 300_000);
});
