// The harness reports failures instead of hiding them: a sender that crashes, a receiver that
// hangs and a payload with one wrong element each become an errored or unverified row, the run
// goes on, and nothing is left running or lying around.
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';

import { describe, expect, it } from 'vitest';

import { planTrials, runBench, runCase } from '../src/bench/modes/bulk.js';
import { phaseTimes } from '../src/bench/phases.js';
import type { SideReport } from '../src/bench/side.js';

/** Case processes started by this test process (their case names carry its pid). */
function caseProcessesRunning(): number[] {
  const mine = `ipclab-${process.pid}-`;
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('bench/case-process.js')) continue;
      if (readFileSync(`/proc/${entry}/environ`, 'utf8').includes(mine)) pids.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}

function leftoverDirectories(): string[] {
  const mine = `ipclab-${process.pid}-`;
  return [...readdirSync(os.tmpdir()), ...readdirSync('/dev/shm')].filter((entry) => entry.startsWith(mine));
}

describe('the harness under faults', () => {
  it('reports a sender that crashes as errored, with the signal', async () => {
    const result = await runCase({ transport: 'shm', payload: 'int32', codec: 'raw', elements: 1000, fault: 'crash' }, { timeoutSeconds: 30 });
    expect(result.status).toBe('errored');
    expect(result.verified).toBe(false);
    expect(result.reason).toMatch(/sender was killed by SIGKILL before reporting/);
  });

  it('kills a receiver that hangs at the timeout and reports it as errored', async () => {
    const started = performance.now();
    const result = await runCase({ transport: 'shm', payload: 'int32', codec: 'raw', elements: 1000, fault: 'hang' }, { timeoutSeconds: 2 });
    expect(result.status).toBe('errored');
    expect(result.reason).toMatch(/timed out after 2 s waiting for the payload to arrive and be verified/);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(caseProcessesRunning()).toEqual([]);
  });

  it('catches one corrupted element: completed but not verified, naming the element', async () => {
    const result = await runCase({ transport: 'shm', payload: 'int32', codec: 'raw', elements: 1000, fault: 'corrupt' }, { timeoutSeconds: 30 });
    expect(result.status).toBe('completed');
    expect(result.verified).toBe(false);
    expect(result.reason).toMatch(/^verification failed: element 500 /);
  });

  it('goes on with the next case after a failing one, and leaves nothing behind', async () => {
    const output = await runBench({
      sizes: [1000],
      transports: ['shm', 'shm-element'],
      payloads: ['int32'],
      codecs: ['raw'],
      repeat: 1,
      timeoutSeconds: 30,
      fault: { transport: 'shm', fault: 'crash' },
    });
    expect(output.results.map((result) => [result.transport, result.status, result.verified])).toEqual([
      ['shm', 'errored', false],
      ['shm-element', 'completed', true],
    ]);
    expect(caseProcessesRunning()).toEqual([]);
    expect(leftoverDirectories()).toEqual([]);
  });
});

describe('planning and phases', () => {
  it('plans sizes ascending, only codecs a transport uses, and one skipped row for a payload it cannot carry', () => {
    const trials = planTrials({ sizes: [100, 10], transports: ['shm-zero-copy'], payloads: ['int32'], codecs: ['raw', 'json'] });
    expect(trials).toEqual([
      { transport: 'shm-zero-copy', payload: 'int32', codec: 'raw', elements: 10 },
      { transport: 'shm-zero-copy', payload: 'int32', codec: 'raw', elements: 100 },
    ]);
  });

  it('turns timestamps into phases, in seconds, with null for phases that did not happen', () => {
    const usage = { maxRssBytes: 0, userCpuSeconds: 0, systemCpuSeconds: 0, minorPageFaults: 0, majorPageFaults: 0, sharedProcess: false };
    const sender: SideReport = {
      role: 'sender',
      pid: 100,
      threadId: 0,
      marks: { buildStart: '0', buildEnd: '1000000000', sendStart: '2000000000', castStart: '2000000000', castEnd: '2500000000', sendEnd: '3000000000' },
      usage,
    };
    const receiver: SideReport = {
      role: 'receiver',
      pid: 101,
      threadId: 0,
      marks: { firstByte: '2600000000', received: '3500000000', decodeStart: '3500000000', decodeEnd: '4000000000', valueReady: '4000000000', consumeStart: '4000000000', consumeEnd: '4100000000', verifyStart: '4100000000', verifyEnd: '4350000000' },
      usage,
      verified: true,
    };
    expect(phaseTimes(sender, receiver)).toEqual({
      build: 1,
      cast: 0.5,
      encode: null,
      send: 1,
      transfer: 1,
      recv: 1.4,
      decode: 0.5,
      endToEnd: 2,
      consume: 0.1,
      verify: 0.25,
      // build + end-to-end + consume; the second between build end and send start (the barrier) is left out
      wholeJob: 1 + 2 + 0.1,
    });
    const withoutConsume = { ...receiver, marks: { ...receiver.marks, consumeStart: undefined, consumeEnd: undefined } as unknown as Record<string, string> };
    expect(phaseTimes(sender, withoutConsume)).toMatchObject({ consume: null, wholeJob: null });
  });
});
