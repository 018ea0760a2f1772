// The shared-memory transports move 10^5 elements of every payload and codec they support,
// verified element by element by the receiver, in real processes.
import { describe, expect, it } from 'vitest';

import { runCase } from '../src/bench/harness.js';
import { transportById } from '../src/bench/transports/index.js';
import type { TransportId } from '../src/bench/types.js';

const ELEMENTS = 100_000;

describe.each(['shm', 'shm-zero-copy', 'shm-element'] as TransportId[])('%s', (id) => {
  const transport = transportById(id)!;
  const combinations = transport.payloads.flatMap((payload) => transport.codecs.map((codec) => ({ payload, codec })));

  it.each(combinations)('moves 10^5 elements ($payload, $codec), every one verified', async ({ payload, codec }) => {
    const result = await runCase({ transport: id, payload, codec, elements: ELEMENTS }, { timeoutSeconds: 60 });
    expect(result.reason).toBeUndefined();
    expect(result.status).toBe('completed');
    expect(result.verified).toBe(true);
    if (result.status === 'completed') {
      expect(result.phases.endToEnd!.median).toBeGreaterThan(0);
      expect(result.phases.transfer!.median).toBeGreaterThanOrEqual(0);
    }
  });
});
