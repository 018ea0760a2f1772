// Progress of `ipclab bench` on stderr: one line per case. On a terminal the line appears when
// the case starts and is completed in place when it ends; elsewhere only finished lines print.
import type { ProgressEvent } from '../bench/modes/bulk.js';
import type { MessageProgressEvent } from '../bench/modes/messages.js';
import { caseLabel, formatElements, formatSeconds } from '../bench/report/format.js';
import { formatMicros, messageCaseLabel } from '../bench/report/messages.js';

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

function outcome(event: ProgressEvent): string {
  const result = event.result!;
  if (result.status !== 'completed') return `${result.status}: ${result.reason}`;
  const endToEnd = `end-to-end ${formatSeconds(result.phases.endToEnd?.p50)} s`;
  return result.verified ? `verified, ${endToEnd}` : `NOT VERIFIED (${result.reason ?? 'verification failed'}), ${endToEnd}`;
}

/** A ProgressEvent handler writing to `stream`; events carry a 0-based index. */
export function progressPrinter(stream: ProgressStream): (event: ProgressEvent) => void {
  return (event) => {
    const head = `[${event.index + 1}/${event.total}] ${caseLabel(event.spec)} ${formatElements(event.spec.elements)}`;
    const elapsed = `(elapsed ${event.elapsedSeconds.toFixed(1)} s)`;
    if (event.result === undefined) {
      if (stream.isTTY) stream.write(`${head} ... ${elapsed}`);
      return;
    }
    stream.write(`${stream.isTTY ? '\r\x1b[K' : ''}${head}: ${outcome(event)} ${elapsed}\n`);
  };
}

function messageOutcome(event: MessageProgressEvent): string {
  const result = event.result!;
  if (result.status !== 'completed') return `${result.status}: ${result.reason}`;
  const figure =
    result.mode === 'latency'
      ? `p50 ${formatMicros(result.roundTripSeconds.p50.p50)} µs, p99 ${formatMicros(result.roundTripSeconds.p99.p50)} µs`
      : `${formatSeconds(result.gigabytesPerSecond.p50)} GB/s, ${Math.round(result.messagesPerSecond.p50).toLocaleString('en-US')} messages/s`;
  return result.verified ? `verified, ${figure}` : `NOT VERIFIED (${result.reason ?? 'verification failed'}), ${figure}`;
}

/** The same, for latency and throughput runs. */
export function messageProgressPrinter(stream: ProgressStream): (event: MessageProgressEvent) => void {
  return (event) => {
    const head = `[${event.index + 1}/${event.total}] ${messageCaseLabel(event.spec)}`;
    const elapsed = `(elapsed ${event.elapsedSeconds.toFixed(1)} s)`;
    if (event.result === undefined) {
      if (stream.isTTY) stream.write(`${head} ... ${elapsed}`);
      return;
    }
    stream.write(`${stream.isTTY ? '\r\x1b[K' : ''}${head}: ${messageOutcome(event)} ${elapsed}\n`);
  };
}
