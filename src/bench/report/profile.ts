// `ipclab profile` output: the text a person reads, and the same result as JSON.
import { PHASE_NAMES, type PhaseName, type ProfileFormat } from '../ids.js';
import type { CompletedProfile, ErroredProfile, ProcessProfile, ProfileResult, TimelineMark } from '../profile/result.js';
import { explain } from '../profile/breakdown.js';
import { wrapText } from './compact.js';
import { caseLabel, formatBytes, formatElements, formatSignificant, NOT_APPLICABLE } from './format.js';
import { alignColumns } from './table.js';

const PHASE_LABELS: Record<PhaseName, string> = {
  build: 'build',
  cast: 'cast',
  encode: 'encode',
  send: 'send',
  transfer: 'transfer',
  recv: 'recv',
  decode: 'decode',
  endToEnd: 'end-to-end',
  consume: 'consume',
  verify: 'verify',
  wholeJob: 'whole job',
};

/** Width of the timeline's bars, characters, for the whole span from the first mark to the last. */
const BAR_WIDTH = 40;

const count = (n: number) => n.toLocaleString('en-US');
const ms = (value: number) => formatSignificant(value, 3);
/** Seconds as milliseconds: the profile's one unit. */
const secondsAsMs = (seconds: number | null | undefined) => (seconds === null || seconds === undefined ? NOT_APPLICABLE : ms(seconds * 1000));
const WIDTH = 120;

/** "shm int32/raw, 10^5 elements" */
function caseTitle(result: ProfileResult): string {
  return `${caseLabel(result.case)}, ${formatElements(result.case.elements)} elements`;
}

function timelineLines(marks: readonly TimelineMark[]): string[] {
  if (marks.length === 0) return ['  (the sender recorded no sendStart)'];
  const first = marks[0]!.ms;
  const span = marks[marks.length - 1]!.ms - first;
  const rows = marks.map((mark) => {
    const length = span > 0 ? Math.round(((mark.ms - first) / span) * BAR_WIDTH) : 0;
    return [mark.ms.toFixed(3), mark.side, mark.mark, `|${'#'.repeat(length)}`];
  });
  const columns = [
    { header: 'ms', align: 'right' as const },
    { header: 'side', align: 'left' as const },
    { header: 'mark', align: 'left' as const },
    { header: `first mark .. last mark (${ms(span)} ms)`, align: 'left' as const },
  ];
  return alignColumns(columns, rows).map((line) => `  ${line}`);
}

function processHeading(entry: ProcessProfile, basis: 'window' | 'whole-profile', windowMs: number): string {
  const thread = entry.threadId === 0 ? 'main thread' : `worker thread ${entry.threadId}`;
  const who = `${entry.role} (pid ${entry.pid}, ${thread})`;
  if (entry.problem) return `${who}: ${entry.problem}`;
  const counted =
    basis === 'window'
      ? `${ms(entry.sampledMs)} ms sampled inside the ${ms(windowMs)} ms window`
      : `${ms(entry.sampledMs)} ms sampled over the whole profile`;
  return `${who}: ${entry.file}, ${count(entry.samples)} samples; ${counted}`;
}

function topLines(entry: ProcessProfile, basis: 'window' | 'whole-profile'): string[] {
  if (entry.problem) return [];
  if (entry.top.length === 0) return ['  (no samples inside the window: this process was not running then)'];
  const columns = [
    { header: 'self ms', align: 'right' as const },
    { header: basis === 'window' ? '% of window' : '% of profile', align: 'right' as const },
    { header: 'function', align: 'left' as const },
    { header: 'location', align: 'left' as const },
  ];
  const rows = entry.top.map((item) => [ms(item.selfMs), formatSignificant(item.percent, 3), item.functionName, item.location]);
  return alignColumns(columns, rows).map((line) => `  ${line}`);
}

function usageLines(processes: readonly ProcessProfile[]): string[] {
  const columns = [
    { header: 'side', align: 'left' as const },
    { header: 'peak RSS', align: 'right' as const },
    { header: 'user CPU (ms)', align: 'right' as const },
    { header: 'system CPU (ms)', align: 'right' as const },
    { header: 'minor faults', align: 'right' as const },
    { header: 'major faults', align: 'right' as const },
    { header: 'remarks', align: 'left' as const },
  ];
  const rows = processes.flatMap((entry) => {
    const usage = entry.usage;
    if (!usage) return [];
    return [
      [
        entry.role,
        formatBytes(usage.maxRssBytes),
        secondsAsMs(usage.userCpuSeconds),
        secondsAsMs(usage.systemCpuSeconds),
        count(usage.minorPageFaults),
        count(usage.majorPageFaults),
        usage.sharedProcess ? 'one process for both sides: whole-process figures' : '',
      ],
    ];
  });
  return alignColumns(columns, rows).map((line) => `  ${line}`);
}

