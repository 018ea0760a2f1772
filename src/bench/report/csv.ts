// One CSV row per result (RFC 4180 quoting), with every phase median in seconds.
import { PHASE_NAMES } from '../stats.js';
import type { BenchOutput, CaseResult } from '../types.js';
import { transportInfo, type ReportOptions } from './format.js';

/** Quotes a field when it holds a comma, a quote, a line break or edge spaces; doubles inner quotes. */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  // 12 significant digits keep every measured digit and drop binary noise (0.060000000000000005).
  const text = typeof value === 'number' ? String(Number(value.toPrecision(12))) : String(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Column headers; units are in the names (`_s` seconds, `_bytes`, `_per_s`). */
export const CSV_HEADERS: readonly string[] = [
  'transport',
  'stands_for',
  'payload',
  'codec',
  'elements',
  'payload_bytes',
  'status',
  'verified',
  'reason',
  'repetitions',
  ...PHASE_NAMES.map((phase) => `${phase}_median_s`),
  'gigabytes_per_s',
  'elements_per_s',
  'memcpy_ratio_fresh',
  'memcpy_ratio_warm',
  'sender_max_rss_bytes',
  'receiver_max_rss_bytes',
  'sender_cpu_s',
  'receiver_cpu_s',
];

function row(result: CaseResult, options: ReportOptions | undefined): Array<string | number | boolean | null | undefined> {
  const base = [
    result.transport,
    transportInfo(result.transport, options)?.standsFor,
    result.payload,
    result.codec,
    result.elements,
    result.payloadBytes,
    result.status,
    result.verified,
    result.reason,
  ];
  if (result.status !== 'completed') return base;
  return [
    ...base,
    result.repetitions,
    ...PHASE_NAMES.map((phase) => result.phases[phase]?.median),
    result.throughput.gigabytesPerSecond,
    result.throughput.elementsPerSecond,
    result.ratioToMemcpy?.fresh,
    result.ratioToMemcpy?.warm,
    result.sender.maxRssBytes,
    result.receiver.maxRssBytes,
    result.sender.userCpuSeconds + result.sender.systemCpuSeconds,
    result.receiver.userCpuSeconds + result.receiver.systemCpuSeconds,
  ];
}

export function renderCsv(output: BenchOutput, options?: ReportOptions): string {
  const lines = [CSV_HEADERS.join(',')];
  for (const result of output.results) {
    const fields = row(result, options);
    while (fields.length < CSV_HEADERS.length) fields.push(undefined);
    lines.push(fields.map(csvField).join(','));
  }
  return `${lines.join('\n')}\n`;
}
