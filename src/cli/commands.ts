// What each command does. Heavy modules (the native addon, the transports, the harness) are
// imported only by the commands that need them, so --help and --version work without a build.
import { existsSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { ipclabVersion } from '../bench/context.js';
import { FAULTS, INTEROP_TRANSPORT_IDS, isOneOf, MESSAGE_TRANSPORT_IDS, NODE_TRANSPORT_IDS, PYTHON_MESSAGE_TRANSPORT_IDS, PYTHON_TRANSPORT_IDS, TRANSPORT_IDS } from '../bench/ids.js';
import type { BenchOptions } from '../bench/modes/bulk.js';
import { caseLabel, formatBytes, formatElements } from '../bench/report/format.js';
import { renderReport } from '../bench/report/index.js';
import { renderProfile, renderProfileError, renderProfileText } from '../bench/report/profile.js';
import { bulkResults, messageResults, type BenchOutput, type BulkResult } from '../bench/results.js';
import type { CleanResult, Leftover } from '../cleanup.js';
import { resolveTransports, type BenchRequest, type Command, type CompareRequest, type MessageBenchRequest, type ProfileRequest, type ReportRequest } from './args.js';
import type { CommandName } from './flags.js';
import { COMMAND_USAGE, MAIN_USAGE } from './help.js';
import { renderCompactTransportList, renderTransportList } from './list.js';
import { messageProgressPrinter, progressPrinter } from './progress.js';
import { UsageError } from './usage-error.js';

function describe(item: Leftover): string {
  const pids = item.pids.length === 0 ? '' : `pid ${item.pids.join(', ')} `;
  const owner = item.owner === 'unknown' ? 'owner unknown' : `${pids}(${item.owner})`;
  const size = item.kind === 'directory' || item.kind === 'temporary' ? '' : formatBytes(item.bytes);
  return `  ${item.kind.padEnd(13)}  ${item.path}  ${size}  ${owner}`.replace(/ {3,}(?=\S)/g, '  ').trimEnd();
}

/** The text `ipclab clean` prints: what was (or would be) removed, what failed, and what was kept. */
export function cleanReport(result: CleanResult, dryRun: boolean): string {
  const { removed, kept, failed } = result;
  if (removed.length === 0 && kept.length === 0 && failed.length === 0) return 'Nothing to clean: no ipclab objects found.\n';
  const lines: string[] = [];
  const verb = dryRun ? 'Would remove' : 'Removed';
  lines.push(removed.length === 0 ? `${verb} nothing.` : `${verb} ${removed.length} object(s)${dryRun ? ' (dry run)' : ''}:`);
  lines.push(...removed.map(describe));
  if (failed.length > 0) {
    lines.push(`Could not remove ${failed.length} object(s):`, ...failed.map(({ item, reason }) => `${describe(item)}: ${reason}`));
  }
  if (kept.length > 0) {
    lines.push(`Kept ${kept.length} object(s) in use or of unknown owner (--all removes them too):`, ...kept.map(describe));
  }
  return `${lines.join('\n')}\n`;
}

async function clean(all: boolean, dryRun: boolean): Promise<number> {
  const { isRemovable, listOwnObjects, removeLeftovers } = await import('../cleanup.js');
  let result: CleanResult;
  if (dryRun) {
    const found = listOwnObjects();
    result = { removed: found.filter((item) => isRemovable(item, all)), kept: found.filter((item) => !isRemovable(item, all)), failed: [] };
  } else {
    result = removeLeftovers({ all });
  }
  process.stdout.write(cleanReport(result, dryRun));
  return result.failed.length > 0 ? 1 : 0;
}

async function list(verbose: boolean): Promise<number> {
  const { allTransports } = await import('../bench/transports/index.js');
  const { messageTransports, runsIn } = await import('../bench/messages/index.js');
  const messages = messageTransports.map((transport) => ({
    id: transport.id,
    mechanism: transport.mechanism,
    modes: (['latency', 'throughput'] as const).filter((mode) => runsIn(transport, mode)),
  }));
  process.stdout.write(verbose ? renderTransportList(allTransports, messages) : renderCompactTransportList(allTransports, messages));
  return 0;
}

/** Fails before a long run, not after it, when the report file cannot be written. */
function checkOutPath(out: string, command: CommandName): void {
  const directory = path.dirname(path.resolve(out));
  if (!existsSync(directory) || !statSync(directory).isDirectory()) {
    throw new UsageError(`--out: directory "${directory}" does not exist`, command);
  }
  if (existsSync(out) && statSync(out).isDirectory()) throw new UsageError(`--out: "${out}" is a directory; expected a file path`, command);
}

/**
 * Test-only: IPCLAB_FAULT=TRANSPORT:FAULT (crash, hang or corrupt) injects the harness's fault into
 * every case of one transport, so tests can see how `ipclab bench` reports and exits on failures.
 */
export const FAULT_ENV = 'IPCLAB_FAULT';
function faultFromEnvironment(): BenchOptions['fault'] {
  const text = process.env[FAULT_ENV];
  if (text === undefined || text === '') return undefined;
  const [transport = '', fault = ''] = text.split(':');
  if (!isOneOf(TRANSPORT_IDS, transport) || !isOneOf(FAULTS, fault)) {
    throw new UsageError(`${FAULT_ENV}="${text}": expected TRANSPORT:FAULT with a transport id and one of ${FAULTS.join(', ')}`, 'bench');
  }
  return { transport, fault };
}

const failed = (result: Pick<BulkResult, 'status' | 'verified'>) => result.status === 'errored' || (result.status === 'completed' && !result.verified);
const howFailed = (result: Pick<BulkResult, 'status'>) => (result.status === 'errored' ? 'errored' : 'not verified');

/** The cases (bulk or message) that errored or failed verification, named; a case skipped by design is neither. */
export function failedCaseNames(output: BenchOutput): string[] {
  return [
    ...bulkResults(output).filter(failed).map((result) => `${caseLabel(result)} ${formatElements(result.elements)} (${howFailed(result)})`),
    ...(messageResults(output)).filter(failed).map((result) => `${result.mode} ${result.transport} ${result.messageBytes} B (${howFailed(result)})`),
  ];
}

/** Runs the selected mode; resolves with its output. */
async function runSelectedMode(request: BenchRequest | MessageBenchRequest, commandLine: string): Promise<BenchOutput> {
  if ('mode' in request) {
    const named = resolveTransports(request.transportNames, MESSAGE_TRANSPORT_IDS);
    const { messageTransportIds } = await import('../bench/messages/index.js');
    const python = request.python ? messageTransportIds(request.mode, true).filter((id) => isOneOf(PYTHON_MESSAGE_TRANSPORT_IDS, id)) : [];
    const selected = named === undefined && python.length === 0 ? undefined : [...new Set([...(named ?? messageTransportIds(request.mode)), ...python])];
    const { runMessageBench } = await import('../bench/modes/messages.js');
    const options = { ...request.options, mode: request.mode, ...(selected === undefined ? {} : { transports: selected }), command: commandLine };
    return runMessageBench(options, messageProgressPrinter(process.stderr));
  }
  const named = resolveTransports(request.transportNames, TRANSPORT_IDS);
  const python = request.python ? [...PYTHON_TRANSPORT_IDS, ...INTEROP_TRANSPORT_IDS] : [];
  const selected = named === undefined && python.length === 0 ? undefined : [...new Set([...(named ?? NODE_TRANSPORT_IDS), ...python])];
  const fault = faultFromEnvironment();
  const { runBench } = await import('../bench/modes/bulk.js');
  return runBench(
    { ...request.options, ...(selected === undefined ? {} : { transports: selected }), ...(fault ? { fault } : {}), command: commandLine },
    progressPrinter(process.stderr),
  );
}

async function bench(request: BenchRequest | MessageBenchRequest, commandLine: string): Promise<number> {
  if (request.out !== undefined) checkOutPath(request.out, 'bench');
  const { cleanUpOnInterrupt } = await import('../bench/runner/interrupt.js');
  cleanUpOnInterrupt();
  const output = await runSelectedMode(request, commandLine);
  const { allTransports: transports } = await import('../bench/transports/index.js');
  const reportOptions = { transports, wide: request.wide };
  const rendered = renderReport(request.format, output, reportOptions);
  if (request.out === undefined) {
    process.stdout.write(rendered);
  } else {
    writeFileSync(request.out, rendered);
    process.stderr.write(`Wrote the ${request.format} report to ${request.out}\n`);
    process.stdout.write(request.format === 'table' ? rendered : renderReport('table', output, reportOptions));
  }
  if (request.format !== 'table' && request.out === undefined) {
    // The table carries them; other formats on stdout get them on stderr, so no run hides them.
    const { referenceWarnings } = await import('../bench/report/reference-check.js');
    for (const warning of referenceWarnings(output)) process.stderr.write(`${warning}
`);
  }
  const names = failedCaseNames(output);
  if (names.length === 0) return 0;
  process.stderr.write(
    `${names.length} case(s) errored or failed verification: ${names.join(', ')}${request.allowErrors ? ' (--allow-errors: exit status 0)' : ''}\n`,
  );
  return request.allowErrors ? 0 : 1;
}

async function profile(request: ProfileRequest): Promise<number> {
  if (request.out !== undefined) checkOutPath(request.out, 'profile');
  const { transportById } = await import('../bench/transports/index.js');
  const [id] = resolveTransports([request.transportName], TRANSPORT_IDS, '--transport', 'profile')!;
  const transport = transportById(id!)!;
  const spec = { transport: transport.id, payload: request.payload, codec: request.codec ?? transport.codecs[0]!, elements: request.elements };
  const { unsupportedReason } = await import('../bench/modes/bulk.js');
  const reason = unsupportedReason(spec);
  if (reason !== undefined) {
    throw new UsageError(`--transport ${spec.transport} --payload ${spec.payload} --codec ${spec.codec}: this case cannot run: ${reason}`, 'profile');
  }
  const { runProfile } = await import('../bench/modes/profile.js');
  const result = await runProfile(spec, { top: request.top, timeoutSeconds: request.timeoutSeconds, keepProfiles: request.keepProfiles });
  if (result.status === 'errored') {
    process.stderr.write(renderProfileError(result));
    return 1;
  }
  const rendered = renderProfile(request.format, result);
  if (request.out === undefined) {
    process.stdout.write(rendered);
  } else {
    writeFileSync(request.out, rendered);
    process.stderr.write(`Wrote the ${request.format} profile to ${request.out}\n`);
    process.stdout.write(renderProfileText(result));
  }
  if (result.profileDir !== null) process.stderr.write(`Kept the .cpuprofile files in ${result.profileDir}\n`);
  return result.verified ? 0 : 1;
}

async function report(request: ReportRequest): Promise<number> {
  const { readBenchOutput, writeReportFile } = await import('./report.js');
  const output = await readBenchOutput(request.file, 'report');
  const { allTransports: transports } = await import('../bench/transports/index.js');
  const rendered = renderReport(request.format, output, { transports, wide: request.wide });
  if (request.out === undefined) {
    process.stdout.write(rendered);
  } else {
    writeReportFile(request.out, rendered, request.force, 'report');
    process.stderr.write(`Wrote the ${request.format} report to ${request.out}\n`);
  }
  return 0;
}

async function compare(request: CompareRequest): Promise<number> {
  const { readBenchOutput } = await import('./report.js');
  const read = (files: string[]) => Promise.all(files.map(async (file) => ({ file, output: await readBenchOutput(file, 'compare') })));
  const [a, b] = [await read(request.filesA), await read(request.filesB)];
  const outputs = (runs: typeof a) => runs.map((run) => run.output);
  const { compareRuns, renderComparison } = await import('../bench/report/compare.js');
  process.stdout.write(renderComparison(a, b, compareRuns(outputs(a), outputs(b), request.phase)));
  return 0;
}

/** Runs one parsed command; resolves with the exit code. */
export async function runCommand(command: Command, commandLine: string): Promise<number> {
  switch (command.name) {
    case 'help':
      process.stdout.write(command.topic === undefined ? MAIN_USAGE : COMMAND_USAGE[command.topic]);
      return 0;
    case 'version':
      process.stdout.write(`${ipclabVersion()}\n`);
      return 0;
    case 'list':
      return list(command.verbose);
    case 'clean':
      return clean(command.all, command.dryRun);
    case 'bench':
      return bench(command, commandLine);
    case 'profile':
      return profile(command);
    case 'report':
      return report(command);
    case 'compare':
      return compare(command);
  }
}
