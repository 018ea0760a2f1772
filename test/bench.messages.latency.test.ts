// `--mode latency` end to end at small counts: every message path ping-pongs between two real
// processes (a worker for worker-clone), every message and echo is checked, the rows follow the
// schema, and nothing is left behind.
import { readdirSync } from 'node:fs';
import os from 'node:os';

import { describe, expect, it } from 'vitest';

import { messageTransportIds } from '../src/bench/messages/index.js';
import { runMessageBench } from '../src/bench/modes/messages.js';
import { messageResults, type LatencyResult } from '../src/bench/results.js';
import { validateBenchOutput } from '../src/bench/schema.js';

describe('bench --mode latency', () => {
  it('times verified round trips over every message path, native included', { timeout: 240_000 }, async () => {
    const output = await runMessageBench({ mode: 'latency', sizes: [1000], messages: 30, warmup: 5, repeat: 1, timeoutSeconds: 60 });
    expect(validateBenchOutput(output)).toEqual([]);
    expect(output.mode).toBe('latency');
    const rows = messageResults(output);
    expect(rows).toHaveLength(output.results.length);
    expect(rows.map((row) => row.transport)).toEqual(messageTransportIds('latency'));
    expect(output.trials).toHaveLength(rows.length);
    for (const row of rows) {
      expect({ transport: row.transport, status: row.status, reason: row.reason }).toEqual({ transport: row.transport, status: 'completed', reason: undefined });
      const latency = row as LatencyResult;
      expect(latency.verified).toBe(true);
      expect(latency.messageBytes).toBe(1000);
      const [p50, p90, p99, max] = (['p50', 'p90', 'p99', 'max'] as const).map((figure) => latency.roundTripSeconds[figure].p50);
      expect(0 < p50! && p50! <= p90! && p90! <= p99! && p99! <= max!).toBe(true);
      expect(latency.messagesPerSecond.p50).toBeGreaterThan(0);
      expect(latency.roundTripSeconds.p50.samples).toEqual([p50]);
    }
    const mine = `ipclab-${process.pid}-`;
    expect([...readdirSync(os.tmpdir()), ...readdirSync('/dev/shm')].filter((entry) => entry.startsWith(mine))).toEqual([]);
  });
});
