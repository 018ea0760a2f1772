// The terminal table, read like the Python post's: context first, one row per case, then ratios.
import type { BenchOutput } from '../types.js';
import { baselineLines, machineLine, resultTable, runLine, type Column, type ReportOptions } from './format.js';
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
  const lines = [
    machineLine(output.context),
    runLine(output.context),
    ...baselineLines(output),
    '',
    ...(rows.length > 0 ? alignColumns(columns, rows) : ['(no results)']),
  ];
  if (summary.length > 0) lines.push('', `${SUMMARY_TITLE}:`, ...summary.map((sentence) => `  ${sentence}`));
  return `${lines.join('\n')}\n`;
}
