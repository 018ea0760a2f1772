// `ipclab profile`: self time per function inside a window, counted exactly on a hand-written
// profile; the clock assumption checked on this machine; and real runs of the built CLI.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { runProfile } from '../src/bench/modes/profile.js';
import { analyzeProfiledRun, timeline } from '../src/bench/profile/analysis.js';
import {
  ALWAYS_LISTED,
  marksInsideProfile,
  parseCpuProfile,
  parseProfileFileName,
  selfTimes,
  topFunctions,
  type CpuProfile,
  type LoadedProfile,
} from '../src/bench/profile/cpuprofile.js';
import type { CompletedProfile } from '../src/bench/profile/result.js';
import type { CaseSpec, SideReport, SideUsage } from '../src/bench/side.js';
import { runIpclab, type CliRun } from './support/cli.js';
import { expectStatus } from './support/results.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'dist', 'cli.js');

// Samples (µs): 1100 main, 1300 helper, 1400 main (another call path), 1700 GC, 1750 (program),
// 1800 a native function; the profile ends at 2000. Each sample lasts until the next one.
const FIXTURE = JSON.stringify({
  nodes: [
    { id: 1, callFrame: { functionName: '(root)', scriptId: '0', url: '', lineNumber: -1, columnNumber: -1 }, children: [2, 3, 5, 7] },
    { id: 2, callFrame: { functionName: '(program)', scriptId: '0', url: '', lineNumber: -1, columnNumber: -1 } },
    { id: 3, callFrame: { functionName: 'main', scriptId: '7', url: 'file:///pkg/dist/a.js', lineNumber: 9, columnNumber: 2 }, children: [4, 6] },
    { id: 4, callFrame: { functionName: 'helper', scriptId: '8', url: 'node:internal/x', lineNumber: 0, columnNumber: 0 } },
    { id: 5, callFrame: { functionName: '(garbage collector)', scriptId: '0', url: '', lineNumber: -1, columnNumber: -1 } },
    { id: 6, callFrame: { functionName: 'main', scriptId: '7', url: 'file:///pkg/dist/a.js', lineNumber: 9, columnNumber: 2 } },
    { id: 7, callFrame: { functionName: 'nat', scriptId: '0', url: '', lineNumber: -1, columnNumber: -1 } },
  ],
  startTime: 1000,
  endTime: 2000,
  samples: [3, 4, 6, 5, 2, 7],
  timeDeltas: [100, 200, 100, 300, 50, 50],
});

const fixture = (): CpuProfile => parseCpuProfile(FIXTURE);

const usage: SideUsage = { maxRssBytes: 1 << 20, userCpuSeconds: 0.5, systemCpuSeconds: 0.25, minorPageFaults: 10, majorPageFaults: 0, sharedProcess: false };
const spec: CaseSpec = { transport: 'shm', payload: 'int32', codec: 'raw', elements: 100 };
const ns = (micros: number) => String(micros * 1000);

function reports(): { sender: SideReport; receiver: SideReport } {
  return {
    sender: { role: 'sender', pid: 10, threadId: 0, marks: { buildStart: ns(1050), sendStart: ns(1250), sendEnd: ns(1600) }, usage },
    receiver: { role: 'receiver', pid: 11, threadId: 0, marks: { firstByte: ns(1260), valueReady: ns(1725) }, usage, verified: true },
  };
}

