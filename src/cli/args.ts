// The command line: which command, its options read and checked against the table of flags
// (flags.ts). Parsing only; nothing here loads the native addon or the transports.
import { parseArgs, type ParseArgsConfig } from 'node:util';

import { BULK_DEFAULTS, MESSAGE_SIZES, PROFILE_DEFAULTS, REPETITION_DEFAULTS } from '../bench/defaults.js';
import {
  BENCH_MODES,
  CODEC_IDS,
  PAYLOAD_IDS,
  PHASE_NAMES,
  PROFILE_FORMATS,
  REPORT_FORMATS,
  type CodecId,
  type MessageMode,
  type PayloadId,
  type PhaseName,
  type ProfileFormat,
  type ReportFormat,
  type TransportId,
} from '../bench/ids.js';
import type { BenchOptions } from '../bench/modes/bulk.js';
import type { MessageBenchOptions } from '../bench/modes/messages.js';
import {
  BULK_ONLY_FLAGS,
  COMMAND_NAMES,
  COMMANDS,
  DEFAULT_COMPARE_PHASE,
  DEFAULT_PROFILE_FORMAT,
  DEFAULT_REPORT_FORMAT,
  expects,
  flagsOf,
  MESSAGE_ONLY_FLAGS,
  type CommandName,
} from './flags.js';
import { UsageError } from './usage-error.js';
import { elementCount, filePath, listItems, oneOf, parseMessageBytes, positiveInteger, positiveSeconds, someOf, wholeNumber } from './values.js';

/** `ipclab profile` as parsed; the transport is checked, and the codec defaulted, once the registry is loaded. */
export interface ProfileRequest {
  name: 'profile';
  transportName: string;
  payload: PayloadId;
  /** undefined: the transport's first codec. */
  codec: CodecId | undefined;
  elements: number;
  top: number;
  timeoutSeconds: number;
  format: ProfileFormat;
  out: string | undefined;
  keepProfiles: boolean;
}

/** What both modes of `ipclab bench` take beside their own options. */
interface BenchSelection {
  name: 'bench';
  /** As given, deduplicated; undefined means every transport (bulk: Node's, plus the Python ones with --python). */
  transportNames: string[] | undefined;
  format: ReportFormat;
  out: string | undefined;
  /** Exit 0 even when a case errored or failed verification. */
  allowErrors: boolean;
  /** Terminal table with every column, however wide. */
  wide: boolean;
  /** --python: add the Python rows (bulk: Python's multiprocessing and the Node<->Python cases; throughput: Node<->Python and Python's Pipe). */
  python: boolean;
}

/** `ipclab bench` as parsed; transport names are checked against the registry when it runs. */
export interface BenchRequest extends BenchSelection {
  options: Omit<BenchOptions, 'transports'>;
}

/** `ipclab bench --mode latency|throughput` as parsed. */
export interface MessageBenchRequest extends BenchSelection {
  mode: MessageMode;
  options: Omit<MessageBenchOptions, 'transports' | 'command' | 'mode' | 'fault'>;
}

/** `ipclab report FILE`: a saved run rendered again. */
export interface ReportRequest {
  name: 'report';
  file: string;
  format: ReportFormat;
  out: string | undefined;
  force: boolean;
  /** Terminal table with every column, however wide. */
  wide: boolean;
}

/** `ipclab compare A B`: two saved runs side by side (each side one file, or several pooled). */
export interface CompareRequest {
  name: 'compare';
  filesA: string[];
  filesB: string[];
  phase: PhaseName;
}

export type Command =
  | { name: 'help'; topic: CommandName | undefined }
  | { name: 'version' }
  | { name: 'list'; verbose: boolean }
  | { name: 'clean'; all: boolean; dryRun: boolean }
  | BenchRequest
  | MessageBenchRequest
  | ProfileRequest
  | ReportRequest
  | CompareRequest;

/** The flags of one command line, as given: text for a flag that takes a value, true for a switch. */
class Flags {
  constructor(
    readonly command: CommandName,
    private readonly values: Record<string, string | boolean | undefined>,
  ) {}

  /** The value given to `--name`, if any, to read with one of values.ts's readers. */
  read<T>(name: string, reader: (given: { command: CommandName; flag: string; text: string }) => T): T | undefined {
    const text = this.values[name];
    return typeof text === 'string' ? reader({ command: this.command, flag: name, text }) : undefined;
  }

  given(name: string): boolean {
    return this.values[name] !== undefined;
  }

  switch(name: string): boolean {
    return this.values[name] === true;
  }
}

