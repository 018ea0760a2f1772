// The rows of latency and throughput runs, as one table model every renderer prints, and the
// ratios their summaries quote: each path against the native reference and against Node's
// process.send (ipc-json) at the same size, in the same run.
import { messageResults, type BenchOutput, type LatencyResult, type MessageResult, type Stats, type ThroughputResult } from '../results.js';
import type { MessageCaseSpec } from '../side.js';
import { formatBytes, formatRatio, formatSignificant, NOT_APPLICABLE, type Column, type ResultTable } from './format.js';
import { crossingClause, fewSamplesClause } from './ratio-range.js';
import { recordedRunSection } from './readme.js';

/** Seconds as microseconds, three significant digits. */
export function formatMicros(seconds: number): string {
  return formatSignificant(seconds * 1e6);
}

/** "shm 8 B latency", how progress lines name a message case. */
export function messageCaseLabel(spec: Pick<MessageCaseSpec, 'transport' | 'messageBytes' | 'mode' | 'spinMicros'>): string {
  return `${spec.transport} ${formatBytes(spec.messageBytes)} ${spec.mode}${spec.spinMicros === null ? '' : ` (spin ${spec.spinMicros} µs)`}`;
}

/** "14.4 (13.9–15.1)": the median with the min and max over repetitions beside it. */
function withSpread(summary: Stats, format: (value: number) => string): string {
  return summary.min === summary.max ? format(summary.p50) : `${format(summary.p50)} (${format(summary.min)}–${format(summary.max)})`;
}

const rate = (value: number) => Math.round(value).toLocaleString('en-US');

function messageStatus(result: MessageResult): string {
  if (result.status !== 'completed') return result.status;
  return `${result.verified ? 'verified' : 'NOT VERIFIED'}${result.noisy ? ', noisy' : ''}`;
}

/** p90/p99/max over every round trip of every repetition pooled; older files have only the median of each repetition's. */
function tailFigure(result: LatencyResult, quantile: 'p90' | 'p99' | 'max'): number {
  return result.pooledRoundTripSeconds?.[quantile] ?? result.roundTripSeconds[quantile].p50;
}

function messageRemarks(result: MessageResult): string {
  if (result.status !== 'completed' || !result.verified) return result.reason ?? 'verification failed';
  return `${result.messages.toLocaleString('en-US')} messages after ${result.warmup.toLocaleString('en-US')} warm-up, ${result.repetitions} repetition(s)`;
}

export const isLatency = (result: MessageResult): result is LatencyResult => result.status === 'completed' && result.mode === 'latency';
export const isThroughput = (result: MessageResult): result is ThroughputResult => result.status === 'completed' && result.mode === 'throughput';

/** The verified completed row of `transport` at `messageBytes` (and the same spin setting), if any. */
export function findMessageRow<R extends LatencyResult | ThroughputResult>(
  results: readonly MessageResult[],
  pick: (result: MessageResult) => result is R,
  transport: string,
  messageBytes: number,
): R | undefined {
  return results.find((result): result is R => pick(result) && result.verified && result.transport === transport && result.messageBytes === messageBytes);
}

const LATENCY_COLUMNS: Column[] = [
  { header: 'transport', align: 'left' },
  { header: 'message', align: 'right' },
  { header: 'spin (µs)', align: 'right' },
  { header: 'p50 (µs), min–max', align: 'right' },
  { header: 'p90 (µs)', align: 'right' },
  { header: 'p99 (µs)', align: 'right' },
  { header: 'max (µs)', align: 'right' },
  { header: 'round trips/s', align: 'right' },
  { header: 'p50 vs native (x)', align: 'right' },
  { header: 'status', align: 'left' },
  { header: 'remarks', align: 'left' },
];

const THROUGHPUT_COLUMNS: Column[] = [
  { header: 'transport', align: 'left' },
  { header: 'message', align: 'right' },
  { header: 'spin (µs)', align: 'right' },
  { header: 'messages/s', align: 'right' },
  { header: 'GB/s, min–max', align: 'right' },
  { header: 'vs native GB/s (x)', align: 'right' },
  { header: 'status', align: 'left' },
  { header: 'remarks', align: 'left' },
];

