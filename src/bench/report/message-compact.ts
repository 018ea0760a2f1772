// The message-mode tables in the default terminal report, within its 120 columns: a spin column
// only when some row spun, "ok" for a verified row ("ok, noisy" for a noisy one), and the remarks said once below the table
// (once for all rows when they agree, else as numbered footnotes). `--wide` prints them whole.
import type { Column, ResultTable } from './format.js';

const SPIN_HEADER = 'spin (µs)';
const REMARKS_HEADER = 'remarks';
const STATUS_HEADER = 'status';
/** Shorter headers for the narrow table. */
const SHORT_HEADERS: Record<string, string> = { 'p50 vs native (x)': 'vs native', 'vs native GB/s (x)': 'vs native' };

export interface CompactMessageTable extends ResultTable {
  /** What the rows' remarks say, once: "every row: …", or "[1] …" footnotes. */
  notes: string[];
}

export function compactMessageTable(table: ResultTable): CompactMessageTable {
  const spin = table.columns.findIndex((column) => column.header === SPIN_HEADER);
  const remarks = table.columns.findIndex((column) => column.header === REMARKS_HEADER);
  const status = table.columns.findIndex((column) => column.header === STATUS_HEADER);
  const spun = spin !== -1 && table.rows.some((row) => row[spin] !== '-');
  const keep = table.columns.map((column, index) => index !== remarks && (index !== spin || spun));
  const texts = remarks === -1 ? [] : table.rows.map((row) => row[remarks]!);
  const shared = texts.length > 0 && texts.every((text) => text === texts[0]);
  const notes: string[] = shared ? [`every row: ${texts[0]}`] : [];
  const rows = table.rows.map((row, rowIndex) => {
    const cells = row.filter((_, index) => keep[index]);
    const at = keep.slice(0, status + 1).filter(Boolean).length - 1;
    if (status !== -1) {
      const word = row[status]!.replace(/^verified\b/, 'ok');
      const text = texts[rowIndex];
      const mark = shared || text === undefined || text === '' ? '' : ` [${notes.push(`[${notes.length + 1}] ${row[0]} ${row[1]}: ${text}`)}]`;
      cells[at] = `${word}${mark}`;
    }
    return cells;
  });
  const columns: Column[] = table.columns.filter((_, index) => keep[index]).map((column) => ({ ...column, header: SHORT_HEADERS[column.header] ?? column.header }));
  return { columns, rows, notes };
}
