// The README's headline: each row of the Python multiprocessing table beside its Node counterparts
// at the largest size of a run, a JS Array and an Int32Array side by side, and the claims the README
// makes, each computed from the same run. Cross-kind claims use the whole job. The Python column is
// measured in the same run when the run has Python rows (--python); otherwise it is the published
// table, labelled as such.
import { IPCLAB_TRANSPORT_IDS, isOneOf, PYTHON_TRANSPORT_IDS, type CodecId, type PayloadId, type TransportId } from '../ids.js';
import { PYTHON_REFERENCE, PYTHON_REFERENCE_LABEL, PYTHON_REFERENCE_SOURCE } from '../python-reference.js';
import { bulkResults, type BenchOutput, type BulkResult, type CompletedBulkResult } from '../results.js';
import { formatElements, formatMedianSpread, formatRatio, formatSeconds, isNoisy, KIND_LABELS, NOT_APPLICABLE, SPREAD_NOTE } from './format.js';
import { markdownCell } from './markdown.js';
import { crossingClause, fewSamplesClause } from './ratio-range.js';
import { recordedRunSection, replaceSection } from './readme.js';
import { fastest, SEED_ROWS } from './seed-table.js';

const REASON_CHARS = 60;

/** A Markdown cell: **end-to-end** / whole job, each with its spread, or why there is none. */
function cell(result: BulkResult | undefined): string {
  if (!result) return NOT_APPLICABLE;
  if (result.status !== 'completed') {
    if (result.status === 'skipped') return 'skipped';
    const reason = result.reason.length > REASON_CHARS ? `${result.reason.slice(0, REASON_CHARS)}...` : result.reason;
    return `errored: ${markdownCell(reason)}`;
  }
  const { phases, repetitions } = result;
  const marks = [
    ...(result.copies === 0 ? ['hand-off'] : []),
    ...(isNoisy(result) ? ['noisy'] : []),
    ...(repetitions < 3 ? [`${repetitions} rep.`] : []),
  ];
  const times = `**${formatMedianSpread(phases.endToEnd, repetitions)}** / ${formatMedianSpread(phases.wholeJob, repetitions)}${marks.length ? ` (${marks.join(', ')})` : ''}`;
  return result.verified ? times : `${times} (NOT verified: ${markdownCell(result.reason ?? '')})`;
}

export function largestSize(output: BenchOutput): number {
  return Math.max(...bulkResults(output).map((result) => result.elements));
}

