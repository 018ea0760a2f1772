// Registers the standard transport test: every payload and codec a transport declares, 10^5
// elements moved through runCase in real processes and verified element by element.
import { describe, expect, it } from 'vitest';

import { runCase } from '../../src/bench/modes/bulk.js';
import { transportById } from '../../src/bench/transports/index.js';
import type { TransportId } from '../../src/bench/ids.js';
import type { CompletedBulkResult } from '../../src/bench/results.js';
import type { CaseSpec } from '../../src/bench/side.js';

export const CASE_ELEMENTS = 100_000;
const CASE_TIMEOUT_SECONDS = 30;

/** Runs one case and asserts that it completed with every element verified. */
export async function runVerifiedCase(spec: Omit<CaseSpec, 'elements'> & { elements?: number }, timeoutSeconds = CASE_TIMEOUT_SECONDS): Promise<CompletedBulkResult> {
  const result = await runCase({ elements: CASE_ELEMENTS, ...spec }, { timeoutSeconds });
  expect(result.reason).toBeUndefined();
  expect(result.status).toBe('completed');
  expect(result.verified).toBe(true);
  return result as CompletedBulkResult;
}

export function describeEveryCombination(ids: TransportId[]): void {
  describe.each(ids)('%s', (id) => {
    const transport = transportById(id)!;
    const combinations = transport.payloads.flatMap((payload) => transport.codecs.map((codec) => ({ payload, codec })));
    it.each(combinations)('moves 10^5 elements ($payload, $codec), every one verified', async ({ payload, codec }) => {
      const result = await runVerifiedCase({ transport: id, payload, codec });
      expect(result.phases.endToEnd!.p50).toBeGreaterThan(0);
    });
  });
}
