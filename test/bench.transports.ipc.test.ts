// ipc-json and ipc-advanced (Python's Queue): child_process IPC used as-is, in real processes.
import { describe, expect, it } from 'vitest';

import { runCase, unsupportedReason } from '../src/bench/modes/bulk.js';
import { describeEveryCombination, runVerifiedCase } from './support/transport-cases.js';

describeEveryCombination(['ipc-json', 'ipc-advanced']);

describe('ipc-json', () => {
  it('skips typed arrays, which JSON would turn into objects keyed by index', async () => {
    const result = await runCase({ transport: 'ipc-json', payload: 'int32', codec: 'json', elements: 10 }, { timeoutSeconds: 10 });
    expect(result.status).toBe('skipped');
    expect(result.reason).toMatch(/^ipc-json does not carry int32 payloads/);
  });

  it('ipc-advanced/raw casts a JS Array as shm/raw does and rebuilds it, so the two compare transports with one codec', async () => {
    const result = await runVerifiedCase({ transport: 'ipc-advanced', payload: 'array', codec: 'raw' });
    expect(result.phases.cast!.p50).toBeGreaterThan(0);
    expect(result.phases.decode!.p50).toBeGreaterThan(0);
    expect(result.copies).toBe(4);
    const typed = await runVerifiedCase({ transport: 'ipc-advanced', payload: 'int32', codec: 'raw' });
    expect(typed.phases.cast).toBeNull();
    expect(typed.copies).toBe(2);
  });

  it('serializes with JSON only', () => {
    expect(unsupportedReason({ transport: 'ipc-json', payload: 'array', codec: 'raw', elements: 10 })).toMatch(/^ipc-json does not use the raw codec/);
    expect(unsupportedReason({ transport: 'ipc-advanced', payload: 'array', codec: 'json', elements: 10 })).toMatch(/^ipc-advanced does not use the json codec/);
  });
});
