// Number, size and label formatting shared by every renderer, and the one table model that the
// terminal, Markdown and HTML renderers print in their own syntax.
import type { TransportId } from '../ids.js';
import { bulkResults, type BenchOutput, type CaseKind, type BulkResult, type CompletedBulkResult, type RunContext, type Stats } from '../results.js';
import type { Transport } from '../side.js';

/** What a report needs to know about a transport beyond its results (the registry supplies it). */
export type TransportInfo = Pick<Transport, 'id' | 'standsFor' | 'constraint'>;

export interface ReportOptions {
  /** Transport metadata for the "stands for" and constraint columns; unknown ids print as "-". */
  transports?: readonly TransportInfo[];
  /** Terminal table: every column and every note on its row, however wide (default: at most 120 columns). */
  wide?: boolean;
}

/** Printed where a value does not apply (a phase a transport does not have, a failed case). */
export const NOT_APPLICABLE = '-';

/** k when n is exactly 10^k (k >= 1), else undefined. */
export function powerOfTenExponent(n: number): number | undefined {
  if (!Number.isSafeInteger(n) || n < 10) return undefined;
  const exponent = Math.round(Math.log10(n));
  return 10 ** exponent === n ? exponent : undefined;
}

/** Element counts as "10^6" where exact, else grouped digits ("250,000"). */
export function formatElements(n: number): string {
  const exponent = powerOfTenExponent(n);
  return exponent === undefined ? n.toLocaleString('en-US') : `10^${exponent}`;
}

/** `digits` significant digits in fixed notation: 3.12, 0.0324, 0.000512, 1234. */
export function formatSignificant(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return String(value);
  const rounded = Number(value.toPrecision(digits));
  if (rounded === 0) return '0';
  const magnitude = Math.floor(Math.log10(Math.abs(rounded)));
  const decimals = Math.min(Math.max(0, digits - 1 - magnitude), 15);
  return rounded.toFixed(decimals);
}

/** Seconds to three significant digits; "-" when the value does not apply. */
export function formatSeconds(seconds: number | null | undefined): string {
  return seconds === null || seconds === undefined ? NOT_APPLICABLE : formatSignificant(seconds);
}

const DURATION_UNITS: ReadonlyArray<[string, number]> = [
  ['s', 1],
  ['ms', 1e-3],
  ['µs', 1e-6],
  ['ns', 1e-9],
];

/** The unit a duration reads best in: the largest of s, ms, µs, ns that keeps it at 1 or more. */
function durationUnit(seconds: number): [string, number] {
  return DURATION_UNITS.find(([, scale]) => Math.abs(seconds) >= scale) ?? DURATION_UNITS[DURATION_UNITS.length - 1]!;
}

/** A duration in the unit that suits it, three significant digits: "70.0 ns", "932 µs", "1.57 s"; "-" when absent. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return NOT_APPLICABLE;
  if (seconds === 0) return '0 s';
  const [unit, scale] = durationUnit(seconds);
  return `${formatSignificant(seconds / scale)} ${unit}`;
}

/** A median and the range [low, high] in the median's unit: "1.23 ms (1.10–1.40)"; just the median without a range. */
export function formatDurationRange(median: number, range?: readonly [number, number]): string {
  const [unit, scale] = median === 0 ? (['s', 1] as [string, number]) : durationUnit(median);
  const value = (seconds: number) => formatSignificant(seconds / scale);
  return range === undefined ? `${value(median)} ${unit}` : `${value(median)} ${unit} (${value(range[0])}–${value(range[1])})`;
}

/** A ratio such as "120x", "41.2x", "3.10x"; "-" when absent. */
export function formatRatio(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined) return NOT_APPLICABLE;
  return `${ratio >= 100 ? ratio.toFixed(0) : formatSignificant(ratio)}x`;
}

/** Bytes in binary units: "512 B", "7.6 MiB", "23.5 GiB". */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** "transport payload/codec", how charts and progress name a case. */
export function caseLabel(spec: Pick<BulkResult, 'transport' | 'payload' | 'codec'>): string {
  return `${spec.transport} ${spec.payload}/${spec.codec}`;
}

/** A completed, verified result with a positive end-to-end median: what charts and ratios use. */
export type TimedResult = CompletedBulkResult & { phases: { endToEnd: Stats } };

export function verifiedTimedResults(output: BenchOutput): TimedResult[] {
  return bulkResults(output).filter(
    (result): result is TimedResult => result.status === 'completed' && result.verified && (result.phases.endToEnd?.p50 ?? 0) > 0,
  );
}

/** One word for a result's outcome: only a verified completed case is "verified". */
export function statusLabel(result: BulkResult): string {
  if (result.status !== 'completed') return result.status;
  return result.verified ? 'verified' : 'NOT VERIFIED';
}

/** The machine and runtime on one line, as mitata prints it first. */
export function machineLine(context: RunContext): string {
  return (
    `cpu: ${context.cpu} (${context.cores} cores), memory: ${formatBytes(context.memoryBytes)}, ` +
    `kernel: ${context.kernel} (${context.platform}), runtime: Node ${context.node} (V8 ${context.v8}), date: ${context.date}`
  );
}

