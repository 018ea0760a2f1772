// The README's headline table and findings, from a hand-made output (FIXTURE figures, invented).
import { describe, expect, it } from 'vitest';

import { headlineFindings, renderHeadline } from '../src/bench/report/headline.js';
import { summarize, summarizePhases } from '../src/bench/stats.js';
import type { BenchOutput, CaseResult, CodecId, PayloadId, PhaseTimes, TransportId } from '../src/bench/types.js';
import { fixtureOutput } from './fixtures/bench-output.js';

const ELEMENTS = 1_000_000;
const usage = { maxRssBytes: 1, userCpuSeconds: 0, systemCpuSeconds: 0, minorPageFaults: 0, majorPageFaults: 0, sharedProcess: false };

function completed(transport: TransportId, payload: PayloadId, codec: CodecId, endToEnd: number, transfer = endToEnd): CaseResult {
  const run: PhaseTimes = {
    build: 1,
    cast: null,
    encode: null,
    send: endToEnd / 2,
    transfer,
    recv: endToEnd / 4,
    decode: null,
    endToEnd,
    consume: 0.002,
    verify: 0.01,
    wholeJob: 1 + endToEnd + 0.002,
  };
  const payloadBytes = ELEMENTS * (payload === 'int32' ? 4 : 8);
  return {
    transport,
    payload,
    codec,
    elements: ELEMENTS,
    payloadBytes,
    status: 'completed',
    verified: true,
    repetitions: 1,
    runs: [run],
    phases: summarizePhases([run]),
    kind: 'copy',
    copies: 2,
    throughput: { gigabytesPerSecond: payloadBytes / endToEnd / 1e9, elementsPerSecond: ELEMENTS / endToEnd },
    sender: usage,
    receiver: usage,
    ratioToMemcpy: { fresh: endToEnd / 0.01, warm: endToEnd / 0.001 },
    ratioToFloor: null,
  };
}

const output: BenchOutput = {
  ...fixtureOutput,
  baselines: [{ bytes: 4_000_000, freshSeconds: summarize([0.01]), warmSeconds: summarize([0.001]), floor: null }],
  results: [
    completed('ipc-advanced', 'array', 'v8', 5),
    completed('shm', 'array', 'raw', 0.5),
    completed('shm-zero-copy', 'array', 'raw', 0.8),
    completed('shm', 'int32', 'raw', 0.02),
    completed('shm-zero-copy', 'int32', 'raw', 0.001, 0.0003),
    { transport: 'ipc-json', payload: 'array', codec: 'json', elements: ELEMENTS, payloadBytes: 8e6, status: 'errored', verified: false, reason: 'sender failed: RangeError: Invalid string length' },
  ],
};

describe('headline', () => {
  it('states the findings with the figures of the run', () => {
    expect(headlineFindings(output)).toEqual([
      "JS Array of 10^6 in, JS Array out: ipclab's fastest path (shm/raw) takes 0.500 s end-to-end, 10.0x faster than Node's process.send with advanced serialization (5.00 s) in the same run.",
      "Int32Array of 10^6 into the receiver's own Int32Array: shm takes 0.0200 s, 2.00x a native memcpy of the same bytes into fresh memory (0.0100 s).",
      'shm-zero-copy hands 10^6 int32 from the sender\'s commit to a usable view in the receiver in 0.300 ms (transfer phase).',
    ]);
  });

  it('puts each Python row beside its Node transports, errors with their reason', () => {
    const table = renderHeadline(output);
    expect(table).toContain('| Queue | 0.00 / 5.33 | ipc-json | json | errored: sender failed: RangeError: Invalid string length | - | - |');
    expect(table).toContain('|  |  | ipc-advanced | v8 | 2.50 / 1.25 / **5.00** | - | - |');
    expect(table).toContain('| RawArray + numpy | 5.61 cast + 0.16 / 0.18 | shm | raw | 0.250 / 0.125 / **0.500** | 0.0100 / 0.00500 / **0.0200** | 2.00x |');
    expect(table).not.toContain('| Manager'); // no broker result: its row is left out
  });
});
