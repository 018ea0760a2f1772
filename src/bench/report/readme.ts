// The generated sections of README.md and BENCHMARKS.md (bench/update-readme*.mjs): each between two markers, replaced
// whole, and the two that come from one recorded run said the same way.
import type { BenchOutput } from '../results.js';
import { machineLine, provenanceLine } from './format.js';

/** `readme` with the section from `start` to `end` (markers included) replaced; throws when a marker is missing. */
export function replaceSection(readme: string, start: string, end: string, section: string): string {
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) throw new Error(`the file lacks the ${start} / ${end} markers`);
  return readme.slice(0, from) + section + readme.slice(to + end.length);
}

/** A section from one recorded run: its findings, its table, and where and how it was measured. */
export function recordedRunSection(markers: { start: string; end: string }, findings: readonly string[], table: string, output: BenchOutput, resultsPath: string): string {
  const markdownPath = resultsPath.replace(/\.json$/, '.md');
  return [
    markers.start,
    ...findings.map((finding) => `- ${finding}`),
    '',
    table.trimEnd(),
    '',
    `Measured ${output.context.date.slice(0, 10)} on ${machineLine(output.context)}; ${provenanceLine(output.context)}.`,
    `Reproduce: \`${output.context.command}\` (full results: [${resultsPath}](${resultsPath}), [Markdown](${markdownPath})).`,
    markers.end,
  ].join('\n');
}
