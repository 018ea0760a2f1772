// Every command and every flag of `ipclab`, each written once: the parser (args.ts), its error
// messages and the help texts (help.ts) are all made from this table.
import { BULK_DEFAULTS, MESSAGE_SIZES, PROFILE_DEFAULTS, REPETITION_DEFAULTS } from '../bench/defaults.js';
import { BENCH_MODES, CODEC_IDS, PAYLOAD_IDS, PHASE_NAMES, PROFILE_FORMATS, REPORT_FORMATS, type PhaseName, type ProfileFormat, type ReportFormat } from '../bench/ids.js';

export const COMMAND_NAMES = ['bench', 'profile', 'report', 'compare', 'list', 'clean'] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

export interface Flag {
  /** Without its dashes: `sizes` is --sizes. */
  name: string;
  /** A one-letter alias, as -h for --help. */
  short?: string;
  /** What the flag's value is called in the help (LIST, N, FILE); a switch has none. */
  value?: string;
  /** What the value must be, as an error says it: "--repeat expects a positive whole number". */
  expects?: string;
  /** The help text, with its line breaks as printed. */
  help: string;
}

export interface CommandSpec {
  /** Its line in `ipclab --help`. */
  summary: string;
  /** What follows "Usage: " in its help. */
  usage: string;
  /** The file arguments it takes, by name; none: it takes only options. */
  positionals?: readonly string[];
  description: string;
  /** In the order the help lists them; --help is every command's, and last. */
  flags: readonly Flag[];
  /** How wide the column of flags is in its help; their help text starts after it. */
  flagColumn: number;
  /** What the help says after the options: exit status, examples. */
  footer?: string;
}

export const HELP_FLAG: Flag = { name: 'help', short: 'h', help: 'Show this help' };

/** Defaults that only the command line has: how a result is printed, and what is compared. */
export const DEFAULT_REPORT_FORMAT: ReportFormat = 'table';
export const DEFAULT_PROFILE_FORMAT: ProfileFormat = 'text';
export const DEFAULT_COMPARE_PHASE: PhaseName = 'endToEnd';

/** 1e3 for 1000: how the help writes a power of ten. */
const exponent = (n: number) => `1e${Math.log10(n)}`;
/** 1KiB for 1024: how the help writes a message size. */
const binary = (bytes: number) => (bytes >= 2 ** 20 ? `${bytes / 2 ** 20}MiB` : bytes >= 1024 ? `${bytes / 1024}KiB` : String(bytes));

const oneOf = (ids: readonly string[]) => `one of ${ids.join(', ')}`;
const listOf = (ids: readonly string[]) => `a comma-separated list of ${ids.join(', ')}`;
const POSITIVE_WHOLE = 'a positive whole number';
const POSITIVE_SECONDS = 'a positive number of seconds';
const WIDE_HELP = 'The table with every column and note on its row (default: at most 120 columns)';

const timeout = (help: string): Flag => ({ name: 'timeout', value: 'SECONDS', expects: POSITIVE_SECONDS, help });
const out = (help: string): Flag => ({ name: 'out', value: 'FILE', expects: 'a file path', help });

