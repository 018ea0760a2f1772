// Every message is checked: one wrong byte from the client makes the row completed but not
// verified, with the message named, in both modes, for a byte path and a text (JSON) path.
import { describe, expect, it } from 'vitest';

import { planMessageTrials, runMessageCase } from '../src/bench/modes/messages.js';
import type { MessageMode, MessageTransportId } from '../src/bench/ids.js';

const cases: Array<[MessageMode, MessageTransportId]> = [
  ['latency', 'shm'],
  ['latency', 'ipc-json'],
  ['throughput', 'shm'],
  ['throughput', 'unix'],
];

describe('message verification', () => {
  it.each(cases)('%s over %s catches one corrupted message', async (mode, transport) => {
    const [spec] = planMessageTrials({ mode, sizes: [64], transports: [transport], messages: 10, warmup: 2, fault: { transport, fault: 'corrupt' } });
    const result = await runMessageCase(spec!, { repeat: 1, timeoutSeconds: 30 });
    expect(result.status).toBe('completed');
    expect(result.verified).toBe(false);
    expect(result.reason).toMatch(/^verification failed: message 2 differs from its pattern/);
  });
});