/** Where each side's time went, in shares a person can act on, with page faults priced and the top functions explained. */
function conclusionLines(result: CompletedProfile): string[] {
  const basis = result.clock.basis === 'window' ? `the ${ms(result.window.ms)} ms window` : 'each whole profile';
  const lines = ['', `Where the time went (ms and share of ${basis}, per side):`];
  for (const entry of result.processes) {
    if (entry.role === 'other' || entry.problem || entry.shares.length === 0) continue;
    const columns = [
      { header: `${entry.role}: share`, align: 'left' as const },
      { header: 'ms', align: 'right' as const },
      { header: '%', align: 'right' as const },
      { header: 'largest functions', align: 'left' as const },
    ];
    const rows = entry.shares.filter((share) => share.ms >= 0.001).map((share) => [share.name, ms(share.ms), formatSignificant(share.percent, 2), share.functions.join(', ')]);
    lines.push('', ...alignColumns(columns, rows).map((line) => `  ${line}`));
    const faults = entry.windowMinorFaults;
    if (faults !== undefined) {
      const part = entry.role === 'sender' ? 'ready barrier to sendEnd' : 'ready barrier to valueReady';
      const faultMs = result.faultCost ? (faults * result.faultCost.microsPerFault) / 1000 : undefined;
      const priced =
        result.faultCost && faultMs !== undefined
          ? `about ${ms(faultMs)} ms (${formatSignificant(result.window.ms > 0 ? (faultMs / result.window.ms) * 100 : 0, 2)}% of the window) at ` +
            `${formatSignificant(result.faultCost.microsPerFault, 2)} µs each (${result.faultCost.how}, this run)`
          : 'not priced (the per-fault cost could not be measured)';
      lines.push(...wrapText(`  page faults: ${count(faults)} minor faults from the ${part}, ${priced}; that time lies inside the shares above, not beside them`, WIDTH, '    '));
    }
    const worth = entry.top.filter((item) => item.percent >= 10).slice(0, 3);
    for (const item of worth) {
      const why = explain(item);
      if (why) lines.push(...wrapText(`  ${item.functionName}${item.location === '' ? '' : ` (${item.location})`}, ${formatSignificant(item.percent, 2)}%: ${why}`, WIDTH, '    '));
    }
  }
  lines.push(
    ...wrapText(
      "Shares: ipclab copy, wait and wake, close and unmap are ipclab's library code (the copies are memcpy by TypedArray.set); waiting is " +
        "V8's (idle), the thread asleep; serialization is the codecs, V8's serializer and JSON; harness is the benchmark's own code and its " +
        'control sockets; not sampled is time with no sample (the process was off-CPU or gone).',
      WIDTH,
      '  ',
    ),
  );
  return lines;
}

/** What a failed case prints: the reason, and which profiles were written anyway. */
export function renderProfileError(result: ErroredProfile): string {
  const files = result.profileFiles.length === 0 ? 'none' : result.profileFiles.join(', ');
  const kept = result.profileDir === null ? '' : `\nProfiles kept in ${result.profileDir}`;
  return `ipclab profile: ${caseTitle(result)}: errored: ${result.reason}\nProfiles written: ${files} (a process killed with SIGKILL writes none)${kept}\n`;
}

export function renderProfileText(result: ProfileResult): string {
  if (result.status === 'errored') return renderProfileError(result);
  const status = result.verified ? 'verified' : `NOT VERIFIED (${result.mismatch})`;
  const lines = [
    `ipclab profile: ${caseTitle(result)}, one run, ${status}`,
    `Every process ran under V8's CPU profiler, sampling every ${result.intervalMicros} µs; profiling slows what it watches, so times run above "ipclab bench".`,
    `Measured window: ${result.window.from} -> ${result.window.to}, ${ms(result.window.ms)} ms.`,
    '',
    'Phases (ms):',
    ...PHASE_NAMES.map((phase) => `  ${PHASE_LABELS[phase].padEnd(11)} ${secondsAsMs(result.phases[phase])}`),
    '',
    "Timeline (ms from the sender's sendStart):",
    ...timelineLines(result.timeline),
    '',
    result.clock.basis === 'window' ? 'Top functions by self time inside the measured window:' : 'Top functions by self time over each WHOLE profile (not the window):',
    `  (${result.clock.note})`,
  ];
  for (const entry of result.processes) {
    lines.push('', processHeading(entry, result.clock.basis, result.window.ms), ...topLines(entry, result.clock.basis));
  }
  lines.push('', 'Resource use (each side, read at its end):', ...usageLines(result.processes));
  lines.push(...conclusionLines(result));
  if (result.profileDir !== null) lines.push('', `Profiles kept in ${result.profileDir} (open them in Chrome DevTools or VS Code).`);
  return `${lines.join('\n')}\n`;
}

export function renderProfileJson(result: ProfileResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}

export function renderProfile(format: ProfileFormat, result: ProfileResult): string {
  return format === 'json' ? renderProfileJson(result) : renderProfileText(result);
}