const BENCH: CommandSpec = {
  summary: 'Move 0..n-1 over every transport in fresh processes, verify every element, time each phase',
  usage: 'ipclab bench [options]',
  description: `Runs each selected case (transport x payload x codec x size) in fresh processes, verifies every
element at the receiver, and prints the results with the machine's memcpy as the yardstick.
Progress goes to stderr, one line per case.`,
  flagColumn: 20,
  flags: [
    {
      name: 'mode',
      value: 'MODE',
      expects: oneOf(BENCH_MODES),
      help: `bulk: one payload per case (default). latency: ping-pong round trips of
messages between two processes (p50, p90, p99, max). throughput: a stream
of messages, each checked by the receiver (messages/s, GB/s). Both message
modes include "native", a C++ reference over ipclab's own core.`,
    },
    {
      name: 'sizes',
      value: 'LIST',
      expects: 'a comma-separated list of element counts such as 1e3,1e6 or 10^5',
      help: `bulk: element counts, comma-separated, each as 1e6, 1000000 or 10^6
(default: ${BULK_DEFAULTS.sizes.map(exponent).join(',')}). latency, throughput: message sizes in bytes, as
8, 1e3, 64KiB or 1MiB (default: ${MESSAGE_SIZES.map(binary).join(',')})`,
    },
    {
      name: 'transports',
      value: 'LIST',
      expects: 'a comma-separated list of transport ids (see "ipclab list")',
      help: `Transport ids, comma-separated (default: all of Node's; see "ipclab list")`,
    },
    {
      name: 'python',
      help: `Also run the Python rows, measured here: bulk, Python's multiprocessing (py-*)
and the Node<->Python interop cases; throughput, Node<->Python over ShmChannel and
Python's Pipe. Skipped with the reason when python3 (or numpy) is missing`,
    },
    { name: 'payloads', value: 'LIST', expects: listOf(PAYLOAD_IDS), help: `Any of ${PAYLOAD_IDS.join(', ')} (default: ${BULK_DEFAULTS.payloads.join(',')})` },
    { name: 'codecs', value: 'LIST', expects: listOf(CODEC_IDS), help: `Any of ${CODEC_IDS.join(', ')} (default: every codec each transport uses)` },
    { name: 'repeat', value: 'N', expects: POSITIVE_WHOLE, help: `Fresh repetitions per case; medians are reported (default: ${REPETITION_DEFAULTS.repeat})` },
    timeout(`Time limit for each run of a case (default: ${REPETITION_DEFAULTS.timeoutSeconds})`),
    { name: 'budget', value: 'SECONDS', expects: POSITIVE_SECONDS, help: 'No further repetitions of a case once it has used this long (default: none)' },
    { name: 'format', value: 'FORMAT', expects: oneOf(REPORT_FORMATS), help: `${REPORT_FORMATS.join(', ')} (default: ${DEFAULT_REPORT_FORMAT})` },
    out('Write the report in FORMAT to FILE; the table still goes to stdout'),
    {
      name: 'messages',
      value: 'N',
      expects: POSITIVE_WHOLE,
      help: `latency, throughput: measured messages per repetition (default: per size,
latency 2,000, fewer above 8 KiB (16 MiB moved, at least 16);
throughput 200,000, fewer above 1 KiB (256 MiB moved, at least 64))`,
    },
    {
      name: 'warmup',
      value: 'N',
      expects: 'a whole number (0 for none)',
      help: `latency, throughput: unmeasured messages first (default: latency 3,000
at small sizes, fewer above 4 KiB; throughput a tenth of --messages,
at least 5,000 or 256 MiB of them, at most 20,000)`,
    },
    {
      name: 'spin-micros',
      value: 'N',
      expects: 'a whole number of microseconds',
      help: `latency, throughput: ipclab's own paths (shm, shm-value, shm-batch, semaphore, the
interop channels) and native spin this long before blocking; costs a core while spinning
(default: no spin)`,
    },
    { name: 'allow-errors', help: 'Exit 0 even when a case errored or failed verification' },
    { name: 'wide', help: WIDE_HELP },
  ],
  footer: `Exit status: 0 when every case completed verified or was skipped by design (a payload or codec
its transport does not carry); 1 when any case errored or failed verification, unless
--allow-errors is given; 2 for a mistake on the command line.

Examples:
  ipclab bench --sizes 1e5,1e6 --payloads int32 --format html --out report.html
  ipclab bench --mode latency --sizes 8,1KiB --transports shm,ipc-json,native`,
};

const PROFILE: CommandSpec = {
  summary: "Run one case under V8's CPU profiler and say where each side's time went",
  usage: 'ipclab profile --transport ID [options]',
  description: `Runs one case once, with every process of it (and its worker threads) under V8's CPU profiler, and
shows where the time went: the phases, every mark of both sides on one timeline, the functions with
the most self time inside the measured window (sender sendStart to receiver valueReady) for each
side, and each side's resource use. V8's "(program)" and "(garbage collector)" rows are always
listed; "(idle)" is time a thread waited. It ends with a conclusion per side, all in ms: the
window's shares in ipclab's copy, wait and wake, close and unmap, waiting, serialization, garbage
collection, the harness, Node and V8, and time no sample saw; the page faults inside the window,
priced by a per-fault cost measured in the same run; and what the top functions do. The
.cpuprofile files are removed afterwards. Exit status:
0 when the payload arrived verified, 1 when the case failed or did not verify, 2 for a bad option.`,
  flagColumn: 20,
  flags: [
    { name: 'transport', value: 'ID', expects: 'a transport id (see "ipclab list")', help: 'The transport (required; see "ipclab list")' },
    { name: 'payload', value: 'PAYLOAD', expects: oneOf(PAYLOAD_IDS), help: `One of ${PAYLOAD_IDS.join(', ')} (default: ${PROFILE_DEFAULTS.payload})` },
    { name: 'codec', value: 'CODEC', expects: oneOf(CODEC_IDS), help: `One of ${CODEC_IDS.join(', ')} (default: the transport's first codec)` },
    { name: 'size', value: 'N', expects: 'an element count such as 1e6, 1000000 or 10^6', help: `Element count, as 1e6, 1000000 or 10^6 (default: ${exponent(PROFILE_DEFAULTS.elements)})` },
    { name: 'top', value: 'N', expects: POSITIVE_WHOLE, help: `Functions to list per side (default: ${PROFILE_DEFAULTS.top})` },
    timeout(`Time limit for the run (default: ${PROFILE_DEFAULTS.timeoutSeconds})`),
    { name: 'format', value: 'FORMAT', expects: oneOf(PROFILE_FORMATS), help: `${PROFILE_FORMATS.join(', ')} (default: ${DEFAULT_PROFILE_FORMAT})` },
    out('Write the profile in FORMAT to FILE; the text still goes to stdout'),
    { name: 'keep-profiles', help: 'Keep the .cpuprofile files and print their directory' },
  ],
  footer: `Example:
  ipclab profile --transport shm --payload array --codec raw --size 1e7`,
};