/** From this many repetitions the spread shown is p25–p75 (the interquartile range); below, min–max. */
export const QUARTILES_FROM_REPETITIONS = 5;
/** A case whose max / min over repetitions exceeds this is marked noisy. */
export const NOISY_MAX_OVER_MIN = 1.5;

/** What the spread beside every median is, in words (printed once per report). */
export const SPREAD_NOTE =
  `each median is followed by its spread in parentheses: min–max, or p25–p75 from ${QUARTILES_FROM_REPETITIONS} repetitions; ` +
  `"noisy" marks a case whose max/min exceeds ${NOISY_MAX_OVER_MIN}x; no outliers are trimmed`;

/** "0.123 (0.110–0.140)": the median and its spread; just the median for one repetition; "-" when absent. */
export function formatMedianSpread(summary: Stats | null | undefined, repetitions: number): string {
  if (!summary) return NOT_APPLICABLE;
  const range = spreadRange(summary, repetitions);
  if (range === undefined) return formatSeconds(summary.p50);
  const [low, high] = range;
  return `${formatSeconds(summary.p50)} (${formatSignificant(low)}–${formatSignificant(high)})`;
}

/** The spread formatMedianSpread shows: p25–p75 from QUARTILES_FROM_REPETITIONS repetitions, else min–max; none for one. */
export function spreadRange(summary: Stats, repetitions: number): [number, number] | undefined {
  if (repetitions < 2) return undefined;
  return repetitions >= QUARTILES_FROM_REPETITIONS ? [summary.p25, summary.p75] : [summary.min, summary.max];
}

/** formatMedianSpread in the unit that suits the median: "1.57 s (1.50–1.62)", "932 µs (910–990)". */
export function formatDurationSpread(summary: Stats | null | undefined, repetitions: number): string {
  return summary ? formatDurationRange(summary.p50, spreadRange(summary, repetitions)) : NOT_APPLICABLE;
}

/** The larger max/min of a result's end-to-end and whole job; undefined with fewer than 2 repetitions. */
export function maxOverMin(result: CompletedBulkResult): number | undefined {
  if (result.repetitions < 2) return undefined;
  const ratios = [result.phases.endToEnd, result.phases.wholeJob]
    .filter((summary): summary is Stats => summary !== null && summary.min > 0)
    .map((summary) => summary.max / summary.min);
  return ratios.length === 0 ? undefined : Math.max(...ratios);
}

export function isNoisy(result: CompletedBulkResult): boolean {
  return (maxOverMin(result) ?? 0) > NOISY_MAX_OVER_MIN;
}

export const KIND_LABELS: Record<CaseKind, string> = { copy: 'copy', handoff: 'hand-off', thread: 'thread' };

/** What a reader must know before trusting a row's figures: hand-off, noise, fewer repetitions than asked. */
export function resultNotes(result: CompletedBulkResult, context: Pick<RunContext, 'repeat' | 'budgetSeconds'>): string[] {
  const notes: string[] = [];
  if (result.copies === 0) notes.push('hand-off: nothing copied, end-to-end is the hand-off latency (no GB/s, no memcpy ratio); compare the whole job');
  const spread = maxOverMin(result);
  if (spread !== undefined && spread > NOISY_MAX_OVER_MIN) notes.push(`noisy: max/min ${formatRatio(spread)}`);
  if (result.repetitions < context.repeat) {
    const why = result.verified ? (context.budgetSeconds === null ? '' : ` (the ${context.budgetSeconds} s budget was used up)`) : ' (verification failed)';
    notes.push(`${result.repetitions} of ${context.repeat} repetitions${why}`);
  }
  return notes;
}

/** How the run was made: version, command, repetitions, per-case timeout. */
export function runLine(context: RunContext): string {
  return (
    `ipclab ${context.ipclabVersion}, command: ${context.command}; ${context.repeat} repetition(s) per case ` +
    `(times are medians)${context.budgetSeconds === null ? '' : `, fewer once a case has used ${context.budgetSeconds} s`}, ` +
    `timeout ${context.timeoutSeconds} s per case`
  );
}

/** Where the figures came from: commit (and whether the tree was dirty), addon build, Node flags. */
export function provenanceLine(context: RunContext): string {
  const commit = context.git === null ? 'not run from a git checkout' : `commit ${context.git.commit.slice(0, 12)}${context.git.dirty ? ' (dirty tree: uncommitted changes)' : ''}`;
  const flags = (list: readonly string[]) => (list.length === 0 ? 'none' : list.join(' '));
  return (
    `${commit}; addon: ${context.addon.build} build (${context.addon.path}); ` +
    `Node flags: harness ${flags(context.nodeFlags.harness)}, case processes ${flags(context.nodeFlags.cases)}` +
    (context.provenance ? `; ${machineProvenanceText(context.provenance)}` : '')
  );
}

