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
