// One self-contained HTML file that reads at a glance: context, the short summary, small-multiple
// charts (per payload and codec: time vs size beside GB/s vs size), the phase shares at the largest
// size, then a results table that fits a 1280 px page, with notes and constraints said once.
// No scripts, stylesheets, fonts or images are fetched; it opens offline.
import type { BenchOutput } from '../results.js';
import { BAR_PHASES, escapeXml, phaseBars, smallMultiples } from './charts.js';
import { COMPACT_LEGEND, compactTable } from './compact.js';
import { baselineLines, formatElements, machineLine, provenanceLine, runLine, SPREAD_NOTE, type Column, type ReportOptions } from './format.js';
import { MESSAGE_SUMMARY_TITLE, MESSAGE_TABLE_TITLES, messageSummarySentences, messageTables } from './messages.js';
import { SUMMARY_TITLE, summarySentences } from './summaries.js';
import { VERDICT_TITLE, verdictSentences } from './verdict.js';

const STYLE = `
body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #222; max-width: 1216px; }
.context { color: #555; font-size: 13px; overflow-wrap: anywhere; }
table { border-collapse: collapse; font-size: 13px; max-width: 100%; }
th, td { padding: 3px 8px; border-bottom: 1px solid #ddd; vertical-align: top; white-space: nowrap; }
th { text-align: left; background: #f4f4f4; }
td.right, th.right { text-align: right; font-variant-numeric: tabular-nums; }
td.wrap { white-space: normal; overflow-wrap: anywhere; }
tr.failed td { color: #a33; }
.panels { display: flex; gap: 16px; flex-wrap: wrap; margin: 0.5rem 0 1.5rem; }
.empty-panel { width: 560px; padding: 2rem 10px; color: #555; font-size: 13px; }
figure { margin: 1rem 0 2rem; }
figcaption, .note { color: #555; font-size: 13px; max-width: 72rem; }
ol.footnotes { font-size: 13px; color: #555; overflow-wrap: anywhere; }
`;

function tableHtml(columns: readonly Column[], rows: readonly string[][], options: { failed?: readonly boolean[]; wrapLast?: boolean } = {}): string {
  const cell = (tag: 'th' | 'td', text: string, index: number) => {
    const classes = [columns[index]!.align === 'right' ? 'right' : '', options.wrapLast && index === columns.length - 1 ? 'wrap' : ''].filter(Boolean);
    return `<${tag}${classes.length > 0 ? ` class="${classes.join(' ')}"` : ''}>${escapeXml(text)}</${tag}>`;
  };
  const head = `<tr>${columns.map((column, index) => cell('th', column.header, index)).join('')}</tr>`;
  const body = rows.map((cells, row) => `<tr${options.failed?.[row] ? ' class="failed"' : ''}>${cells.map((text, index) => cell('td', text, index)).join('')}</tr>`);
  return `<table><thead>${head}</thead><tbody>${body.join('')}</tbody></table>`;
}

const list = (items: readonly string[], tag = 'ul', className = 'context') => `<${tag} class="${className}">${items.map((item) => `<li>${escapeXml(item)}</li>`).join('')}</${tag}>`;

export function renderHtml(output: BenchOutput, options?: ReportOptions): string {
  const { context } = output;
  const bars = phaseBars(output);
  const summary = summarySentences(output);
  const messageSummary = messageSummarySentences(output);
  const table = compactTable(output, options);
  const sections = [
    '<h1>ipclab bench</h1>',
    `<p class="context">${[machineLine(context), runLine(context), provenanceLine(context)].map(escapeXml).join('<br>')}</p>`,
    list(baselineLines(output)),
  ];
  const verdict = verdictSentences(output);
  if (verdict.length > 0) sections.push(`<h2>Verdict</h2><p class="note">${escapeXml(VERDICT_TITLE)}</p>`, list(verdict, 'ul', 'summary'));
  if (summary.length > 0) sections.push(`<h2>At a glance</h2><p class="note">${escapeXml(SUMMARY_TITLE)}</p>`, list(summary, 'ul', 'summary'));
  if (table.rows.length > 0) {
    sections.push(
      '<h2>Time and throughput by payload and codec</h2>',
      '<p class="note">One row per payload and codec: median end-to-end time of each verified case (left) and the GB/s it ' +
        'moved (right; copies only, a hand-off copies nothing), both axes logarithmic, one line per transport in the same colour ' +
        "everywhere. <b>ipclab's own transports</b> are bold solid lines with filled dots; Node's built-ins are thin dashed lines " +
        'with open dots. Hover a point for its value.</p>',
      smallMultiples(output),
    );
  }
  if (bars) {
    sections.push(
      `<h2>Where the time goes at ${escapeXml(formatElements(bars.elements))} elements</h2>`,
      `<figure>${bars.svg}<figcaption>Each verified case at the largest size, fastest first, as shares of its own end-to-end ` +
        `median (so fast cases show as clearly as slow ones): ${BAR_PHASES.join(', ')}; "other" is the part those phases do not ` +
        'cover (waiting, copying, scheduling). The end-to-end median is printed on the right.</figcaption></figure>',
    );
  }
  if (table.rows.length > 0) {
    sections.push(
      '<h2>Results</h2>',
      `<p class="note">${escapeXml(COMPACT_LEGEND)}. Spread: ${escapeXml(SPREAD_NOTE)}.</p>`,
      tableHtml(table.columns, table.rows, { failed: table.failed }),
    );
    if (table.footnotes.length > 0) sections.push(list(table.footnotes.map((note) => note.replace(/^\[\d+\] /, '')), 'ol', 'footnotes'));
    sections.push(
      '<h3>Constraint on data, per transport</h3>',
      tableHtml([{ header: 'transport', align: 'left' }, { header: 'constraint', align: 'left' }], table.constraints.map(({ transport, constraint }) => [transport, constraint]), { wrapLast: true }),
    );
  }
  for (const item of messageTables(output)) {
    const failed = item.results.map((result) => result.status !== 'completed' || !result.verified);
    sections.push(`<h2>${escapeXml(MESSAGE_TABLE_TITLES[item.mode])}</h2>`, tableHtml(item.columns, item.rows, { failed, wrapLast: true }));
  }
  if (messageSummary.length > 0) sections.push(`<h2>${escapeXml(MESSAGE_SUMMARY_TITLE)}</h2>`, list(messageSummary, 'ul', 'summary'));
  return (
    '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
    `<title>ipclab bench, ${escapeXml(context.date)}</title>\n<style>${STYLE}</style>\n</head>\n<body>\n` +
    `${sections.join('\n')}\n</body>\n</html>\n`
  );
}
