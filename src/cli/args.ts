// The command line: which command, its options validated and normalised, and the help texts.
// Parsing only; nothing here loads the native addon or the transports.
import { parseArgs, type ParseArgsConfig } from 'node:util';

import type { BenchOptions } from '../bench/modes/bulk.js';
import type { MessageBenchOptions } from '../bench/modes/messages.js';
import { BULK_DEFAULTS, MAX_ELEMENTS, MAX_MESSAGE_BYTES, MESSAGE_SIZES, PROFILE_DEFAULTS as PROFILE_CASE_DEFAULTS, REPETITION_DEFAULTS } from '../bench/defaults.js';
import { BENCH_MODES, CODEC_IDS, PAYLOAD_IDS, PHASE_NAMES, type CodecId, type MessageMode, type PayloadId, type PhaseName, type TransportId } from '../bench/ids.js';
import { REPORT_FORMATS, type ReportFormat } from '../bench/report/index.js';
import { PROFILE_FORMATS, type ProfileFormat } from '../bench/report/profile.js';

/** A mistake on the command line: printed with a pointer to --help, exit code 2. */
export class UsageError extends Error {
  readonly exitCode = 2;
  constructor(
    message: string,
    /** The command whose help to point at, if any. */
    readonly command?: CommandName,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

export const COMMAND_NAMES = ['bench', 'profile', 'report', 'compare', 'list', 'clean'] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

export const BENCH_DEFAULTS = { ...BULK_DEFAULTS, ...REPETITION_DEFAULTS, format: 'table' as ReportFormat };
export const MESSAGE_SIZES_DEFAULT = MESSAGE_SIZES;
export { MAX_ELEMENTS };
/** Flags only the bulk mode takes, and flags only the message modes take. */
const BULK_ONLY_FLAGS = ['payloads', 'codecs', 'python'];
const MESSAGE_ONLY_FLAGS = ['messages', 'warmup', 'spin-micros'];

export const PROFILE_DEFAULTS = { ...PROFILE_CASE_DEFAULTS, format: 'text' as ProfileFormat };

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

/** `ipclab bench` as parsed; transport names are checked against the registry when it runs. */
export interface BenchRequest {
  name: 'bench';
  options: Omit<BenchOptions, 'transports'>;
  /** As given, deduplicated; undefined means every Node transport (plus the Python ones with --python). */
  transportNames: string[] | undefined;
  /** --python: add Python's multiprocessing transports and the Node<->Python interop cases. */
  python: boolean;
  format: ReportFormat;
  out: string | undefined;
  /** Exit 0 even when a case errored or failed verification. */
  allowErrors: boolean;
  /** Terminal table with every column, however wide. */
  wide: boolean;
}

/** `ipclab bench --mode latency|throughput` as parsed. */
export interface MessageBenchRequest {
  name: 'bench';
  mode: MessageMode;
  options: Omit<MessageBenchOptions, 'transports' | 'command' | 'mode' | 'fault'>;
  transportNames: string[] | undefined;
  format: ReportFormat;
  out: string | undefined;
  /** Exit 0 even when a case errored or failed verification. */
  allowErrors: boolean;
  /** Terminal table with every column, however wide. */
  wide: boolean;
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

/** `ipclab compare A B`: two saved runs side by side. */
export interface CompareRequest {
  name: 'compare';
  fileA: string;
  fileB: string;
  phase: PhaseName;
}

export type Command =
  | { name: 'help'; topic: CommandName | undefined }
  | { name: 'version' }
  | { name: 'list' }
  | { name: 'clean'; all: boolean; dryRun: boolean }
  | BenchRequest
  | MessageBenchRequest
  | ProfileRequest
  | ReportRequest
  | CompareRequest;

export const MAIN_USAGE = `Usage: ipclab <command> [options]

Move large arrays between Node.js processes, and measure every way to do it.

Commands:
  bench     Move 0..n-1 over every transport in fresh processes, verify every element, time each phase
  profile   Run one case under V8's CPU profiler: phases, a timeline of every mark, top functions per side
  report    Render a saved run (JSON) as a table, Markdown, CSV or HTML
  compare   Two saved runs side by side: ratio B/A per shared case, marked where the spreads do not overlap
  list      List the transports, the Python multiprocessing method each stands for, and their limits
  clean     List or remove shared memory objects that ipclab left in /dev/shm

Options:
  -h, --help       Show this help; "ipclab <command> --help" shows a command's options
  -V, --version    Print ipclab's version
`;

export const COMMAND_USAGE: Record<CommandName, string> = {
  bench: `Usage: ipclab bench [options]

Runs each selected case (transport x payload x codec x size) in fresh processes, verifies every
element at the receiver, and prints the results with the machine's memcpy as the yardstick.
Progress goes to stderr, one line per case.

Options:
  --mode MODE         bulk: one payload per case (default). latency: ping-pong round trips of
                      messages between two processes (p50, p90, p99, max). throughput: a stream
                      of messages, each checked by the receiver (messages/s, GB/s). Both message
                      modes include "native", a C++ reference over ipclab's own core.
  --sizes LIST        bulk: element counts, comma-separated, each as 1e6, 1000000 or 10^6
                      (default: 1e3,1e5,1e6). latency, throughput: message sizes in bytes, as
                      8, 1e3, 64KiB or 1MiB (default: 8,1KiB,64KiB,1MiB)
  --transports LIST   Transport ids, comma-separated (default: all of Node's; see "ipclab list")
  --python            bulk: also run Python's multiprocessing (py-*) and the Node<->Python interop
                      cases, measured here; skipped with the reason when python3 (or numpy) is missing
  --payloads LIST     Any of ${PAYLOAD_IDS.join(', ')} (default: ${BENCH_DEFAULTS.payloads.join(',')})
  --codecs LIST       Any of ${CODEC_IDS.join(', ')} (default: every codec each transport uses)
  --repeat N          Fresh repetitions per case; medians are reported (default: ${BENCH_DEFAULTS.repeat})
  --timeout SECONDS   Time limit for each run of a case (default: ${BENCH_DEFAULTS.timeoutSeconds})
  --budget SECONDS    No further repetitions of a case once it has used this long (default: none)
  --format FORMAT     ${REPORT_FORMATS.join(', ')} (default: ${BENCH_DEFAULTS.format})
  --out FILE          Write the report in FORMAT to FILE; the table still goes to stdout
  --messages N        latency, throughput: measured messages per repetition (default: per size,
                      latency 2,000, fewer above 16 KiB (32 MiB moved, at least 100);
                      throughput 20,000, fewer above 13 KiB (256 MiB moved, at least 64))
  --warmup N          latency, throughput: unmeasured messages first (default: a tenth of
                      --messages, at most 200 in latency and 1,000 in throughput)
  --spin-micros N     latency, throughput: ipclab's own paths (shm, shm-value, semaphore) and
                      native spin this long before blocking; costs a core while spinning
                      (default: no spin)
  --allow-errors      Exit 0 even when a case errored or failed verification
  --wide              The table with every column and note on its row (default: at most 120 columns)
  -h, --help          Show this help

Exit status: 0 when every case completed verified or was skipped by design (a payload or codec
its transport does not carry); 1 when any case errored or failed verification, unless
--allow-errors is given; 2 for a mistake on the command line.

Examples:
  ipclab bench --sizes 1e5,1e6 --payloads int32 --format html --out report.html
  ipclab bench --mode latency --sizes 8,1KiB --transports shm,ipc-json,native
`,
  profile: `Usage: ipclab profile --transport ID [options]

Runs one case once, with every process of it (and its worker threads) under V8's CPU profiler, and
shows where the time went: the phases, every mark of both sides on one timeline, the functions with
the most self time inside the measured window (sender sendStart to receiver valueReady) for each
side, and each side's resource use. V8's "(program)" and "(garbage collector)" rows are always
listed; "(idle)" is time a thread waited. The .cpuprofile files are removed afterwards. Exit status:
0 when the payload arrived verified, 1 when the case failed or did not verify, 2 for a bad option.

Options:
  --transport ID      The transport (required; see "ipclab list")
  --payload PAYLOAD   One of ${PAYLOAD_IDS.join(', ')} (default: ${PROFILE_DEFAULTS.payload})
  --codec CODEC       One of ${CODEC_IDS.join(', ')} (default: the transport's first codec)
  --size N            Element count, as 1e6, 1000000 or 10^6 (default: 1e6)
  --top N             Functions to list per side (default: ${PROFILE_DEFAULTS.top})
  --timeout SECONDS   Time limit for the run (default: ${PROFILE_DEFAULTS.timeoutSeconds})
  --format FORMAT     ${PROFILE_FORMATS.join(', ')} (default: ${PROFILE_DEFAULTS.format})
  --out FILE          Write the profile in FORMAT to FILE; the text still goes to stdout
  --keep-profiles     Keep the .cpuprofile files and print their directory
  -h, --help          Show this help

Example:
  ipclab profile --transport shm --payload array --codec raw --size 1e7
`,
  report: `Usage: ipclab report FILE.json [options]

Renders a saved run (written by "ipclab bench --format json --out FILE.json") in another format.
The file is checked against the result schema first: a file that is not a result is refused with
the first offending path.

Options:
  --format FORMAT     ${REPORT_FORMATS.join(', ')} (default: table)
  --out FILE          Write the report to FILE instead of stdout; an existing FILE is kept
  --force             Replace an existing --out FILE
  --wide              The table with every column and note on its row (default: at most 120 columns)
  -h, --help          Show this help

Example:
  ipclab report bench/results/full.json --format html --out full.html
`,
  compare: `Usage: ipclab compare A.json B.json [options]

Puts the verified cases that two saved runs share side by side: each run's median with its min-max
spread over the repetitions, the ratio B/A, and a mark where the two spreads do not overlap (a
difference larger than either run's own noise). Cases that only one run has are listed after it.

Options:
  --phase PHASE       The phase to compare: ${PHASE_NAMES.join(', ')} (default: endToEnd)
  -h, --help          Show this help

Example:
  ipclab compare before.json after.json
`,
  list: `Usage: ipclab list

Lists every transport: the Python multiprocessing method it stands for, the Node mechanism,
the payloads and codecs it carries, its constraint on data, and its known limits.

Options:
  -h, --help   Show this help
`,
  clean: `Usage: ipclab clean [--all] [--dry-run]

Removes what ipclab left behind once nothing uses it: channels under any name (recognised by
their header; removed when every handle recorded there is closed or its process has exited),
segments and named semaphores named "ipclab-<pid>-..." whose creator has exited, and an
interrupted benchmark's folders (/dev/shm/ipclab-*-files-*, the control sockets under
$TMPDIR/ipclab-*). Zombies count as exited; a reused pid does not count as the creator.
Each object is handled on its own: one that cannot be removed is reported, the rest go on.
Exits 1 when any object could not be removed.

Options:
  --all        Also remove objects still in use or whose owner cannot be told
  --dry-run    Only list what would be removed
  -h, --help   Show this help
`,
};

type OptionSpec = NonNullable<ParseArgsConfig['options']>;

const HELP_OPTION: OptionSpec = { help: { type: 'boolean', short: 'h' } };

const COMMAND_OPTIONS: Record<CommandName, OptionSpec> = {
  bench: {
    ...HELP_OPTION,
    sizes: { type: 'string' },
    transports: { type: 'string' },
    python: { type: 'boolean' },
    payloads: { type: 'string' },
    codecs: { type: 'string' },
    repeat: { type: 'string' },
    timeout: { type: 'string' },
    budget: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
    mode: { type: 'string' },
    messages: { type: 'string' },
    warmup: { type: 'string' },
    'spin-micros': { type: 'string' },
    'allow-errors': { type: 'boolean' },
    wide: { type: 'boolean' },
  },
  profile: {
    ...HELP_OPTION,
    transport: { type: 'string' },
    payload: { type: 'string' },
    codec: { type: 'string' },
    size: { type: 'string' },
    top: { type: 'string' },
    timeout: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
    'keep-profiles': { type: 'boolean' },
  },
  report: { ...HELP_OPTION, format: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean' }, wide: { type: 'boolean' } },
  compare: { ...HELP_OPTION, phase: { type: 'string' } },
  list: HELP_OPTION,
  clean: { ...HELP_OPTION, all: { type: 'boolean' }, 'dry-run': { type: 'boolean' } },
};

/** What each value-taking flag expects, for error messages. */
const EXPECTED: Record<string, string> = {
  '--sizes': 'a comma-separated list of element counts such as 1e3,1e6 or 10^5',
  '--transports': 'a comma-separated list of transport ids (see "ipclab list")',
  '--payloads': `a comma-separated list of ${PAYLOAD_IDS.join(', ')}`,
  '--codecs': `a comma-separated list of ${CODEC_IDS.join(', ')}`,
  '--repeat': 'a positive whole number',
  '--timeout': 'a positive number of seconds',
  '--budget': 'a positive number of seconds',
  '--format': `one of ${REPORT_FORMATS.join(', ')}`,
  '--out': 'a file path',
  '--transport': 'a transport id (see "ipclab list")',
  '--payload': `one of ${PAYLOAD_IDS.join(', ')}`,
  '--codec': `one of ${CODEC_IDS.join(', ')}`,
  '--size': 'an element count such as 1e6, 1000000 or 10^6',
  '--top': 'a positive whole number',
  '--mode': `one of ${BENCH_MODES.join(', ')}`,
  '--messages': 'a positive whole number',
  '--warmup': 'a whole number (0 for none)',
  '--spin-micros': 'a whole number of microseconds',
  '--phase': `one of ${PHASE_NAMES.join(', ')}`,
};

/** Where a command's flag expects something else than the same flag of `bench`. */
const COMMAND_EXPECTED: Partial<Record<CommandName, Record<string, string>>> = {
  profile: { '--format': `one of ${PROFILE_FORMATS.join(', ')}` },
};

function expected(flag: string, command: CommandName = 'bench'): string | undefined {
  return COMMAND_EXPECTED[command]?.[flag] ?? EXPECTED[flag];
}

const flagList = (options: OptionSpec) => Object.keys(options).map((name) => `--${name}`).join(', ');

/** The file arguments a command takes, by name; commands not listed take only options. */
const COMMAND_POSITIONALS: Partial<Record<CommandName, readonly string[]>> = {
  report: ['FILE.json'],
  compare: ['A.json', 'B.json'],
};

interface ParsedOptions {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** node:util parseArgs, with its errors rewritten to name the flag and what it expects. */
function parseOptions(command: CommandName, args: readonly string[]): ParsedOptions {
  const options = COMMAND_OPTIONS[command];
  const wanted = COMMAND_POSITIONALS[command];
  try {
    const parsed = parseArgs({ args: [...args], options, strict: true, allowPositionals: wanted !== undefined });
    const positionals = parsed.positionals;
    if (wanted !== undefined && !parsed.values.help && positionals.length !== wanted.length) {
      const given = positionals.length === 0 ? 'none' : positionals.map((item) => `"${item}"`).join(' ');
      throw new UsageError(`"ipclab ${command}" takes ${wanted.join(' ')}; got ${given}`, command);
    }
    return { values: parsed.values as Record<string, string | boolean | undefined>, positionals };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const { code, message } = error as { code?: string; message: string };
    const flag = /'(-[^' ]+)/.exec(message)?.[1];
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      throw new UsageError(`unknown option ${flag ?? message} for "ipclab ${command}"; its options are ${flagList(options)}`, command);
    }
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      const argument = /'([^']*)'/.exec(message)?.[1] ?? message;
      throw new UsageError(`unexpected argument "${argument}" for "ipclab ${command}"; it takes only options (${flagList(options)})`, command);
    }
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && flag) {
      const expects = expected(flag, command);
      if (expects && /missing/.test(message)) throw new UsageError(`${flag} expects ${expects}, but no value was given`, command);
      if (expects && /ambiguous/.test(message)) {
        throw new UsageError(`${flag} expects ${expects}; a value starting with "-" must be written as ${flag}=VALUE`, command);
      }
      if (/does not take an argument/.test(message)) throw new UsageError(`${flag} is a switch and takes no value`, command);
    }
    throw new UsageError(message, command);
  }
}

