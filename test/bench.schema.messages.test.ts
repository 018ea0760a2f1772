// Latency and throughput outputs follow schema/bench-output.schema.json, and the schema rejects a
// row that lacks what its mode promises or carries figures it should not.
import { describe, expect, it } from 'vitest';

import { validateBenchOutput } from '../src/bench/schema.js';
import type { LatencyResult } from '../src/bench/results.js';
import { latencyFixture, throughputFixture } from './fixtures/message-output.js';

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe('the schema and message rows', () => {
  it('accepts latency and throughput outputs, failed rows included', () => {
    expect(validateBenchOutput(clone(latencyFixture))).toEqual([]);
    expect(validateBenchOutput(clone(throughputFixture))).toEqual([]);
  });

  it('rejects a latency row without round-trip times, and a failed row with figures', () => {
    const output = clone(latencyFixture) as unknown as { results: Array<Record<string, unknown>> };
    delete output.results[0]!.roundTripSeconds;
    output.results[3]!.messagesPerSecond = clone((latencyFixture.results[0] as LatencyResult).messagesPerSecond);
    expect(validateBenchOutput(output)).toEqual([
      "/results/0 must have required property 'roundTripSeconds'",
      '/results/3/messagesPerSecond must not be present on an errored or skipped result',
    ]);
  });

  it('rejects an unknown message transport and a throughput row with percentiles', () => {
    const output = clone(throughputFixture) as unknown as { results: Array<Record<string, unknown>> };
    output.results[0]!.transport = 'carrier-pigeon';
    const figure = (output.results[1] as { seconds: unknown }).seconds;
    output.results[1]!.roundTripSeconds = { p50: figure, p90: figure, p99: figure, max: figure };
    expect(validateBenchOutput(output)).toEqual([
      '/results/0/transport must be equal to one of the allowed values',
      '/results/1/roundTripSeconds must not be present on a throughput result',
    ]);
  });
});
