// Statistics over repetitions: interpolated quantiles and min / median / max per phase.
import { PHASE_NAMES, type PhaseName } from './ids.js';
import type { PhaseTimes, Summary } from './results.js';

/**
 * The q-quantile (0 <= q <= 1) of values sorted ascending, interpolating linearly between the two
 * nearest ranks (the "type 7" estimator of R and NumPy): [1..6] at 0.5 is 3.5.
 */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new RangeError('quantile needs at least one value, got an empty array');
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile q must be between 0 and 1, got ${q}`);
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const low = sorted[lower]!;
  const high = sorted[upper]!;
  return low + (high - low) * (position - lower);
}

/** Min, interpolated quartiles and median, and max of finite values, in any order. */
export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) throw new RangeError('summarize needs at least one value, got an empty array');
  const badIndex = values.findIndex((value) => !Number.isFinite(value));
  if (badIndex !== -1) throw new RangeError(`summarize needs finite numbers, got ${values[badIndex]} at index ${badIndex}`);
  const sorted = [...values].sort((a, b) => a - b);
  return { min: sorted[0]!, p25: quantile(sorted, 0.25), median: quantile(sorted, 0.5), p75: quantile(sorted, 0.75), max: sorted[sorted.length - 1]! };
}

/** Per phase, the summary over the runs where it applies; null when it is null in every run. */
export function summarizePhases(runs: readonly PhaseTimes[]): Record<PhaseName, Summary | null> {
  const phases = {} as Record<PhaseName, Summary | null>;
  for (const name of PHASE_NAMES) {
    const values = runs.map((run) => run[name]).filter((value): value is number => value !== null);
    phases[name] = values.length === 0 ? null : summarize(values);
  }
  return phases;
}
