// unix and tcp (Python's socket): one length-prefixed frame over a stream socket, in real processes.
import { describe, expect, it } from 'vitest';

import { describeEveryCombination, runVerifiedCase } from './support/transport-cases.js';

describeEveryCombination(['unix', 'tcp']);

describe('socket phases', () => {
  it.each(['unix', 'tcp'] as const)('%s with v8 encodes and decodes as steps of their own', async (transport) => {
    const result = await runVerifiedCase({ transport, payload: 'array', codec: 'v8' });
    expect(result.phases.encode).not.toBeNull();
    expect(result.phases.decode).not.toBeNull();
    expect(result.phases.cast).toBeNull();
  });
});
