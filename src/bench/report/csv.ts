// One CSV row per result (RFC 4180 quoting), with every phase median in seconds.
import { PHASE_NAMES } from '../ids.js';
import { bulkResults, messageResults, type BenchOutput, type BulkResult, type MessageResult } from '../results.js';
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
  'kind',
  'copies',
  ...PHASE_NAMES.map((phase) => `${phase}_median_s`),
  'gigabytes_per_s',
  'elements_per_s',
  'memcpy_ratio_fresh',
  'memcpy_ratio_warm',
  'floor_ratio',
  'sender_max_rss_bytes',
  'receiver_max_rss_bytes',
  'sender_cpu_s',
  'receiver_cpu_s',
];

function row(result: BulkResult, options: ReportOptions | undefined): Array<string | number | boolean | null | undefined> {
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
    result.kind,
    result.copies,
    ...PHASE_NAMES.map((phase) => result.phases[phase]?.p50),
    result.throughput?.gigabytesPerSecond,
    result.throughput?.elementsPerSecond,
    result.ratioToMemcpy?.fresh,
    result.ratioToMemcpy?.warm,
    result.ratioToFloor,
    result.sender.maxRssBytes,
    result.receiver.maxRssBytes,
    result.sender.userCpuSeconds + result.sender.systemCpuSeconds,
    result.receiver.userCpuSeconds + result.receiver.systemCpuSeconds,
  ];
}

/** Columns of latency and throughput rows; a column that does not apply to a row's mode is empty. */
export const MESSAGE_CSV_HEADERS: readonly string[] = [
  'mode',
  'transport',
  'message_bytes',
  'messages',
  'warmup',
  'spin_micros',
  'status',
  'verified',
  'reason',
  'repetitions',
  'p50_s',
  'p50_min_s',
  'p50_max_s',
  'p90_s',
  'p99_s',
  'max_s',
  'messages_per_s',
  'gigabytes_per_s',
  'gigabytes_per_s_min',
  'gigabytes_per_s_max',
  'client_cpu_s',
  'server_cpu_s',
];

function messageRow(result: MessageResult): Array<string | number | boolean | null | undefined> {
  const base = [result.mode, result.transport, result.messageBytes, result.messages, result.warmup, result.spinMicros, result.status, result.verified, result.reason];
  if (result.status !== 'completed') return base;
  const latency = result.mode === 'latency' ? result : undefined;
  const throughput = result.mode === 'throughput' ? result : undefined;
  return [
    ...base,
    result.repetitions,
    latency?.roundTripSeconds.p50.p50,
    latency?.roundTripSeconds.p50.min,
    latency?.roundTripSeconds.p50.max,
    latency?.roundTripSeconds.p90.p50,
    latency?.roundTripSeconds.p99.p50,
    latency?.roundTripSeconds.max.p50,
    result.messagesPerSecond.p50,
    throughput?.gigabytesPerSecond.p50,
    throughput?.gigabytesPerSecond.min,
    throughput?.gigabytesPerSecond.max,
    result.client.userCpuSeconds + result.client.systemCpuSeconds,
    result.server.userCpuSeconds + result.server.systemCpuSeconds,
  ];
}

function csvTable(headers: readonly string[], rows: Array<Array<string | number | boolean | null | undefined>>): string[] {
  return [
    headers.join(','),
    ...rows.map((fields) => {
      while (fields.length < headers.length) fields.push(undefined);
      return fields.map(csvField).join(',');
    }),
  ];
}

/** Bulk rows, or message rows for a latency or throughput run (a blank line between, should a file hold both). */
export function renderCsv(output: BenchOutput, options?: ReportOptions): string {
  const messages = messageResults(output);
  const tables: string[][] = [];
  if (bulkResults(output).length > 0 || messages.length === 0) tables.push(csvTable(CSV_HEADERS, bulkResults(output).map((result) => row(result, options))));
  if (messages.length > 0) tables.push(csvTable(MESSAGE_CSV_HEADERS, messages.map(messageRow)));
  return `${tables.map((lines) => lines.join('\n')).join('\n\n')}\n`;
}
