// Every error sentence asserted word for word lives here (other tests check the class, the code and
// a fragment): the library's (defect 10: messages that named internal objects, gave impossible ranges,
// or gave wrong advice), the command line's, and the benchmark's.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { PassThrough } from 'node:stream';

import { describe, expect, it } from 'vitest';

import { encodeBody } from '../src/bench/codecs/bodies.js';
import { decodeFrame } from '../src/bench/codecs/frame.js';
import { JsonBodyDecoder } from '../src/bench/codecs/json.js';
import { readFrame } from '../src/bench/codecs/streams.js';
import { unsupportedReason } from '../src/bench/modes/bulk.js';
import { ArrayAssembler, rawWireType, verifyPayload } from '../src/bench/payload.js';
import type { PayloadId } from '../src/bench/ids.js';
import { resolveTransports } from '../src/cli/args.js';
import { UsageError } from '../src/cli/usage-error.js';
import { IpcError, Semaphore, SharedMemory, ShmChannel, uniqueName } from '../src/index.js';
import { addon } from '../src/native.js';
import { ipclab, usageError } from './support/cli.js';
import { rejection, thrown } from './support/errors.js';
import { testName } from './support/names.js';

const dist = JSON.stringify(new URL('../dist/index.js', import.meta.url).href);

function runScript(script: string, shellPrefix = '', nodeFlags = '') {
  const node = `${JSON.stringify(process.execPath)} ${nodeFlags} --input-type=module -e "$IPCLAB_SCRIPT"`;
  return spawnSync('sh', ['-c', `${shellPrefix}exec ${node}`], {
    encoding: 'utf8',
    env: { ...process.env, IPCLAB_SCRIPT: `import { IpcError, SharedMemory } from ${dist};\nimport fs from 'node:fs';\n${script}` },
    timeout: 120_000,
  });
}

