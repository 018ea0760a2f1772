// The README's headline: each row of the Python multiprocessing table beside its Node
// counterparts, a JS Array and an Int32Array side by side, at the largest size of a run.
import { PYTHON_REFERENCE } from '../python-reference.js';
import type { BenchOutput, CaseResult, CodecId, PayloadId, TransportId } from '../types.js';
import { formatElements, formatRatio, formatSeconds, NOT_APPLICABLE } from './format.js';
import { markdownCell } from './markdown.js';

const REASON_CHARS = 60;

/** A Markdown cell: send / recv / **end-to-end**, or why there is none. */
function cell(result: CaseResult | undefined): string {
  if (!result) return NOT_APPLICABLE;
  if (result.status === 'skipped') return 'skipped';
  if (result.status === 'errored') {
    const reason = result.reason.length > REASON_CHARS ? `${result.reason.slice(0, REASON_CHARS)}...` : result.reason;
    return `errored: ${markdownCell(reason)}`;
  }
  const phases = result.phases;
  const times = `${formatSeconds(phases.send?.median)} / ${formatSeconds(phases.recv?.median)} / **${formatSeconds(phases.endToEnd?.median)}**`;
  return result.verified ? times : `${times} (NOT verified: ${markdownCell(result.reason ?? '')})`;
}

/** Markdown: one row per transport and codec, at the largest size in `output`. */
export function renderHeadline(output: BenchOutput): string {
  const elements = Math.max(...output.results.map((result) => result.elements));
  const at = output.results.filter((result) => result.elements === elements);
  const find = (transport: TransportId, codec: CodecId, payload: PayloadId) =>
    at.find((result) => result.transport === transport && result.codec === codec && result.payload === payload);
  const lines = [
    `| Python method | Python send / recv (s) | Node transport | codec | JS Array: send / recv / **end-to-end** (s) | Int32Array: send / recv / **end-to-end** (s) | Int32Array end-to-end vs memcpy |`,
    '| --- | ---: | --- | --- | ---: | ---: | ---: |',
  ];
  for (const row of PYTHON_REFERENCE) {
    let first = true;
    for (const transport of row.transports) {
      const codecs = [...new Set(at.filter((result) => result.transport === transport).map((result) => result.codec))];
      for (const codec of codecs) {
        const int32 = find(transport, codec, 'int32');
        const ratio = int32?.status === 'completed' && int32.verified ? formatRatio(int32.ratioToMemcpy?.fresh) : NOT_APPLICABLE;
        const python = first ? [markdownCell(row.method), `${row.send} / ${row.recv}`] : ['', ''];
        const cells = [...python, transport, codec, cell(find(transport, codec, 'array')), cell(int32), ratio];
        lines.push(`| ${cells.join(' | ')} |`);
        first = false;
      }
    }
  }
  return `Elements: ${formatElements(elements)}. Times are medians of the recorded repetitions; "vs memcpy" divides by a native memcpy of the same bytes into fresh pages, measured in the same run.\n\n${lines.join('\n')}\n`;
}

/** ipclab's own transports: the native shared-memory ones. */
const OWN_TRANSPORTS: readonly TransportId[] = ['shm', 'shm-zero-copy', 'shm-element'];

function verifiedAt(output: BenchOutput, elements: number, payload: PayloadId) {
  return output.results.filter(
    (result): result is Extract<CaseResult, { status: 'completed' }> =>
      result.status === 'completed' && result.verified && result.elements === elements && result.payload === payload && result.phases.endToEnd !== null,
  );
}

/** The claims the README makes, computed from one run: each a sentence with its figures. */
export function headlineFindings(output: BenchOutput): string[] {
  const elements = Math.max(...output.results.map((result) => result.elements));
  const size = formatElements(elements);
  const findings: string[] = [];
  const e2e = (result: { phases: { endToEnd: { median: number } | null } }) => result.phases.endToEnd!.median;

  const arrays = verifiedAt(output, elements, 'array');
  const fastestOwn = arrays.filter((result) => OWN_TRANSPORTS.includes(result.transport)).sort((a, b) => e2e(a) - e2e(b))[0];
  const advanced = arrays.find((result) => result.transport === 'ipc-advanced');
  if (fastestOwn && advanced) {
    findings.push(
      `JS Array of ${size} in, JS Array out: ipclab's fastest path (${fastestOwn.transport}/${fastestOwn.codec}) takes ${formatSeconds(e2e(fastestOwn))} s end-to-end, ` +
        `${formatRatio(e2e(advanced) / e2e(fastestOwn))} faster than Node's process.send with advanced serialization (${formatSeconds(e2e(advanced))} s) in the same run.`,
    );
  }
  const typed = verifiedAt(output, elements, 'int32');
  const shm = typed.find((result) => result.transport === 'shm' && result.codec === 'raw');
  const baseline = output.baselines.find((item) => item.bytes === shm?.payloadBytes);
  if (shm && baseline) {
    findings.push(
      `Int32Array of ${size} into the receiver's own Int32Array: shm takes ${formatSeconds(e2e(shm))} s, ` +
        `${formatRatio(e2e(shm) / baseline.freshSeconds.median)} a native memcpy of the same bytes into fresh memory (${formatSeconds(baseline.freshSeconds.median)} s).`,
    );
  }
  const zeroCopy = typed.find((result) => result.transport === 'shm-zero-copy');
  if (zeroCopy?.phases.transfer) {
    findings.push(
      `shm-zero-copy hands ${size} int32 from the sender's commit to a usable view in the receiver in ${formatSeconds(zeroCopy.phases.transfer.median * 1000)} ms (transfer phase).`,
    );
  }
  return findings;
}
