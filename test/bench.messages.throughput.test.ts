// `--mode throughput` end to end at small counts: one side streams, the other checks every
// message; messages/s and GB/s come from the receiver's window, and the rows follow the schema.
import { describe, expect, it } from 'vitest';

import { messageTransportIds } from '../src/bench/messages/index.js';
import { runMessageBench } from '../src/bench/modes/messages.js';
import { messageResults, type ThroughputResult } from '../src/bench/results.js';
import { validateBenchOutput } from '../src/bench/schema.js';

describe('bench --mode throughput', () => {
  it('streams verified messages over every message path, the native ring included', { timeout: 240_000 }, async () => {
    const output = await runMessageBench({ mode: 'throughput', sizes: [70_000], messages: 40, warmup: 4, repeat: 1, timeoutSeconds: 60 });
    expect(validateBenchOutput(output)).toEqual([]);
    const rows = messageResults(output);
    expect(rows.map((row) => row.transport)).toEqual(messageTransportIds('throughput'));
    for (const row of rows) {
      expect({ transport: row.transport, status: row.status, reason: row.reason }).toEqual({ transport: row.transport, status: 'completed', reason: undefined });
      const stream = row as ThroughputResult;
      expect(stream.verified).toBe(true);
      expect(stream.gigabytesPerSecond.p50).toBeCloseTo((stream.messagesPerSecond.p50 * 70_000) / 1e9, 9);
      expect(stream.seconds.samples[0]).toBeGreaterThan(0);
    }
  });
});
