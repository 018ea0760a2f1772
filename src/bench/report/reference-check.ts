// The check every bulk run makes of its native reference: the reference is written to be the
// best a C programmer would do for the job (native/core/segment_reference.hpp), so a row whose
// whole job takes less than REFERENCE_BEATEN_BELOW of the reference's, measured in step with it,
// means the reference is not a floor on this machine today (or the row skipped work). Each such
// row gets a warning naming both.
import type { BenchOutput, CompletedBulkResult } from '../results.js';
import { bulkResults } from '../results.js';
import { caseLabel, formatElements, formatSeconds } from './format.js';

/** A row is flagged when its whole job is below this fraction of the native reference's (beats it by more than 10%). */
export const REFERENCE_BEATEN_BELOW = 0.9;

type Checked = CompletedBulkResult & { ratioToFloor: number };

/** The verified rows that beat the native reference by more than 10%, in run order. */
export function rowsBeatingReference(output: Pick<BenchOutput, 'results'>): Checked[] {
  return bulkResults(output).filter(
    (result): result is Checked => result.status === 'completed' && result.verified && result.ratioToFloor !== null && result.ratioToFloor < REFERENCE_BEATEN_BELOW,
  );
}

/** One warning per row that beats the native reference by more than 10%, naming both. */
export function referenceWarnings(output: Pick<BenchOutput, 'results' | 'baselines'>): string[] {
  return rowsBeatingReference(output).map((result) => {
    const reference = (result.yardsticks ?? output.baselines.find((baseline) => baseline.bytes === result.payloadBytes))?.floor;
    const referenceSeconds = reference ? ` (${formatSeconds(reference.wholeJobSeconds.p50)} s)` : '';
    const beatenBy = Math.round((1 - result.ratioToFloor) * 100);
    return (
      `WARNING: ${caseLabel(result)} at ${formatElements(result.elements)} beats the native reference${referenceSeconds} by ${beatenBy}%: ` +
      `its whole job takes ${formatSeconds(result.phases.wholeJob?.p50)} s, ${result.ratioToFloor.toFixed(3)}x the reference's, so the reference is not a floor here (or the row skipped work).`
    );
  });
}
