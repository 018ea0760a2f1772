// Node and Python on the two sides of one shared-memory segment, both ways, every element verified.
import { describe, expect, it } from 'vitest';

import { runCase } from '../src/bench/modes/bulk.js';
import { describeEveryCombination } from './support/transport-cases.js';

describeEveryCombination(['interop-node-to-py', 'interop-py-to-node']);

describe.each(['interop-node-to-py', 'interop-py-to-node'] as const)('%s under a fault', (transport) => {
  it('catches one corrupted element', async () => {
    const result = await runCase({ transport, payload: 'array', codec: 'raw', elements: 1000, fault: 'corrupt' }, { timeoutSeconds: 30 });
    expect(result.status).toBe('completed');
    expect(result.verified).toBe(false);
    expect(result.reason).toMatch(/^verification failed: element 500 /);
  });
});
