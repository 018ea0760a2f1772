// `ipclab compare A.json B.json`: the cases both runs share, side by side, with the ratio B/A of a
// phase's medians and whether the difference is real: Mann–Whitney U on the repetitions (Holm over
// every shared case) and a seeded bootstrap interval of the ratio, with the n of each side, and
// "too few samples to tell" where no p-value could be small enough ("did my change make it faster?").
// A side may be several runs (made alternately with the other side's, on a noisy machine): their
// repetitions of each case are pooled.
import { PHASE_NAMES, type PhaseName } from '../ids.js';
import { bulkResults, type BenchOutput, type BulkResult, type Stats } from '../results.js';
import { stats } from '../stats.js';
import { bootstrapRatioOfMedians, mannWhitney, samplesNeeded, smallestPossibleP } from '../significance.js';
import { wrapText } from './compact.js';
import { caseLabel, formatElements, formatRatio, formatDurationRange, formatSignificant, type Column } from './format.js';
import { alignColumns, TERMINAL_WIDTH } from './table.js';

export interface ComparedCase {
  label: string;
  elements: number;
  a: Stats;
  b: Stats;
  /** b.p50 / a.p50, the ratio of the medians: below 1, B was faster. */
  ratio: number;
  /** The seeded bootstrap's 95% interval of the ratio of medians. */
  interval: [number, number];
  /** Mann–Whitney's two-sided p-value of A's samples against B's. */
  p: number;
  /**
   * `faster`/`slower`: Mann–Whitney rejects "no difference" at 5% family-wise over every shared
   * case (Holm) and the interval lies wholly beyond the drift band (±10%); `same`: no difference shown; `too-few`: with these
   * sample counts no p-value could reach the threshold, whatever the timings.
   */
  verdict: 'faster' | 'slower' | 'same' | 'too-few';
}

export interface RunComparison {
  phase: PhaseName;
  cases: ComparedCase[];
  /** Labels of verified cases only one of the runs has. */
  onlyInA: string[];
  onlyInB: string[];
  /** Repetitions per side every case needs for a difference to be shown with this many cases. */
  samplesNeeded: number;
}

/** The family-wise error rate of the marks over all shared cases. */
export const FAMILY_ALPHA = 0.05;

/**
 * Separate runs of one build on a shared machine drift by this ratio (a 2-core CI VM: up to ~7%
 * between two runs minutes apart), so a difference is marked only when its whole interval lies beyond it.
 */
export const DRIFT_RATIO = 1.1;

const caseKey = (result: BulkResult) => `${caseLabel(result)} @${result.elements}`;

/** The verified cases with a positive median for `phase`, by case key; the runs' repetitions of a case pooled. */
function timedCases(outputs: readonly BenchOutput[], phase: PhaseName): Map<string, { result: BulkResult; summary: Stats }> {
  const cases = new Map<string, { result: BulkResult; summary: Stats }>();
  for (const output of outputs) {
    for (const result of bulkResults(output)) {
      if (result.status !== 'completed' || !result.verified) continue;
      const summary = result.phases[phase];
      if (!summary || summary.p50 <= 0) continue;
      const key = caseKey(result);
      const earlier = cases.get(key);
      cases.set(key, earlier ? { result: earlier.result, summary: stats([...earlier.summary.samples, ...summary.samples]) } : { result, summary });
    }
  }
  return cases;
}

/** Holm's step-down: which of these p-values are rejected at `alpha` family-wise. */
function holm(pValues: readonly number[], alpha: number): boolean[] {
  const order = pValues.map((p, index) => ({ p, index })).sort((x, y) => x.p - y.p);
  const rejected = pValues.map(() => false);
  for (const [rank, { p, index }] of order.entries()) {
    if (p > alpha / (pValues.length - rank)) break;
    rejected[index] = true;
  }
  return rejected;
}

/** Compares run A with run B; each side may be several runs, pooled. */
export function compareRuns(a: BenchOutput | readonly BenchOutput[], b: BenchOutput | readonly BenchOutput[], phase: PhaseName = 'endToEnd'): RunComparison {
  const inA = timedCases([a].flat(), phase);
  const inB = timedCases([b].flat(), phase);
  const pairs = [...inA].flatMap(([key, before]) => {
    const after = inB.get(key);
    return after ? [{ before, after }] : [];
  });
  const perCase = FAMILY_ALPHA / Math.max(pairs.length, 1);
  const tested = pairs.map(({ before, after }) => {
    const [x, y] = [before.summary.samples, after.summary.samples];
    return { testable: smallestPossibleP(x.length, y.length) <= perCase, p: mannWhitney(x, y).p, interval: bootstrapRatioOfMedians(x, y) };
  });
  const rejected = holm(tested.map((item) => (item.testable ? item.p : 1)), FAMILY_ALPHA);
  const cases = pairs.map(({ before, after }, index): ComparedCase => {
    const { testable, p, interval } = tested[index]!;
    const ratio = after.summary.p50 / before.summary.p50;
    const apart = rejected[index]! && (interval[0] > DRIFT_RATIO || interval[1] < 1 / DRIFT_RATIO);
    const verdict = !testable ? 'too-few' : !apart ? 'same' : ratio > 1 ? 'slower' : 'faster';
    return { label: caseLabel(before.result), elements: before.result.elements, a: before.summary, b: after.summary, ratio, interval, p, verdict };
  });
  const label = (key: string, map: typeof inA) => `${caseLabel(map.get(key)!.result)} at ${formatElements(map.get(key)!.result.elements)}`;
  return {
    phase,
    cases,
    onlyInA: [...inA.keys()].filter((key) => !inB.has(key)).map((key) => label(key, inA)),
    onlyInB: [...inB.keys()].filter((key) => !inA.has(key)).map((key) => label(key, inB)),
    samplesNeeded: samplesNeeded(perCase),
  };
}

