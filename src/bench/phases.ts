// The phases of one bulk repetition, from both sides' marks (see MarkName in side.ts).
import type { PhaseTimes } from './results.js';
import type { SideReport } from './side.js';

function seconds(from: string | undefined, to: string | undefined): number | null {
  if (from === undefined || to === undefined) return null;
  return Number(BigInt(to) - BigInt(from)) / 1e9;
}

/** Turns both sides' timestamps into phase durations; a phase whose marks are missing is null. */
export function phaseTimes(sender: SideReport, receiver: SideReport): PhaseTimes {
  const s = sender.marks;
  const r = receiver.marks;
  const arrived = r.received ?? r.valueReady;
  // Bytes start moving after cast/encode, unless those were streamed (they overlap the transfer,
  // ending after the first bytes arrived): then the transfer counts from the start of the send.
  const prepared = s.handoff ?? s.encodeEnd ?? s.castEnd ?? s.sendStart;
  const streamed = prepared !== undefined && arrived !== undefined && BigInt(prepared) > BigInt(arrived);
  const handoff = streamed ? s.sendStart : prepared;
  const build = seconds(s.buildStart, s.buildEnd);
  const endToEnd = seconds(s.sendStart, r.valueReady);
  const consume = seconds(r.consumeStart, r.consumeEnd);
  return {
    build,
    cast: seconds(s.castStart, s.castEnd),
    encode: seconds(s.encodeStart, s.encodeEnd),
    send: seconds(s.sendStart, s.sendEnd),
    transfer: seconds(handoff, arrived),
    recv: seconds(r.firstByte ?? r.received ?? r.valueReady, r.valueReady),
    decode: seconds(r.decodeStart, r.decodeEnd),
    endToEnd,
    consume,
    verify: seconds(r.verifyStart, r.verifyEnd),
    // Produce + move + first full read; the barrier wait between build and send is left out.
    wholeJob: build === null || endToEnd === null || consume === null ? null : build + endToEnd + consume,
  };
}

/**
 * The warm hand-offs of one repetition (seconds each, in order), from the start the sender recorded
 * for each to the arrival the receiver recorded; the first `warmup` are dropped. Empty when the
 * transport made none.
 */
export function warmHandoffSeconds(sender: SideReport, receiver: SideReport, warmup: number): number[] {
  const starts = sender.warmHandoffNanos ?? [];
  const arrivals = receiver.warmHandoffNanos ?? [];
  if (starts.length !== arrivals.length) throw new Error(`the sender reported ${starts.length} warm hand-offs, the receiver ${arrivals.length}`);
  return starts.slice(warmup).map((start, index) => seconds(start, arrivals[index + warmup])!);
}
