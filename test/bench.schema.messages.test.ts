// Latency and throughput outputs follow schema/bench-output.schema.json, and the schema rejects a
// row that lacks what its mode promises or carries figures it should not.
import { describe, expect, it } from 'vitest';

import { validateBenchOutput } from '../src/bench/schema.js';
import { latencyFixture, throughputFixture } from './fixtures/message-output.js';

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe('the schema and message rows', () => {
  it('accepts latency and throughput outputs, failed rows included', () => {
    expect(validateBenchOutput(clone(latencyFixture))).toEqual([]);
    expect(validateBenchOutput(clone(throughputFixture))).toEqual([]);
  });

  it('rejects a latency row without round-trip times, and a failed row with figures', () => {
    const output = clone(latencyFixture) as unknown as { messageResults: Array<Record<string, unknown>> };
    delete output.messageResults[0]!.roundTripSeconds;
    output.messageResults[3]!.messagesPerSecond = 5;
    expect(validateBenchOutput(output)).toEqual([
      "/messageResults/0 must have required property 'roundTripSeconds'",
      '/messageResults/3/messagesPerSecond must not be present on an errored or skipped result',
    ]);
  });

  it('rejects an unknown message transport and a throughput row with percentiles', () => {
    const output = clone(throughputFixture) as unknown as { messageResults: Array<Record<string, unknown>> };
    output.messageResults[0]!.transport = 'carrier-pigeon';
    output.messageResults[1]!.roundTripSeconds = { p50: 1, p90: 1, p99: 1, max: 1 };
    const errors = validateBenchOutput(output);
    expect(errors).toContain('/messageResults/0/transport must be equal to one of the allowed values');
    expect(errors.filter((error) => error.startsWith('/messageResults/1/roundTripSeconds '))).toHaveLength(1);
  });
});
