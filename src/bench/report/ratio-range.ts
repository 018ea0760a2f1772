// What a ratio of two measured figures can claim: the range of the ratio their min–max spans allow,
// and whether it crosses 1 (then the sentence says the two are not told apart), and how many
// repetitions it rests on (a claim from fewer than three says so).
import type { Stats } from '../results.js';
import { formatRatio } from './format.js';

/** A claim resting on fewer repetitions than this says how many it had. */
export const MIN_CLAIM_REPETITIONS = 3;

/** The lowest and highest ratio the two min–max spans allow. */
export function ratioRange(numerator: Pick<Stats, 'min' | 'max'>, denominator: Pick<Stats, 'min' | 'max'>): [number, number] {
  return [numerator.min / denominator.max, numerator.max / denominator.min];
}

/** '' when the ratio's range stays on one side of 1; else a clause saying it crosses 1. */
export function crossingClause(numerator: Pick<Stats, 'min' | 'max'>, denominator: Pick<Stats, 'min' | 'max'>): string {
  const [low, high] = ratioRange(numerator, denominator);
  if (!(low <= 1 && high >= 1)) return '';
  return ` (but the min–max ranges allow ${formatRatio(low)}–${formatRatio(high)}, which crosses 1: the two are not told apart)`;
}

/** '' from MIN_CLAIM_REPETITIONS repetitions on; else a clause naming the fewest a side had. */
export function fewSamplesClause(...repetitions: number[]): string {
  const fewest = Math.min(...repetitions);
  return fewest < MIN_CLAIM_REPETITIONS ? ` (from ${fewest} repetition${fewest === 1 ? '' : 's'} only)` : '';
}
