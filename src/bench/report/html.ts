// One self-contained HTML file: context, inline SVG charts, the results table and the ratios.
// No scripts, stylesheets, fonts or images are fetched; it opens offline.
import type { BenchOutput } from '../types.js';
import { BAR_PHASES, escapeXml, logLogChart, phaseBars, timeSeries } from './charts.js';
import { baselineLines, formatElements, machineLine, provenanceLine, resultTable, runLine, SPREAD_NOTE, type Column, type ReportOptions } from './format.js';
import { MESSAGE_SUMMARY_TITLE, MESSAGE_TABLE_TITLES, messageSummarySentences, messageTables } from './messages.js';
import { SUMMARY_TITLE, summarySentences } from './summaries.js';

const STYLE = `
body { font-family: system-ui, sans-serif; margin: 2rem; color: #222; }
.context { color: #555; }
table { border-collapse: collapse; font-size: 13px; }
th, td { padding: 3px 8px; border-bottom: 1px solid #ddd; vertical-align: top; white-space: nowrap; }
td:last-child { white-space: normal; min-width: 14rem; }
th { text-align: left; background: #f4f4f4; }
td.right, th.right { text-align: right; font-variant-numeric: tabular-nums; }
tr.failed td { color: #a33; }
figure { margin: 1rem 0 2rem; }
figcaption { color: #555; font-size: 13px; max-width: 60rem; }
`;

function resultsTableHtml(output: BenchOutput, options: ReportOptions | undefined): string {
  const { columns, rows } = resultTable(output, options);
  return tableHtml(columns, rows, (row) => {
    const result = output.results[row]!;
    return result.status !== 'completed' || !result.verified;
  });
}

function tableHtml(columns: Column[], rows: string[][], failed: (row: number) => boolean): string {
  const cell = (tag: 'th' | 'td', text: string, index: number) =>
    `<${tag}${columns[index]!.align === 'right' ? ' class="right"' : ''}>${escapeXml(text)}</${tag}>`;
  const head = `<tr>${columns.map((column, index) => cell('th', column.header, index)).join('')}</tr>`;
  const body = rows.map((cells, row) => {
    return `<tr${failed(row) ? ' class="failed"' : ''}>${cells.map((text, index) => cell('td', text, index)).join('')}</tr>`;
  });
  return `<table><thead>${head}</thead><tbody>${body.join('')}</tbody></table>`;
}

export function renderHtml(output: BenchOutput, options?: ReportOptions): string {
  const { context } = output;
  const bars = phaseBars(output);
  const summary = summarySentences(output);
  const messageSummary = messageSummarySentences(output);
  const sections = [
    '<h1>ipclab bench</h1>',
    `<p class="context">${escapeXml(machineLine(context))}<br>${escapeXml(runLine(context))}<br>${escapeXml(provenanceLine(context))}</p>`,
    `<ul class="context">${baselineLines(output).map((line) => `<li>${escapeXml(line)}</li>`).join('')}</ul>`,
  ];
  for (const table of messageTables(output)) {
    const failed = (row: number) => table.results[row]!.status !== 'completed' || !table.results[row]!.verified;
    sections.push(`<h2>${escapeXml(MESSAGE_TABLE_TITLES[table.mode])}</h2>`, tableHtml(table.columns, table.rows, failed));
  }
  if (output.results.length > 0) {
    sections.push(
      '<h2>End-to-end time vs size</h2>',
      `<figure>${logLogChart(timeSeries(output))}<figcaption>Median end-to-end time of each verified case, both axes logarithmic; ` +
        'one line per transport, payload and codec. Hover a point for its value.</figcaption></figure>',
    );
  }
  if (bars) {
    sections.push(
      `<h2>Where the time goes at ${escapeXml(formatElements(bars.elements))} elements</h2>`,
      `<figure>${bars.svg}<figcaption>Phase medians of each verified case at the largest size: ${BAR_PHASES.join(', ')}; ` +
        '"other" is the part of the end-to-end median those phases do not cover (waiting, copying, scheduling). ' +
        'Building and verifying the payload lie outside end-to-end and are not drawn. The label is the end-to-end median.</figcaption></figure>',
    );
  }
  if (output.results.length > 0) {
    sections.push('<h2>Results</h2>', `<p class="context">Times in seconds; ${escapeXml(SPREAD_NOTE)}.</p>`, resultsTableHtml(output, options));
  }
  const list = (title: string, sentences: string[]) =>
    sentences.length > 0 ? [`<h2>${escapeXml(title)}</h2>`, `<ul>${sentences.map((sentence) => `<li>${escapeXml(sentence)}</li>`).join('')}</ul>`] : [];
  sections.push(...list(SUMMARY_TITLE, summary), ...list(MESSAGE_SUMMARY_TITLE, messageSummary));
  return (
    '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
    `<title>ipclab bench, ${escapeXml(context.date)}</title>\n<style>${STYLE}</style>\n</head>\n<body>\n` +
    `${sections.join('\n')}\n</body>\n</html>\n`
  );
}