describe('error messages', () => {
  it('a channel closed during a wait says the channel was closed, not which semaphore', async () => {
    const channel = ShmChannel.create(testName('msgclose'), { ringBytes: 4096 });
    const pending = channel.receive();
    await new Promise((resolve) => setTimeout(resolve, 20));
    channel.close();
    const error = await rejection(pending);
    expect(error).toBeInstanceOf(IpcError);
    expect(error).toMatchObject({ code: 'ERR_CLOSED', name: channel.name });
    // It names the channel the caller holds, never the semaphore inside it.
    expect((error as Error).message).toMatch(new RegExp(`^channel "${channel.name}" (is|was) closed`));
    expect((error as Error).message).not.toMatch(/semaphore/);
  });

  it('a segment too small for a semaphore says so, instead of "from 0 to -24"', () => {
    const segment = SharedMemory.create(testName('tiny'), 8);
    try {
      const error = thrown(() => Semaphore.createIn(segment, 0));
      expect(error).toBeInstanceOf(RangeError);
      expect((error as Error).message).toBe(`segment "${segment.name}" is 8 bytes, too small for a semaphore (${Semaphore.byteLength} bytes)`);
    } finally {
      segment.close();
    }
  });

  it('a name that is not a string, and data whose buffer is detached', async () => {
    expect((thrown(() => uniqueName(1 as unknown as string)) as Error).message).toBe('tag must be a string (a short word such as "jobs"), got 1');
    const channel = ShmChannel.create(testName('detached'), { ringBytes: 4096 });
    try {
      const buffer = new ArrayBuffer(8);
      structuredClone(buffer, { transfer: [buffer] });
      expect(((await rejection(channel.send(buffer))) as Error).message).toBe(
        'data must be readable, but its ArrayBuffer is detached (transferred, or its shared memory closed)',
      );
    } finally {
      channel.close();
    }
  });

  it('shm_unlink("..") is EISDIR with its own name and phrase, never EUNKNOWN', () => {
    const error = thrown(() => addon.SharedMemoryHandle.unlink('/..'));
    expect(error).toBeInstanceOf(IpcError);
    expect(error).toMatchObject({ code: 'EISDIR', syscall: 'shm_unlink' });
    expect((error as Error).message).toBe(
      'shm_unlink "/.." failed: is a directory (EISDIR); a shared memory or semaphore name must not be "." or ".."',
    );
  });

  it('EMFILE says ipclab holds no descriptors and points at the process limit', () => {
    const result = runScript(
      `
      const held = [];
      try { for (;;) held.push(fs.openSync('/dev/null', 'r')); } catch {}
      try { SharedMemory.create('ipclab-emfile-' + process.pid, 4096); console.log('created'); }
      catch (error) { console.log(JSON.stringify({ code: error.code, message: error.message })); }
      held.forEach((fd) => fs.closeSync(fd));
    `,
      'ulimit -n 64; ',
    );
    expect(result.stderr).toBe('');
    const { code, message } = JSON.parse(result.stdout) as { code: string; message: string };
    expect(code).toBe('EMFILE');
    expect(message).toMatch(/ipclab objects hold no file descriptor once open/);
    expect(message).toMatch(/ulimit -n/);
  });

  // Under npm run test:sanitize, AddressSanitizer's own allocator fails first at the mapping limit.
  it.skipIf(process.env.IPCLAB_SANITIZE === '1')('mmap ENOMEM at the mapping limit names vm.max_map_count instead of advising to free memory', () => {
    // At the limit V8 cannot map memory either, so the child compiles its failure path first (and runs
    // --jitless, with no background compiles), then gives back 64 mappings before doing anything else.
    const result = runScript(
      `
      const name = 'ipclab-' + process.pid + '-maps';
      const first = SharedMemory.create(name, 4096);
      const opened = [];
      let openedAtFailure = 0;
      const giveBackAndDescribe = (error) => {
        openedAtFailure = opened.length;
        for (let i = 0; i < 64 && opened.length > 0; i++) opened.pop().close();
        return { code: error.code, syscall: error.syscall, message: error.message };
      };
      opened.push(SharedMemory.open(name));
      try { SharedMemory.open(name + '-absent'); } catch (error) { JSON.stringify(giveBackAndDescribe(error)); }
      let failure;
      while (!failure) {
        try { opened.push(SharedMemory.open(name)); } catch (error) { failure = giveBackAndDescribe(error); }
      }
      opened.forEach((segment) => segment.close());
      first.close();
      console.log(JSON.stringify({ failure, opened: openedAtFailure }));
    `,
      '',
      '--jitless --no-expose-wasm',
    );
    fs.rmSync(`/dev/shm/ipclab-${result.pid}-maps`, { force: true });
    expect(result.stderr).toBe('');
    const { failure, opened } = JSON.parse(result.stdout) as { failure: { code: string; syscall: string; message: string }; opened: number };
    expect(opened).toBeGreaterThan(1000);
    expect(failure).toMatchObject({ code: 'ENOMEM', syscall: 'mmap' });
    expect(failure.message).toMatch(/memory mappings and the limit \(vm\.max_map_count\) is \d+/);
  });
});

