import { describe, expect, it } from 'vitest';

import { usageError } from './support/cli.js';

import { BULK_DEFAULTS, MAX_ELEMENTS } from '../src/bench/defaults.js';
import { commandLineText, parseCommandLine, resolveTransports, type Command } from '../src/cli/args.js';
import { COMMAND_NAMES, COMMANDS, flagsOf } from '../src/cli/flags.js';
import { COMMAND_USAGE } from '../src/cli/help.js';
import { UsageError } from '../src/cli/usage-error.js';
import { parseSize } from '../src/cli/values.js';

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
    expect(parseCommandLine(['list'])).toEqual({ name: 'list', verbose: false });
    expect(parseCommandLine(['list', '--verbose'])).toEqual({ name: 'list', verbose: true });
    expect(parseCommandLine(['clean'])).toEqual({ name: 'clean', all: false, dryRun: false });
    expect(parseCommandLine(['clean', '--dry-run', '--all'])).toEqual({ name: 'clean', all: true, dryRun: true });
  });

  it('rejects a missing or unknown command and stray arguments', () => {
    expect(usageError([]).message).toMatch(/^missing command/);
    expect(usageError(['frob']).message).toMatch(/^unknown command "frob"/);
    expect(usageError(['--frob']).message).toMatch(/^unknown option --frob; before a command only --help and --version/);
    expect(usageError(['--version', 'list']).message).toMatch(/^--version takes no arguments/);
    expect(usageError(['help', 'frob']).message).toMatch(/help takes one command name/);
    const stray = usageError(['list', 'extra']);
    expect(stray.message).toMatch(/^unexpected argument "extra" for "ipclab list"/);
    expect(stray.command).toBe('list');
  });

  it('names an unknown flag and lists the ones the command has', () => {
    const error = usageError(['clean', '--force']);
    expect(error.message).toMatch(/^unknown option --force for "ipclab clean"; its options are /);
    expect(error.command).toBe('clean');
    expect(usageError(['bench', '--size', '1e3']).message).toMatch(/^unknown option --size for "ipclab bench"; its options are .*--sizes/);
    expect(usageError(['clean', '--all=yes']).message).toMatch(/^--all is a switch and takes no value/);
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
    expect(BULK_DEFAULTS.sizes).toEqual([1e3, 1e5, 1e6]);
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
    expect(usageError(['bench', '--sizes', '1e3,lots']).message).toMatch(/^--sizes: "lots" is not an element count/);
    expect(usageError(['bench', '--sizes', '0']).message).toMatch(/^--sizes: "0" is not a whole number of at least 1 element/);
    expect(usageError(['bench', '--sizes', '2.5e0']).message).toMatch(/^--sizes: "2\.5e0" is not a whole number of at least 1 element/);
    expect(usageError(['bench', '--sizes=-5']).message).toMatch(/^--sizes: "-5" is not an element count/);
    expect(usageError(['bench', '--sizes', '1e10']).message).toMatch(/^--sizes: "1e10" is more than 4,294,967,295 elements, the largest JS array/);
    expect(usageError(['bench', '--sizes', ',']).message).toMatch(/^--sizes expects a comma-separated list of element counts such as 1e3,1e6 or 10\^5/);
    expect(usageError(['bench', '--sizes']).message).toMatch(/^--sizes expects a comma-separated list of element counts such as 1e3,1e6 or 10\^5/);
    expect(usageError(['bench', '--sizes', '--repeat', '3']).message).toMatch(/^--sizes expects .*; a value starting with "-" must be written as --sizes=VALUE$/);
  });

  it('rejects unknown payloads, codecs and formats, listing the valid ones', () => {
    expect(usageError(['bench', '--payloads', 'array,list']).message).toMatch(/^--payloads: unknown value "list"/);
    expect(usageError(['bench', '--codecs', 'msgpack']).message).toMatch(/^--codecs: unknown value "msgpack"/);
    expect(usageError(['bench', '--format', 'pdf']).message).toMatch(/^--format: unknown value "pdf"/);
    expect(usageError(['bench', '--format', 'json,csv']).message).toMatch(/^--format: unknown value "json,csv"/);
  });

  it('rejects a repeat count and timeout that are not positive numbers', () => {
    expect(usageError(['bench', '--repeat', '0']).message).toMatch(/^--repeat expects a positive whole number/);
    expect(usageError(['bench', '--repeat', '2.5']).message).toMatch(/^--repeat expects a positive whole number/);
    expect(usageError(['bench', '--repeat', 'three']).message).toMatch(/^--repeat expects a positive whole number/);
    expect(usageError(['bench', '--timeout', '0']).message).toMatch(/^--timeout expects a positive number of seconds/);
    expect(usageError(['bench', '--timeout', '10s']).message).toMatch(/^--timeout expects a positive number of seconds/);
    expect(bench(['--timeout', '.5']).options.timeoutSeconds).toBe(0.5);
    expect(usageError(['bench', '--out', '']).message).toMatch(/^--out expects a file path/);
  });

  it('checks transport names against the registry once it is loaded', () => {
    expect(resolveTransports(undefined, ['shm'])).toBeUndefined();
    expect(resolveTransports(['shm', 'pipe'], ['pipe', 'shm', 'tcp'])).toEqual(['shm', 'pipe']);
    expect(() => resolveTransports(['shm', 'carrier-pigeon'], ['pipe', 'shm'])).toThrow(UsageError);
    expect(() => resolveTransports(['shm', 'carrier-pigeon'], ['pipe', 'shm'])).toThrow(/^--transports: unknown transport "carrier-pigeon"/);
    expect(() => resolveTransports(['shm'], [])).toThrow(/expected ids from: none are registered/);
  });

  it('records the command line as a person would retype it', () => {
    expect(commandLineText(['bench', '--sizes', '1e3,10^5', '--out', 'my report.html'])).toBe(
      "ipclab bench --sizes 1e3,10^5 --out 'my report.html'",
    );
  });
});

describe('command line: one table of flags', () => {
  it('each flag is in its command help and its parser, and nowhere else', () => {
    for (const command of COMMAND_NAMES) {
      const help = COMMAND_USAGE[command];
      const listed = [...help.matchAll(/^ {2}(?:-\w, )?--([\w-]+)/gm)].map((match) => match[1]);
      expect(listed, command).toEqual(flagsOf(command).map((flag) => flag.name));
      const unknown = usageError([command, '--not-a-flag']);
      expect(unknown.message).toContain(`its options are ${['help', ...COMMANDS[command].flags.map((flag) => flag.name)].map((name) => `--${name}`).join(', ')}`);
    }
  });
});