describe('profile arithmetic on a hand-written .cpuprofile', () => {
  it('counts self time over the whole profile, merging call paths of one function', () => {
    const { functions, sampledMicros } = selfTimes(fixture(), -Infinity, Infinity, '/pkg');
    expect(functions).toEqual([
      { functionName: 'main', location: 'dist/a.js:10', selfMicros: 500 },
      { functionName: 'nat', location: '(native)', selfMicros: 200 },
      { functionName: 'helper', location: 'node:internal/x:1', selfMicros: 100 },
      { functionName: '(garbage collector)', location: '', selfMicros: 50 },
      { functionName: '(program)', location: '', selfMicros: 50 },
    ]);
    expect(sampledMicros).toBe(900); // 1000..1100 comes before the first sample
  });

  it('counts only the part of each sample inside the window', () => {
    expect(topFunctions(fixture(), 1250, 1725, 2, '/pkg')).toEqual([
      { functionName: 'main', location: 'dist/a.js:10', selfMicros: 350 }, // 50 of the first sample + 300
      { functionName: 'helper', location: 'node:internal/x:1', selfMicros: 100 },
    ]);
    const { functions, sampledMicros } = selfTimes(fixture(), 1250, 1725, '/pkg');
    expect(functions.map((item) => [item.functionName, item.selfMicros])).toEqual([
      ['main', 350],
      ['helper', 100],
      ['(garbage collector)', 25],
    ]);
    expect(sampledMicros).toBe(475);
    expect(topFunctions(fixture(), 2000, 3000, 5, '/pkg')).toEqual([]);
  });

  it('rejects what is not a whole profile, and reads --cpu-prof file names', () => {
    expect(() => parseCpuProfile(FIXTURE.slice(0, 200))).toThrow(/not JSON .*cut short/);
    expect(() => parseCpuProfile(JSON.stringify({ ...JSON.parse(FIXTURE), timeDeltas: [1] }))).toThrow('6 samples but 1 timeDeltas');
    expect(() => parseCpuProfile(JSON.stringify({ ...JSON.parse(FIXTURE), samples: [3, 4, 6, 5, 2, 99] }))).toThrow('node 99');
    expect(parseProfileFileName('CPU.20260101.120000.4242.3.007.cpuprofile')).toEqual({ pid: 4242, threadId: 3, sequence: 7 });
    expect(parseProfileFileName('Heap.20260101.120000.4242.0.001.heapprofile')).toBeUndefined();
  });

  it('puts every mark on one timeline from the sender sendStart', () => {
    const { sender, receiver } = reports();
    expect(timeline(sender, receiver)).toEqual([
      { side: 'sender', mark: 'buildStart', ms: -0.2 },
      { side: 'sender', mark: 'sendStart', ms: 0 },
      { side: 'receiver', mark: 'firstByte', ms: 0.01 },
      { side: 'sender', mark: 'sendEnd', ms: 0.35 },
      { side: 'receiver', mark: 'valueReady', ms: 0.475 },
    ]);
    expect(marksInsideProfile(fixture(), sender.marks)).toBe(true);
    expect(marksInsideProfile(fixture(), { late: ns(2001) })).toBe(false);
  });

  it('matches profiles to sides by pid and thread, and says when one is missing', () => {
    const { sender, receiver } = reports();
    const profiles: LoadedProfile[] = [
      { file: 'CPU.20260101.120000.10.0.001.cpuprofile', pid: 10, threadId: 0, profile: fixture() },
      { file: 'CPU.20260101.120000.12.0.001.cpuprofile', pid: 12, threadId: 0, error: 'not JSON' },
    ];
    const result = analyzeProfiledRun(spec, sender, receiver, profiles, 1, '/pkg');
    expect(result.clock).toMatchObject({ shared: true, basis: 'window' });
    expect(result.window).toEqual({ from: 'sender sendStart', to: 'receiver valueReady', startNs: ns(1250), endNs: ns(1725), ms: 0.475 });
    expect(result.phases.endToEnd).toBeCloseTo(0.000475, 12);
    const [senderProfile, receiverProfile, other] = result.processes;
    expect(senderProfile).toMatchObject({ role: 'sender', pid: 10, samples: 6, marksInsideProfile: true, sampledMs: 0.475, usage });
    // The top 1, then V8's (program) and (garbage collector) rows, always listed.
    expect(senderProfile!.top).toEqual([
      { functionName: 'main', location: 'dist/a.js:10', selfMs: 0.35, percent: expect.closeTo((350 / 475) * 100, 10) },
      { functionName: '(program)', location: '', selfMs: 0, percent: 0 },
      { functionName: '(garbage collector)', location: '', selfMs: 0.025, percent: expect.closeTo((25 / 475) * 100, 10) },
    ]);
    expect(receiverProfile).toMatchObject({ role: 'receiver', pid: 11, file: null, top: [] });
    expect(receiverProfile!.problem).toMatch(/^no profile was written for pid 11: .*SIGKILL/);
    expect(other).toMatchObject({ role: 'other', pid: 12, file: profiles[1]!.file, top: [] });
    expect(other!.problem).toContain('could not be read: not JSON');
  });

  it('falls back to whole-profile totals, and says so, when marks fall outside the profile', () => {
    const { sender, receiver } = reports();
    sender.marks.sendEnd = ns(5000);
    const result = analyzeProfiledRun(spec, sender, receiver, [{ file: 'CPU.x.10.0.001.cpuprofile', pid: 10, threadId: 0, profile: fixture() }], 1, '/pkg');
    expect(result.clock).toMatchObject({ shared: false, basis: 'whole-profile' });
    expect(result.clock.note).toMatch(/whole profile/);
    expect(result.processes[0]!.top[0]).toEqual({ functionName: 'main', location: 'dist/a.js:10', selfMs: 0.5, percent: 50 });
  });
});

