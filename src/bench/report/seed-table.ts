// The README's seed table: the original study's question (list(range(n)) moved from one process to
// another) answered in one run on this machine. Python's multiprocessing rows measured here sit
// beside the fastest Node transport for the same method, and ipclab's JS Array path is compared with
// ipc-advanced and every Python row, end to end. The published 2019 figures appear only as a
// labelled, sourced footnote.
import { IPCLAB_TRANSPORT_IDS, isOneOf, PYTHON_TRANSPORT_IDS, type PayloadId, type TransportId } from '../ids.js';
import { PYTHON_REFERENCE } from '../python-reference.js';
import { bulkResults, type BenchOutput, type BulkResult, type CompletedBulkResult } from '../results.js';
import { formatElements, formatRatio, formatSeconds, NOT_APPLICABLE } from './format.js';
import { markdownCell } from './markdown.js';
import { replaceSection } from './readme.js';

/**
 * Each method of the seed study and the Python transports that measure it here; its Node
 * counterparts are the published table's (python-reference.ts) unless `node` names them.
 */
export const SEED_ROWS: ReadonlyArray<{
  method: string;
  python: readonly TransportId[];
  node?: readonly TransportId[];
  /** A Python row compared with these Node transports only, on its own line (the file on the same filesystem). */
  pairs?: Partial<Record<TransportId, readonly TransportId[]>>;
}> = [
  { method: 'Queue', python: ['py-queue'] },
  { method: 'Pipe', python: ['py-pipe'] },
  { method: 'shared memory (mp.Array)', python: ['py-array', 'py-array-nolock'] },
  { method: 'Manager (list proxy)', python: ['py-manager'] },
  { method: 'RawArray + numpy', python: ['py-rawarray-numpy', 'py-rawarray'] },
  { method: 'File (pickle)', python: ['py-file', 'py-file-shm'], pairs: { 'py-file': ['file-tmp'], 'py-file-shm': ['file-shm'] } },
  { method: 'socket (pickle)', python: ['py-socket'] },
  { method: 'shared_memory (Python 3.8+; not in the 2019 study)', python: ['py-shared-memory'], node: ['shm', 'shm-zero-copy'] },
  { method: "ipclab's ShmChannel from Python (not in the 2019 study)", python: ['py-ipclab'], node: ['shm'] },
];

/** Rows whose list case does not end in a list, labelled where they appear and left out of "list in, list out" claims. */
const SEED_LABELS: Partial<Record<TransportId, string>> = {
  'py-rawarray-numpy': 'py-rawarray-numpy (receiver keeps the numpy array, as the seed did)',
  'py-rawarray': 'py-rawarray (list rebuilt with .tolist())',
  'py-file': 'py-file (temp dir, beside file-tmp)',
  'py-file-shm': 'py-file-shm (/dev/shm, beside file-shm)',
};
const NOT_A_LIST_OUT: readonly TransportId[] = ['py-rawarray-numpy'];

const REASON_CHARS = 70;

type Verified = CompletedBulkResult & { phases: { endToEnd: NonNullable<CompletedBulkResult['phases']['endToEnd']> } };

const endToEnd = (result: Verified) => result.phases.endToEnd.p50;

function isVerified(result: BulkResult | undefined): result is Verified {
  return result?.status === 'completed' && result.verified && result.phases.endToEnd !== null;
}

/**
 * The fastest verified copy between processes among `transports` for `payload`, by end-to-end
 * median: like with like, as every Python row copies (a hand-off's end-to-end is only a latency).
 */
export function fastest(results: readonly BulkResult[], transports: readonly TransportId[], payload: PayloadId): Verified | undefined {
  return results
    .filter((result): result is Verified => transports.includes(result.transport) && result.payload === payload && isVerified(result) && result.kind === 'copy')
    .sort((a, b) => endToEnd(a) - endToEnd(b))[0];
}

function shorten(text: string): string {
  return markdownCell(text.length > REASON_CHARS ? `${text.slice(0, REASON_CHARS)}...` : text);
}

/** send / recv / **end-to-end**, or what happened instead. */
function cell(result: BulkResult | undefined): string {
  if (!result) return 'not run';
  if (result.status !== 'completed') return `${result.status}: ${shorten(result.reason)}`;
  const { send, recv, endToEnd: e2e } = result.phases;
  const times = `${formatSeconds(send?.p50)} / ${formatSeconds(recv?.p50)} / **${formatSeconds(e2e?.p50)}**`;
  return result.verified ? times : `${times} (NOT verified: ${shorten(result.reason ?? '')})`;
}

/** The fastest Node row, as "transport/codec **seconds**". */
function nodeCell(result: Verified | undefined): string {
  return result ? `${result.transport}/${result.codec} **${formatSeconds(endToEnd(result))}**` : NOT_APPLICABLE;
}

/** The largest size that has Python rows, and the results at it. */
function seedSize(output: BenchOutput): { elements: number; results: BulkResult[] } | undefined {
  const python = bulkResults(output).filter((result) => isOneOf(PYTHON_TRANSPORT_IDS, result.transport));
  if (python.length === 0) return undefined;
  const elements = Math.max(...python.map((result) => result.elements));
  return { elements, results: bulkResults(output).filter((result) => result.elements === elements) };
}

