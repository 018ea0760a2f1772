// Summaries as ratios (mitata's "41.2x faster than pipe"): for each payload, at the largest size
// where at least two cases completed and verified, the fastest end-to-end median against each other.
import type { BenchOutput, PayloadId } from '../types.js';
import { formatElements, formatRatio, formatSeconds, verifiedTimedResults, type TimedResult } from './format.js';

export interface Contender {
  /** The transport, with "/codec" when the same transport ran with several codecs at this size. */
  label: string;
  endToEndSeconds: number;
}

export interface Comparison {
  payload: PayloadId;
  elements: number;
  fastest: Contender;
  /** The others, fastest first, each with how many times slower it is than `fastest`. */
  slower: Array<Contender & { ratio: number }>;
}

function contenders(results: TimedResult[]): Contender[] {
  const codecsPerTransport = new Map<string, number>();
  for (const result of results) codecsPerTransport.set(result.transport, (codecsPerTransport.get(result.transport) ?? 0) + 1);
  return results
    .map((result) => ({
      label: codecsPerTransport.get(result.transport)! > 1 ? `${result.transport}/${result.codec}` : result.transport,
      endToEndSeconds: result.phases.endToEnd.median,
    }))
    .sort((a, b) => a.endToEndSeconds - b.endToEndSeconds);
}

export function compareFastest(output: BenchOutput): Comparison[] {
  const timed = verifiedTimedResults(output);
  const payloads = [...new Set(timed.map((result) => result.payload))];
  const comparisons: Comparison[] = [];
  for (const payload of payloads) {
    const sizes = [...new Set(timed.filter((result) => result.payload === payload).map((result) => result.elements))].sort((a, b) => b - a);
    for (const elements of sizes) {
      const group = timed.filter((result) => result.payload === payload && result.elements === elements);
      if (group.length < 2) continue;
      const [fastest, ...rest] = contenders(group);
      comparisons.push({
        payload,
        elements,
        fastest: fastest!,
        slower: rest.map((other) => ({ ...other, ratio: other.endToEndSeconds / fastest!.endToEndSeconds })),
      });
      break;
    }
  }
  return comparisons;
}

export const SUMMARY_TITLE = 'Summary (end-to-end medians of verified cases, at the largest size per payload)';

/** One sentence per pair: "shm-zero-copy 120x faster than ipc-advanced at 10^7 int32". */
export function summarySentences(output: BenchOutput): string[] {
  return compareFastest(output).flatMap((comparison) => {
    const where = `at ${formatElements(comparison.elements)} ${comparison.payload}`;
    return [
      `${comparison.fastest.label} is fastest ${where} (${formatSeconds(comparison.fastest.endToEndSeconds)} s)`,
      ...comparison.slower.map((other) => `${comparison.fastest.label} ${formatRatio(other.ratio)} faster than ${other.label} ${where}`),
    ];
  });
}
