// --spin-micros reaches ipclab's own paths and the native reference: their rows run verified and
// carry the setting; a value the library refuses becomes an errored row with the library's reason.
import { describe, expect, it } from 'vitest';

import { runMessageBench } from '../src/bench/modes/messages.js';
import { messageResults } from '../src/bench/results.js';

describe('message modes with spinning', () => {
  it('passes spinMicros to shm, shm-value, semaphore and native', { timeout: 120_000 }, async () => {
    const output = await runMessageBench({
      mode: 'latency',
      sizes: [8],
      transports: ['shm', 'shm-value', 'semaphore', 'native'],
      messages: 20,
      warmup: 2,
      spinMicros: 20,
      repeat: 1,
      timeoutSeconds: 60,
    });
    expect(messageResults(output).map((row) => [row.transport, row.status, row.verified, row.spinMicros])).toEqual([
      ['shm', 'completed', true, 20],
      ['shm-value', 'completed', true, 20],
      ['semaphore', 'completed', true, 20],
      ['native', 'completed', true, 20],
    ]);
  });

  it('reports a spin the library refuses as an errored row saying why', async () => {
    const output = await runMessageBench({ mode: 'latency', sizes: [8], transports: ['shm'], messages: 5, warmup: 0, spinMicros: 2_000_000, repeat: 1, timeoutSeconds: 30 });
    const [row] = messageResults(output);
    expect(row!.status).toBe('errored');
    expect(row!.reason).toMatch(/spinMicros must be an integer number of microseconds from 0 to 1000000, got 2000000/);
  });
});