/** Every sentence the command line prints for a mistake, word for word; other tests check fragments. */
describe('command-line messages', () => {
  const messages: Array<[string[], string]> = [
    [[], 'missing command; expected one of bench, profile, report, compare, list, clean'],
    [['frob'], 'unknown command "frob"; expected one of bench, profile, report, compare, list, clean'],
    [['--version', 'list'], '--version takes no arguments, got "list"'],
    [['clean', '--all=yes'], '--all is a switch and takes no value'],
    [['bench', '--sizes', '1e3,lots'], '--sizes: "lots" is not an element count; expected a comma-separated list of element counts such as 1e3,1e6 or 10^5'],
    [['bench', '--sizes', '0'], '--sizes: "0" is not a whole number of at least 1 element'],
    [['bench', '--sizes', '2.5e0'], '--sizes: "2.5e0" is not a whole number of at least 1 element'],
    [['bench', '--sizes', '1e10'], '--sizes: "1e10" is more than 4,294,967,295 elements, the largest JS array'],
    [['bench', '--sizes', ','], '--sizes expects a comma-separated list of element counts such as 1e3,1e6 or 10^5, got ","'],
    [['bench', '--sizes'], '--sizes expects a comma-separated list of element counts such as 1e3,1e6 or 10^5, but no value was given'],
    [['bench', '--payloads', 'array,list'], '--payloads: unknown value "list"; expected a comma-separated list of array, mixed, int32, float64'],
    [['bench', '--codecs', 'msgpack'], '--codecs: unknown value "msgpack"; expected a comma-separated list of json, v8, raw, pickle'],
    [['bench', '--format', 'pdf'], '--format: unknown value "pdf"; expected one of table, json, csv, markdown, html'],
    [['bench', '--format', 'json,csv'], '--format: unknown value "json,csv"; expected one of table, json, csv, markdown, html'],
    [['bench', '--repeat', '0'], '--repeat expects a positive whole number, got "0"'],
    [['bench', '--repeat', '2.5'], '--repeat expects a positive whole number, got "2.5"'],
    [['bench', '--repeat', 'three'], '--repeat expects a positive whole number, got "three"'],
    [['bench', '--timeout', '0'], '--timeout expects a positive number of seconds, got "0"'],
    [['bench', '--timeout', '10s'], '--timeout expects a positive number of seconds, got "10s"'],
    [['bench', '--out', ''], '--out expects a file path, got an empty string'],
    [['bench', '--mode', 'latency', '--sizes', '0'], '--sizes: "0" is not a message size; expected a whole number of bytes from 1 to 268435456 (such as 8, 1e3, 64KiB or 1MiB)'],
    [['bench', '--mode', 'fast'], '--mode: unknown value "fast"; expected one of bulk, latency, throughput'],
    [['bench', '--mode', 'latency', '--messages', '0'], '--messages expects a positive whole number, got "0"'],
    [['bench', '--mode', 'latency', '--payloads', 'int32'], '--payloads applies to --mode bulk only; --mode latency sends bytes (choose sizes with --sizes)'],
    [['bench', '--spin-micros', '10'], '--spin-micros applies to --mode latency and --mode throughput only'],
    [['list', 'extra'], 'unexpected argument "extra" for "ipclab list"; it takes only options (--help, --verbose)'],
    [['clean', '--force'], 'unknown option --force for "ipclab clean"; its options are --help, --all, --dry-run'],
    [['bench', '--sizes', '--repeat', '3'], '--sizes expects a comma-separated list of element counts such as 1e3,1e6 or 10^5; a value starting with "-" must be written as --sizes=VALUE'],
    [['bench', '--mode', 'latency', '--sizes', '1GiB'], '--sizes: "1GiB" is not a message size; expected a whole number of bytes from 1 to 268435456 (such as 8, 1e3, 64KiB or 1MiB)'],
    [['bench', '--mode', 'latency', '--spin-micros', '-5'], '--spin-micros expects a whole number of microseconds; a value starting with "-" must be written as --spin-micros=VALUE'],
    [['bench', '--mode', 'latency', '--warmup=x'], '--warmup expects a whole number (0 for none), got "x"'],
    [['profile', '--size', '1e5'], '--transport is required: a transport id (see "ipclab list"), e.g. --transport shm'],
    [['profile', '--transport', 'shm', '--top', '0'], '--top expects a positive whole number, got "0"'],
    [['profile', '--transport', 'shm', '--format', 'html'], '--format: unknown value "html"; expected one of text, json'],
    [['report'], '"ipclab report" takes FILE.json; got none'],
    [['compare', 'a.json', 'b.json', '--phase', 'fast'], '--phase: unknown value "fast"; expected one of build, cast, encode, send, transfer, recv, decode, endToEnd, consume, verify, wholeJob'],
    [['--frob'], 'unknown option --frob; before a command only --help and --version are accepted'],
    [['help', 'frob'], 'help takes one command name (bench, profile, report, compare, list, clean), got "frob"'],
    [['bench', '--size', '1e3'], 'unknown option --size for "ipclab bench"; its options are --help, --mode, --sizes, --transports, --python, --payloads, --codecs, --repeat, --timeout, --budget, --format, --out, --messages, --warmup, --spin-micros, --allow-errors, --wide'],
  ];
  it.each(messages)('%j', (argv, message) => {
    expect(usageError(argv).message).toBe(message);
  });

  it('an unknown transport id lists the registered ones', () => {
    expect(() => resolveTransports(['shm', 'carrier-pigeon'], ['pipe', 'shm'])).toThrow(
      new UsageError('--transports: unknown transport "carrier-pigeon"; expected ids from: pipe, shm', 'bench'),
    );
  });

  it('the CLI prints the message and where its help is on stderr, and exits 2', async () => {
    expect(await ipclab('bench', '--repeat', '0')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'ipclab: --repeat expects a positive whole number, got "0"\nRun "ipclab bench --help" for usage.\n',
    });
  });
});