describe('V8 profiles on this machine', () => {
  it('time samples on the process.hrtime clock, and are written on process.exit', () => {
    const directory = mkdtempSync(path.join(os.tmpdir(), `ipclab-${process.pid}-prof-clock-`));
    try {
      const script = 'console.log(String(process.hrtime.bigint())); let x = 0; for (let i = 0; i < 1e6; i++) x += i; process.exit(0);';
      const run = spawnSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${directory}`, '-e', script], { encoding: 'utf8' });
      expect(run.status).toBe(0);
      const files = readdirSync(directory);
      expect(files).toHaveLength(1);
      expect(parseProfileFileName(files[0]!)).toMatchObject({ pid: run.pid, threadId: 0 });
      const profile = parseCpuProfile(readFileSync(path.join(directory, files[0]!), 'utf8'));
      const startupMicros = Number(BigInt(run.stdout.trim())) / 1000;
      expect(startupMicros).toBeGreaterThanOrEqual(profile.startTime);
      expect(startupMicros).toBeLessThanOrEqual(profile.endTime);
      expect(startupMicros - profile.startTime).toBeLessThan(5e6); // the same clock, not merely both large
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

type Run = CliRun & { pid: number | undefined };

const ipclab = (...args: string[]): Promise<Run> => runIpclab(args);

const profileDirectoriesOf = (pid: number | undefined) => readdirSync(os.tmpdir()).filter((entry) => entry.startsWith(`ipclab-${pid}-prof-`));

describe('ipclab profile as a process', () => {
  it('profiles shm int32 10^5: phases, a timeline from sendStart, top functions of both sides, nothing left behind', async () => {
    expect(existsSync(cli)).toBe(true);
    const run = await ipclab('profile', '--transport', 'shm', '--payload', 'int32', '--size', '1e5');
    expect(run.stderr).toBe('');
    expect(run.code, run.stderr).toBe(0);
    const out = run.stdout;
    expect(out).toMatch(/^ipclab profile: shm int32\/raw, 10\^5 elements, one run, verified\n/);
    for (const phase of ['build', 'cast', 'encode', 'send', 'transfer', 'recv', 'decode', 'end-to-end', 'verify']) {
      expect(out).toMatch(new RegExp(`\\n  ${phase} +([\\d.]+|-)\\n`));
    }
    expect(out).toMatch(/\n  +0\.000 {2}sender {4}sendStart +\|#*\n/);
    expect(out).toMatch(/\n +-?[\d.]+ {2}receiver {2}valueReady +\|#*\n/);
    expect(out).toContain('Top functions by self time inside the measured window:');
    for (const side of ['sender', 'receiver']) {
      const block = new RegExp(`\\n${side} \\(pid \\d+, main thread\\): CPU\\.\\d{8}\\.\\d{6}\\.\\d+\\.0\\.\\d+\\.cpuprofile, [\\d,]+ samples; [\\d.]+ ms sampled inside the [\\d.]+ ms window\\n  self ms +% of window +function +location\\n[- ]+\\n((?: +[\\d.]+ +[\\d.]+ +\\S.*\\n)+)`);
      const rows = block.exec(out)?.[1]?.trimEnd().split('\n') ?? [];
      expect(rows.length, `${side} rows in:\n${out}`).toBeGreaterThan(2);
      expect(rows.join('\n')).toContain('(program)');
      expect(rows.join('\n')).toContain('(garbage collector)');
    }
    expect(out).toMatch(/\n  sender +[\d.]+ [KMG]iB +[\d.]+ +[\d.]+ +[\d,]+ +[\d,]+\n  receiver +[\d.]+ [KMG]iB/);
    expect(profileDirectoriesOf(run.pid)).toEqual([]);
  });

  it('--format json is one object with the same parts; --keep-profiles keeps the files and says where', async () => {
    const run = await ipclab('profile', '--transport', 'shm', '--size', '10^4', '--top', '3', '--format', 'json', '--keep-profiles');
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as CompletedProfile;
    try {
      expect(result).toMatchObject({ status: 'completed', verified: true, case: { transport: 'shm', payload: 'int32', codec: 'raw', elements: 10000 }, clock: { shared: true, basis: 'window' } });
      expect(result.timeline.find((mark) => mark.mark === 'sendStart')).toEqual({ side: 'sender', mark: 'sendStart', ms: 0 });
      expect(result.processes.map((entry) => entry.role)).toEqual(['sender', 'receiver']);
      for (const entry of result.processes) {
        // The window (sendStart to valueReady) of a 10^4 case lasts well under a millisecond when the
        // machine is idle: a 200 µs sampler may land in it only once or twice, so how many functions
        // it saw there is timing. What --top 3 guarantees: at most 3 functions, then V8's own rows.
        const names = entry.top.map((item) => item.functionName);
        const ranked = entry.top.filter((item) => !(ALWAYS_LISTED as readonly string[]).includes(item.functionName));
        expect(ranked.length).toBeLessThanOrEqual(3);
        expect(names).toEqual(expect.arrayContaining([...ALWAYS_LISTED]));
        expect(entry.top.length).toBeLessThanOrEqual(3 + ALWAYS_LISTED.length);
        expect(ranked.map((item) => item.selfMs)).toEqual(ranked.map((item) => item.selfMs).sort((a, b) => b - a));
        expect(entry.samples).toBeGreaterThan(0);
        expect(existsSync(path.join(result.profileDir!, entry.file!))).toBe(true);
      }
      expect(run.stderr).toBe(`Kept the .cpuprofile files in ${result.profileDir}\n`);
    } finally {
      if (result.profileDir) rmSync(result.profileDir, { recursive: true, force: true });
    }
  });

  it('a bad flag exits 2 naming it', async () => {
    const bad = await ipclab('profile', '--transport', 'shm', '--top', '0');
    expect(bad).toMatchObject({ code: 2, stdout: '' });
    expect(bad.stderr).toMatch(/^ipclab: --top expects .*\nRun "ipclab profile --help" for usage\.\n$/);
    expect((await ipclab('profile', '--size', '1e5')).stderr).toMatch(/^ipclab: --transport is required/);
  });
});

describe('a failed profiled case', () => {
  it('is errored with its reason, lists what profiles there were, and the directory goes', async () => {
    const result = await runProfile({ ...spec, elements: 1000, fault: 'crash' }, { top: 5, timeoutSeconds: 30 });
    expectStatus(result, 'errored');
    expect(result.reason).toMatch(/sender was killed by SIGKILL before reporting/);
    // Node writes the sender's profile even as it SIGKILLs itself (process.kill of its own pid); the
    // receiver writes one only if it exits by itself before the harness kills it.
    expect(result.profileFiles.length).toBeLessThanOrEqual(2);
    for (const file of result.profileFiles) expect(file).toMatch(/^CPU\.\d+\.\d+\.\d+\.0\.\d+\.cpuprofile$/);
    expect(profileDirectoriesOf(process.pid)).toEqual([]);
  });
});
