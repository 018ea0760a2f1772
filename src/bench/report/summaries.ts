// Summaries that compare like with like (mitata's "41.2x faster than pipe", grouped): per payload,
// at the largest size where at least two cases completed verified, one line across kinds on the
// whole job (produce + move + first full read: the one figure every kind of transport shares),
// then one line per kind: copies between processes and hand-offs on end-to-end (for a hand-off,
// its hand-off latency), threads on the whole job (they mix copies and hand-offs).
import type { PayloadId } from '../ids.js';
import type { BenchOutput, CaseKind, Stats } from '../results.js';
import { formatDurationSpread, formatElements, formatMedianSpread, formatRatio, isNoisy, verifiedTimedResults, type TimedResult } from './format.js';

export type Measure = 'endToEnd' | 'wholeJob';

export interface Contender {
  /** The transport, with "/codec" when the same transport ran with several codecs at this size. */
  label: string;
  seconds: Stats;
  repetitions: number;
  noisy: boolean;
  /** Whole job over the native reference; null without one. */
  ratioToFloor: number | null;
}

/** The contenders of one comparison, fastest first, each with how many times slower than the first it is. */
export interface Comparison {
  payload: PayloadId;
  elements: number;
  /** undefined: across every kind (the fastest of each kind). */
  kind: CaseKind | undefined;
  measure: Measure;
  ranked: Array<Contender & { ratio: number }>;
}

/** How each kind is compared within itself. */
const KIND_MEASURE: Record<CaseKind, Measure> = { copy: 'endToEnd', handoff: 'endToEnd', thread: 'wholeJob' };
const KIND_ORDER: readonly CaseKind[] = ['copy', 'handoff', 'thread'];
/** Contenders named on one line; the rest are counted. */
const NAMED_PER_LINE = 6;

function rank(results: TimedResult[], measure: Measure, everyCodecLabel: (result: TimedResult) => string): Array<Contender & { ratio: number }> {
  const contenders = results
    .filter((result) => result.phases[measure] !== null)
    .map((result) => ({
      label: everyCodecLabel(result),
      seconds: result.phases[measure]!,
      repetitions: result.repetitions,
      noisy: isNoisy(result),
      ratioToFloor: result.ratioToFloor,
    }))
    .sort((a, b) => a.seconds.p50 - b.seconds.p50);
  return contenders.map((contender) => ({ ...contender, ratio: contender.seconds.p50 / contenders[0]!.seconds.p50 }));
}

export function compareLikeWithLike(output: BenchOutput): Comparison[] {
  const timed = verifiedTimedResults(output);
  const comparisons: Comparison[] = [];
  for (const payload of [...new Set(timed.map((result) => result.payload))]) {
    const sizes = [...new Set(timed.filter((result) => result.payload === payload).map((result) => result.elements))].sort((a, b) => b - a);
    const elements = sizes.find((size) => timed.filter((result) => result.payload === payload && result.elements === size).length >= 2);
    if (elements === undefined) continue;
    const group = timed.filter((result) => result.payload === payload && result.elements === elements);
    const codecs = new Map<string, number>();
    for (const result of group) codecs.set(result.transport, (codecs.get(result.transport) ?? 0) + 1);
    const label = (result: TimedResult) => (codecs.get(result.transport)! > 1 ? `${result.transport}/${result.codec}` : result.transport);
    const kinds = KIND_ORDER.filter((kind) => group.some((result) => result.kind === kind));
    if (kinds.length > 1) {
      const fastestOfEach = kinds.map((kind) => rank(group.filter((result) => result.kind === kind), 'wholeJob', label)[0]).filter((item) => item !== undefined);
      const ranked = [...fastestOfEach].sort((a, b) => a.seconds.p50 - b.seconds.p50);
      comparisons.push({ payload, elements, kind: undefined, measure: 'wholeJob', ranked: ranked.map((item) => ({ ...item, ratio: item.seconds.p50 / ranked[0]!.seconds.p50 })) });
    }
    for (const kind of kinds) {
      const ranked = rank(group.filter((result) => result.kind === kind), KIND_MEASURE[kind], label);
      if (ranked.length > 0) comparisons.push({ payload, elements, kind, measure: KIND_MEASURE[kind], ranked });
    }
  }
  return comparisons;
}

export const SUMMARY_TITLE = 'Summary (verified cases at the largest size per payload; like with like: each kind on its own, kinds against each other on the whole job)';

/** How the summary prints times: in the unit that suits each ("1.57 ms (1.50–1.62)", the terminal table's) or in seconds (the wide table's). */
export type SummaryUnits = 'suited' | 'seconds';

/** "shm 210 ms (200–250) [noisy]", or "shm 0.210 (0.200–0.250) s [noisy]" in seconds. */
function figure(contender: Contender, units: SummaryUnits): string {
  const time = units === 'seconds' ? `${formatMedianSpread(contender.seconds, contender.repetitions)} s` : formatDurationSpread(contender.seconds, contender.repetitions);
  return `${contender.label} ${time}${contender.noisy ? ' [noisy]' : ''}`;
}

const KIND_HEADINGS: Record<CaseKind, string> = {
  copy: 'copies between processes, end-to-end',
  handoff: 'hand-offs between processes, hand-off latency (end-to-end; nothing copied)',
  thread: 'threads in one process, whole job',
};

function sentence(comparison: Comparison, units: SummaryUnits): string {
  const where = `${formatElements(comparison.elements)} ${comparison.payload}`;
  const [first, ...rest] = comparison.ranked;
  if (comparison.kind === undefined) {
    const entries = comparison.ranked.map((item) => `${figure(item, units)}${item.ratioToFloor === null ? '' : ` (${formatRatio(item.ratioToFloor)} the native reference)`}`);
    return `${where}, whole job (produce + move + first full read), fastest of each kind: ${entries.join('; ')}`;
  }
  const named = rest.slice(0, NAMED_PER_LINE - 1).map((item) => `${item.label} ${formatRatio(item.ratio)} slower${item.noisy ? ' [noisy]' : ''}`);
  const more = rest.length > NAMED_PER_LINE - 1 ? `, and ${rest.length - (NAMED_PER_LINE - 1)} more in the table` : '';
  const others = named.length === 0 ? '' : `; ${named.join(', ')}${more}`;
  return `${where}, ${KIND_HEADINGS[comparison.kind]}: ${figure(first!, units)} fastest${others}`;
}

/** At most 4 lines per payload: across kinds on the whole job, then each kind on its own. */
export function summarySentences(output: BenchOutput, units: SummaryUnits = 'suited'): string[] {
  return compareLikeWithLike(output).map((comparison) => sentence(comparison, units));
}
