// The verdict a person acts on: per payload (or message mode) and size range, how many times faster
// ipclab's path is than Node's own (process.send, worker_threads), with the min–max range of the
// ratio over repetitions, "no clear winner" where that range crosses 1, and the crossover size
// when a run spans one. Like with like: copies against copies on end-to-end; anything else on the
// whole job (produce + move + first full read), which every kind of transport shares.
import { IPCLAB_TRANSPORT_IDS, isOneOf } from '../ids.js';
import { messageResults, type BenchOutput, type LatencyResult, type MessageResult, type Stats, type ThroughputResult } from '../results.js';
import { formatBytes, formatElements, formatRatio, formatSignificant, verifiedTimedResults, type TimedResult } from './format.js';
import { isLatency, isThroughput } from './messages.js';

/** Times over repetitions (lower is better) of one contender at one size. */
export interface VerdictPoint {
  size: number;
  ours: readonly number[];
  theirs: readonly number[];
}

export type Outcome = 'faster' | 'slower' | 'unclear';

/** At one size: theirs / ours of the medians (above 1: ours is faster), and the range over every pair of repetitions. */
export interface SizeRatio {
  size: number;
  ratio: number;
  low: number;
  high: number;
  outcome: Outcome;
}

export interface Verdict {
  /** "int32", "latency", "throughput". */
  subject: string;
  /** ipclab's contender, e.g. "shm/raw"; Node's, e.g. "process.send (ipc-advanced/v8)". */
  ours: string;
  theirs: string;
  /** What was compared, e.g. "end-to-end, both copy between processes". */
  measure: string;
  /** How a size prints: "10^5", "64.0 KiB". */
  formatSize: (size: number) => string;
  ratios: SizeRatio[];
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = (sorted.length - 1) / 2;
  return (sorted[Math.floor(middle)]! + sorted[Math.ceil(middle)]!) / 2;
};

/** theirs / ours of the medians, and of the extremes: min(theirs)/max(ours) to max(theirs)/min(ours). */
export function sizeRatio(point: VerdictPoint): SizeRatio {
  const ratio = median(point.theirs) / median(point.ours);
  const low = Math.min(...point.theirs) / Math.max(...point.ours);
  const high = Math.max(...point.theirs) / Math.min(...point.ours);
  const outcome: Outcome = low > 1 ? 'faster' : high < 1 ? 'slower' : 'unclear';
  return { size: point.size, ratio, low, high, outcome };
}

/** Consecutive sizes with the same outcome. */
function segments(ratios: readonly SizeRatio[]): SizeRatio[][] {
  const groups: SizeRatio[][] = [];
  for (const item of ratios) {
    const last = groups[groups.length - 1];
    if (last && last[0]!.outcome === item.outcome) last.push(item);
    else groups.push([item]);
  }
  return groups;
}

export interface Crossover {
  /** The two sizes it lies between. */
  below: number;
  above: number;
  /** Where the medians' ratio reaches 1, by log-log interpolation between the neighbouring sizes that straddle it. */
  estimate: number;
  /** A clear outcome on each side (one side faster beyond its range, the other slower); else it is within the noise. */
  clear: boolean;
}

/** The size where the medians' ratio passes 1 between ratios[from] and ratios[to], if it does. */
function medianCrossing(ratios: readonly SizeRatio[], from: number, to: number): number | undefined {
  for (let index = from + 1; index <= to; index++) {
    const [before, after] = [ratios[index - 1]!, ratios[index]!];
    if (before.ratio === after.ratio || before.ratio > 1 === after.ratio > 1) continue;
    const [x0, x1, y0, y1] = [Math.log(before.size), Math.log(after.size), Math.log(before.ratio), Math.log(after.ratio)];
    return Number(Math.exp(x0 + ((0 - y0) * (x1 - x0)) / (y1 - y0)).toPrecision(2));
  }
  return undefined;
}

/**
 * Where ipclab's path stops losing and starts winning, or the reverse: between the last size with
 * one clear outcome and the next with the opposite one (sizes without a clear winner may lie
 * between). Without such a pair, the last place where the medians' ratio passes 1, marked as
 * within the noise. undefined when the run spans neither.
 */
export function crossover(ratios: readonly SizeRatio[]): Crossover | undefined {
  const clearIndices = ratios.flatMap((item, index) => (item.outcome === 'unclear' ? [] : [index]));
  for (let at = 1; at < clearIndices.length; at++) {
    const [from, to] = [clearIndices[at - 1]!, clearIndices[at]!];
    if (ratios[from]!.outcome === ratios[to]!.outcome) continue;
    return { below: ratios[from]!.size, above: ratios[to]!.size, estimate: medianCrossing(ratios, from, to)!, clear: true };
  }
  for (let index = ratios.length - 1; index > 0; index--) {
    const estimate = medianCrossing(ratios, index - 1, index);
    if (estimate !== undefined) return { below: ratios[index - 1]!.size, above: ratios[index]!.size, estimate, clear: false };
  }
  return undefined;
}

