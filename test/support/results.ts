// Hand-made results for renderer, schema and report tests: every figure is invented. One builder
// for a completed case, one for a failed one, and a check that narrows a result by its status.
import { expect } from 'vitest';

import { BYTES_PER_ELEMENT } from '../../src/bench/payload.js';
import { phaseStats } from '../../src/bench/stats.js';
import type { CodecId, PayloadId, TransportId } from '../../src/bench/ids.js';
import type { CaseKind, BulkResult, CompletedBulkResult, MemcpyBaseline, PhaseTimes } from '../../src/bench/results.js';
import type { SideUsage } from '../../src/bench/side.js';

export const fixtureUsage = (maxRssBytes = 1, sharedProcess = false): SideUsage => ({
  maxRssBytes,
  userCpuSeconds: 0.05,
  systemCpuSeconds: 0.01,
  minorPageFaults: 1200,
  majorPageFaults: 0,
  sharedProcess,
});

export interface CaseFixture {
  transport: TransportId;
  payload: PayloadId;
  codec: CodecId;
  elements: number;
  /** End-to-end seconds of each repetition; the other phases follow from it (see `phases`). */
  endToEnd: readonly number[];
  /**
   * A repetition's phases from its end-to-end time, over the defaults: build a tenth of it, send
   * half, transfer 0.4, recv 0.6, encode 0.3 and decode 0.2 (not for raw), consume a fortieth,
   * verify a twentieth; the whole job is build + end-to-end + consume unless given.
   */
  phases?: (endToEnd: number) => Partial<PhaseTimes>;
  /** Default: a copy, with 2 copies; a hand-off has 0. */
  kind?: CaseKind;
  copies?: number;
  verified?: boolean;
  reason?: string;
  note?: string;
  /** The same-run yardsticks its ratios divide by; none: null ratios. */
  baseline?: MemcpyBaseline;
  sender?: SideUsage;
  receiver?: SideUsage;
}

function phasesOf(fixture: CaseFixture, endToEnd: number): PhaseTimes {
  const encoded = fixture.codec !== 'raw';
  const phases: PhaseTimes = {
    build: endToEnd / 10,
    cast: null,
    encode: encoded ? endToEnd * 0.3 : null,
    send: endToEnd * 0.5,
    transfer: endToEnd * 0.4,
    recv: endToEnd * 0.6,
    decode: encoded ? endToEnd * 0.2 : null,
    endToEnd,
    consume: endToEnd / 40,
    verify: endToEnd / 20,
    wholeJob: null,
    ...fixture.phases?.(endToEnd),
  };
  phases.wholeJob ??= phases.build! + endToEnd + phases.consume!;
  return phases;
}

/** A completed case as the harness would make it from these repetitions. */
export function completedResult(fixture: CaseFixture): CompletedBulkResult {
  const { transport, payload, codec, elements, baseline } = fixture;
  const payloadBytes = elements * BYTES_PER_ELEMENT[payload];
  const runs = fixture.endToEnd.map((seconds) => phasesOf(fixture, seconds));
  const phases = phaseStats(runs);
  const median = phases.endToEnd!.p50;
  const kind = fixture.kind ?? 'copy';
  const copies = fixture.copies ?? (kind === 'handoff' ? 0 : 2);
  const verified = fixture.verified ?? true;
  return {
    mode: 'bulk',
    transport,
    payload,
    codec,
    elements,
    payloadBytes,
    status: 'completed',
    verified,
    ...(fixture.reason === undefined ? {} : { reason: fixture.reason }),
    ...(fixture.note === undefined ? {} : { note: fixture.note }),
    repetitions: runs.length,
    phases,
    kind,
    copies,
    throughput: copies > 0 ? { gigabytesPerSecond: payloadBytes / median / 1e9, elementsPerSecond: elements / median } : null,
    sender: fixture.sender ?? fixtureUsage(),
    receiver: fixture.receiver ?? fixtureUsage(),
    ratioToMemcpy: copies > 0 && baseline ? { fresh: median / baseline.freshSeconds.p50, warm: median / baseline.warmSeconds.p50 } : null,
    ratioToFloor: baseline?.floor ? phases.wholeJob!.p50 / baseline.floor.wholeJobSeconds.p50 : null,
  };
}

/** An errored or skipped case. */
export function failedResult(
  status: 'errored' | 'skipped',
  spec: { transport: TransportId; payload: PayloadId; codec: CodecId; elements: number },
  reason: string,
): BulkResult {
  return { mode: 'bulk', ...spec, payloadBytes: spec.elements * BYTES_PER_ELEMENT[spec.payload], status, verified: false, reason };
}

/** Asserts a result's status, and narrows it to that kind of result. */
export function expectStatus<T extends { status: string }, S extends T['status']>(value: T, status: S): asserts value is Extract<T, { status: S }> {
  expect(value.status, (value as { reason?: string }).reason).toBe(status);
}
