// What a run does where the command line says nothing, and the largest case it takes: each said once.
import type { MessageMode, PayloadId } from './ids.js';

/** Repetitions of every case, and the time each may take, in every mode. */
export const REPETITION_DEFAULTS = { repeat: 3, timeoutSeconds: 120 } as const;

/** The bulk mode's sizes (elements) and payloads. */
export const BULK_DEFAULTS: { readonly sizes: readonly number[]; readonly payloads: readonly PayloadId[] } = {
  sizes: [1e3, 1e5, 1e6],
  payloads: ['array', 'int32'],
};

/** The message modes' sizes, bytes: 8 B, 1 KiB, 64 KiB, 1 MiB. */
export const MESSAGE_SIZES: readonly number[] = [8, 1024, 64 * 1024, 1024 * 1024];

/**
 * Messages per repetition when --messages is not given: enough for a stable p99 at small sizes,
 * capped by bytes moved at large ones so the default latency run stays under two minutes.
 * Throughput: 200,000 up to 1 KiB (a window of 0.1 s at two million messages a second; at 20,000 the
 * fastest paths measured 10 ms windows, which a 1 ms garbage collection or a late JIT tier moved by
 * 2-5x between runs), fewer above that (256 MiB moved).
 */
export function defaultMessageCount(mode: MessageMode, messageBytes: number): number {
  return mode === 'latency'
    ? Math.min(2000, Math.max(16, Math.floor(2 ** 24 / messageBytes)))
    : Math.min(THROUGHPUT_MESSAGES, Math.max(64, Math.floor(2 ** 28 / messageBytes)));
}

const THROUGHPUT_MESSAGES = 200_000;

/**
 * Warm-up when --warmup is not given. Latency: 3,000 round trips up to 4 KiB (fewer as messages
 * grow, 16 MiB of warm-up at most), and never less than a tenth of the measured count: measured
 * here, V8 needs about 3,000 round trips to optimise a side's code, and before that a small
 * message's round trip is set by unoptimised JS rather than by the path. Throughput: a tenth of
 * the messages, and at least 5,000 or 256 MiB of them (at most 20,000): 8-byte streams here ran
 * 5-10x below their steady rate for the first 5,000-10,000 messages, while both sides' code was
 * still being optimised, and a 64 KiB stream measured 3.5 GB/s after 410 warm-up messages and
 * 5-5.8 GB/s after 4,000.
 */
export function defaultWarmup(mode: MessageMode, messages: number, messageBytes: number): number {
  if (mode === 'throughput') {
    return Math.min(THROUGHPUT_MESSAGES / 10, Math.max(Math.ceil(messages / 10), Math.min(5000, Math.floor(2 ** 28 / Math.max(1, messageBytes)))));
  }
  return Math.max(Math.ceil(messages / 10), Math.min(3000, Math.floor(2 ** 24 / Math.max(1, messageBytes))));
}

/** `ipclab profile`: one case, and how many functions to list per side. */
export const PROFILE_DEFAULTS: { readonly payload: PayloadId; readonly elements: number; readonly top: number; readonly timeoutSeconds: number } = {
  payload: 'int32',
  elements: 1e6,
  top: 12,
  timeoutSeconds: REPETITION_DEFAULTS.timeoutSeconds,
};

/** The largest JS Array (and the cap put on typed arrays too): 2^32 - 1 elements. */
export const MAX_ELEMENTS = 2 ** 32 - 1;

/** The largest message the message modes send (one record of the largest ShmChannel ring, a frame's length field: both hold it). */
export const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;
