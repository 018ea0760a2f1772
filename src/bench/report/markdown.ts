// A GitHub-flavoured Markdown report: context line, the results table, then the ratios.
import type { BenchOutput } from '../types.js';
import { baselineLines, machineLine, resultTable, runLine, type ReportOptions } from './format.js';
import { SUMMARY_TITLE, summarySentences } from './summaries.js';

/** Escapes what would break a table cell or start Markdown syntax. */
export function markdownCell(text: string): string {
  return text.replace(/[\\|*_`<>[\]]/g, (character) => `\\${character}`).replace(/\r?\n/g, '<br>');
}

export function renderMarkdown(output: BenchOutput, options?: ReportOptions): string {
  const { columns, rows } = resultTable(output, options);
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  const lines = [
    '# ipclab bench',
    '',
    `${markdownCell(machineLine(output.context))}  `,
    `${runLine(output.context)}`,
    ...baselineLines(output).map((text) => `- ${text}`),
    '',
    line(columns.map((column) => markdownCell(column.header))),
    line(columns.map((column) => (column.align === 'right' ? '---:' : '---'))),
    ...rows.map((cells) => line(cells.map(markdownCell))),
  ];
  const summary = summarySentences(output);
  if (summary.length > 0) lines.push('', `## ${SUMMARY_TITLE}`, '', ...summary.map((sentence) => `- ${markdownCell(sentence)}`));
  return `${lines.join('\n')}\n`;
}
