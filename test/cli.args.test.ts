import { describe, expect, it } from 'vitest';

import {
  BENCH_DEFAULTS,
  commandLineText,
  MAX_ELEMENTS,
  parseCommandLine,
  parseSize,
  resolveTransports,
  UsageError,
  type Command,
} from '../src/cli/args.js';

/** The UsageError a command line raises (fails the test when it parses). */
function usageError(argv: string[]): UsageError {
  try {
    parseCommandLine(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    return error as UsageError;
  }
  throw new Error(`expected ${JSON.stringify(argv)} to be rejected`);
}

const bench = (argv: string[]) => parseCommandLine(['bench', ...argv]) as Extract<Command, { name: 'bench' }>;

describe('command line: commands, help and version', () => {
  it('recognises help and version in their usual spellings', () => {
    expect(parseCommandLine(['--help'])).toEqual({ name: 'help', topic: undefined });
    expect(parseCommandLine(['-h'])).toEqual({ name: 'help', topic: undefined });
    expect(parseCommandLine(['help', 'bench'])).toEqual({ name: 'help', topic: 'bench' });
    expect(parseCommandLine(['clean', '--help'])).toEqual({ name: 'help', topic: 'clean' });
    expect(parseCommandLine(['bench', '-h', '--sizes', '1e3'])).toEqual({ name: 'help', topic: 'bench' });
    expect(parseCommandLine(['--version'])).toEqual({ name: 'version' });
    expect(parseCommandLine(['-V'])).toEqual({ name: 'version' });
  });

  it('parses list and clean with their switches', () => {
    expect(parseCommandLine(['list'])).toEqual({ name: 'list' });
    expect(parseCommandLine(['clean'])).toEqual({ name: 'clean', all: false, dryRun: false });
    expect(parseCommandLine(['clean', '--dry-run', '--all'])).toEqual({ name: 'clean', all: true, dryRun: true });
  });

  it('rejects a missing or unknown command and stray arguments', () => {
    expect(usageError([]).message).toBe('missing command; expected one of bench, profile, report, compare, list, clean');
    expect(usageError(['frob']).message).toBe('unknown command "frob"; expected one of bench, profile, report, compare, list, clean');
    expect(usageError(['--frob']).message).toMatch(/^unknown option --frob; before a command only --help and --version/);
    expect(usageError(['--version', 'list']).message).toBe('--version takes no arguments, got "list"');
    expect(usageError(['help', 'frob']).message).toMatch(/help takes one command name/);
    const stray = usageError(['list', 'extra']);
    expect(stray.message).toBe('unexpected argument "extra" for "ipclab list"; it takes only options (--help)');
    expect(stray.command).toBe('list');
  });

  it('names an unknown flag and lists the ones the command has', () => {
    const error = usageError(['clean', '--force']);
    expect(error.message).toBe('unknown option --force for "ipclab clean"; its options are --help, --all, --dry-run');
    expect(error.command).toBe('clean');
    expect(usageError(['bench', '--size', '1e3']).message).toMatch(/^unknown option --size for "ipclab bench"; its options are .*--sizes/);
    expect(usageError(['clean', '--all=yes']).message).toBe('--all is a switch and takes no value');
  });
});

describe('command line: bench options', () => {
  it('has defaults for every option', () => {
    expect(bench([])).toEqual({
      name: 'bench',
      options: { sizes: [1000, 100000, 1000000], payloads: ['array', 'int32'], repeat: 3, timeoutSeconds: 120 },
      transportNames: undefined,
      python: false,
      format: 'table',
      out: undefined,
      allowErrors: false,
      wide: false,
    });
    expect(BENCH_DEFAULTS.sizes).toEqual([1e3, 1e5, 1e6]);
  });

  it('reads every option, in both --flag value and --flag=value forms', () => {
    const request = bench([
      '--sizes',
      '1e3, 100000,10^5,2.5e5',
      '--transports=shm,pipe',
      '--python',
      '--payloads',
      'int32,float64',
      '--codecs',
      'raw',
      '--repeat',
      '5',
      '--timeout',
      '2.5',
      '--format',
      'html',
      '--out',
      'report.html',
      '--allow-errors',
      '--wide',
    ]);
    expect(request).toEqual({
      name: 'bench',
      // 100000 and 10^5 are the same size: listed once.
      options: { sizes: [1000, 100000, 250000], payloads: ['int32', 'float64'], codecs: ['raw'], repeat: 5, timeoutSeconds: 2.5 },
      transportNames: ['shm', 'pipe'],
      python: true,
      format: 'html',
      out: 'report.html',
      allowErrors: true,
      wide: true,
    });
  });

  it('accepts sizes as 1e5, 100000 and 10^5', () => {
    expect(parseSize('1e5')).toBe(100000);
    expect(parseSize('1E8')).toBe(1e8);
    expect(parseSize('100000')).toBe(100000);
    expect(parseSize('10^5')).toBe(100000);
    expect(parseSize('10^0')).toBe(1);
    expect(parseSize('2.5e5')).toBe(250000);
    expect(parseSize(String(MAX_ELEMENTS))).toBe(MAX_ELEMENTS);
  });

  it('rejects sizes that are not whole positive element counts, saying what is expected', () => {
    expect(usageError(['bench', '--sizes', '1e3,lots']).message).toBe(
      '--sizes: "lots" is not an element count; expected a comma-separated list of element counts such as 1e3,1e6 or 10^5',
    );
    expect(usageError(['bench', '--sizes', '0']).message).toBe('--sizes: "0" is not a whole number of at least 1 element');
    expect(usageError(['bench', '--sizes', '2.5e0']).message).toBe('--sizes: "2.5e0" is not a whole number of at least 1 element');
    expect(usageError(['bench', '--sizes=-5']).message).toMatch(/^--sizes: "-5" is not an element count/);
    expect(usageError(['bench', '--sizes', '1e10']).message).toBe('--sizes: "1e10" is more than 4,294,967,295 elements, the largest JS array');
    expect(usageError(['bench', '--sizes', ',']).message).toBe('--sizes expects a comma-separated list of element counts such as 1e3,1e6 or 10^5, got ","');
    expect(usageError(['bench', '--sizes']).message).toBe(
      '--sizes expects a comma-separated list of element counts such as 1e3,1e6 or 10^5, but no value was given',
    );
    expect(usageError(['bench', '--sizes', '--repeat', '3']).message).toMatch(/^--sizes expects .*; a value starting with "-" must be written as --sizes=VALUE$/);
  });

  it('rejects unknown payloads, codecs and formats, listing the valid ones', () => {
    expect(usageError(['bench', '--payloads', 'array,list']).message).toBe(
      '--payloads: unknown value "list"; expected a comma-separated list of array, mixed, int32, float64',
    );
    expect(usageError(['bench', '--codecs', 'msgpack']).message).toBe('--codecs: unknown value "msgpack"; expected a comma-separated list of json, v8, raw, pickle');
    expect(usageError(['bench', '--format', 'pdf']).message).toBe('--format: unknown value "pdf"; expected one of table, json, csv, markdown, html');
    expect(usageError(['bench', '--format', 'json,csv']).message).toBe('--format: unknown value "json,csv"; expected one of table, json, csv, markdown, html');
  });

  it('rejects a repeat count and timeout that are not positive numbers', () => {
    expect(usageError(['bench', '--repeat', '0']).message).toBe('--repeat expects a positive whole number, got "0"');
    expect(usageError(['bench', '--repeat', '2.5']).message).toBe('--repeat expects a positive whole number, got "2.5"');
    expect(usageError(['bench', '--repeat', 'three']).message).toBe('--repeat expects a positive whole number, got "three"');
    expect(usageError(['bench', '--timeout', '0']).message).toBe('--timeout expects a positive number of seconds, got "0"');
    expect(usageError(['bench', '--timeout', '10s']).message).toBe('--timeout expects a positive number of seconds, got "10s"');
    expect(bench(['--timeout', '.5']).options.timeoutSeconds).toBe(0.5);
    expect(usageError(['bench', '--out', '']).message).toBe('--out expects a file path, got an empty string');
  });

  it('checks transport names against the registry once it is loaded', () => {
    expect(resolveTransports(undefined, ['shm'])).toBeUndefined();
    expect(resolveTransports(['shm', 'pipe'], ['pipe', 'shm', 'tcp'])).toEqual(['shm', 'pipe']);
    expect(() => resolveTransports(['shm', 'carrier-pigeon'], ['pipe', 'shm'])).toThrow(
      new UsageError('--transports: unknown transport "carrier-pigeon"; expected ids from: pipe, shm', 'bench'),
    );
    expect(() => resolveTransports(['shm'], [])).toThrow(/expected ids from: none are registered/);
  });

  it('records the command line as a person would retype it', () => {
    expect(commandLineText(['bench', '--sizes', '1e3,10^5', '--out', 'my report.html'])).toBe(
      "ipclab bench --sizes 1e3,10^5 --out 'my report.html'",
    );
  });
});
