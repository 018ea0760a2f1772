// The README's headline table and findings, from a hand-made output (FIXTURE figures, invented).
import { describe, expect, it } from 'vitest';

import { headlineFindings, renderHeadline } from '../src/bench/report/headline.js';
import { PYTHON_REFERENCE_LABEL, PYTHON_REFERENCE_SOURCE } from '../src/bench/python-reference.js';
import { stats } from '../src/bench/stats.js';
import type { CodecId, PayloadId, TransportId } from '../src/bench/ids.js';
import type { BenchOutput, BulkResult } from '../src/bench/results.js';
import { fixtureOutput } from './fixtures/bench-output.js';
import { completedResult, failedResult } from './support/results.js';

const ELEMENTS = 1_000_000;
const FRESH_MEMCPY = 0.01;
const FLOOR = 0.004;

const baseline = {
  bytes: 4_000_000,
  freshSeconds: stats([FRESH_MEMCPY]),
  warmSeconds: stats([0.001]),
  floor: { produceSeconds: stats([0.003]), consumeSeconds: stats([0.001]), wholeJobSeconds: stats([FLOOR]) },
};

/** A verified case with three repetitions at 0.9x, 1x and 1.1x `endToEnd`; build 1 s, consume 2 ms. */
function completed(transport: TransportId, payload: PayloadId, codec: CodecId, endToEnd: number, copies = 2): BulkResult {
  return completedResult({
    transport,
    payload,
    codec,
    elements: ELEMENTS,
    endToEnd: [0.9, 1, 1.1].map((scale) => endToEnd * scale),
    phases: (seconds) => ({ build: 1, encode: null, decode: null, send: seconds / 2, transfer: seconds, recv: seconds / 4, consume: 0.002, verify: 0.01 }),
    copies,
    kind: copies > 0 ? 'copy' : 'handoff',
    baseline,
  });
}

const output: BenchOutput = {
  ...fixtureOutput,
  baselines: [baseline],
  results: [
    completed('ipc-advanced', 'array', 'v8', 5),
    completed('ipc-advanced', 'array', 'raw', 2),
    completed('shm', 'array', 'raw', 0.5),
    completed('shm-zero-copy', 'array', 'raw', 0.8),
    completed('shm', 'int32', 'raw', 0.02),
    completed('shm-zero-copy', 'int32', 'raw', 0.001, 0),
    failedResult('errored', { transport: 'ipc-json', payload: 'array', codec: 'json', elements: ELEMENTS }, 'sender failed: RangeError: Invalid string length'),
  ],
};

describe('headline', () => {
  it('states the findings with the figures of the run, spread included; cross-kind claims use the whole job', () => {
    expect(headlineFindings(output)).toEqual([
      "JS Array of 10^6 in, JS Array out, both copies between processes: ipclab's fastest (shm/raw) takes 0.500 (0.450–0.550) s end-to-end, 4.00x faster than Node's process.send with advanced serialization at its fastest (ipc-advanced/raw, 2.00 (1.80–2.20) s) in the same run.",
      "Int32Array of 10^6 copied into the receiver's own Int32Array: shm takes 0.0200 (0.0180–0.0220) s end-to-end, 2.00x a native memcpy of the same bytes into fresh pages (0.0100 s, clock stopped before munmap).",
      'Whole job for 10^6 int32 (produce in the segment, hand off, first full read in the receiver): shm-zero-copy takes 1.00 (1.00–1.00) s, 251x the native reference (0.00400 s); the hand-off itself (nothing copied, the first and cold one) takes 1.00 ms.',
    ]);
  });

  it('states the same-codec ratio beside the best-path one when ipc-advanced is fastest with another codec', () => {
    const results = output.results.map((result) => (result.mode === 'bulk' && result.transport === 'ipc-advanced' && result.codec === 'raw' ? completed('ipc-advanced', 'array', 'raw', 8) : result));
    expect(headlineFindings({ ...output, results })[0]).toBe(
      "JS Array of 10^6 in, JS Array out, both copies between processes: ipclab's fastest (shm/raw) takes 0.500 (0.450–0.550) s end-to-end, 10.0x faster than Node's process.send with advanced serialization at its fastest (ipc-advanced/v8, 5.00 (4.50–5.50) s); the same-codec ratio (against ipc-advanced/raw, 8.00 (7.20–8.80) s) is 16.0x in the same run.",
    );
  });

  it('puts each Python row, labelled as published elsewhere, beside its Node transports; hand-offs get no memcpy ratio', () => {
    const table = renderHeadline(output);
    expect(table).toContain(`| Python method | ${PYTHON_REFERENCE_LABEL}: send / recv (s) | Node transport | kind | codec |`);
    expect(table).toContain(`The Python column is ${PYTHON_REFERENCE_LABEL}, not measured here: ${PYTHON_REFERENCE_SOURCE}.`);
    expect(table).toContain('| Queue | 0.00 / 5.33 | ipc-json | - | json | errored: sender failed: RangeError: Invalid string length | - | - | - |');
    expect(table).toContain('|  |  | ipc-advanced | copy | v8 | **5.00 (4.50–5.50)** / 6.00 (5.50–6.50) | - | - | - |');
    expect(table).toContain('| RawArray + numpy | 5.61 cast + 0.16 / 0.18 | shm | copy | raw | **0.500 (0.450–0.550)** / 1.50 (1.45–1.55) | **0.0200 (0.0180–0.0220)** / 1.02 (1.02–1.02) | 256x | 2.00x |');
    expect(table).toContain('|  |  | shm-zero-copy | copy, hand-off | raw | **0.800 (0.720–0.880)** / 1.80 (1.72–1.88) | **0.00100 (0.000900–0.00110)** / 1.00 (1.00–1.00) (hand-off) | 251x | - |');
    expect(table).not.toContain('| Manager'); // no broker result: its row is left out
  });

  it('shows the Python rows measured in the same run in place of the published column, which becomes a footnote', () => {
    const withPython: BenchOutput = {
      ...output,
      results: [
        ...output.results,
        completed('py-queue', 'array', 'pickle', 30),
        completed('py-queue', 'int32', 'pickle', 2),
        completed('py-rawarray', 'array', 'raw', 8),
        failedResult('skipped', { transport: 'py-rawarray', payload: 'int32', codec: 'raw', elements: ELEMENTS }, 'needs numpy'),
      ],
    };
    const table = renderHeadline(withPython);
    expect(table).toContain('| Python method | Python, measured in this run: list / int32 end-to-end (s) | Node transport |');
    expect(table).toContain('| Queue | 30.0 (27.0–33.0) / 2.00 (1.80–2.20) | ipc-json |');
    expect(table).toContain('| RawArray + numpy | 8.00 (7.20–8.80) / none verified | shm |');
    expect(table).not.toContain('5.61 cast + 0.16');
    expect(table).toContain(`the ${PYTHON_REFERENCE_LABEL} figures are not used here (source: ${PYTHON_REFERENCE_SOURCE}).`);
  });
});
