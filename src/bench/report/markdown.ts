// A GitHub-flavoured Markdown report: context line, the results table, then the ratios.
import type { BenchOutput } from '../results.js';
import { baselineLines, machineLine, provenanceLine, resultTable, runLine, SPREAD_NOTE, type ReportOptions } from './format.js';
import { MESSAGE_SUMMARY_TITLE, MESSAGE_TABLE_TITLES, messageSummarySentences, messageTables } from './messages.js';
import { referenceWarnings } from './reference-check.js';
import { SUMMARY_TITLE, summarySentences } from './summaries.js';
import { VERDICT_TITLE, verdictSentences } from './verdict.js';

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
    `${markdownCell(runLine(output.context))}  `,
    `${markdownCell(provenanceLine(output.context))}`,
    ...baselineLines(output).map((text) => `- ${text}`),
    ...referenceWarnings(output).map((text) => `- **${markdownCell(text)}**`),
    '',
    `Times in seconds; ${markdownCell(SPREAD_NOTE)}.`,
  ];
  const table = (tableColumns: typeof columns, tableRows: string[][]) => [
    '',
    line(tableColumns.map((column) => markdownCell(column.header))),
    line(tableColumns.map((column) => (column.align === 'right' ? '---:' : '---'))),
    ...tableRows.map((cells) => line(cells.map(markdownCell))),
  ];
  const messages = messageTables(output);
  if (rows.length > 0 || messages.length === 0) lines.push(...table(columns, rows));
  for (const message of messages) lines.push('', `## ${markdownCell(MESSAGE_TABLE_TITLES[message.mode])}`, ...table(message.columns, message.rows));
  const summary = summarySentences(output, 'seconds');
  const messageSummary = messageSummarySentences(output);
  if (summary.length > 0) lines.push('', `## ${SUMMARY_TITLE}`, '', ...summary.map((sentence) => `- ${markdownCell(sentence)}`));
  if (messageSummary.length > 0) lines.push('', `## ${MESSAGE_SUMMARY_TITLE}`, '', ...messageSummary.map((sentence) => `- ${markdownCell(sentence)}`));
  const verdict = verdictSentences(output);
  if (verdict.length > 0) lines.push('', `## ${VERDICT_TITLE}`, '', ...verdict.map((sentence) => `- ${markdownCell(sentence)}`));
  return `${lines.join('\n')}\n`;
}
