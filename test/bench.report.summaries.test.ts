// Summaries compare like with like: per payload, kinds against each other on the whole job, then
// copies, hand-offs and threads each on their own; at most a few lines per payload.
import { describe, expect, it } from 'vitest';

import { compareLikeWithLike, summarySentences } from '../src/bench/report/summaries.js';
import { fixtureOutput } from './fixtures/bench-output.js';

describe('like-with-like summaries', () => {
  it('groups by payload and kind at the largest size with two verified cases', () => {
    const comparisons = compareLikeWithLike(fixtureOutput);
    expect(comparisons.map((item) => [item.payload, item.elements, item.kind ?? 'across kinds', item.measure])).toEqual([
      ['array', 1_000_000, 'copy', 'endToEnd'],
      ['int32', 1_000_000, 'across kinds', 'wholeJob'],
      ['int32', 1_000_000, 'copy', 'endToEnd'],
      ['int32', 1_000_000, 'handoff', 'endToEnd'],
    ]);
    // pipe ran with two codecs at 10^6 array, so its labels carry the codec.
    expect(comparisons[0]!.ranked.map((item) => item.label)).toEqual(['pipe/v8', 'pipe/json', 'tcp']);
    expect(comparisons[0]!.ranked[2]!.ratio).toBeCloseTo(0.15 / 0.06, 9);
    // Across kinds, the whole job: the hand-off against the copy (file-tmp failed verification: no contender).
    const across = comparisons[1]!;
    expect(across.ranked.map((item) => item.label)).toEqual(['shm-zero-copy', 'ipc-advanced']);
    expect(across.ranked[1]!.ratio).toBeCloseTo((0.132 * 1.125) / (0.0011 * 1.125), 9);
  });

  it('writes one sentence per comparison, each median with its spread, never an end-to-end ratio across kinds', () => {
    expect(summarySentences(fixtureOutput, 'seconds')).toEqual([
      '10^6 array, copies between processes, end-to-end: pipe/v8 0.0600 (0.0500–0.0700) s fastest; pipe/json 1.83x slower, tcp 2.50x slower',
      '10^6 int32, whole job (produce + move + first full read), fastest of each kind: shm-zero-copy 0.00124 (0.00113–0.00135) s (1.82x the native reference); ipc-advanced 0.148 (0.144–0.158) s (218x the native reference)',
      '10^6 int32, copies between processes, end-to-end: ipc-advanced 0.132 (0.128–0.140) s fastest',
      '10^6 int32, hand-offs between processes, hand-off latency (end-to-end; nothing copied): shm-zero-copy 0.00110 (0.00100–0.00120) s fastest',
    ]);
    // The terminal table's times are each in the unit that suits them, so its summary is too: no seconds under a ms table.
    expect(summarySentences(fixtureOutput)[0]).toBe('10^6 array, copies between processes, end-to-end: pipe/v8 60.0 ms (50.0–70.0) fastest; pipe/json 1.83x slower, tcp 2.50x slower');
    expect(summarySentences(fixtureOutput)[1]).toContain('shm-zero-copy 1.24 ms (1.13–1.35) (1.82x the native reference); ipc-advanced 149 ms (144–158)');
    for (const sentence of summarySentences(fixtureOutput)) expect(sentence).not.toMatch(/shm-zero-copy.*faster than ipc-advanced/);
  });

  it('has nothing to say without two verified cases at one size', () => {
    expect(summarySentences({ ...fixtureOutput, results: fixtureOutput.results.slice(0, 1) })).toEqual([]);
  });
});
