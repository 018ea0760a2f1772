// `ipclab profile` concludes: each side's window in named shares (ipclab's copy, wait and close,
// waiting, serialization, GC, harness, Node and V8, not sampled), page faults in the window priced
// by a per-fault cost measured in the same run, and the top functions explained.
import { describe, expect, it } from 'vitest';

import { breakdown, explain, faultCostFromMemcpy, SHARE_NAMES, shareOf } from '../src/bench/profile/breakdown.js';
import type { CompletedProfile } from '../src/bench/profile/result.js';
import { runIpclab } from './support/cli.js';

describe('the shares of a profile', () => {
  it('puts each function where a person looks for it', () => {
    expect(shareOf({ functionName: 'tryWriteChunk', location: 'dist/channel/ring-writer.js:91' })).toBe('ipclab copy');
    expect(shareOf({ functionName: 'copyPayload', location: 'src/channel/ring-reader.ts:131' })).toBe('ipclab copy');
    expect(shareOf({ functionName: 'close', location: 'dist/shared-memory.js:56' })).toBe('ipclab close and unmap');
    expect(shareOf({ functionName: 'wake', location: 'dist/channel/link.js:96' })).toBe('ipclab wait and wake');
    expect(shareOf({ functionName: '(idle)', location: '' })).toBe('waiting (thread idle)');
    expect(shareOf({ functionName: '(garbage collector)', location: '' })).toBe('garbage collection');
    expect(shareOf({ functionName: 'encodeJsonChunks', location: 'dist/bench/codecs/json.js:10' })).toBe('serialization');
    expect(shareOf({ functionName: 'deserialize', location: 'node:v8:400' })).toBe('serialization');
    expect(shareOf({ functionName: 'ArrayAssembler', location: 'dist/bench/payload.js:44' })).toBe('serialization');
    expect(shareOf({ functionName: 'sendElements', location: 'dist/bench/transports/shm.js:12' })).toBe('serialization');
    expect(shareOf({ functionName: 'receive', location: 'dist/bench/transports/shm.js:91' })).toBe('harness');
    expect(shareOf({ functionName: 'runBulkSender', location: 'dist/bench/case-process.js:63' })).toBe('harness');
    expect(shareOf({ functionName: 'onFinish', location: 'node:internal/streams/writable:886' })).toBe('harness');
    expect(shareOf({ functionName: '(program)', location: '' })).toBe('Node and V8');
  });

  it('splits the window into every share, the unsampled rest included, in one unit', () => {
    const functions = [
      { functionName: 'copyPayload', location: 'dist/channel/ring-reader.js:131', selfMicros: 6000 },
      { functionName: '(idle)', location: '', selfMicros: 2000 },
      { functionName: '(garbage collector)', location: '', selfMicros: 1000 },
    ];
    const shares = breakdown(functions, 10, 9);
    expect(shares.map((share) => share.name)).toEqual([...SHARE_NAMES]);
    const of = (name: string) => shares.find((share) => share.name === name)!;
    expect(of('ipclab copy')).toEqual({ name: 'ipclab copy', ms: 6, percent: 60, functions: ['copyPayload'] });
    expect(of('waiting (thread idle)').percent).toBe(20);
    expect(of('garbage collection').ms).toBe(1);
    expect(of('not sampled')).toEqual({ name: 'not sampled', ms: 1, percent: 10, functions: [] });
    expect(shares.reduce((sum, share) => sum + share.ms, 0)).toBeCloseTo(10, 9);
  });

  it('explains the functions that top profiles, close as munmap among them', () => {
    expect(explain({ functionName: 'close', location: 'dist/shared-memory.js:56' })).toMatch(/munmap/);
    expect(explain({ functionName: 'copyPayload', location: 'dist/channel/ring-reader.js:131' })).toMatch(/memcpy/);
    expect(explain({ functionName: 'somethingElse', location: 'dist/x.js:1' })).toBeUndefined();
  });

  it('prices a page fault as fresh minus warm memcpy per 4 KiB page', () => {
    expect(faultCostFromMemcpy(4096 * 1000, 0.003, 0.001)).toBeCloseTo(2, 12);
    expect(faultCostFromMemcpy(4096, 0.001, 0.002)).toBe(0);
  });
});

describe('ipclab profile concludes', () => {
  it('a real shm run: shares per side summing to the window, faults in the window priced, in ms throughout', async () => {
    // 10^7 elements: a 40 MB copy takes tens of ms, so samples land in it even while other processes
    // starve V8's sampling thread (at 10^6 a loaded machine left the 4 MB copy unsampled).
    const run = await runIpclab(['profile', '--transport', 'shm', '--payload', 'int32', '--size', '1e7', '--format', 'json']);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as CompletedProfile;
    expect(result.faultCost!.microsPerFault).toBeGreaterThan(0);
    for (const side of result.processes.filter((entry) => entry.role !== 'other')) {
      expect(side.shares.map((share) => share.name)).toEqual([...SHARE_NAMES]);
      const basis = result.clock.basis === 'window' ? result.window.ms : side.sampledMs;
      if (result.clock.basis === 'window') expect(side.shares.reduce((sum, share) => sum + share.ms, 0)).toBeCloseTo(basis, 6);
      expect(side.windowMinorFaults).toBeGreaterThanOrEqual(0);
    }
    // The receiver of 10^7 int32 copies 40 MB out of the ring into a new array: that copy is in its
    // shares (which share is largest depends on the machine's load: the copy, the waits or idle time).
    const receiver = result.processes.find((entry) => entry.role === 'receiver')!;
    expect(receiver.shares.find((share) => share.name === 'ipclab copy')!.ms).toBeGreaterThan(0);
    // The receiver's new 40 MB array is fresh memory: at least its 9,766 pages fault inside the window.
    expect(receiver.windowMinorFaults).toBeGreaterThanOrEqual(9766);

    const text = await runIpclab(['profile', '--transport', 'shm', '--payload', 'int32', '--size', '1e6']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/\nWhere the time went \(ms and share of the [\d.]+ ms window, per side\):\n/);
    for (const side of ['sender', 'receiver']) {
      expect(text.stdout).toMatch(new RegExp(`\\n  ${side}: share +ms +% +largest functions\\n`));
      expect(text.stdout).toMatch(new RegExp(`\\n  page faults: [\\d,]+ minor faults from the ready barrier to (sendEnd|valueReady), about [\\d.]+ ms \\([\\d.]+% of the window\\) at [\\d.]+ µs each`));
    }
    expect(text.stdout).toContain('Phases (ms):');
    expect(text.stdout).not.toMatch(/\(s\)/);
  }, 60_000);
});
