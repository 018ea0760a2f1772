// A side that is done still delivers its last message: a 1 MiB echo or stream message is written
// in full before the side's process exits (Node queues large IPC and stream writes).
import { describe, expect, it } from 'vitest';

import { planMessageTrials, runMessageCase } from '../src/bench/modes/messages.js';
import type { MessageMode, MessageTransportId } from '../src/bench/ids.js';

const cases: Array<[MessageMode, MessageTransportId]> = [
  ['latency', 'ipc-json'],
  ['latency', 'ipc-advanced'],
  ['latency', 'pipe'],
  ['throughput', 'ipc-advanced'],
  ['throughput', 'unix'],
];

describe('the last message', () => {
  it.each(cases)('%s over %s arrives whole at 1 MiB', async (mode, transport) => {
    const [spec] = planMessageTrials({ mode, sizes: [2 ** 20], transports: [transport], messages: 4, warmup: 1 });
    const result = await runMessageCase(spec!, { repeat: 1, timeoutSeconds: 60 });
    expect({ status: result.status, reason: result.reason }).toEqual({ status: 'completed', reason: undefined });
    expect(result.verified).toBe(true);
  });
});
