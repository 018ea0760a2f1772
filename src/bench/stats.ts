// Statistics over repetitions: every measured quantity as its samples and their quantiles.
import { PHASE_NAMES, type PhaseName } from './ids.js';
import type { PhaseTimes, Stats } from './results.js';

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

/** The samples (finite numbers, in run order) with their quantiles. */
export function stats(samples: readonly number[]): Stats {
  if (samples.length === 0) throw new RangeError('stats needs at least one sample, got an empty array');
  const badIndex = samples.findIndex((value) => !Number.isFinite(value));
  if (badIndex !== -1) throw new RangeError(`stats needs finite numbers, got ${samples[badIndex]} at index ${badIndex}`);
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    samples: [...samples],
    min: sorted[0]!,
    p25: quantile(sorted, 0.25),
    p50: quantile(sorted, 0.5),
    p75: quantile(sorted, 0.75),
    p90: quantile(sorted, 0.9),
    p99: quantile(sorted, 0.99),
    max: sorted[sorted.length - 1]!,
  };
}

/** The Stats of one figure of each run, e.g. `statsOf(runs, (run) => run.p50)`. */
export function statsOf<R>(runs: readonly R[], figure: (run: R) => number): Stats {
  return stats(runs.map(figure));
}

/** Per phase, the stats over the runs where it applies; null when it is null in every run. */
export function phaseStats(runs: readonly PhaseTimes[]): Record<PhaseName, Stats | null> {
  const phases = {} as Record<PhaseName, Stats | null>;
  for (const name of PHASE_NAMES) {
    const values = runs.map((run) => run[name]).filter((value): value is number => value !== null);
    phases[name] = values.length === 0 ? null : stats(values);
  }
  return phases;
}