/** One table per mode present in the output (a run holds one mode; a merged file may hold both). */
export function messageTables(output: BenchOutput): Array<ResultTable & { mode: 'latency' | 'throughput'; results: MessageResult[] }> {
  const all = messageResults(output);
  const tables: Array<ResultTable & { mode: 'latency' | 'throughput'; results: MessageResult[] }> = [];
  const latency = all.filter((result) => result.mode === 'latency');
  if (latency.length > 0) {
    const rows = latency.map((result) => {
      const done = isLatency(result) ? result : undefined;
      const native = done && findMessageRow(all, isLatency, 'native', result.messageBytes);
      return [
        result.transport,
        formatBytes(result.messageBytes),
        result.spinMicros === null ? NOT_APPLICABLE : String(result.spinMicros),
        done ? withSpread(done.roundTripSeconds.p50, formatMicros) : NOT_APPLICABLE,
        done ? formatMicros(tailFigure(done, 'p90')) : NOT_APPLICABLE,
        done ? formatMicros(tailFigure(done, 'p99')) : NOT_APPLICABLE,
        done ? formatMicros(tailFigure(done, 'max')) : NOT_APPLICABLE,
        done ? rate(done.messagesPerSecond.p50) : NOT_APPLICABLE,
        done && native ? formatRatio(done.roundTripSeconds.p50.p50 / native.roundTripSeconds.p50.p50) : NOT_APPLICABLE,
        messageStatus(result),
        messageRemarks(result),
      ];
    });
    tables.push({ mode: 'latency', columns: LATENCY_COLUMNS, rows, results: latency });
  }
  const throughput = all.filter((result) => result.mode === 'throughput');
  if (throughput.length > 0) {
    const rows = throughput.map((result) => {
      const done = isThroughput(result) ? result : undefined;
      const native = done && findMessageRow(all, isThroughput, 'native', result.messageBytes);
      return [
        result.transport,
        formatBytes(result.messageBytes),
        result.spinMicros === null ? NOT_APPLICABLE : String(result.spinMicros),
        done ? rate(done.messagesPerSecond.p50) : NOT_APPLICABLE,
        done ? withSpread(done.gigabytesPerSecond, (value) => formatSignificant(value)) : NOT_APPLICABLE,
        done && native ? formatRatio(done.gigabytesPerSecond.p50 / native.gigabytesPerSecond.p50) : NOT_APPLICABLE,
        messageStatus(result),
        messageRemarks(result),
      ];
    });
    tables.push({ mode: 'throughput', columns: THROUGHPUT_COLUMNS, rows, results: throughput });
  }
  return tables;
}

/** The title each renderer gives a mode's table. */
export const MESSAGE_TABLE_TITLES = {
  latency:
    'Latency: round trips between two processes (p50: median over repetitions, min–max beside it; p90, p99 and max: over every round trip of every repetition pooled; noisy: repetitions\' p50s spread over 1.5x)',
  throughput: 'Throughput: a stream of messages, each checked by the receiver (medians over repetitions; noisy: repetitions\' GB/s spread over 1.5x)',
} as const;

export const MESSAGE_SUMMARY_TITLE = 'Ratios at each message size (p50 or GB/s medians, same run)';

