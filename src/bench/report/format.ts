// Number, size and label formatting shared by every renderer, and the one table model that the
// terminal, Markdown and HTML renderers print in their own syntax.
import type { BenchOutput, CaseResult, CompletedResult, RunContext, Summary, Transport, TransportId } from '../types.js';

/** What a report needs to know about a transport beyond its results (the registry supplies it). */
export type TransportInfo = Pick<Transport, 'id' | 'standsFor' | 'constraint'>;

export interface ReportOptions {
  /** Transport metadata for the "stands for" and constraint columns; unknown ids print as "-". */
  transports?: readonly TransportInfo[];
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

/** A median with its min-max range in the median's unit: "1.23 ms (1.10-1.40)"; "-" when absent. */
export function formatSpread(summary: Summary | null | undefined): string {
  if (!summary) return NOT_APPLICABLE;
  const [unit, scale] = summary.median === 0 ? (['s', 1] as [string, number]) : durationUnit(summary.median);
  const value = (seconds: number) => formatSignificant(seconds / scale);
  return `${value(summary.median)} ${unit} (${value(summary.min)}-${value(summary.max)})`;
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
export function caseLabel(spec: Pick<CaseResult, 'transport' | 'payload' | 'codec'>): string {
  return `${spec.transport} ${spec.payload}/${spec.codec}`;
}

/** A completed, verified result with a positive end-to-end median: what charts and ratios use. */
export type TimedResult = CompletedResult & { phases: { endToEnd: { median: number } } };

export function verifiedTimedResults(output: BenchOutput): TimedResult[] {
  return output.results.filter(
    (result): result is TimedResult => result.status === 'completed' && result.verified && (result.phases.endToEnd?.median ?? 0) > 0,
  );
}

/** One word for a result's outcome: only a verified completed case is "verified". */
export function statusLabel(result: CaseResult): string {
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

/** How the run was made: version, command, repetitions, per-case timeout. */
export function runLine(context: RunContext): string {
  return (
    `ipclab ${context.ipclabVersion}, command: ${context.command}; ${context.repeat} repetition(s) per case ` +
    `(times are medians, no outliers trimmed)${context.budgetSeconds === null ? '' : `, fewer once a case has used ${context.budgetSeconds} s`}, ` +
    `timeout ${context.timeoutSeconds} s per case`
  );
}

/** The same-run memcpy baselines, one line each. */
export function baselineLines(output: BenchOutput): string[] {
  return output.baselines.map(
    (baseline) =>
      `memcpy of ${baseline.bytes.toLocaleString('en-US')} bytes: ${formatSeconds(baseline.freshSeconds.median)} s into fresh memory, ` +
      `${formatSeconds(baseline.warmSeconds.median)} s into warm memory (medians)`,
  );
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
  { header: 'payload', align: 'left' },
  { header: 'codec', align: 'left' },
  { header: 'elements', align: 'right' },
  { header: 'send (s)', align: 'right' },
  { header: 'recv (s)', align: 'right' },
  { header: 'end-to-end (s)', align: 'right' },
  { header: 'GB/s', align: 'right' },
  { header: 'vs memcpy, fresh (x)', align: 'right' },
  { header: 'status', align: 'left' },
  { header: 'constraint / remarks', align: 'left' },
];

export function transportInfo(id: TransportId, options: ReportOptions | undefined): TransportInfo | undefined {
  return options?.transports?.find((info) => info.id === id);
}

/** A failure's reason, or the transport's data constraint for a verified case. */
export function remarks(result: CaseResult, info: TransportInfo | undefined): string {
  if (result.status !== 'completed') return result.reason;
  if (!result.verified) return result.reason ?? 'verification failed';
  return info?.constraint ?? '';
}

/** One row per result with medians, as the terminal, Markdown and HTML tables show them. */
export function resultTable(output: BenchOutput, options?: ReportOptions): ResultTable {
  const rows = output.results.map((result) => {
    const info = transportInfo(result.transport, options);
    const completed = result.status === 'completed' ? result : undefined;
    return [
      result.transport,
      info?.standsFor ?? NOT_APPLICABLE,
      result.payload,
      result.codec,
      formatElements(result.elements),
      formatSeconds(completed?.phases.send?.median),
      formatSeconds(completed?.phases.recv?.median),
      formatSeconds(completed?.phases.endToEnd?.median),
      completed?.throughput ? formatSignificant(completed.throughput.gigabytesPerSecond) : NOT_APPLICABLE,
      formatRatio(completed?.ratioToMemcpy?.fresh),
      statusLabel(result),
      remarks(result, info),
    ];
  });
  return { columns: RESULT_COLUMNS, rows };
}
