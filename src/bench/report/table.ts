// The terminal table, read like the Python post's: context first, one row per case, then ratios.
// By default at most 120 columns (hyperfine's and mitata's habit): narrow rows, units per value,
// notes and constraints once below; `--wide` prints every column and note on its row.
import type { BenchOutput } from '../results.js';
import { COMPACT_LEGEND, compactTable, wrapText } from './compact.js';
import {
  baselineLines,
  formatDuration,
  machineLine,
  provenanceLine,
  resultTable,
  runLine,
  SPREAD_NOTE,
  type Column,
  type ReportOptions,
} from './format.js';
import { compactMessageTable } from './message-compact.js';
import { MESSAGE_SUMMARY_TITLE, MESSAGE_TABLE_TITLES, messageSummarySentences, messageTables } from './messages.js';
import { referenceWarnings } from './reference-check.js';
import { SUMMARY_TITLE, summarySentences } from './summaries.js';
import { VERDICT_TITLE, verdictSentences } from './verdict.js';

/** Pads every column to its widest cell; the last column is left unpadded (it holds free text). */
export function alignColumns(columns: readonly Column[], rows: readonly string[][]): string[] {
  const lines = [columns.map((column) => column.header), ...rows];
  const widths = columns.map((_, index) => Math.max(...lines.map((cells) => (cells[index] ?? '').length)));
  const render = (cells: readonly string[]) =>
    cells
      .map((cell, index) => {
        if (index === cells.length - 1) return cell;
        return columns[index]!.align === 'right' ? cell.padStart(widths[index]!) : cell.padEnd(widths[index]!);
      })
      .join('  ')
      .trimEnd();
  const rule = widths.map((width, index) => '-'.repeat(index === widths.length - 1 ? columns[index]!.header.length : width)).join('  ');
  return [render(lines[0]!), rule, ...rows.map(render)];
}

/** Every column, every note on its row: as wide as the content. */
function renderWideTable(output: BenchOutput, options?: ReportOptions): string {
  const { columns, rows } = resultTable(output, options);
  const summary = summarySentences(output, 'seconds');
  const messageSummary = messageSummarySentences(output);
  const messages = messageTables(output);
  const lines = [
    machineLine(output.context),
    runLine(output.context),
    provenanceLine(output.context),
    ...baselineLines(output),
    ...referenceWarnings(output),
    `Times in seconds; ${SPREAD_NOTE}.`,
    '',
    ...(rows.length > 0 ? alignColumns(columns, rows) : messages.length > 0 ? [] : ['(no results)']),
    ...messages.flatMap((table, index) => [...(index > 0 || rows.length > 0 ? [''] : []), `${MESSAGE_TABLE_TITLES[table.mode]}:`, ...alignColumns(table.columns, table.rows)]),
  ];
  if (summary.length > 0) lines.push('', `${SUMMARY_TITLE}:`, ...summary.map((sentence) => `  ${sentence}`));
  if (messageSummary.length > 0) lines.push('', `${MESSAGE_SUMMARY_TITLE}:`, ...messageSummary.map((sentence) => `  ${sentence}`));
  const verdict = verdictSentences(output);
  if (verdict.length > 0) lines.push('', `${VERDICT_TITLE}:`, ...verdict.map((sentence) => `  ${sentence}`));
  return `${lines.join('\n')}\n`;
}

/** The widest the default terminal report gets; `--wide` lifts it. */
export const TERMINAL_WIDTH = 120;

/** The same-run yardsticks as a small table: memcpy into fresh and warm memory, and the native reference. */
function yardstickLines(output: BenchOutput): string[] {
  if (output.baselines.length === 0) return [];
  const columns: Column[] = [
    { header: 'bytes', align: 'right' },
    { header: 'memcpy, fresh', align: 'right' },
    { header: 'memcpy, warm', align: 'right' },
    { header: 'native reference, whole job', align: 'right' },
  ];
  const rows = output.baselines.map((baseline) => [
    baseline.bytes.toLocaleString('en-US'),
    formatDuration(baseline.freshSeconds.p50),
    formatDuration(baseline.warmSeconds.p50),
    baseline.floor ? formatDuration(baseline.floor.wholeJobSeconds.p50) : `not measured: ${baseline.floorError ?? 'no reason recorded'}`,
  ]);
  return ['Yardsticks in the same run (medians):', ...alignColumns(columns, rows).map((line) => `  ${line}`)];
}

/** The default terminal report: at most TERMINAL_WIDTH columns, one narrow row per case, notes once. */
function renderCompactTable(output: BenchOutput, options?: ReportOptions): string {
  const wrap = (text: string) => wrapText(text, TERMINAL_WIDTH);
  const table = compactTable(output, options);
  const summary = summarySentences(output);
  const messageSummary = messageSummarySentences(output);
  const messages = messageTables(output);
  const lines = [
    ...wrap(machineLine(output.context)),
    ...wrap(runLine(output.context)),
    ...wrap(provenanceLine(output.context)),
    ...yardstickLines(output),
    ...referenceWarnings(output).flatMap(wrap),
    '',
  ];
  if (table.rows.length > 0) {
    lines.push(...alignColumns(table.columns, table.rows), ...wrap(COMPACT_LEGEND), ...wrap(`Spread: ${SPREAD_NOTE}.`), ...table.footnotes.flatMap(wrap));
    lines.push('Constraint on data, per transport:', ...table.constraints.flatMap(({ transport, constraint }) => wrapText(`  ${transport}: ${constraint}`, TERMINAL_WIDTH, '      ')));
  } else if (messages.length === 0) {
    lines.push('(no results)');
  }
  lines.push(
    ...messages.flatMap((item, index) => {
      const narrow = compactMessageTable(item);
      const gap = index > 0 || table.rows.length > 0 ? [''] : [];
      return [...gap, ...wrap(`${MESSAGE_TABLE_TITLES[item.mode]}:`), ...alignColumns(narrow.columns, narrow.rows), ...narrow.notes.flatMap(wrap)];
    }),
  );
  if (summary.length > 0) lines.push('', ...wrap(`${SUMMARY_TITLE}:`), ...summary.flatMap((sentence) => wrapText(`  ${sentence}`, TERMINAL_WIDTH, '      ')));
  if (messageSummary.length > 0) lines.push('', ...wrap(`${MESSAGE_SUMMARY_TITLE}:`), ...messageSummary.flatMap((sentence) => wrapText(`  ${sentence}`, TERMINAL_WIDTH, '      ')));
  const verdict = verdictSentences(output);
  if (verdict.length > 0) lines.push('', ...wrap(`${VERDICT_TITLE}:`), ...verdict.flatMap((sentence) => wrapText(`  ${sentence}`, TERMINAL_WIDTH, '      ')));
  return `${lines.join('\n')}\n`;
}

export function renderTable(output: BenchOutput, options?: ReportOptions): string {
  return options?.wide ? renderWideTable(output, options) : renderCompactTable(output, options);
}
