// The terminal table, read like the Python post's: context first, one row per case, then ratios.
import type { BenchOutput } from '../types.js';
import { baselineLines, machineLine, provenanceLine, resultTable, runLine, SPREAD_NOTE, type Column, type ReportOptions } from './format.js';
import { MESSAGE_SUMMARY_TITLE, MESSAGE_TABLE_TITLES, messageSummarySentences, messageTables } from './messages.js';
import { SUMMARY_TITLE, summarySentences } from './summaries.js';

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

export function renderTable(output: BenchOutput, options?: ReportOptions): string {
  const { columns, rows } = resultTable(output, options);
  const summary = summarySentences(output);
  const messageSummary = messageSummarySentences(output);
  const messages = messageTables(output);
  const lines = [
    machineLine(output.context),
    runLine(output.context),
    provenanceLine(output.context),
    ...baselineLines(output),
    `Times in seconds; ${SPREAD_NOTE}.`,
    '',
    ...(rows.length > 0 ? alignColumns(columns, rows) : messages.length > 0 ? [] : ['(no results)']),
    ...messages.flatMap((table, index) => [...(index > 0 || rows.length > 0 ? [''] : []), `${MESSAGE_TABLE_TITLES[table.mode]}:`, ...alignColumns(table.columns, table.rows)]),
  ];
  if (summary.length > 0) lines.push('', `${SUMMARY_TITLE}:`, ...summary.map((sentence) => `  ${sentence}`));
  if (messageSummary.length > 0) lines.push('', `${MESSAGE_SUMMARY_TITLE}:`, ...messageSummary.map((sentence) => `  ${sentence}`));
  return `${lines.join('\n')}\n`;
}