/** The comma-separated items of a list flag, trimmed, without empty items or repeats. */
function listItems(flag: string, text: string): string[] {
  const items = [...new Set(text.split(',').map((item) => item.trim()).filter((item) => item !== ''))];
  if (items.length === 0) throw new UsageError(`${flag} expects ${EXPECTED[flag]}, got "${text}"`, 'bench');
  return items;
}

function oneOf<T extends string>(flag: string, text: string, allowed: readonly T[]): T[] {
  return listItems(flag, text).map((item) => {
    if (!(allowed as readonly string[]).includes(item)) {
      throw new UsageError(`${flag}: unknown value "${item}"; expected ${EXPECTED[flag]}`, 'bench');
    }
    return item as T;
  });
}

/** One value of a flag that takes exactly one of `allowed`. */
function choice<T extends string>(flag: string, text: string, allowed: readonly T[], command: CommandName): T {
  const value = text.trim();
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${flag}: unknown value "${text}"; expected ${expected(flag, command)}`, command);
  return value as T;
}

/** An element count written as 100000, 1e5, 2.5e5 or 10^5 (`flag` and `command` name it in errors). */
export function parseSize(text: string, flag = '--sizes', command: CommandName = 'bench'): number {
  const trimmed = text.trim();
  const power = /^10\^(\d{1,2})$/.exec(trimmed);
  let value = NaN;
  if (power) value = 10 ** Number(power[1]);
  else if (/^\d+$/.test(trimmed) || /^\d+(\.\d+)?e\+?\d{1,2}$/i.test(trimmed)) value = Number(trimmed);
  if (Number.isNaN(value)) {
    throw new UsageError(`${flag}: "${text}" is not an element count; expected ${expected(flag, command)}`, command);
  }
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`${flag}: "${text}" is not a whole number of at least 1 element`, command);
  if (value > MAX_ELEMENTS) {
    throw new UsageError(`${flag}: "${text}" is more than ${MAX_ELEMENTS.toLocaleString('en-US')} elements, the largest JS array`, command);
  }
  return value;
}

function parsePositiveInteger(flag: string, text: string, command: CommandName = 'bench'): number {
  const value = /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < 1) throw new UsageError(`${flag} expects ${expected(flag, command)}, got "${text}"`, command);
  return value;
}

function parsePositiveSeconds(flag: string, text: string, command: CommandName = 'bench'): number {
  const value = /^\s*(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?\s*$/i.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(value) || value <= 0) throw new UsageError(`${flag} expects ${expected(flag, command)}, got "${text}"`, command);
  return value;
}

/** --out as given; an empty path is a mistake. */
function outPath(out: string | undefined, command: CommandName): string | undefined {
  if (out !== undefined && out.trim() === '') throw new UsageError(`--out expects ${EXPECTED['--out']}, got an empty string`, command);
  return out;
}

/** A message size in bytes: 64, 1e3, 10^3, 64KiB or 1MiB. */
export function parseMessageBytes(text: string): number {
  const suffixed = /^\s*(\d+)\s*(KiB|MiB)\s*$/.exec(text);
  const value = suffixed
    ? Number(suffixed[1]) * (suffixed[2] === 'KiB' ? 1024 : 1024 * 1024)
    : /^\s*(\d+(\.\d+)?e\+?\d{1,2}|\d+|10\^\d{1,2})\s*$/i.test(text)
      ? text.includes('^')
        ? 10 ** Number(text.trim().slice(3))
        : Number(text)
      : NaN;
  if (!Number.isInteger(value) || value < 1 || value > MAX_MESSAGE_BYTES) {
    throw new UsageError(`--sizes: "${text}" is not a message size; expected a whole number of bytes from 1 to ${MAX_MESSAGE_BYTES} (such as 8, 1e3, 64KiB or 1MiB)`, 'bench');
  }
  return value;
}

function parseWholeNumber(flag: string, text: string): number {
  const value = /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value)) throw new UsageError(`${flag} expects ${EXPECTED[flag]}, got "${text}"`, 'bench');
  return value;
}

type FlagValues = Record<string, string | boolean | undefined>;

/** --repeat, --timeout and --budget: the same in every mode. */
function repetitionOptions(values: FlagValues): Pick<BenchOptions, 'repeat' | 'timeoutSeconds' | 'budgetSeconds'> {
  const text = (name: string) => values[name] as string | undefined;
  const repeat = text('repeat');
  const timeout = text('timeout');
  const budget = text('budget');
  return {
    repeat: repeat === undefined ? BENCH_DEFAULTS.repeat : parsePositiveInteger('--repeat', repeat),
    timeoutSeconds: timeout === undefined ? BENCH_DEFAULTS.timeoutSeconds : parsePositiveSeconds('--timeout', timeout),
    ...(budget === undefined ? {} : { budgetSeconds: parsePositiveSeconds('--budget', budget) }),
  };
}

/** --transports, --format and --out: the same in every mode. */
function selectionAndReport(values: FlagValues): Pick<BenchRequest, 'transportNames' | 'format' | 'out' | 'allowErrors' | 'wide'> {
  const transports = values.transports as string | undefined;
  const format = values.format as string | undefined;
  return {
    transportNames: transports === undefined ? undefined : listItems('--transports', transports),
    format: format === undefined ? BENCH_DEFAULTS.format : choice('--format', format, REPORT_FORMATS, 'bench'),
    out: outPath(values.out as string | undefined, 'bench'),
    allowErrors: values['allow-errors'] === true,
    wide: values.wide === true,
  };
}

function messageBenchRequest(values: FlagValues, mode: MessageMode): MessageBenchRequest {
  const text = (name: string) => values[name] as string | undefined;
  const bulkOnly = BULK_ONLY_FLAGS.find((name) => values[name] !== undefined);
  if (bulkOnly) throw new UsageError(`--${bulkOnly} applies to --mode bulk only; --mode ${mode} sends bytes (choose sizes with --sizes)`, 'bench');
  const sizes = text('sizes');
  const messages = text('messages');
  const warmup = text('warmup');
  const spin = text('spin-micros');
  return {
    name: 'bench',
    mode,
    options: {
      sizes: sizes === undefined ? [...MESSAGE_SIZES_DEFAULT] : [...new Set(listItems('--sizes', sizes).map(parseMessageBytes))],
      ...(messages === undefined ? {} : { messages: parsePositiveInteger('--messages', messages) }),
      ...(warmup === undefined ? {} : { warmup: parseWholeNumber('--warmup', warmup) }),
      spinMicros: spin === undefined ? null : parseWholeNumber('--spin-micros', spin),
      ...repetitionOptions(values),
    },
    ...selectionAndReport(values),
  };
}

function benchRequest(values: FlagValues): BenchRequest | MessageBenchRequest {
  const text = (name: string) => values[name] as string | undefined;
  const mode = text('mode') === undefined ? 'bulk' : choice('--mode', text('mode')!, BENCH_MODES, 'bench');
  if (mode !== 'bulk') return messageBenchRequest(values, mode);
  const messageOnly = MESSAGE_ONLY_FLAGS.find((name) => values[name] !== undefined);
  if (messageOnly) throw new UsageError(`--${messageOnly} applies to --mode latency and --mode throughput only`, 'bench');
  const sizes = text('sizes');
  const payloads = text('payloads');
  const codecs = text('codecs');
  return {
    name: 'bench',
    options: {
      sizes: sizes === undefined ? [...BENCH_DEFAULTS.sizes] : [...new Set(listItems('--sizes', sizes).map((item) => parseSize(item)))],
      payloads: payloads === undefined ? [...BENCH_DEFAULTS.payloads] : oneOf('--payloads', payloads, PAYLOAD_IDS),
      ...(codecs === undefined ? {} : { codecs: oneOf('--codecs', codecs, CODEC_IDS) }),
      ...repetitionOptions(values),
    },
    ...selectionAndReport(values),
    python: values.python === true,
  };
}

function profileRequest(values: Record<string, string | boolean | undefined>): ProfileRequest {
  const text = (name: string) => values[name] as string | undefined;
  const payload = text('payload');
  const codec = text('codec');
  const size = text('size');
  const top = text('top');
  const timeout = text('timeout');
  const format = text('format');
  const request: Omit<ProfileRequest, 'transportName'> = {
    name: 'profile',
    payload: payload === undefined ? PROFILE_DEFAULTS.payload : choice('--payload', payload, PAYLOAD_IDS, 'profile'),
    codec: codec === undefined ? undefined : choice('--codec', codec, CODEC_IDS, 'profile'),
    elements: size === undefined ? PROFILE_DEFAULTS.elements : parseSize(size, '--size', 'profile'),
    top: top === undefined ? PROFILE_DEFAULTS.top : parsePositiveInteger('--top', top, 'profile'),
    timeoutSeconds: timeout === undefined ? PROFILE_DEFAULTS.timeoutSeconds : parsePositiveSeconds('--timeout', timeout, 'profile'),
    format: format === undefined ? PROFILE_DEFAULTS.format : choice('--format', format, PROFILE_FORMATS, 'profile'),
    out: outPath(text('out'), 'profile'),
    keepProfiles: values['keep-profiles'] === true,
  };
  const transport = text('transport')?.trim();
  if (transport === undefined || transport === '') {
    throw new UsageError(`--transport is required: ${EXPECTED['--transport']}, e.g. --transport shm`, 'profile');
  }
  return { ...request, transportName: transport };
}

/** Checks --transports against the registered ids (known only once the registry is loaded). */
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
  const { values, positionals } = parseOptions(first, rest);
  if (values.help) return { name: 'help', topic: first };
  switch (first) {
    case 'list':
      return { name: 'list' };
    case 'clean':
      return { name: 'clean', all: values.all === true, dryRun: values['dry-run'] === true };
    case 'bench':
      return benchRequest(values);
    case 'profile':
      return profileRequest(values);
    case 'report': {
      const format = values.format as string | undefined;
      return {
        name: 'report',
        file: positionals[0]!,
        format: format === undefined ? 'table' : choice('--format', format, REPORT_FORMATS, 'report'),
        out: outPath(values.out as string | undefined, 'report'),
        force: values.force === true,
        wide: values.wide === true,
      };
    }
    case 'compare': {
      const phase = values.phase as string | undefined;
      return {
        name: 'compare',
        fileA: positionals[0]!,
        fileB: positionals[1]!,
        phase: phase === undefined ? 'endToEnd' : choice('--phase', phase, PHASE_NAMES, 'compare'),
      };
    }
  }
}

/** Quotes an argument for display when the shell would need it. */
function shellQuote(argument: string): string {
  return /^[\w@%+=:,./^-]+$/.test(argument) ? argument : `'${argument.replaceAll("'", "'\\''")}'`;
}

/** The command line as a person would retype it, for the report's context. */
export function commandLineText(argv: readonly string[]): string {
  return ['ipclab', ...argv].map(shellQuote).join(' ');
}
