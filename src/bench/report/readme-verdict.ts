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

/** The verdict lines against process.send of each run, then where and when each was measured. */
export function readmeVerdictSection(runs: readonly RecordedRun[]): string {
  const lines = runs.flatMap(({ output }) =>
    [...messageVerdicts(output), ...bulkVerdicts(output)].filter((verdict) => verdict.theirs.startsWith('process.send')).flatMap(verdictLines),
  );
  const sources = runs.map(({ output, path }) => {
    const commit = output.context.git === null ? 'no git checkout' : `commit ${output.context.git.commit.slice(0, 12)}${output.context.git.dirty ? ' (dirty tree)' : ''}`;
    return `[${path}](${path}) (${output.context.date.slice(0, 10)}, ${commit}, \`${output.context.command}\`)`;
  });
  return [
    README_VERDICT_START,
    ...lines.map((line) => `- ${line.charAt(0).toUpperCase()}${line.slice(1)}.`),
    '',
    `Measured on ${runs[0]?.output.context.cpu ?? '?'} (${runs[0]?.output.context.cores ?? '?'} cores), Node ${runs[0]?.output.context.node ?? '?'}, Linux ${runs[0]?.output.context.kernel ?? '?'}; ratios of medians, in parentheses the min–max over every pair of repetitions. From ${sources.join('; ')}.`,
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
