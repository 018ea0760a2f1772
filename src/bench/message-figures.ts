// The figures of the message modes: each repetition's, from what its sides reported, and a row's,
// as Stats over its repetitions (the message mode makes them; a schema-2 file's rows are remade).
import type { LatencyResult, ThroughputResult } from './results.js';
import type { DriveOutcome, MessageCaseSpec, ServeOutcome } from './side.js';
import { quantile, statsOf } from './stats.js';

/**
 * A row is noisy when its repetitions' central figure (latency: each repetition's p50; throughput:
 * each repetition's GB/s) spreads by more than this, max over min: the bulk rows' rule.
 */
export const NOISY_MAX_OVER_MIN = 1.5;

export function isSpreadNoisy(values: readonly number[]): boolean {
  const positive = values.filter((value) => value > 0);
  if (positive.length < 2) return false;
  return Math.max(...positive) / Math.min(...positive) > NOISY_MAX_OVER_MIN;
}

/** One latency repetition: p50/p90/p99/max of its round trips (seconds), and its round trips per second. */
export interface LatencyRun {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  messagesPerSecond: number;
  /** Its round trips (seconds), sorted; kept in memory so that a row's percentiles pool every repetition's samples. */
  sortedSeconds?: number[];
}

/** One throughput repetition: its window (seconds), and messages and 10^9 bytes per second through it. */
export interface ThroughputRun {
  seconds: number;
  messagesPerSecond: number;
  gigabytesPerSecond: number;
}

/** p50/p90/p99/max (seconds) and round trips per second of one repetition's samples. */
export function latencyRun(roundTripNanos: readonly number[]): LatencyRun {
  if (roundTripNanos.length === 0) throw new RangeError('a latency run needs at least one round trip');
  const sorted = roundTripNanos.map((nanos) => nanos / 1e9).sort((a, b) => a - b);
  const total = sorted.reduce((sum, value) => sum + value, 0);
  return {
    p50: quantile(sorted, 0.5),
    p90: quantile(sorted, 0.9),
    p99: quantile(sorted, 0.99),
    max: sorted[sorted.length - 1]!,
    messagesPerSecond: sorted.length / total,
    sortedSeconds: sorted,
  };
}

/**
 * One throughput repetition: the window runs from the arrival of the last warm-up message (or,
 * without warm-up, the client's start) to the arrival of the last message, so it holds exactly
 * `messages` deliveries.
 */
export function throughputRun(spec: MessageCaseSpec, server: ServeOutcome, client: DriveOutcome): ThroughputRun {
  const start = server.windowStartNs ?? client.startNs;
  if (start === undefined || server.windowEndNs === undefined) throw new Error('the throughput sides reported no time window');
  const seconds = Number(BigInt(server.windowEndNs) - BigInt(start)) / 1e9;
  return {
    seconds,
    messagesPerSecond: spec.messages / seconds,
    gigabytesPerSecond: (spec.messages * spec.messageBytes) / seconds / 1e9,
  };
}

/** p50/p90/p99/max over every round trip of every repetition; undefined when a run kept no samples (files before schema 3's pooling). */
function pooledRoundTrips(runs: readonly LatencyRun[]): LatencyResult['pooledRoundTripSeconds'] {
  if (runs.length === 0 || runs.some((run) => run.sortedSeconds === undefined)) return undefined;
  const pooled = runs.flatMap((run) => run.sortedSeconds!).sort((a, b) => a - b);
  return { p50: quantile(pooled, 0.5), p90: quantile(pooled, 0.9), p99: quantile(pooled, 0.99), max: pooled[pooled.length - 1]!, count: pooled.length };
}

/** A latency row's figures over its repetitions. */
export function latencyStats(runs: readonly LatencyRun[]): Pick<LatencyResult, 'roundTripSeconds' | 'messagesPerSecond' | 'pooledRoundTripSeconds' | 'noisy'> {
  const pooled = pooledRoundTrips(runs);
  return {
    noisy: isSpreadNoisy(runs.map((run) => run.p50)),
    ...(pooled ? { pooledRoundTripSeconds: pooled } : {}),
    roundTripSeconds: {
      p50: statsOf(runs, (run) => run.p50),
      p90: statsOf(runs, (run) => run.p90),
      p99: statsOf(runs, (run) => run.p99),
      max: statsOf(runs, (run) => run.max),
    },
    messagesPerSecond: statsOf(runs, (run) => run.messagesPerSecond),
  };
}

/** A throughput row's figures over its repetitions. */
export function throughputStats(runs: readonly ThroughputRun[]): Pick<ThroughputResult, 'seconds' | 'messagesPerSecond' | 'gigabytesPerSecond' | 'noisy'> {
  return {
    noisy: isSpreadNoisy(runs.map((run) => run.gigabytesPerSecond)),
    seconds: statsOf(runs, (run) => run.seconds),
    messagesPerSecond: statsOf(runs, (run) => run.messagesPerSecond),
    gigabytesPerSecond: statsOf(runs, (run) => run.gigabytesPerSecond),
  };
}