/** The ratios the issue asks about, per size: shm against native and against process.send (json). */
export function messageSummarySentences(output: BenchOutput): string[] {
  const all = messageResults(output);
  const sentences: string[] = [];
  const sizes = [...new Set(all.map((result) => result.messageBytes))].sort((a, b) => a - b);
  for (const bytes of sizes) {
    const shm = findMessageRow(all, isLatency, 'shm', bytes);
    const native = findMessageRow(all, isLatency, 'native', bytes);
    const json = findMessageRow(all, isLatency, 'ipc-json', bytes);
    if (shm && (native || json)) {
      const p50 = (result: LatencyResult) => result.roundTripSeconds.p50.p50;
      const against = (other: LatencyResult) =>
        `${crossingClause(shm.roundTripSeconds.p50, other.roundTripSeconds.p50)}${fewSamplesClause(shm.repetitions, other.repetitions)}${other.noisy ? ' [noisy]' : ''}`;
      const parts = [
        native && `${formatRatio(p50(shm) / p50(native))} the native reference (${formatMicros(p50(native))} µs)${against(native)}`,
        json && `${formatRatio(p50(shm) / p50(json))} process.send with JSON (${formatMicros(p50(json))} µs)${against(json)}`,
      ].filter(Boolean);
      const spin = shm.spinMicros === null ? '' : ` (spinning ${shm.spinMicros} µs)`;
      sentences.push(`${formatBytes(bytes)} round trip, p50: ShmChannel${spin} ${formatMicros(p50(shm))} µs${shm.noisy ? ' [noisy]' : ''} is ${parts.join(' and ')}.`);
    }
    const shmStream = findMessageRow(all, isThroughput, 'shm', bytes);
    const ring = findMessageRow(all, isThroughput, 'native', bytes);
    if (shmStream && ring) {
      sentences.push(
        `${formatBytes(bytes)} stream: ShmChannel ${formatSignificant(shmStream.gigabytesPerSecond.p50)} GB/s is ` +
          `${formatSignificant((shmStream.gigabytesPerSecond.p50 / ring.gigabytesPerSecond.p50) * 100)}% of the native ring (${formatSignificant(ring.gigabytesPerSecond.p50)} GB/s)` +
          `${crossingClause(shmStream.gigabytesPerSecond, ring.gigabytesPerSecond)}${fewSamplesClause(shmStream.repetitions, ring.repetitions)}` +
          `${shmStream.noisy || ring.noisy ? ' [noisy]' : ''}.`,
      );
    }
  }
  return sentences;
}

/**
 * The README's latency table from a recorded `--mode latency` run: one row per path, p50 / p99 in
 * µs at each size (min–max of p50 over repetitions beside it), and the 8-byte p50 against native.
 */
export function renderLatencyHeadline(output: BenchOutput): string {
  const rows = messageResults(output).filter((result) => result.mode === 'latency');
  const sizes = [...new Set(rows.map((result) => result.messageBytes))].sort((a, b) => a - b);
  const transports = [...new Set(rows.map((result) => `${result.transport}\u0000${result.spinMicros ?? ''}`))];
  const smallest = sizes[0];
  const header = [
    'path',
    'spin (µs)',
    ...sizes.map((bytes) => `${formatBytes(bytes)}: p50 (min–max) / p99 (µs)`),
    ...(smallest === undefined ? [] : [`${formatBytes(smallest)} p50 vs native`]),
  ];
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map((_, index) => (index < 2 ? '---' : '---:')).join(' | ')} |`];
  for (const key of transports) {
    const [transport, spin] = key.split('\u0000') as [string, string];
    const at = (bytes: number) => rows.find((result) => result.transport === transport && String(result.spinMicros ?? '') === spin && result.messageBytes === bytes);
    const cells = sizes.map((bytes) => {
      const result = at(bytes);
      if (!result) return NOT_APPLICABLE;
      if (!isLatency(result)) return `${result.status}: ${result.reason}`;
      const figure = `${withSpread(result.roundTripSeconds.p50, formatMicros)} / ${formatMicros(tailFigure(result, 'p99'))}`;
      return result.verified ? figure : `${figure} (NOT verified)`;
    });
    const first = smallest === undefined ? undefined : at(smallest);
    const native = smallest === undefined ? undefined : findMessageRow(rows, isLatency, 'native', smallest);
    const ratio = first && native && isLatency(first) && first.verified ? formatRatio(first.roundTripSeconds.p50.p50 / native.roundTripSeconds.p50.p50) : NOT_APPLICABLE;
    lines.push(`| ${[`\`${transport}\``, spin === '' ? NOT_APPLICABLE : spin, ...cells, ...(smallest === undefined ? [] : [ratio])].join(' | ')} |`);
  }
  return `${lines.join('\n')}\n`;
}

/** README markers around the latency section. */
export const README_LATENCY_START = '<!-- latency:start -->';
export const README_LATENCY_END = '<!-- latency:end -->';

/** The README's latency section, generated from one recorded `--mode latency` run named by its path in the repository. */
export function readmeLatencySection(output: BenchOutput, resultsPath: string): string {
  const markers = { start: README_LATENCY_START, end: README_LATENCY_END };
  return recordedRunSection(markers, messageSummarySentences(output), renderLatencyHeadline(output), output, resultsPath);
}
