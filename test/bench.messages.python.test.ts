// The throughput rows with Python on a side (--python): Node <-> Python over one ShmChannel
// (receive_many / send_many on the Python side) and Python's multiprocessing.Pipe as their
// yardstick, in real processes, every message checked, a corrupted one caught, and skipped with the
// reason where they cannot run.
import { afterEach, describe, expect, it } from 'vitest';

import { PYTHON_MESSAGE_TRANSPORT_IDS } from '../src/bench/ids.js';
import { messageTransportIds } from '../src/bench/messages/index.js';
import { planMessageTrials, runMessageBench, runMessageCase } from '../src/bench/modes/messages.js';
import { messageResults, type ThroughputResult } from '../src/bench/results.js';
import { validateBenchOutput } from '../src/bench/schema.js';
import { python, requires } from './support/requirements.js';

const TIMEOUT_SECONDS = 60;
const savedPython = process.env.IPCLAB_PYTHON;
afterEach(() => {
  if (savedPython === undefined) delete process.env.IPCLAB_PYTHON;
  else process.env.IPCLAB_PYTHON = savedPython;
});

describe('Python message rows', () => {
  it('stream verified messages at 8 B, 1 KiB and 64 KiB', { timeout: 120_000 }, async (context) => {
    requires(context, python);
    const output = await runMessageBench({ mode: 'throughput', sizes: [8, 1024, 65_536], transports: [...PYTHON_MESSAGE_TRANSPORT_IDS], messages: 600, warmup: 300, repeat: 1, timeoutSeconds: TIMEOUT_SECONDS });
    expect(validateBenchOutput(output)).toEqual([]);
    const rows = messageResults(output);
    expect(rows.map((row) => `${row.transport} ${row.messageBytes}`)).toEqual([8, 1024, 65_536].flatMap((size) => PYTHON_MESSAGE_TRANSPORT_IDS.map((id) => `${id} ${size}`)));
    for (const row of rows) {
      expect({ transport: row.transport, status: row.status, reason: row.reason, verified: row.verified }).toEqual({ transport: row.transport, status: 'completed', reason: undefined, verified: true });
      expect((row as ThroughputResult).messagesPerSecond.p50).toBeGreaterThan(0);
    }
  });

  it.for(PYTHON_MESSAGE_TRANSPORT_IDS)('%s catches one corrupted message, whichever language sent it', async (transport, context) => {
    requires(context, python);
    const [spec] = planMessageTrials({ mode: 'throughput', sizes: [64], transports: [transport], messages: 300, warmup: 10, fault: { transport, fault: 'corrupt' } });
    const result = await runMessageCase(spec!, { repeat: 1, timeoutSeconds: TIMEOUT_SECONDS });
    expect(result.status).toBe('completed');
    expect(result.verified).toBe(false);
    expect(result.reason).toBe('verification failed: message 10 differs from its pattern (64 bytes, expected 64 bytes)');
  });

  it('run in throughput mode only, only when asked for, and are skipped with the reason without python3', async () => {
    expect(messageTransportIds('throughput')).not.toContain('py-pipe');
    expect(messageTransportIds('throughput', true)).toEqual(expect.arrayContaining([...PYTHON_MESSAGE_TRANSPORT_IDS]));
    expect(messageTransportIds('latency', true)).not.toContain('py-pipe');
    const [latency] = planMessageTrials({ mode: 'latency', sizes: [8], transports: ['py-pipe'], messages: 10, warmup: 0 });
    expect(await runMessageCase(latency!, { repeat: 1, timeoutSeconds: TIMEOUT_SECONDS })).toMatchObject({ status: 'skipped', reason: 'py-pipe runs in throughput mode only' });
    process.env.IPCLAB_PYTHON = '/nonexistent/python3';
    for (const transport of PYTHON_MESSAGE_TRANSPORT_IDS) {
      const [spec] = planMessageTrials({ mode: 'throughput', sizes: [8], transports: [transport], messages: 10, warmup: 0 });
      expect(await runMessageCase(spec!, { repeat: 1, timeoutSeconds: TIMEOUT_SECONDS })).toMatchObject({ status: 'skipped', reason: '/nonexistent/python3 is not installed (not found on the PATH)' });
    }
  });
});
