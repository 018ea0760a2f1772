// `ipclab compare A.json B.json`: the cases both runs share, side by side, with the ratio B/A of a
// phase's median and a mark where the two runs' min..max spreads do not overlap, so a difference
// larger than either run's own noise stands out ("did my change make it faster?").
import { PHASE_NAMES, type PhaseName } from '../ids.js';
import { bulkResults, type BenchOutput, type BulkResult, type Stats } from '../results.js';
import { caseLabel, formatElements, formatRatio, formatDurationRange, type Column } from './format.js';
import { alignColumns } from './table.js';

export interface ComparedCase {
  label: string;
  elements: number;
  a: Stats;
  b: Stats;
  /** b.p50 / a.p50, the ratio of the medians: below 1, B was faster. */
  ratio: number;
  /** Whether the min..max spreads are apart, and which way; `overlap` when they touch. */
  verdict: 'faster' | 'slower' | 'overlap';
}

export interface RunComparison {
  phase: PhaseName;
  cases: ComparedCase[];
  /** Labels of verified cases only one of the runs has. */
  onlyInA: string[];
  onlyInB: string[];
}

const caseKey = (result: BulkResult) => `${caseLabel(result)} @${result.elements}`;

/** The verified cases with a positive median for `phase`, by case key. */
function timedCases(output: BenchOutput, phase: PhaseName): Map<string, { result: BulkResult; summary: Stats }> {
  const cases = new Map<string, { result: BulkResult; summary: Stats }>();
  for (const result of bulkResults(output)) {
    if (result.status !== 'completed' || !result.verified) continue;
    const summary = result.phases[phase];
    if (summary && summary.p50 > 0) cases.set(caseKey(result), { result, summary });
  }
  return cases;
}

export function compareRuns(a: BenchOutput, b: BenchOutput, phase: PhaseName = 'endToEnd'): RunComparison {
  const inA = timedCases(a, phase);
  const inB = timedCases(b, phase);
  const cases: ComparedCase[] = [];
  for (const [key, before] of inA) {
    const after = inB.get(key);
    if (!after) continue;
    const verdict = after.summary.max < before.summary.min ? 'faster' : after.summary.min > before.summary.max ? 'slower' : 'overlap';
    cases.push({
      label: caseLabel(before.result),
      elements: before.result.elements,
      a: before.summary,
      b: after.summary,
      ratio: after.summary.p50 / before.summary.p50,
      verdict,
    });
  }
  const label = (key: string, map: typeof inA) => `${caseLabel(map.get(key)!.result)} at ${formatElements(map.get(key)!.result.elements)}`;
  return {
    phase,
    cases,
    onlyInA: [...inA.keys()].filter((key) => !inB.has(key)).map((key) => label(key, inA)),
    onlyInB: [...inB.keys()].filter((key) => !inA.has(key)).map((key) => label(key, inB)),
  };
}

export const COMPARE_PHASES: readonly PhaseName[] = PHASE_NAMES;

const MARK = { faster: '* faster', slower: '* slower', overlap: '' } as const;

const COLUMNS: Column[] = [
  { header: 'case', align: 'left' },
  { header: 'elements', align: 'right' },
  { header: 'A: median (min-max)', align: 'right' },
  { header: 'B: median (min-max)', align: 'right' },
  { header: 'B/A', align: 'right' },
  { header: 'spreads apart', align: 'left' },
];

/** How one run is named in the header: its file, date, version and command. */
export interface RunName {
  file: string;
  output: BenchOutput;
}

const runHeader = (letter: string, run: RunName) =>
  `${letter}: ${run.file} (ipclab ${run.output.context.ipclabVersion}, ${run.output.context.date}, ${run.output.context.command})`;

export function renderComparison(a: RunName, b: RunName, comparison: RunComparison): string {
  const rows = comparison.cases.map((item) => [
    item.label,
    formatElements(item.elements),
    formatDurationRange(item.a.p50, [item.a.min, item.a.max]),
    formatDurationRange(item.b.p50, [item.b.min, item.b.max]),
    formatRatio(item.ratio),
    MARK[item.verdict],
  ]);
  const apart = (verdict: ComparedCase['verdict']) => comparison.cases.filter((item) => item.verdict === verdict).length;
  const lines = [
    runHeader('A', a),
    runHeader('B', b),
    `Phase: ${comparison.phase} medians of verified cases; B/A below 1x means B took less time.`,
    '',
    ...(rows.length > 0 ? alignColumns(COLUMNS, rows) : ['(the runs share no verified case)']),
    '',
    `${comparison.cases.length} shared case(s): B faster with the spreads apart in ${apart('faster')}, slower in ${apart('slower')}, ` +
      `within the noise (spreads overlap) in ${apart('overlap')}.`,
    '* the min-max ranges of the two runs do not overlap: a difference larger than either run\'s own spread.',
  ];
  if (comparison.onlyInA.length > 0) lines.push(`Only in A (${comparison.onlyInA.length}): ${comparison.onlyInA.join(', ')}`);
  if (comparison.onlyInB.length > 0) lines.push(`Only in B (${comparison.onlyInB.length}): ${comparison.onlyInB.join(', ')}`);
  return `${lines.join('\n')}\n`;
}