/** Markdown: one row per transport and codec, at the largest size in `output`. */
export function renderHeadline(output: BenchOutput): string {
  const elements = largestSize(output);
  const at = bulkResults(output).filter((result) => result.elements === elements);
  const find = (transport: TransportId, codec: CodecId, payload: PayloadId) =>
    at.find((result) => result.transport === transport && result.codec === codec && result.payload === payload);
  const measured = at.some((result) => isOneOf(PYTHON_TRANSPORT_IDS, result.transport));
  /** The fastest verified Python variant of a method in this run: list / numpy int32, end-to-end. */
  const measuredPython = (method: string) => {
    const ids = SEED_ROWS.find((row) => row.method === method)?.python ?? [];
    const seconds = (payload: PayloadId) => {
      const best = fastest(at, ids, payload);
      return best ? formatMedianSpread(best.phases.endToEnd, best.repetitions) : 'none verified';
    };
    return ids.length === 0 ? '- / -' : `${seconds('array')} / ${seconds('int32')}`;
  };
  const pythonHeader = measured ? 'Python, measured in this run: list / int32 end-to-end (s)' : `${PYTHON_REFERENCE_LABEL}: send / recv (s)`;
  const lines = [
    `| Python method | ${pythonHeader} | Node transport | kind | codec | JS Array: **end-to-end** / whole job (s) | Int32Array: **end-to-end** / whole job (s) | Int32Array whole job vs native reference | Int32Array end-to-end vs memcpy |`,
    '| --- | ---: | --- | --- | --- | ---: | ---: | ---: | ---: |',
  ];
  for (const row of PYTHON_REFERENCE) {
    let first = true;
    for (const transport of row.transports) {
      const codecs = [...new Set(at.filter((result) => result.transport === transport).map((result) => result.codec))];
      for (const codec of codecs) {
        const int32 = find(transport, codec, 'int32');
        const verifiedInt32 = int32?.status === 'completed' && int32.verified ? int32 : undefined;
        const kinds = [...new Set(at.filter((result): result is CompletedBulkResult => result.transport === transport && result.codec === codec && result.status === 'completed').map((result) => KIND_LABELS[result.kind]))];
        const python = first ? [markdownCell(row.method), measured ? measuredPython(row.method) : `${row.send} / ${row.recv}`] : ['', ''];
        const cells = [
          ...python,
          transport,
          kinds.join(', ') || NOT_APPLICABLE,
          codec,
          cell(find(transport, codec, 'array')),
          cell(int32),
          formatRatio(verifiedInt32?.ratioToFloor),
          formatRatio(verifiedInt32?.ratioToMemcpy?.fresh),
        ];
        lines.push(`| ${cells.join(' | ')} |`);
        first = false;
      }
    }
  }
  return (
    `Elements: ${formatElements(elements)}. Times are medians in seconds; ${SPREAD_NOTE}. ` +
    'End-to-end runs from the sender starting to move the payload until the receiver holds a usable one; for a hand-off (nothing copied) it is the hand-off latency. ' +
    "The whole job adds producing the payload and the receiver's first full read, and is what compares every kind of transport. " +
    '"vs native reference" divides the whole job by the native reference (the best C for the job: one process maps a new reserved shared memory segment, populates and fills it, another maps it read-only, populates and reads every element; measured right before each repetition of the row); ' +
    '"vs memcpy" divides end-to-end by a native memcpy of the same bytes into fresh pages, both measured in the same run; hand-offs copy nothing and get no memcpy ratio.\n\n' +
    `${lines.join('\n')}\n\n` +
    (measured
      ? "The Python column is measured in this run by ipclab's py-* transports (fastest verified variant of each method, every element checked); " +
        `the ${PYTHON_REFERENCE_LABEL} figures are not used here (source: ${PYTHON_REFERENCE_SOURCE}).\n`
      : `The Python column is ${PYTHON_REFERENCE_LABEL}, not measured here: ${PYTHON_REFERENCE_SOURCE}.\n`)
  );
}


type Timed = CompletedBulkResult & { phases: { endToEnd: NonNullable<CompletedBulkResult['phases']['endToEnd']> } };

function verifiedAt(output: BenchOutput, elements: number, payload: PayloadId): Timed[] {
  return bulkResults(output).filter(
    (result): result is Timed =>
      result.status === 'completed' && result.verified && result.elements === elements && result.payload === payload && result.phases.endToEnd !== null,
  );
}

/** What limits a ratio of two rows' end-to-end medians: ranges crossing 1, or too few repetitions. */
const claimLimits = (a: Timed, b: Timed) => `${crossingClause(a.phases.endToEnd, b.phases.endToEnd)}${fewSamplesClause(a.repetitions, b.repetitions)}`;

const timed = (result: CompletedBulkResult, phase: 'endToEnd' | 'wholeJob') => `${formatMedianSpread(result.phases[phase], result.repetitions)} s`;

