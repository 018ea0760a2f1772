// Whether two sets of timings differ, by methods that hold at a handful of repetitions: the
// Mann–Whitney U test (exact below 30 samples a side without ties, else the normal approximation
// with a tie correction) and a seeded percentile bootstrap of the ratio of medians. Both are
// deterministic: the same samples give the same answer.
import { quantile } from './stats.js';

/** n choose k as a float (exact for the sizes used here). */
function choose(n: number, k: number): number {
  let result = 1;
  for (let index = 1; index <= k; index++) result = (result * (n - k + index)) / index;
  return result;
}

/**
 * The smallest two-sided p-value Mann–Whitney can give for samples of these sizes (when every
 * value of one side lies beyond every value of the other): 2 / C(n1 + n2, n1).
 */
export function smallestPossibleP(n1: number, n2: number): number {
  return Math.min(1, 2 / choose(n1 + n2, n1));
}

/** The fewest samples per side for which the smallest possible p-value is at most `alpha`. */
export function samplesNeeded(alpha: number): number {
  let n = 1;
  while (smallestPossibleP(n, n) > alpha) n++;
  return n;
}

/** Ranks of the pooled values (1-based, ties get their mean rank). */
function ranks(values: readonly number[]): { ranks: number[]; tieTerm: number } {
  const order = values.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value);
  const result = new Array<number>(values.length);
  let tieTerm = 0;
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]!.value === order[start]!.value) end++;
    const rank = (start + end) / 2 + 1;
    for (let at = start; at <= end; at++) result[order[at]!.index] = rank;
    const tied = end - start + 1;
    tieTerm += tied ** 3 - tied;
    start = end + 1;
  }
  return { ranks: result, tieTerm };
}

/** Counts of each U (0..n1*n2) over all C(n1+n2, n1) arrangements, by the usual recursion. */
function exactUCounts(n1: number, n2: number): number[] {
  // counts[i][j][u] built over j for each i; keep one row of i at a time.
  let previous: number[][] = Array.from({ length: n2 + 1 }, () => [1]); // i = 0: U = 0 once
  for (let i = 1; i <= n1; i++) {
    const current: number[][] = [[1]]; // j = 0: U = 0 once
    for (let j = 1; j <= n2; j++) {
      const counts = new Array<number>(i * j + 1).fill(0);
      // The largest of the pooled values is from side 1 (adds j to U) or from side 2 (adds 0).
      previous[j]!.forEach((count, u) => (counts[u + j] = counts[u + j]! + count));
      current[j - 1]!.forEach((count, u) => (counts[u] = counts[u]! + count));
      current.push(counts);
    }
    previous = current;
  }
  return previous[n2]!;
}

/** The standard normal's upper tail, P(Z > z) (Abramowitz–Stegun 7.1.26 through erfc). */
function normalUpperTail(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erfc = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-x * x);
  return z >= 0 ? erfc / 2 : 1 - erfc / 2;
}

export interface MannWhitney {
  /** U of the first sample: how many (a, b) pairs have a > b (ties count a half). */
  u: number;
  /** Two-sided p-value. */
  p: number;
  exact: boolean;
}

/** The two-sided Mann–Whitney U test of `a` against `b`. */
export function mannWhitney(a: readonly number[], b: readonly number[]): MannWhitney {
  const [n1, n2] = [a.length, b.length];
  if (n1 === 0 || n2 === 0) throw new RangeError(`mannWhitney needs samples on both sides, got ${n1} and ${n2}`);
  const pooled = ranks([...a, ...b]);
  const rankSum = pooled.ranks.slice(0, n1).reduce((sum, rank) => sum + rank, 0);
  const u = rankSum - (n1 * (n1 + 1)) / 2;
  if (pooled.tieTerm === 0 && n1 <= 30 && n2 <= 30) {
    const counts = exactUCounts(n1, n2);
    const total = counts.reduce((sum, count) => sum + count, 0);
    const below = counts.slice(0, Math.round(u) + 1).reduce((sum, count) => sum + count, 0) / total;
    const above = counts.slice(Math.round(u)).reduce((sum, count) => sum + count, 0) / total;
    return { u, p: Math.min(1, 2 * Math.min(below, above)), exact: true };
  }
  const n = n1 + n2;
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - pooled.tieTerm / (n * (n - 1)));
  if (variance <= 0) return { u, p: 1, exact: false };
  const z = (Math.abs(u - mean) - 0.5) / Math.sqrt(variance);
  return { u, p: Math.min(1, 2 * normalUpperTail(Math.max(z, 0))), exact: false };
}

/** A small seeded generator (mulberry32): the same seed, the same draws. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const medianOf = (values: readonly number[]) => quantile([...values].sort((x, y) => x - y), 0.5);

/** The seed every bootstrap uses, so a comparison prints the same interval every time. */
export const BOOTSTRAP_SEED = 20_260_101;
export const BOOTSTRAP_RESAMPLES = 4000;

/**
 * A percentile bootstrap interval (level 0.95 by default) of median(b) / median(a): each side
 * resampled with replacement on its own, seeded.
 */
export function bootstrapRatioOfMedians(a: readonly number[], b: readonly number[], level = 0.95, seed = BOOTSTRAP_SEED): [number, number] {
  if (a.length === 0 || b.length === 0) throw new RangeError(`bootstrapRatioOfMedians needs samples on both sides, got ${a.length} and ${b.length}`);
  const random = seededRandom(seed);
  const resample = (values: readonly number[]) => values.map(() => values[Math.floor(random() * values.length)]!);
  const ratios: number[] = [];
  for (let draw = 0; draw < BOOTSTRAP_RESAMPLES; draw++) ratios.push(medianOf(resample(b)) / medianOf(resample(a)));
  ratios.sort((x, y) => x - y);
  return [quantile(ratios, (1 - level) / 2), quantile(ratios, 1 - (1 - level) / 2)];
}
