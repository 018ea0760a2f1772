// Node and Python on the two sides of one shared-memory segment, or of a ShmChannel (Python over
// libipclab), both ways, every element verified.
import { describe, expect, it } from 'vitest';

import { INTEROP_TRANSPORT_IDS } from '../src/bench/ids.js';
import { runCase } from '../src/bench/modes/bulk.js';
import { describeEveryCombination } from './support/transport-cases.js';

describeEveryCombination([...INTEROP_TRANSPORT_IDS]);

describe.each(INTEROP_TRANSPORT_IDS)('%s under a fault', (transport) => {
  it('catches one corrupted element', async () => {
    const result = await runCase({ transport, payload: 'array', codec: 'raw', elements: 1000, fault: 'corrupt' }, { timeoutSeconds: 30 });
    expect(result.status).toBe('completed');
    expect(result.verified).toBe(false);
    expect(result.reason).toMatch(/^verification failed: element 500 /);
  });
});