const REPORT: CommandSpec = {
  summary: 'Render a saved run (JSON) as a table, Markdown, CSV or HTML',
  usage: 'ipclab report FILE.json [options]',
  positionals: ['FILE.json'],
  description: `Renders a saved run (written by "ipclab bench --format json --out FILE.json") in another format.
The file is checked against the result schema first: a file that is not a result is refused with
the first offending path.`,
  flagColumn: 20,
  flags: [
    { name: 'format', value: 'FORMAT', expects: oneOf(REPORT_FORMATS), help: `${REPORT_FORMATS.join(', ')} (default: ${DEFAULT_REPORT_FORMAT})` },
    out('Write the report to FILE instead of stdout; an existing FILE is kept'),
    { name: 'force', help: 'Replace an existing --out FILE' },
    { name: 'wide', help: WIDE_HELP },
  ],
  footer: `Example:
  ipclab report bench/results/full.json --format html --out full.html`,
};

const COMPARE: CommandSpec = {
  summary: 'Two saved runs side by side: ratio B/A per shared case, marked only where the samples show a difference',
  usage: 'ipclab compare A.json B.json [options]',
  positionals: ['A.json', 'B.json'],
  description: `Puts the verified cases that two saved runs share side by side: the repetitions of each (n),
their medians, the ratio B/A with a seeded bootstrap 95% interval, and Mann-Whitney's p. A case is
marked "* B faster" or "* B slower" when p is below 5% family-wise over all shared cases (Holm) and
the interval lies wholly beyond ±10% (the drift of separate runs on a shared machine); "too few
samples to tell" when no p could get that low with these n (3
repetitions a side never can; the summary says how many --repeat needs). Deterministic: the same
files give the same output. Cases that only one run has are listed after it.
A side may be several runs joined by commas: their repetitions are pooled per case. On a noisy
machine, run before and after alternately and pool each side's runs, so both meet the same load.`,
  flagColumn: 20,
  flags: [{ name: 'phase', value: 'PHASE', expects: oneOf(PHASE_NAMES), help: `The phase to compare: ${PHASE_NAMES.join(', ')} (default: ${DEFAULT_COMPARE_PHASE})` }],
  footer: `Examples:
  ipclab compare before.json after.json
  ipclab compare before1.json,before2.json after1.json,after2.json`,
};

const LIST: CommandSpec = {
  summary: 'List the transports: one line each with the modes it runs in (--verbose: mechanisms and limits)',
  usage: 'ipclab list [--verbose]',
  description: `Lists every transport id that "ipclab bench" takes, one line each: what it is and the modes it
runs in (bulk, latency, throughput); ids in bulk mode under --python need python3. --verbose
prints each bulk transport's Python multiprocessing counterpart, Node mechanism, payloads,
codecs, constraint on data and known limits, then each message transport's mechanism.`,
  flagColumn: 13,
  flags: [{ name: 'verbose', help: 'Every field of every transport, as blocks of text' }],
};

const CLEAN: CommandSpec = {
  summary: 'List or remove shared memory objects that ipclab left in /dev/shm',
  usage: 'ipclab clean [--all] [--dry-run]',
  description: `Removes what ipclab left behind once nothing uses it: channels under any name (recognised by
their header; removed when every handle recorded there is closed or its process has exited),
segments and named semaphores named "ipclab-<pid>-..." whose creator has exited, and an
interrupted benchmark's folders (/dev/shm/ipclab-*-files-*, the control sockets under
$TMPDIR/ipclab-*). Zombies count as exited; a reused pid does not count as the creator.
Each object is handled on its own: one that cannot be removed is reported, the rest go on.
Exits 1 when any object could not be removed.`,
  flagColumn: 13,
  flags: [
    { name: 'all', help: 'Also remove objects still in use or whose owner cannot be told' },
    { name: 'dry-run', help: 'Only list what would be removed' },
  ],
};

export const COMMANDS: Readonly<Record<CommandName, CommandSpec>> = { bench: BENCH, profile: PROFILE, report: REPORT, compare: COMPARE, list: LIST, clean: CLEAN };

/** Flags only the bulk mode takes, and flags only the message modes take. */
export const BULK_ONLY_FLAGS = ['payloads', 'codecs'] as const;
export const MESSAGE_ONLY_FLAGS = ['messages', 'warmup', 'spin-micros'] as const;

/** A command's flags as its help lists them, --help last. */
export function flagsOf(command: CommandName): readonly Flag[] {
  return [...COMMANDS[command].flags, HELP_FLAG];
}

/** What `--name` of `command` must be, for an error message. */
export function expects(command: CommandName, name: string): string | undefined {
  return COMMANDS[command].flags.find((flag) => flag.name === name)?.expects;
}
