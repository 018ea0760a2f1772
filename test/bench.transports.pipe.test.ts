// pipe (Python's Pipe): one frame through the forked receiver's stdin, in real processes.
import { describe, expect, it } from 'vitest';

import { describeEveryCombination, runVerifiedCase } from './support/transport-cases.js';

describeEveryCombination(['pipe']);

describe('pipe phases', () => {
  it('raw casts an array on the sender and rebuilds it on the receiver', async () => {
    const result = await runVerifiedCase({ transport: 'pipe', payload: 'array', codec: 'raw' });
    expect(result.phases.cast).not.toBeNull();
    expect(result.phases.decode).not.toBeNull();
    expect(result.phases.encode).toBeNull();
  });

  it('json is streamed: no separate encode step, decoding while the bytes arrive', async () => {
    const result = await runVerifiedCase({ transport: 'pipe', payload: 'int32', codec: 'json' });
    expect(result.phases.encode).toBeNull();
    expect(result.phases.decode).not.toBeNull();
  });
});