/** The claims the README makes, computed from one run: each a sentence with its figures. */
export function headlineFindings(output: BenchOutput): string[] {
  const elements = largestSize(output);
  const size = formatElements(elements);
  const findings: string[] = [];
  const e2e = (result: Timed) => result.phases.endToEnd.p50;

  const arrays = verifiedAt(output, elements, 'array');
  const fastestOwnCopy = arrays.filter((result) => isOneOf(IPCLAB_TRANSPORT_IDS, result.transport) && result.kind === 'copy').sort((a, b) => e2e(a) - e2e(b))[0];
  const advancedRows = arrays.filter((result) => result.transport === 'ipc-advanced').sort((a, b) => e2e(a) - e2e(b));
  const advanced = advancedRows[0];
  if (fastestOwnCopy && advanced) {
    // The best paths may use different codecs; the same-codec ratio tells the transport's own share.
    const sameCodec = advancedRows.find((result) => result.codec === fastestOwnCopy.codec);
    const sameCodecClause =
      sameCodec && sameCodec !== advanced
        ? `; the same-codec ratio (against ipc-advanced/${sameCodec.codec}, ${timed(sameCodec, 'endToEnd')}) is ${formatRatio(e2e(sameCodec) / e2e(fastestOwnCopy))}${claimLimits(sameCodec, fastestOwnCopy)}`
        : '';
    findings.push(
      `JS Array of ${size} in, JS Array out, both copies between processes: ipclab's fastest (${fastestOwnCopy.transport}/${fastestOwnCopy.codec}) takes ${timed(fastestOwnCopy, 'endToEnd')} end-to-end, ` +
        `${formatRatio(e2e(advanced) / e2e(fastestOwnCopy))} faster than Node's process.send with advanced serialization at its fastest (ipc-advanced/${advanced.codec}, ${timed(advanced, 'endToEnd')})${claimLimits(advanced, fastestOwnCopy)}${sameCodecClause} in the same run.`,
    );
  }
  const typed = verifiedAt(output, elements, 'int32');
  const shm = typed.find((result) => result.transport === 'shm' && result.codec === 'raw');
  // The yardsticks measured in step with the row, else (older files) the run's.
  const baseline = shm?.yardsticks ?? output.baselines.find((item) => item.bytes === shm?.payloadBytes);
  if (shm && baseline) {
    findings.push(
      `Int32Array of ${size} copied into the receiver's own Int32Array: shm takes ${timed(shm, 'endToEnd')} end-to-end, ` +
        `${formatRatio(e2e(shm) / baseline.freshSeconds.p50)} a native memcpy of the same bytes into fresh pages (${formatSeconds(baseline.freshSeconds.p50)} s, clock stopped before munmap)` +
        `${crossingClause(shm.phases.endToEnd, baseline.freshSeconds)}${fewSamplesClause(shm.repetitions)}.`,
    );
  }
  const zeroCopy = typed.find((result) => result.transport === 'shm-zero-copy' && result.phases.wholeJob !== null);
  const floor = (zeroCopy?.yardsticks ?? output.baselines.find((item) => item.bytes === zeroCopy?.payloadBytes))?.floor;
  if (zeroCopy && floor) {
    findings.push(
      `Whole job for ${size} int32 (produce in the segment, hand off, first full read in the receiver): shm-zero-copy takes ${timed(zeroCopy, 'wholeJob')}, ` +
        `${formatRatio(zeroCopy.phases.wholeJob!.p50 / floor.wholeJobSeconds.p50)} the native reference (${formatSeconds(floor.wholeJobSeconds.p50)} s)` +
        `${crossingClause(zeroCopy.phases.wholeJob!, floor.wholeJobSeconds)}${fewSamplesClause(zeroCopy.repetitions)}; ` +
        (zeroCopy.handoffSeconds
          ? `the hand-off itself (nothing copied) takes ${formatSeconds(zeroCopy.handoffSeconds.cold.p50 * 1000)} ms the first (cold) time and ` +
            `${formatSeconds(zeroCopy.handoffSeconds.warm.p50 * 1e6)} µs warm (median of ${zeroCopy.handoffSeconds.warm.samples.length} after a warm-up).`
          : `the hand-off itself (nothing copied, the first and cold one) takes ${formatSeconds(e2e(zeroCopy) * 1000)} ms.`),
    );
  }
  return findings;
}

/** README markers around the generated section. */
export const README_RESULTS_START = '<!-- results:start -->';
export const README_RESULTS_END = '<!-- results:end -->';

/** The README's results section, generated from one recorded run named by its path in the repository. */
export function readmeResultsSection(output: BenchOutput, resultsPath: string): string {
  const markers = { start: README_RESULTS_START, end: README_RESULTS_END };
  return recordedRunSection(markers, headlineFindings(output), renderHeadline(output), output, resultsPath);
}

/** `readme` with its results section replaced. */
export function replaceReadmeResults(readme: string, section: string): string {
  return replaceSection(readme, README_RESULTS_START, README_RESULTS_END, section);
}