/** node:util parseArgs with the command's flags, its errors rewritten to name the flag and what it expects. */
function parseOptions(command: CommandName, args: readonly string[]): { flags: Flags; positionals: string[] } {
  const flags = flagsOf(command);
  const options: NonNullable<ParseArgsConfig['options']> = Object.fromEntries(
    flags.map((flag) => [flag.name, { type: flag.value === undefined ? 'boolean' : 'string', ...(flag.short === undefined ? {} : { short: flag.short }) }]),
  );
  const names = ['help', ...flags.filter((flag) => flag.name !== 'help').map((flag) => flag.name)].map((name) => `--${name}`).join(', ');
  const wanted = COMMANDS[command].positionals;
  try {
    const parsed = parseArgs({ args: [...args], options, strict: true, allowPositionals: wanted !== undefined });
    const positionals = parsed.positionals;
    if (wanted !== undefined && !parsed.values.help && positionals.length !== wanted.length) {
      const given = positionals.length === 0 ? 'none' : positionals.map((item) => `"${item}"`).join(' ');
      throw new UsageError(`"ipclab ${command}" takes ${wanted.join(' ')}; got ${given}`, command);
    }
    return { flags: new Flags(command, parsed.values as Record<string, string | boolean | undefined>), positionals };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const { code, message } = error as { code?: string; message: string };
    const flag = /'(-[^' ]+)/.exec(message)?.[1];
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      throw new UsageError(`unknown option ${flag ?? message} for "ipclab ${command}"; its options are ${names}`, command);
    }
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      const argument = /'([^']*)'/.exec(message)?.[1] ?? message;
      throw new UsageError(`unexpected argument "${argument}" for "ipclab ${command}"; it takes only options (${names})`, command);
    }
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && flag) {
      const expected = expects(command, flag.replace(/^-+/, ''));
      if (expected && /missing/.test(message)) throw new UsageError(`${flag} expects ${expected}, but no value was given`, command);
      if (expected && /ambiguous/.test(message)) {
        throw new UsageError(`${flag} expects ${expected}; a value starting with "-" must be written as ${flag}=VALUE`, command);
      }
      if (/does not take an argument/.test(message)) throw new UsageError(`${flag} is a switch and takes no value`, command);
    }
    throw new UsageError(message, command);
  }
}

/** --repeat, --timeout and --budget: the same in every mode. */
function repetitionOptions(flags: Flags): Pick<BenchOptions, 'repeat' | 'timeoutSeconds' | 'budgetSeconds'> {
  const repeat = flags.read('repeat', positiveInteger) ?? REPETITION_DEFAULTS.repeat;
  const timeoutSeconds = flags.read('timeout', positiveSeconds) ?? REPETITION_DEFAULTS.timeoutSeconds;
  const budget = flags.read('budget', positiveSeconds);
  return { repeat, timeoutSeconds, ...(budget === undefined ? {} : { budgetSeconds: budget }) };
}

/** --transports, --format, --out, --allow-errors and --wide: the same in every mode. */
function benchSelection(flags: Flags): BenchSelection {
  return {
    name: 'bench',
    transportNames: flags.read('transports', listItems),
    format: flags.read('format', (given) => oneOf(given, REPORT_FORMATS)) ?? DEFAULT_REPORT_FORMAT,
    out: flags.read('out', filePath),
    allowErrors: flags.switch('allow-errors'),
    wide: flags.switch('wide'),
    python: flags.switch('python'),
  };
}

function messageBenchRequest(flags: Flags, mode: MessageMode): MessageBenchRequest {
  const bulkOnly = BULK_ONLY_FLAGS.find((name) => flags.given(name));
  if (bulkOnly) throw new UsageError(`--${bulkOnly} applies to --mode bulk only; --mode ${mode} sends bytes (choose sizes with --sizes)`, 'bench');
  // Read in this order, so that of several mistakes the first one named is the same every time.
  const sizes = flags.read('sizes', (given) => [...new Set(listItems(given).map(parseMessageBytes))]);
  const messages = flags.read('messages', positiveInteger);
  const warmup = flags.read('warmup', wholeNumber);
  const spinMicros = flags.read('spin-micros', wholeNumber) ?? null;
  const repetitions = repetitionOptions(flags);
  const { name, ...selection } = benchSelection(flags);
  return {
    name,
    mode,
    options: {
      sizes: sizes ?? [...MESSAGE_SIZES],
      ...(messages === undefined ? {} : { messages }),
      ...(warmup === undefined ? {} : { warmup }),
      spinMicros,
      ...repetitions,
    },
    ...selection,
  };
}

function benchRequest(flags: Flags): BenchRequest | MessageBenchRequest {
  const mode = flags.read('mode', (given) => oneOf(given, BENCH_MODES)) ?? 'bulk';
  if (mode !== 'bulk') return messageBenchRequest(flags, mode);
  const messageOnly = MESSAGE_ONLY_FLAGS.find((name) => flags.given(name));
  if (messageOnly) throw new UsageError(`--${messageOnly} applies to --mode latency and --mode throughput only`, 'bench');
  const sizes = flags.read('sizes', (given) => [...new Set(listItems(given).map((text) => elementCount({ ...given, text })))]) ?? [...BULK_DEFAULTS.sizes];
  const payloads = flags.read('payloads', (given) => someOf(given, PAYLOAD_IDS)) ?? [...BULK_DEFAULTS.payloads];
  const codecs = flags.read('codecs', (given) => someOf(given, CODEC_IDS));
  const repetitions = repetitionOptions(flags);
  const { name, ...selection } = benchSelection(flags);
  return {
    name,
    options: { sizes, payloads, ...(codecs === undefined ? {} : { codecs }), ...repetitions },
    ...selection,
  };
}

