// The native reference executable (native/reference, built next to the addon by node-gyp and by
// cmake-js): two real processes ping-pong and stream through ShmChannel v3 channels (the channel
// core), check every message, clean up their segments, and refuse bad arguments with a message
// and exit status 2.
import { existsSync } from 'node:fs';
import { spawn } from 'node:child_process';

import { describe, expect, it } from 'vitest';

import { referencePath } from '../src/bench/messages/native.js';
import { finished, type Finished } from './support/processes.js';
import { testName } from './support/names.js';

function run(args: string[]): { child: ReturnType<typeof spawn>; done: Promise<Finished> } {
  const child = spawn(referencePath(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  return { child, done: finished(child) };
}

async function pair(mode: string, bytes: number, count: number, extra: string[] = []): Promise<{ serve: Finished; drive: Finished; name: string }> {
  const name = testName('ref');
  const common = ['--name', name, '--bytes', String(bytes), '--count', String(count), '--warmup', '3', ...extra];
  const server = run([mode, 'serve', ...common]);
  await new Promise<void>((resolve) => server.child.stdout!.once('data', () => resolve()));
  const drive = await run([mode, 'drive', ...common]).done;
  return { serve: await server.done, drive, name };
}

describe('ipclab-reference', () => {
  it('is built beside the addon', () => {
    expect(existsSync(referencePath())).toBe(true);
  });

  it('ping-pongs verified round trips and reports each measured one', async () => {
    const { serve, drive } = await pair('latency', 100, 50);
    expect(serve.code).toBe(0);
    expect(serve.stdout).toMatch(/^ready\n\{"verified":true,"usage":\{"maxRssBytes":\d+,"userCpuSeconds":[\d.]+,"systemCpuSeconds":[\d.]+,"minorPageFaults":\d+,"majorPageFaults":\d+,"sharedProcess":false\}\}\n$/);
    expect(drive.code).toBe(0);
    const report = JSON.parse(drive.stdout) as { verified: boolean; roundTripNanos: number[] };
    expect(report.verified).toBe(true);
    expect(report.roundTripNanos).toHaveLength(50);
    expect(report.roundTripNanos.every((nanos) => Number.isInteger(nanos) && nanos > 0)).toBe(true);
  });

  it('streams through its ring and reports the receiver window', async () => {
    const { serve, drive, name } = await pair('throughput', 5000, 40);
    expect(serve.code).toBe(0);
    const window = JSON.parse(serve.stdout.split('\n')[1]!) as { verified: boolean; windowStartNs: string; windowEndNs: string };
    expect(window.verified).toBe(true);
    expect(BigInt(window.windowEndNs)).toBeGreaterThan(BigInt(window.windowStartNs));
    expect(JSON.parse(drive.stdout)).toMatchObject({ verified: true });
    expect(existsSync(`/dev/shm${name}`)).toBe(false); // the server, its creator, removed it
  });

  it.each([
    ['in batches', ['--batch', '16']],
    ['in chunks through a small ring', ['--ring-bytes', '4096', '--spin-micros', '20']],
  ])('streams %s', async (_, extra) => {
    const { serve, drive, name } = await pair('throughput', 5000, 100, extra);
    expect(serve.code).toBe(0);
    expect(JSON.parse(serve.stdout.split('\n')[1]!)).toMatchObject({ verified: true });
    expect(JSON.parse(drive.stdout)).toMatchObject({ verified: true });
    expect(existsSync(`/dev/shm${name}`)).toBe(false);
  });

  it.each([
    [[], /missing mode and role/],
    [['latency', 'serve', '--name', '/x', '--bytes', '-1', '--count', '1'], /--bytes expects a whole number of at least 1, got "-1"/],
    [['latency', 'frob'], /role must be serve or drive, got "frob"/],
    [['latency', 'serve', '--name', '/x', '--bytes', '8', '--count', '1', '--color', 'red'], /unknown option --color/],
    [['throughput', 'serve', '--name', '/x', '--bytes', '8', '--count', '1', '--batch', '0'], /--batch expects a whole number of at least 1, got "0"/],
  ])('refuses %j with exit status 2', async (args, message) => {
    const result = await run(args as string[]).done;
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});
