import { describe, expect, it } from 'vitest';

import {
  caseLabel,
  formatBytes,
  formatElements,
  formatRatio,
  formatSeconds,
  formatSignificant,
  powerOfTenExponent,
} from '../src/bench/report/format.js';
import { compareFastest, summarySentences } from '../src/bench/report/summaries.js';
import { fixtureOutput } from './fixtures/bench-output.js';

describe('report number formatting', () => {
  it('prints sizes as 10^k where exact, grouped digits otherwise', () => {
    expect(formatElements(1000)).toBe('10^3');
    expect(formatElements(100_000_000)).toBe('10^8');
    expect(formatElements(10)).toBe('10^1');
    expect(formatElements(250_000)).toBe('250,000');
    expect(formatElements(1)).toBe('1');
    expect(formatElements(999_999)).toBe('999,999');
    expect(powerOfTenExponent(1e15)).toBe(15);
    expect(powerOfTenExponent(1e6 + 1)).toBeUndefined();
  });

  it('prints three significant digits in fixed notation', () => {
    expect(formatSeconds(3.1234)).toBe('3.12');
    expect(formatSeconds(0.03244)).toBe('0.0324');
    expect(formatSeconds(0.00051234)).toBe('0.000512');
    expect(formatSeconds(123.4)).toBe('123');
    expect(formatSeconds(0.99951)).toBe('1.00');
    expect(formatSeconds(0)).toBe('0');
    expect(formatSeconds(null)).toBe('-');
    expect(formatSeconds(undefined)).toBe('-');
    expect(formatSignificant(12345)).toBe('12300');
  });

  it('prints ratios like mitata and bytes in binary units', () => {
    expect(formatRatio(120.3)).toBe('120x');
    expect(formatRatio(41.23)).toBe('41.2x');
    expect(formatRatio(3.1)).toBe('3.10x');
    expect(formatRatio(null)).toBe('-');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(8_000_000)).toBe('7.6 MiB');
    expect(formatBytes(24 * 1024 ** 3)).toBe('24.0 GiB');
    expect(caseLabel({ transport: 'pipe', payload: 'array', codec: 'json' })).toBe('pipe array/json');
  });
});

describe('summaries as ratios', () => {
  it('compares the fastest verified case per payload at its largest size with every other', () => {
    const comparisons = compareFastest(fixtureOutput);
    expect(comparisons.map((item) => [item.payload, item.elements])).toEqual([
      ['array', 1_000_000],
      ['int32', 1_000_000],
    ]);
    const int32 = comparisons[1]!;
    expect(int32.fastest).toEqual({ label: 'shm-zero-copy', endToEndSeconds: 0.0011 });
    // file-tmp completed but failed verification: it is no contender.
    expect(int32.slower.map((item) => item.label)).toEqual(['ipc-advanced']);
    expect(int32.slower[0]!.ratio).toBeCloseTo(0.132 / 0.0011, 9);
    // pipe ran with two codecs at 10^6 array, so its labels carry the codec.
    expect(comparisons[0]!.fastest.label).toBe('pipe/v8');
    expect(comparisons[0]!.slower.map((item) => item.label)).toEqual(['pipe/json', 'tcp']);
  });

  it('writes one sentence per pair', () => {
    expect(summarySentences(fixtureOutput)).toEqual([
      'pipe/v8 is fastest at 10^6 array (0.0600 s)',
      'pipe/v8 1.83x faster than pipe/json at 10^6 array',
      'pipe/v8 2.50x faster than tcp at 10^6 array',
      'shm-zero-copy is fastest at 10^6 int32 (0.00110 s)',
      'shm-zero-copy 120x faster than ipc-advanced at 10^6 int32',
    ]);
  });

  it('has nothing to say without two verified cases at one size', () => {
    expect(summarySentences({ ...fixtureOutput, results: fixtureOutput.results.slice(0, 1) })).toEqual([]);
  });
});