/** "10^4 to 10^5", "from 10^5 up", "up to 10^4", "at every size run (10^3 to 10^6)". */
function sizeRange(group: readonly SizeRatio[], all: readonly SizeRatio[], format: (size: number) => string): string {
  const first = group[0]!.size;
  const last = group[group.length - 1]!.size;
  const isSmallest = first === all[0]!.size;
  const isLargest = last === all[all.length - 1]!.size;
  if (isSmallest && isLargest) return all.length === 1 ? `at ${format(first)}` : `at every size run (${format(first)} to ${format(last)})`;
  if (first === last) return `at ${format(first)}`;
  if (isLargest) return `from ${format(first)} up`;
  if (isSmallest) return `up to ${format(last)}`;
  return `from ${format(first)} to ${format(last)}`;
}

/** "2.10x (1.90–2.30)" of ours over theirs (or its inverse when theirs wins). */
function ratioText(item: SizeRatio, invert: boolean): string {
  const [ratio, low, high] = invert ? [1 / item.ratio, 1 / item.high, 1 / item.low] : [item.ratio, item.low, item.high];
  return `${formatRatio(ratio)} (${formatSignificant(low)}–${formatSignificant(high)})`;
}

/** "A is 2.10x (1.90–2.30) faster than B", or over several sizes "A is faster than B: 1.6x (…) at 10^5 to 2.1x (…) at 10^6". */
function winnerText(group: readonly SizeRatio[], winner: string, loser: string, invert: boolean, format: (size: number) => string): string {
  if (group.length === 1) return `${winner} is ${ratioText(group[0]!, invert)} faster than ${loser}`;
  const [first, last] = [group[0]!, group[group.length - 1]!];
  return `${winner} is faster than ${loser}: ${ratioText(first, invert)} at ${format(first.size)} to ${ratioText(last, invert)} at ${format(last.size)}`;
}

/** One line per size range; the crossover is named on the line of the first size past it. */
export function verdictLines(verdict: Verdict): string[] {
  const { ratios, formatSize } = verdict;
  if (ratios.length === 0) return [];
  const cross = crossover(ratios);
  const crossText =
    cross && `crossover between ${formatSize(cross.below)} and ${formatSize(cross.above)}, near ${formatSize(cross.estimate)} by the medians${cross.clear ? '' : ', within the noise'}`;
  return segments(ratios).map((group) => {
    const where = `${verdict.subject} ${sizeRange(group, ratios, formatSize)}`;
    const named = cross && group.some((item) => item.size === cross.above) ? ` (${crossText})` : '';
    const how = `; ${verdict.measure}`;
    switch (group[0]!.outcome) {
      case 'faster':
        return `${where}${named}: ${winnerText(group, verdict.ours, verdict.theirs, false, formatSize)}${how}`;
      case 'slower':
        return `${where}${named}: ${winnerText(group, verdict.theirs, verdict.ours, true, formatSize)}${how}`;
      case 'unclear': {
        const figures = group.length === 1 ? ratioText(group[0]!, false) : `${ratioText(group[0]!, false)} to ${ratioText(group[group.length - 1]!, false)}`;
        return `${where}${named}: no clear winner, ${verdict.ours} is ${figures} as fast as ${verdict.theirs}, a range that crosses 1${how}`;
      }
    }
  });
}

export const VERDICT_TITLE = 'Verdict (ratio of medians; in parentheses the min–max of the ratio over every pair of repetitions)';

/** Node's own ways, each a family a user would pick instead of ipclab. */
const BULK_FAMILIES = [
  { name: 'process.send', transports: ['ipc-json', 'ipc-advanced'] },
  { name: 'worker_threads', transports: ['worker-clone', 'worker-transfer', 'worker-sab'] },
] as const;

const label = (result: TimedResult) => `${result.transport}/${result.codec}`;

/** "process.send (ipc-json)", or "process.send (the fastest at each size of ipc-json, ipc-advanced)". */
function familyLabel(family: string, used: ReadonlySet<string>): string {
  const names = [...used];
  return names.length === 1 ? `${family} (${names[0]})` : `${family} (the fastest at each size of ${names.join(', ')})`;
}
const samplesOf = (result: TimedResult, measure: 'endToEnd' | 'wholeJob') => result.phases[measure]?.samples ?? [];

/** The fastest contender (transport/codec) at the largest size both sides ran, by `measure`. */
function fastestAt(results: readonly TimedResult[], elements: number, measure: 'endToEnd' | 'wholeJob'): string | undefined {
  return results
    .filter((result) => result.elements === elements && result.phases[measure] !== null)
    .sort((a, b) => a.phases[measure]!.p50 - b.phases[measure]!.p50)
    .map(label)[0];
}