/** The benchmark's own failures, word for word: a row's reason is what a reader of a report acts on. */
describe('benchmark messages', () => {
  it('payloads and the raw codec', () => {
    const assembler = new ArrayAssembler(5);
    assembler.add(Int32Array.of(0, 1, 2));
    expect(() => assembler.finish()).toThrow(new RangeError('received 3 of 5 elements'));
    expect(() => assembler.add(Int32Array.of(3, 4, 5))).toThrow(new RangeError('received 6 elements, more than the 5 announced'));
    expect(() => encodeBody([1, '2' as unknown as number], 'raw')).toThrow(new TypeError('the raw codec carries numbers only: element 1 is string'));
    expect(() => rawWireType([null])).toThrow(new TypeError('the raw codec carries numbers only: element 0 is null'));
  });

  it('streamed JSON and frames', async () => {
    const decodeJson = (text: string, payload: PayloadId, elements: number) => {
      const decoder = new JsonBodyDecoder({ payload, elements });
      decoder.write(Buffer.from(text));
      return decoder.finish();
    };
    const message = (action: () => unknown) => (thrown(action) as Error).message;
    expect(message(() => decodeJson('[1,,2]', 'array', 2))).toBe("JSON decode: unexpected ',' at byte 3, expected a number (this decoder reads arrays of numbers)");
    expect(message(() => decodeJson('[1 2]', 'array', 2))).toBe("JSON decode: unexpected '2' at byte 3, expected ',' or ']' (this decoder reads arrays of numbers)");
    expect(message(() => decodeJson('[1e]', 'array', 1))).toBe('JSON decode: bad number "1e" before byte 3');
    expect(message(() => decodeJson('[1,2', 'array', 2))).toBe('the JSON text ended after 4 bytes, before its array was closed');
    expect(message(() => decodeJson('[1,2,3]', 'int32', 2))).toBe('the JSON array has more than the 2 elements its frame declares');
    expect(message(() => decodeJson('[1]', 'int32', 2))).toBe('the JSON array has 1 elements, its frame declares 2');
    expect(message(() => decodeFrame(Buffer.alloc(40, 0x21)))).toBe('not an ipclab frame: magic 0x21212121, expected 0x4c435049');
    const stream = new PassThrough();
    const received = readFrame(stream, undefined, 'pipe');
    stream.end(Buffer.alloc(20));
    expect(((await rejection(received)) as Error).message).toBe('the pipe ended after 20 bytes, before the frame was complete');
  });

  it('the reasons a row gives', () => {
    expect(verifyPayload([0, 1, 3], 'array', 3)).toEqual({ verified: false, mismatch: 'element 2 is 3, expected 2' });
    expect(unsupportedReason({ transport: 'ipc-json', payload: 'int32', codec: 'json', elements: 10 })).toBe('ipc-json does not carry int32 payloads (it carries array, mixed)');
    expect(unsupportedReason({ transport: 'ipc-json', payload: 'array', codec: 'raw', elements: 10 })).toBe('ipc-json does not use the raw codec (it uses json)');
    expect(unsupportedReason({ transport: 'ipc-advanced', payload: 'array', codec: 'json', elements: 10 })).toBe('ipc-advanced does not use the json codec (it uses v8, raw)');
  });
});
