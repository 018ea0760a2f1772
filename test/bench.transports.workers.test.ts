// worker-clone, worker-transfer and worker-sab: the receiver in a worker thread of the sender's process.
import { describe, expect, it } from 'vitest';

import { unsupportedReason } from '../src/bench/modes/bulk.js';
import { describeEveryCombination, runVerifiedCase } from './support/transport-cases.js';

describeEveryCombination(['worker-clone', 'worker-transfer', 'worker-sab']);

describe('worker phases', () => {
  it.each(['worker-transfer', 'worker-sab'] as const)('%s casts an array to int32 first and rebuilds it in the worker', async (transport) => {
    const result = await runVerifiedCase({ transport, payload: 'array', codec: 'raw' });
    expect(result.phases.cast).not.toBeNull();
    expect(result.phases.decode).not.toBeNull();
    expect(result.sender.sharedProcess).toBe(true);
  });

  it('worker-clone copies with structured clone only', () => {
    expect(unsupportedReason({ transport: 'worker-clone', payload: 'int32', codec: 'raw', elements: 10 })).toBe(
      'worker-clone does not use the raw codec (it uses v8)',
    );
  });
});
