// Every renderer of a BenchOutput, by the name `--format` takes.
import type { ReportFormat } from '../ids.js';
import type { BenchOutput } from '../results.js';
import { renderCsv } from './csv.js';
import type { ReportOptions } from './format.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderTable } from './table.js';

const renderers: Record<ReportFormat, (output: BenchOutput, options?: ReportOptions) => string> = {
  table: renderTable,
  json: renderJson,
  csv: renderCsv,
  markdown: renderMarkdown,
  html: renderHtml,
};

export function renderReport(format: ReportFormat, output: BenchOutput, options?: ReportOptions): string {
  return renderers[format](output, options);
}

export type { ReportOptions, TransportInfo } from './format.js';