export const COMPARE_PHASES: readonly PhaseName[] = PHASE_NAMES;

const MARK = { faster: '* B faster', slower: '* B slower', same: 'no difference shown', 'too-few': 'too few samples to tell' } as const;

const COLUMNS: Column[] = [
  { header: 'case', align: 'left' },
  { header: 'n A+B', align: 'right' },
  { header: 'A: median', align: 'right' },
  { header: 'B: median', align: 'right' },
  { header: 'B/A (95% CI)', align: 'right' },
  { header: 'p', align: 'right' },
  { header: 'verdict', align: 'left' },
];

/** How one run is named in the header: its file, date, version and command. */
export interface RunName {
  file: string;
  output: BenchOutput;
}

/** One line per run of a side (`A` for one run; `A1`, `A2`, … when its runs are pooled). */
const runHeaders = (letter: string, runs: readonly RunName[]) =>
  runs.flatMap((run, index) =>
    wrapText(
      `${runs.length > 1 ? `${letter}${index + 1}` : letter}: ${run.file} (ipclab ${run.output.context.ipclabVersion}, ${run.output.context.date}, ${run.output.context.command})`,
      TERMINAL_WIDTH,
    ),
  );

/** What the marks mean, said once under the table. */
export const METHOD_NOTE =
  `n: repetitions in A and in B. B/A: ratio of the medians, with a seeded bootstrap 95% interval. p: Mann–Whitney U, two-sided. ` +
  `* marks a difference: p below ${FAMILY_ALPHA} family-wise over all shared cases (Holm) and an interval wholly beyond ±${Math.round((DRIFT_RATIO - 1) * 100)}% (what separate runs of one build drift by on a shared machine). ` +
  `"too few samples to tell": with these n no p-value could reach the threshold, whatever the timings.`;

export function renderComparison(a: RunName | readonly RunName[], b: RunName | readonly RunName[], comparison: RunComparison): string {
  const [runsA, runsB] = [[a].flat(), [b].flat()];
  const pooled = [runsA, runsB].flatMap((runs, side) => (runs.length > 1 ? [`${side === 0 ? 'A' : 'B'} pools the repetitions of its ${runs.length} runs.`] : []));
  const rows = comparison.cases.map((item) => [
    `${item.label} ${formatElements(item.elements)}`,
    `${item.a.samples.length}+${item.b.samples.length}`,
    formatDurationRange(item.a.p50),
    formatDurationRange(item.b.p50),
    `${formatRatio(item.ratio)} (${formatSignificant(item.interval[0])}–${formatSignificant(item.interval[1])})`,
    formatSignificant(item.p, 2),
    MARK[item.verdict],
  ]);
  const count = (verdict: ComparedCase['verdict']) => comparison.cases.filter((item) => item.verdict === verdict).length;
  const tooFew = count('too-few');
  const lines = [
    ...runHeaders('A', runsA),
    ...runHeaders('B', runsB),
    ...pooled,
    `Phase: ${comparison.phase} of verified cases; B/A below 1x means B took less time.`,
    '',
    ...(rows.length > 0 ? alignColumns(COLUMNS, rows) : ['(the runs share no verified case)']),
    '',
    ...wrapText(
      `${comparison.cases.length} shared case(s): B faster in ${count('faster')}, slower in ${count('slower')}, no difference shown in ${count('same')}, ` +
        `too few samples to tell in ${tooFew}` +
        (tooFew > 0 ? ` (with ${comparison.cases.length} case(s), each side needs at least ${comparison.samplesNeeded} repetitions: --repeat ${comparison.samplesNeeded}).` : '.'),
      TERMINAL_WIDTH,
    ),
    ...wrapText(METHOD_NOTE, TERMINAL_WIDTH),
  ];
  if (comparison.onlyInA.length > 0) lines.push(...wrapText(`Only in A (${comparison.onlyInA.length}): ${comparison.onlyInA.join(', ')}`, TERMINAL_WIDTH));
  if (comparison.onlyInB.length > 0) lines.push(...wrapText(`Only in B (${comparison.onlyInB.length}): ${comparison.onlyInB.join(', ')}`, TERMINAL_WIDTH));
  return `${lines.join('\n')}\n`;
}
