// The README's first screen: from recorded runs, where ipclab beats process.send and where it does
// not, as the bench's own verdict lines say it (bench/update-readme.mjs --verdict).
import type { BenchOutput } from '../results.js';
import { replaceSection } from './readme.js';
import { bulkVerdicts, messageVerdicts, verdictLines } from './verdict.js';

export const README_VERDICT_START = '<!-- verdict:start -->';
export const README_VERDICT_END = '<!-- verdict:end -->';

export interface RecordedRun {
  output: BenchOutput;
  /** The run's JSON, relative to the repository. */
  path: string;
}

/** The verdict lines against process.send of each run, short, then what each compared and where it was measured. */
export function readmeVerdictSection(runs: readonly RecordedRun[]): string {
  const verdicts = runs.flatMap(({ output }) => [...messageVerdicts(output), ...bulkVerdicts(output)].filter((verdict) => verdict.theirs.startsWith('process.send')));
  const lines = verdicts.flatMap((verdict) => verdictLines({ ...verdict, theirs: 'process.send', measure: '' }).map((line) => line.replace(/; $/, '')));
  const capital = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
  const measures = [...new Map(verdicts.map((verdict) => [verdict.subject.split(',')[0], `${capital(verdict.subject.split(',')[0]!)}: ${verdict.measure}, against ${verdict.theirs}`])).values()];
  const sources = runs.map(({ output, path }) => {
    const commit = output.context.git === null ? 'no git checkout' : `commit ${output.context.git.commit.slice(0, 12)}${output.context.git.dirty ? ' (dirty tree)' : ''}`;
    return `[${path}](${path}) (${output.context.date.slice(0, 10)}, ${commit})`;
  });
  const context = runs[0]?.output.context;
  return [
    README_VERDICT_START,
    ...lines.map((line) => `- ${capital(line)}.`),
    '',
    `Ratios of medians, in parentheses the min–max over every pair of repetitions. ${measures.join('. ')}.`,
    `Measured on ${context?.cpu ?? '?'} (${context?.cores ?? '?'} cores), Node ${context?.node ?? '?'}, Linux ${context?.kernel ?? '?'}: ${sources.join(', ')}.`,
    README_VERDICT_END,
  ].join('\n');
}

/** `readme` with its verdict section replaced. */
export function replaceReadmeVerdict(readme: string, section: string): string {
  return replaceSection(readme, README_VERDICT_START, README_VERDICT_END, section);
}

/** The recorded runs a README verdict section names, in order. */
export function verdictSources(section: string): string[] {
  return [...section.matchAll(/\[(bench\/results\/[^\]]+\.json)\]\(/g)].map((match) => match[1]!);
}