function profileRequest(flags: Flags): ProfileRequest {
  const request: Omit<ProfileRequest, 'transportName'> = {
    name: 'profile',
    payload: flags.read('payload', (given) => oneOf(given, PAYLOAD_IDS)) ?? PROFILE_DEFAULTS.payload,
    codec: flags.read('codec', (given) => oneOf(given, CODEC_IDS)),
    elements: flags.read('size', elementCount) ?? PROFILE_DEFAULTS.elements,
    top: flags.read('top', positiveInteger) ?? PROFILE_DEFAULTS.top,
    timeoutSeconds: flags.read('timeout', positiveSeconds) ?? PROFILE_DEFAULTS.timeoutSeconds,
    format: flags.read('format', (given) => oneOf(given, PROFILE_FORMATS)) ?? DEFAULT_PROFILE_FORMAT,
    out: flags.read('out', filePath),
    keepProfiles: flags.switch('keep-profiles'),
  };
  const transport = flags.read('transport', (given) => given.text.trim());
  if (transport === undefined || transport === '') {
    throw new UsageError(`--transport is required: ${expects('profile', 'transport')}, e.g. --transport shm`, 'profile');
  }
  return { ...request, transportName: transport };
}

/** Checks transport names against the registered ids (known only once the registry is loaded). */
export function resolveTransports<Id extends string = TransportId>(
  names: readonly string[] | undefined,
  registered: readonly Id[],
  flag = '--transports',
  command: CommandName = 'bench',
): Id[] | undefined {
  if (names === undefined) return undefined;
  return names.map((name) => {
    if (!(registered as readonly string[]).includes(name)) {
      const known = registered.length > 0 ? registered.join(', ') : 'none are registered';
      throw new UsageError(`${flag}: unknown transport "${name}"; expected ids from: ${known}`, command);
    }
    return name as Id;
  });
}

function isCommandName(word: string): word is CommandName {
  return (COMMAND_NAMES as readonly string[]).includes(word);
}

/** The command a command line asks for (argv without node and the script). Throws UsageError. */
export function parseCommandLine(argv: readonly string[]): Command {
  const [first, ...rest] = argv;
  if (first === undefined) throw new UsageError(`missing command; expected one of ${COMMAND_NAMES.join(', ')}`);
  if (first === '-h' || first === '--help' || first === 'help') {
    const [topic, ...extra] = rest;
    if (topic === undefined) return { name: 'help', topic: undefined };
    if (!isCommandName(topic) || extra.length > 0) {
      throw new UsageError(`help takes one command name (${COMMAND_NAMES.join(', ')}), got "${rest.join(' ')}"`);
    }
    return { name: 'help', topic };
  }
  if (first === '-V' || first === '--version') {
    if (rest.length > 0) throw new UsageError(`${first} takes no arguments, got "${rest.join(' ')}"`);
    return { name: 'version' };
  }
  if (first.startsWith('-')) throw new UsageError(`unknown option ${first}; before a command only --help and --version are accepted`);
  if (!isCommandName(first)) throw new UsageError(`unknown command "${first}"; expected one of ${COMMAND_NAMES.join(', ')}`);
  const { flags, positionals } = parseOptions(first, rest);
  if (flags.switch('help')) return { name: 'help', topic: first };
  switch (first) {
    case 'list':
      return { name: 'list', verbose: flags.switch('verbose') };
    case 'clean':
      return { name: 'clean', all: flags.switch('all'), dryRun: flags.switch('dry-run') };
    case 'bench':
      return benchRequest(flags);
    case 'profile':
      return profileRequest(flags);
    case 'report':
      return {
        name: 'report',
        file: positionals[0]!,
        format: flags.read('format', (given) => oneOf(given, REPORT_FORMATS)) ?? DEFAULT_REPORT_FORMAT,
        out: flags.read('out', filePath),
        force: flags.switch('force'),
        wide: flags.switch('wide'),
      };
    case 'compare':
      return {
        name: 'compare',
        filesA: runFiles(positionals[0]!),
        filesB: runFiles(positionals[1]!),
        phase: flags.read('phase', (given) => oneOf(given, PHASE_NAMES)) ?? DEFAULT_COMPARE_PHASE,
      };
  }
}

/** A side of `ipclab compare`: one saved run, or several joined by commas. */
function runFiles(given: string): string[] {
  const files = given.split(',');
  if (files.some((file) => file === '')) {
    throw new UsageError(`"${given}" names an empty file; expected one run's JSON file, or several joined by commas (a.json,a2.json)`, 'compare');
  }
  return files;
}

/** Quotes an argument for display when the shell would need it. */
function shellQuote(argument: string): string {
  return /^[\w@%+=:,./^-]+$/.test(argument) ? argument : `'${argument.replaceAll("'", "'\\''")}'`;
}

/** The command line as a person would retype it, for the report's context. */
export function commandLineText(argv: readonly string[]): string {
  return ['ipclab', ...argv].map(shellQuote).join(' ');
}