/** CPU flags, huge pages, load and Python, as one clause (files before schema 3's provenance have none). */
function machineProvenanceText(provenance: NonNullable<RunContext['provenance']>): string {
  const { cpu, transparentHugePages: thp, loadAverage, python } = provenance;
  const load = (values: readonly number[]) => values.map((value) => value.toFixed(2)).join('/');
  return (
    `CPU flags: ${cpu.copyFlags.join(' ') || 'none of note'} (${cpu.flagCount} in all); ` +
    `THP ${thp.enabled ?? 'unknown'} (shmem ${thp.shmemEnabled ?? 'unknown'}, defrag ${thp.defrag ?? 'unknown'}); ` +
    `load average ${load(loadAverage.before)} before${loadAverage.after ? `, ${load(loadAverage.after)} after` : ''}` +
    (python ? `; Python ${python.version ?? 'unknown'}, numpy ${python.numpy ?? 'none'}${provenance.numpyMadviseHugepage === null ? '' : ` (NUMPY_MADVISE_HUGEPAGE=${provenance.numpyMadviseHugepage})`}` : '')
  );
}

/** The same-run yardsticks, one line per size: memcpy and the native reference. */
export function baselineLines(output: BenchOutput): string[] {
  return output.baselines.map((baseline) => {
    const bytes = baseline.bytes.toLocaleString('en-US');
    const memcpy =
      `memcpy of ${bytes} bytes: ${formatSeconds(baseline.freshSeconds.p50)} s into fresh memory (mmap + copy, clock stopped before munmap), ` +
      `${formatSeconds(baseline.warmSeconds.p50)} s into warm memory (medians)`;
    const floor = baseline.floor
      ? `; native reference: ${formatSeconds(baseline.floor.wholeJobSeconds.p50)} s whole job ` +
        `(one process maps a new reserved segment, populates and fills it in ${formatSeconds(baseline.floor.produceSeconds.p50)} s, another maps it, populates and reads every element in ${formatSeconds(baseline.floor.consumeSeconds.p50)} s)`
      : `; native reference: not measured (${baseline.floorError ?? 'no reason recorded'})`;
    return memcpy + floor;
  });
}

export interface Column {
  header: string;
  align: 'left' | 'right';
}

export interface ResultTable {
  columns: Column[];
  rows: string[][];
}

const RESULT_COLUMNS: Column[] = [
  { header: 'transport', align: 'left' },
  { header: 'stands for', align: 'left' },
  { header: 'kind', align: 'left' },
  { header: 'payload', align: 'left' },
  { header: 'codec', align: 'left' },
  { header: 'elements', align: 'right' },
  { header: 'send (s)', align: 'right' },
  { header: 'recv (s)', align: 'right' },
  { header: 'end-to-end (s)', align: 'right' },
  { header: 'whole job (s)', align: 'right' },
  { header: 'vs reference (x)', align: 'right' },
  { header: 'GB/s', align: 'right' },
  { header: 'vs memcpy, fresh (x)', align: 'right' },
  { header: 'status', align: 'left' },
  { header: 'constraint / remarks', align: 'left' },
];

export function transportInfo(id: TransportId, options: ReportOptions | undefined): TransportInfo | undefined {
  return options?.transports?.find((info) => info.id === id);
}

/** A failure's reason, or the row's notes (resultNotes), the transport's data constraint and a side's note. */
export function remarks(result: BulkResult, info: TransportInfo | undefined, context?: Pick<RunContext, 'repeat' | 'budgetSeconds'>): string {
  if (result.status !== 'completed') return result.reason;
  const notes = context ? resultNotes(result, context) : [];
  if (!result.verified) return [result.reason ?? 'verification failed', ...notes].join('; ');
  return [...notes, info?.constraint ?? '', result.note ?? ''].filter((text) => text !== '').join('; ');
}

/** One row per result with medians and their spread, as the terminal, Markdown and HTML tables show them. */
export function resultTable(output: BenchOutput, options?: ReportOptions): ResultTable {
  const rows = bulkResults(output).map((result) => {
    const info = transportInfo(result.transport, options);
    const completed = result.status === 'completed' ? result : undefined;
    const timed = (summary: Stats | null | undefined) => formatMedianSpread(summary, completed?.repetitions ?? 0);
    return [
      result.transport,
      info?.standsFor ?? NOT_APPLICABLE,
      completed ? KIND_LABELS[completed.kind] : NOT_APPLICABLE,
      result.payload,
      result.codec,
      formatElements(result.elements),
      timed(completed?.phases.send),
      timed(completed?.phases.recv),
      timed(completed?.phases.endToEnd),
      timed(completed?.phases.wholeJob),
      formatRatio(completed?.ratioToFloor),
      completed?.throughput ? formatSignificant(completed.throughput.gigabytesPerSecond) : NOT_APPLICABLE,
      formatRatio(completed?.ratioToMemcpy?.fresh),
      completed && completed.verified && isNoisy(completed) ? `${statusLabel(result)}, noisy` : statusLabel(result),
      remarks(result, info, output.context),
    ];
  });
  return { columns: RESULT_COLUMNS, rows };
}
