// The shared-memory transports move 10^5 elements of every payload and codec they support,
// verified element by element by the receiver, in real processes.
import { describe, expect, it } from 'vitest';

import { describeEveryCombination, runVerifiedCase } from './support/transport-cases.js';

describeEveryCombination(['shm', 'shm-zero-copy', 'shm-element']);

describe('shared-memory phases', () => {
  it('shm-zero-copy hands an int32 payload over without a copy: no cast, no decode', async () => {
    const result = await runVerifiedCase({ transport: 'shm-zero-copy', payload: 'int32', codec: 'raw' });
    expect(result.phases.cast).toBeNull();
    expect(result.phases.decode).toBeNull();
    // The transfer is the commit reaching the receiver: some time, and part of end-to-end.
    expect(result.phases.transfer!.min).toBeGreaterThan(0);
    expect(result.phases.transfer!.max).toBeLessThanOrEqual(result.phases.endToEnd!.max);
    expect(result).toMatchObject({ kind: 'handoff', copies: 0, throughput: null });
  });

  it('shm streams an array: cast on the sender, the Array rebuilt on the receiver', async () => {
    const result = await runVerifiedCase({ transport: 'shm', payload: 'array', codec: 'raw' });
    expect(result.phases.cast).not.toBeNull();
    expect(result.phases.decode).not.toBeNull();
  });
});
