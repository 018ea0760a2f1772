// `ipclab bench` exits non-zero when a case errored or failed verification (the harness's own
// fault injection makes them), and 0 with --allow-errors; a case skipped by design is no error.
import { describe, expect, it } from 'vitest';

import { runIpclab, type CliRun } from './support/cli.js';

type Run = CliRun;

function bench(fault: string | undefined, ...args: string[]): Promise<Run> {
  const env = { ...process.env };
  delete env.IPCLAB_FAULT;
  if (fault !== undefined) env.IPCLAB_FAULT = fault;
  return runIpclab(['bench', '--sizes', '1e3', '--repeat', '1', '--format', 'json', ...args], { env });
}

const statuses = (run: Run) => (JSON.parse(run.stdout) as { results: Array<{ status: string; verified: boolean }> }).results.map((result) => [result.status, result.verified]);

describe('ipclab bench exit status', () => {
  it('is 0 when every case is verified, skipped rows included', async () => {
    const run = await bench(undefined, '--transports', 'ipc-json', '--payloads', 'array,int32');
    expect(statuses(run)).toEqual([
      ['completed', true],
      ['skipped', false],
    ]);
    expect(run.code, run.stderr).toBe(0);
  });

  it('is 1 when a case crashed, naming it on stderr; 0 with --allow-errors', async () => {
    const failed = await bench('shm:crash', '--transports', 'shm', '--payloads', 'int32', '--codecs', 'raw');
    expect(statuses(failed)).toEqual([['errored', false]]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('1 case(s) errored or failed verification: shm int32/raw 10^3 (errored)\n');
    const allowed = await bench('shm:crash', '--transports', 'shm', '--payloads', 'int32', '--codecs', 'raw', '--allow-errors');
    expect(statuses(allowed)).toEqual([['errored', false]]);
    expect(allowed.code).toBe(0);
    expect(allowed.stderr).toContain('(--allow-errors: exit status 0)\n');
  });

  it('is 1 when a case failed verification', async () => {
    const run = await bench('shm-zero-copy:corrupt', '--transports', 'shm-zero-copy', '--payloads', 'int32');
    expect(statuses(run)).toEqual([['completed', false]]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('shm-zero-copy int32/raw 10^3 (not verified)');
  });

  it('refuses a malformed fault injection as a usage error', async () => {
    const run = await bench('shm:explode', '--transports', 'shm');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^ipclab: IPCLAB_FAULT="shm:explode": expected TRANSPORT:FAULT/);
  });
});