/** Markdown: one row per Python transport, with the fastest Node transport for the same method. */
export function renderSeedTable(output: BenchOutput): string {
  const at = seedSize(output);
  if (!at) throw new RangeError('the run has no Python rows (py-*): record it with --python');
  const find = (transport: TransportId, payload: PayloadId) =>
    at.results.find((result) => result.transport === transport && result.payload === payload);
  const lines = [
    '| Python method | measured as | Python list: send / recv / **end-to-end** (s) | Python int32: send / recv / **end-to-end** (s) | fastest Node, JS Array (s) | fastest Node, Int32Array (s) |',
    '| --- | --- | ---: | ---: | --- | --- |',
  ];
  for (const row of SEED_ROWS) {
    const node = row.node ?? PYTHON_REFERENCE.find((reference) => reference.method === row.method)?.transports ?? [];
    row.python.forEach((id, index) => {
      const paired = row.pairs?.[id];
      const nodeFor = paired ?? node;
      const nodeCells = paired || index === 0 ? [nodeCell(fastest(at.results, nodeFor, 'array')), nodeCell(fastest(at.results, nodeFor, 'int32'))] : ['', ''];
      const cells = [index === 0 ? markdownCell(row.method) : '', markdownCell(SEED_LABELS[id] ?? id), cell(find(id, 'array')), cell(find(id, 'int32')), ...nodeCells];
      lines.push(`| ${cells.join(' | ')} |`);
    });
  }
  const notes = [...new Set(at.results.filter((result) => result.status === 'completed' && result.note).map((result) => (result as CompletedBulkResult).note!))];
  return [
    `Elements: ${formatElements(at.elements)}, moved once from one fresh process to another, every element verified; medians of the recorded repetitions. ` +
      'Python\'s "int32" is a numpy int32 array; "fastest Node" is the fastest verified Node transport that stands for the same method and copies between processes (hand-offs, whose end-to-end is only a latency, are left out).',
    ...notes.map((note) => `Note: ${markdownCell(note)}.`),
    '',
    ...lines,
    '',
  ].join('\n');
}

/** The published 2019 figures, as a footnote that says what they are. */
export function renderSeedFootnote(): string {
  const figures = PYTHON_REFERENCE.filter((row) => row.send !== '-')
    .map((row) => `${row.method} ${row.send} / ${row.recv}`)
    .join('; ');
  return (
    `Published figures, not measured here (Python 3.7, 2019, another machine; send / recv seconds for 10^8, only d[5]==5 checked): ${markdownCell(figures)}. ` +
    'Source: "I measured various methods of interprocess communication in multiprocessing of python3" (2019), typed into src/bench/python-reference.ts.'
  );
}

/** The seed table's claims, computed from the run: each a sentence with its figures. */
export function seedFindings(output: BenchOutput): string[] {
  const at = seedSize(output);
  if (!at) return [];
  const size = formatElements(at.elements);
  const findings: string[] = [];
  const own = fastest(at.results, IPCLAB_TRANSPORT_IDS, 'array');
  const advanced = fastest(at.results, ['ipc-advanced'], 'array');
  const pythonIds = SEED_ROWS.flatMap((row) => row.python).filter((id) => !NOT_A_LIST_OUT.includes(id));
  const python = fastest(at.results, pythonIds, 'array');
  if (own && advanced) {
    findings.push(
      `JS Array of ${size} in, JS Array out: ipclab's fastest path (${own.transport}/${own.codec}) takes ${formatSeconds(endToEnd(own))} s end to end, ` +
        `${formatRatio(endToEnd(advanced) / endToEnd(own))} faster than Node's process.send with advanced serialization (${formatSeconds(endToEnd(advanced))} s) in the same run.`,
    );
  }
  if (own && python) {
    const ratio = endToEnd(python) / endToEnd(own);
    const comparison = ratio >= 1 ? `ipclab's JS Array path is ${formatRatio(ratio)} faster` : `it is ${formatRatio(1 / ratio)} faster than ipclab's JS Array path at this size`;
    findings.push(`Python's fastest list → list row here is ${python.transport} (${formatSeconds(endToEnd(python))} s end to end); ${comparison}.`);
  }
  const floor = output.arrayFloors?.find((item) => item.elements === at.elements);
  if (own && floor) {
    const slower = Math.max(floor.materializeSeconds.p50, floor.castSeconds.p50);
    findings.push(
      `Floor in the same run: one process turning a local Int32Array of ${size} into a JS Array as the receiver does takes ${formatSeconds(floor.materializeSeconds.p50)} s, ` +
        `the sender's cast alone ${formatSeconds(floor.castSeconds.p50)} s; ipclab's path is ${formatRatio(endToEnd(own) / slower)} the slower of the two.`,
    );
  }
  return findings;
}

export const SEED_START = '<!-- seed:start -->';
export const SEED_END = '<!-- seed:end -->';

/** The README's seed section, markers included: findings, table, provenance, footnote. */
export function renderSeedSection(output: BenchOutput, resultsPath: string): string {
  return [
    SEED_START,
    ...seedFindings(output).map((finding) => `- ${finding}`),
    '',
    renderSeedTable(output).trimEnd(),
    '',
    `Measured ${output.context.date.slice(0, 10)} on ${output.context.cpu} (${output.context.cores} cores), Node ${output.context.node}. ` +
      `Reproduce: \`${output.context.command}\` (results: [${resultsPath}](${resultsPath})).`,
    '',
    renderSeedFootnote(),
    SEED_END,
  ].join('\n');
}

/** `readme` with its seed section replaced; throws when the markers are missing. */
export function replaceSeedSection(readme: string, section: string): string {
  return replaceSection(readme, SEED_START, SEED_END, section);
}

/** The results file a README's seed section names, or undefined when it names none. */
export function seedResultsPath(readme: string): string | undefined {
  const start = readme.indexOf(SEED_START);
  const end = readme.indexOf(SEED_END);
  if (start < 0 || end < start) return undefined;
  return /\(results: \[([^\]]+)\]/.exec(readme.slice(start, end))?.[1];
}
