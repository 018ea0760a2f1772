// The results at a glance, for the default terminal table and the HTML page: one narrow row per
// case, each time in the unit that suits it with its spread beside it, and what would otherwise
// repeat on every row said once below: failures and notes as numbered footnotes, and each
// transport's constraint on data once per transport. `--wide` shows the full table instead.
import { bulkResults, type BenchOutput } from '../results.js';
import {
  caseLabel,
  formatDurationSpread,
  formatElements,
  formatRatio,
  isNoisy,
  KIND_LABELS,
  NOT_APPLICABLE,
  resultNotes,
  transportInfo,
  type Column,
  type ReportOptions,
} from './format.js';

export interface CompactTable {
  columns: Column[];
  rows: string[][];
  /** Per row: whether it failed (errored, skipped or not verified). */
  failed: boolean[];
  /** "[n] text", in the order the rows point at them. */
  footnotes: string[];
  /** Each transport in the run once, with its constraint on data. */
  constraints: Array<{ transport: string; constraint: string }>;
}

const COLUMNS: Column[] = [
  { header: 'transport', align: 'left' },
  { header: 'data', align: 'left' },
  { header: 'n', align: 'right' },
  { header: 'kind', align: 'left' },
  { header: 'end-to-end', align: 'right' },
  { header: 'whole job', align: 'right' },
  { header: 'vs ref', align: 'right' },
  { header: 'status', align: 'left' },
];

/** What the kinds and columns mean, said once under the table. */
export const COMPACT_LEGEND =
  'data: payload/codec; n: elements; kind: copy (bytes copied between processes), hand-off (the receiver reads what the ' +
  'sender made; end-to-end is the hand-off latency), thread (worker threads); whole job: produce + move + first full read; ' +
  'vs ref: whole job over the native reference for the same bytes (measured in step)';

export function compactTable(output: BenchOutput, options?: ReportOptions): CompactTable {
  const footnotes: string[] = [];
  const footnote = (text: string) => {
    footnotes.push(`[${footnotes.length + 1}] ${text}`);
    return ` [${footnotes.length}]`;
  };
  const rows = bulkResults(output).map((result) => {
    const where = `${caseLabel(result)} at ${formatElements(result.elements)}`;
    const cells = [result.transport, `${result.payload}/${result.codec}`, formatElements(result.elements)];
    if (result.status !== 'completed') {
      return [...cells, NOT_APPLICABLE, NOT_APPLICABLE, NOT_APPLICABLE, NOT_APPLICABLE, `${result.status}${footnote(`${where}: ${result.reason}`)}`];
    }
    // The hand-off explanation is in the legend and "noisy" in the status; other notes go to a footnote.
    const notes = resultNotes(result, output.context)
      .slice(result.copies === 0 ? 1 : 0)
      .filter((note) => !note.startsWith('noisy'));
    if (!result.verified) notes.unshift(result.reason ?? 'verification failed');
    const status = !result.verified ? 'WRONG' : isNoisy(result) ? 'noisy' : 'ok';
    return [
      ...cells,
      KIND_LABELS[result.kind],
      formatDurationSpread(result.phases.endToEnd, result.repetitions),
      formatDurationSpread(result.phases.wholeJob, result.repetitions),
      formatRatio(result.ratioToFloor),
      notes.length === 0 ? status : `${status}${footnote(`${where}: ${notes.join('; ')}`)}`,
    ];
  });
  const transports = [...new Set(bulkResults(output).map((result) => result.transport))];
  return {
    columns: COLUMNS,
    rows,
    failed: bulkResults(output).map((result) => result.status !== 'completed' || !result.verified),
    footnotes,
    constraints: transports.map((transport) => ({ transport, constraint: transportInfo(transport, options)?.constraint ?? NOT_APPLICABLE })),
  };
}

/** Words of `text` in lines of at most `width` characters; later lines start with `indent`. */
export function wrapText(text: string, width: number, indent = '    '): string[] {
  const lines: string[] = [];
  const lead = /^ */.exec(text)![0];
  let line = lead;
  for (const word of text.slice(lead.length).split(/ +/)) {
    const candidate = line.trim() === '' ? `${line}${word}` : `${line} ${word}`;
    if (candidate.length > width && line.trim() !== '') {
      lines.push(line);
      line = `${indent}${word}`;
    } else {
      line = candidate;
    }
  }
  if (line.trim() !== '') lines.push(line);
  // A single word longer than the width (a long path) is cut where the width ends.
  return lines.flatMap((text) => {
    const pieces = [text.slice(0, width)];
    for (let at = width; at < text.length; at += width - indent.length) pieces.push(`${indent}${text.slice(at, at + width - indent.length)}`);
    return pieces;
  });
}
