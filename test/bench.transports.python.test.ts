// Python's multiprocessing rows (py-*), measured by the same harness: real Python processes, the
// same barrier and control protocol, every element verified, failures reported, nothing left behind.
import { readdirSync, readFileSync } from 'node:fs';

import { afterEach, describe, expect, it } from 'vitest';

import { runCase } from '../src/bench/modes/bulk.js';
import { probePython } from '../src/bench/python.js';
import { PYTHON_TRANSPORT_IDS } from '../src/bench/ids.js';
import type { PayloadId } from '../src/bench/ids.js';
import type { CaseSpec } from '../src/bench/side.js';
import { numpy, requires } from './support/requirements.js';
import { runVerifiedCase } from './support/transport-cases.js';

const ELEMENTS = 10_000;
const TIMEOUT_SECONDS = 60;
const NUMPY_ROWS = ['py-rawarray', 'py-rawarray-numpy', 'py-shared-memory'];

const codecOf = (transport: string) => (['py-queue', 'py-pipe', 'py-manager', 'py-file', 'py-file-shm', 'py-socket'].includes(transport) ? 'pickle' : 'raw');
const spec = (transport: string, payload: PayloadId, extra: Partial<CaseSpec> = {}): CaseSpec =>
  ({ transport, payload, codec: codecOf(transport), elements: ELEMENTS, ...extra }) as CaseSpec;

/** Python case processes this test process started (their case names carry its pid). */
function pythonCaseProcesses(): number[] {
  const mine = `ipclab-${process.pid}-`;
  return readdirSync('/proc').filter((entry) => {
    if (!/^\d+$/.test(entry)) return false;
    try {
      return readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('ipclab_case.py') && readFileSync(`/proc/${entry}/environ`, 'utf8').includes(mine);
    } catch {
      return false; // exited meanwhile
    }
  }).map(Number);
}

const savedEnv = { python: process.env.IPCLAB_PYTHON, noNumpy: process.env.IPCLAB_PYTHON_NO_NUMPY };
afterEach(() => {
  for (const [key, value] of [['IPCLAB_PYTHON', savedEnv.python], ['IPCLAB_PYTHON_NO_NUMPY', savedEnv.noNumpy]] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

it('python3 runs here', () => {
  expect(probePython()).toMatchObject({ python: expect.stringMatching(/^3\.\d+\.\d+/) });
});

describe('Python reference transports', () => {
  const cases = PYTHON_TRANSPORT_IDS.flatMap((transport) => (['array', 'int32'] as const).map((payload) => ({ transport, payload })));
  it.for(cases)('$transport moves 10^4 elements ($payload), every one verified', async ({ transport, payload }, context) => {
    // Without numpy an int32 payload is an array.array, and two rows cannot run (both tested below).
    if (payload === 'int32' || NUMPY_ROWS.includes(transport)) requires(context, numpy);
    const result = await runVerifiedCase(spec(transport, payload), TIMEOUT_SECONDS);
    expect(result.note).toBeUndefined();
    expect(result.phases.endToEnd!.p50).toBeGreaterThan(0);
    expect(result.phases.build!.p50).toBeGreaterThan(0);
  });

  it('times the seed\'s "numpy cast" of py-rawarray apart from the copy', async (context) => {
    requires(context, numpy);
    const result = await runVerifiedCase(spec('py-rawarray', 'array'), TIMEOUT_SECONDS);
    expect(result.phases.cast).not.toBeNull();
    expect(result.phases.decode).not.toBeNull(); // tolist() at the receiver
  });

  it('labels a run with numpy\'s huge pages switched off (NUMPY_MADVISE_HUGEPAGE=0) in its rows', async (context) => {
    requires(context, numpy);
    process.env.NUMPY_MADVISE_HUGEPAGE = '0';
    try {
      const result = await runVerifiedCase(spec('py-array-nolock', 'int32'), TIMEOUT_SECONDS);
      expect(result.note).toContain('NUMPY_MADVISE_HUGEPAGE=0');
    } finally {
      delete process.env.NUMPY_MADVISE_HUGEPAGE;
    }
    expect((await runVerifiedCase(spec('py-array-nolock', 'int32'), TIMEOUT_SECONDS)).note).toBeUndefined();
  });

  it('py-rawarray-numpy hands over what the seed\'s RawArray did: a numpy int32 array, no tolist()', async (context) => {
    requires(context, numpy);
    const result = await runVerifiedCase(spec('py-rawarray-numpy', 'array'), TIMEOUT_SECONDS);
    expect(result.phases.cast).not.toBeNull();
    expect(result.phases.decode).toBeNull();
    expect(result.copies).toBe(3);
  });
});

describe('Python reference transports without numpy', () => {
  it('runs the rows that do not need numpy (int32 as array.array, said in the row) and skips the others with the reason', async () => {
    process.env.IPCLAB_PYTHON_NO_NUMPY = '1';
    for (const transport of NUMPY_ROWS) {
      const result = await runCase(spec(transport, 'int32'), { timeoutSeconds: TIMEOUT_SECONDS });
      expect(result.status).toBe('skipped');
      expect(result.reason).toMatch(/^needs numpy, which \S*python3 \(Python 3\.\d+\.\d+\) cannot import/);
    }
    for (const transport of ['py-pipe', 'py-ipclab']) {
      const int32 = await runVerifiedCase(spec(transport, 'int32'), TIMEOUT_SECONDS);
      expect(int32.note).toBe("Python int32 payload as array.array('i') (numpy is not installed)");
    }
    const array = await runVerifiedCase(spec('py-array', 'array'), TIMEOUT_SECONDS);
    expect(array.note).toBeUndefined();
  });
});

describe('Python reference transports without python3', () => {
  it('skips every Python row with the reason', async () => {
    process.env.IPCLAB_PYTHON = '/nonexistent/python3';
    for (const transport of ['py-queue', 'py-shared-memory', 'interop-node-to-py']) {
      const result = await runCase(spec(transport, 'array', transport.startsWith('interop') ? { codec: 'raw' } : {}), { timeoutSeconds: TIMEOUT_SECONDS });
      expect(result.status).toBe('skipped');
      expect(result.reason).toMatch(/^\/nonexistent\/python3 is not installed/);
    }
  });
});

describe('Python reference transports under faults', () => {
  it('catches one corrupted element in a list', async () => {
    const result = await runCase(spec('py-pipe', 'array', { elements: 1000, fault: 'corrupt' }), { timeoutSeconds: TIMEOUT_SECONDS });
    expect(result.status).toBe('completed');
    expect(result.verified).toBe(false);
    expect(result.reason).toMatch(/^verification failed: element 500 /);
  });

  it('reports a sender that crashes after the barrier as errored', async (context) => {
    requires(context, numpy); // py-shared-memory: a named segment that must not be left behind
    const result = await runCase(spec('py-shared-memory', 'int32', { fault: 'crash' }), { timeoutSeconds: TIMEOUT_SECONDS });
    expect(result.status).toBe('errored');
    expect(result.reason).toMatch(/sender was killed by SIGKILL before reporting/);
    expect(pythonCaseProcesses()).toEqual([]);
  });

  it('kills a receiver that hangs at the timeout, with every process it forked', async () => {
    const result = await runCase(spec('py-manager', 'array', { fault: 'hang' }), { timeoutSeconds: 15 });
    expect(result.status).toBe('errored');
    expect(result.reason).toMatch(/timed out after 15 s waiting for the payload to arrive and be verified/);
    expect(pythonCaseProcesses()).toEqual([]);
  });
});