/** Bulk: per payload, ipclab's fastest way against each of Node's families that ran. */
export function bulkVerdicts(output: BenchOutput): Verdict[] {
  const timed = verifiedTimedResults(output);
  const verdicts: Verdict[] = [];
  for (const payload of [...new Set(timed.map((result) => result.payload))]) {
    const ofPayload = timed.filter((result) => result.payload === payload);
    const ours = ofPayload.filter((result) => isOneOf(IPCLAB_TRANSPORT_IDS, result.transport));
    for (const family of BULK_FAMILIES) {
      const theirs = ofPayload.filter((result) => (family.transports as readonly string[]).includes(result.transport));
      const shared = [...new Set(theirs.map((result) => result.elements))].filter((elements) => ours.some((result) => result.elements === elements)).sort((a, b) => a - b);
      const largest = shared[shared.length - 1];
      if (largest === undefined) continue;
      // Copies against copies on end-to-end when both sides have copies; else everything on the whole job.
      const bothCopy = theirs.some((result) => result.kind === 'copy') && ours.some((result) => result.kind === 'copy');
      const measure = bothCopy ? 'endToEnd' : 'wholeJob';
      const oursPool = bothCopy ? ours.filter((result) => result.kind === 'copy') : ours;
      const theirsPool = bothCopy ? theirs.filter((result) => result.kind === 'copy') : theirs;
      const oursLabel = fastestAt(oursPool, largest, measure);
      if (oursLabel === undefined) continue;
      const mineAt = (elements: number) => oursPool.find((result) => label(result) === oursLabel && result.elements === elements);
      // Node's side at its best at each size: whichever of the family was fastest there.
      const theirsUsed = new Set<string>();
      const points = shared.flatMap((elements) => {
        const mine = mineAt(elements);
        const otherLabel = fastestAt(theirsPool, elements, measure);
        const other = theirsPool.find((result) => label(result) === otherLabel && result.elements === elements);
        if (!mine || !other) return [];
        theirsUsed.add(otherLabel!);
        return [{ size: elements, ours: samplesOf(mine, measure), theirs: samplesOf(other, measure) }];
      });
      verdicts.push({
        subject: payload,
        ours: oursLabel,
        theirs: familyLabel(family.name, theirsUsed),
        measure: bothCopy ? 'end-to-end, both copy between processes' : 'whole job (produce + move + first full read), kinds differ',
        formatSize: formatElements,
        ratios: points.filter((point) => point.ours.length > 0 && point.theirs.length > 0).map(sizeRatio),
      });
    }
  }
  return verdicts.filter((verdict) => verdict.ratios.length > 0);
}

const MESSAGE_FAMILIES = [
  { name: 'process.send', transports: ['ipc-json', 'ipc-advanced'] },
  { name: 'worker_threads', transports: ['worker-clone'] },
] as const;

/** A verified message row's times over repetitions, lower is better: p50 round trip, or seconds per message. */
function messageTimes(result: MessageResult): Stats | undefined {
  if (isLatency(result) && result.verified) return (result as LatencyResult).roundTripSeconds.p50;
  if (isThroughput(result) && result.verified) {
    const rates = (result as ThroughputResult).messagesPerSecond.samples;
    return { ...result.messagesPerSecond, samples: rates.map((rate) => 1 / rate), p50: 1 / result.messagesPerSecond.p50 };
  }
  return undefined;
}

/** Message modes: ShmChannel (shm) against each of Node's families that ran, per mode. */
export function messageVerdicts(output: BenchOutput): Verdict[] {
  const all = messageResults(output);
  const verdicts: Verdict[] = [];
  for (const mode of ['latency', 'throughput'] as const) {
    const ofMode = all.filter((result) => result.mode === mode && messageTimes(result) !== undefined);
    const ours = ofMode.filter((result) => result.transport === 'shm');
    for (const family of MESSAGE_FAMILIES) {
      const theirs = ofMode.filter((result) => (family.transports as readonly string[]).includes(result.transport));
      const sizes = [...new Set(ours.map((result) => result.messageBytes))].filter((bytes) => theirs.some((result) => result.messageBytes === bytes)).sort((a, b) => a - b);
      if (sizes.length === 0) continue;
      // Node's side at its best at each size: whichever of the family was fastest there.
      const theirsUsed = new Set<string>();
      const points = sizes.flatMap((bytes) => {
        const mine = ours.find((result) => result.messageBytes === bytes);
        const other = theirs.filter((result) => result.messageBytes === bytes).sort((a, b) => messageTimes(a)!.p50 - messageTimes(b)!.p50)[0];
        if (!mine || !other) return [];
        theirsUsed.add(other.transport);
        return [{ size: bytes, ours: messageTimes(mine)!.samples, theirs: messageTimes(other)!.samples }];
      });
      verdicts.push({
        subject: mode === 'latency' ? 'latency, messages' : 'throughput, messages',
        ours: ours[0]!.spinMicros === null ? 'ShmChannel (shm)' : `ShmChannel (shm, spinning ${ours[0]!.spinMicros} µs)`,
        theirs: familyLabel(family.name, theirsUsed),
        measure: mode === 'latency' ? 'p50 round trip between two processes' : 'messages per second, each checked by the receiver',
        formatSize: formatBytes,
        ratios: points.map(sizeRatio),
      });
    }
  }
  return verdicts;
}

/** Every verdict line of a run: bulk per payload, then message modes. */
export function verdictSentences(output: BenchOutput): string[] {
  return [...bulkVerdicts(output), ...messageVerdicts(output)].flatMap(verdictLines);
}
