// The cross-language conformance suite's helpers: peers in Python (test/fixtures/interop/peer.py,
// through the python/ package) and C (test/fixtures/interop/peer.c, compiled here with the
// README's line against libipclab), and the messages every side sends and checks. A test whose
// peer cannot run here says so with requires() (test/support/requirements.ts).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterAll, expect } from 'vitest';

import { pythonCommand } from '../../src/bench/python.js';
import { ShmChannel } from '../../src/index.js';
import { loadedAddonPath } from '../../src/native.js';
import { testName } from './names.js';
import { repository } from './npm.js';
import { finished, type Finished } from './processes.js';

const fixtures = path.join(repository, 'test', 'fixtures', 'interop');
/** Where libipclab was built, beside the addon the suite loads. */
export const libraryDir = path.dirname(loadedAddonPath);
export const includeDir = path.join(repository, 'include');

/** The compile line of the README's C section, for a program in `source`. */
export function compileLine(source: string, output: string): string[] {
  return ['-std=c99', '-O2', '-Wall', '-Wextra', '-Werror', source, `-I${includeDir}`, `-L${libraryDir}`, `-Wl,-rpath,${libraryDir}`, '-lipclab', '-o', output];
}

let compiledPeer: string | undefined;

// The compiled peer's folder goes with the test file that made it (a test worker may outlive the file,
// so an exit hook left one folder per file in the temporary directory).
afterAll(() => {
  if (compiledPeer) rmSync(path.dirname(compiledPeer), { recursive: true, force: true });
  compiledPeer = undefined;
});

/** test/fixtures/interop/peer.c, compiled once per test file with the documented line. */
export function cPeer(): string {
  if (compiledPeer) return compiledPeer;
  const directory = mkdtempSync(path.join(os.tmpdir(), 'ipclab-c-peer-'));
  const output = path.join(directory, 'peer');
  const build = spawnSync('cc', compileLine(path.join(fixtures, 'peer.c'), output), { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`cc failed: ${build.stderr}`);
  compiledPeer = output;
  return output;
}

export type Language = 'python' | 'c';

export interface PeerOptions {
  api?: string;
  pauseAfter?: number;
  /** Environment for a Python peer (IPCLAB_PYTHON_NO_NUMPY=1, ...). */
  env?: Record<string, string>;
}

/** Starts a peer that opens `name` and sends or receives `spec`. */
export function startPeer(language: Language, role: 'send' | 'receive', name: string, spec: string, options: PeerOptions = {}): ChildProcess {
  const args = [role, name, spec];
  if (options.api) args.push('--api', options.api);
  if (options.pauseAfter !== undefined) args.push('--pause-after', String(options.pauseAfter));
  const env = { ...process.env, PYTHONPATH: path.join(repository, 'python'), IPCLAB_LIBRARY: path.join(libraryDir, 'libipclab.so'), ...options.env };
  return language === 'python'
    ? spawn(pythonCommand(), [path.join(fixtures, 'peer.py'), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(cPeer(), args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
}

export interface PeerReport {
  ok?: boolean;
  error?: string;
  code?: string;
  messages?: number;
  numpy?: boolean;
}

/** The peer's last JSON line, once it exited. */
export async function peerReport(child: ChildProcess, run?: Promise<Finished>): Promise<PeerReport & { run: Finished }> {
  const done = await (run ?? finished(child));
  const last = done.stdout.trim().split('\n').pop() ?? '';
  let report: PeerReport = {};
  try {
    report = JSON.parse(last) as PeerReport;
  } catch {
    report = { ok: false, error: `no report (exit ${done.code ?? done.signal}): ${done.stdout}${done.stderr}` };
  }
  return { ...report, run: done };
}

/** Resolves with the first stdout line of `child` that parses as JSON holding `key`. */
export function announced(child: ChildProcess, key: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      if (seen.split('\n').some((line) => line.includes(`"${key}"`))) resolve();
    });
    child.once('exit', (code) => reject(new Error(`peer exited (${code}) before saying "${key}": ${seen}`)));
  });
}

// ---- the messages ----

/** Byte j of message m: (31 j + 17 m + 5) mod 256, in every language's peer. */
export function pattern(m: number, bytes: number): Uint8Array {
  const data = new Uint8Array(bytes);
  for (let j = 0; j < bytes; j++) data[j] = (31 * j + 17 * m + 5) & 255;
  return data;
}

/** Kind 13's value, as the peers send and expect it. */
export const JSON_VALUE = { kind: 13, text: 'héllo ✓', values: [1, -2.5, null, true], nested: { a: [] } };

const TYPED: Record<number, new (buffer: ArrayBuffer, offset?: number, length?: number) => ArrayBufferView> = {
  1: Int8Array,
  2: Uint8Array,
  3: Uint8ClampedArray,
  4: Int16Array,
  5: Uint16Array,
  6: Int32Array,
  7: Uint32Array,
  8: Float32Array,
  9: Float64Array,
  10: BigInt64Array,
  11: BigUint64Array,
};

export type Entry = [kind: number, size: number | 'json' | 'value'];

/** Small messages of `kinds` (kind 13 as JSON, 100 as a V8 value), then an empty one and, with `chunked`, one longer than a record of a 64 KiB ring. */
export function entries(kinds: number[], { chunked = true }: { chunked?: boolean } = {}): Entry[] {
  const list: Entry[] = kinds.map((kind, m) => [kind, kind === 13 ? 'json' : kind === 100 ? 'value' : 8 * 3 * (m + 1)]);
  list.push([0, 0]);
  if (chunked) list.push([6, 100_000 * 4]);
  return list;
}

export const specOf = (list: Entry[]): string => list.map(([kind, size]) => `${kind}:${size}`).join(',');

/** Every kind Node sends, and what Python and C send (Python has no Uint8ClampedArray or DataView). */
export const NODE_KINDS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 100];
export const PYTHON_KINDS = [0, 1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 13];
export const C_KINDS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13];

/** The message Node sends for an entry: an ArrayBuffer, a typed array or a DataView over the pattern. */
function nodeMessage(m: number, kind: number, bytes: number): ArrayBufferView | ArrayBuffer {
  const data = pattern(m, bytes).buffer as ArrayBuffer;
  if (kind === 0) return data;
  if (kind === 12) return new DataView(data);
  return new TYPED[kind]!(data);
}

export async function nodeSend(channel: ShmChannel, list: Entry[]): Promise<void> {
  for (const [m, [kind, size]] of list.entries()) {
    if (size === 'json') await channel.sendJson(JSON_VALUE, { timeoutMs: 20_000 });
    else if (size === 'value') await channel.sendValue({ kind: 100, map: new Map([[1, 'one']]) }, { timeoutMs: 20_000 });
    else await channel.send(nodeMessage(m, kind, size), { timeoutMs: 20_000 });
  }
}

/** Receives `list` in order and checks each message's type and bytes; then the sender's close. */
export async function nodeReceive(channel: ShmChannel, list: Entry[]): Promise<void> {
  for (const [m, [kind, size]] of list.entries()) {
    const message = await channel.receive({ timeoutMs: 20_000 });
    if (size === 'json') {
      expect(message, `message ${m}`).toEqual(JSON_VALUE);
      continue;
    }
    const expected = kind === 0 ? ArrayBuffer : kind === 12 ? DataView : TYPED[kind]!;
    expect(message, `message ${m} (kind ${kind})`).toBeInstanceOf(expected);
    const bytes = message instanceof ArrayBuffer ? new Uint8Array(message) : new Uint8Array((message as ArrayBufferView).buffer, (message as ArrayBufferView).byteOffset, (message as ArrayBufferView).byteLength);
    expect(Buffer.from(bytes).equals(Buffer.from(pattern(m, size as number))), `message ${m} (kind ${kind}, ${size} bytes)`).toBe(true);
  }
  await expect(channel.receive({ timeoutMs: 20_000 })).rejects.toMatchObject({ code: 'ERR_CHANNEL_CLOSED' });
}

// ---- a whole exchange ----

/** A 64 KiB ring: the chunked entry (400 KB) streams through it in records of 16 KiB. */
export const SMALL_RING = 64 * 1024;

/** Node sends `list`; the peer receives and checks it. */
export async function nodeToPeer(language: Language, list = entries(NODE_KINDS), options: PeerOptions & { ringBytes?: number } = {}): Promise<void> {
  const channel = ShmChannel.create(testName('to'), { ringBytes: options.ringBytes ?? SMALL_RING });
  try {
    const peer = startPeer(language, 'receive', channel.name, specOf(list), options);
    const run = finished(peer);
    // Once the peer has it open: the creator's close unlinks the name.
    const sent = announced(peer, 'opened').then(() => nodeSend(channel, list)).then(() => channel.close());
    sent.catch(() => undefined); // awaited below, after the peer's report says why
    const report = await peerReport(peer, run);
    expect(report.run.stderr).toBe('');
    expect(report, report.error).toMatchObject({ ok: true, messages: list.length });
    await sent;
  } finally {
    channel.close();
  }
}

/** The peer sends `list`; Node receives and checks it. */
export async function peerToNode(language: Language, list: Entry[], options: PeerOptions & { ringBytes?: number } = {}): Promise<void> {
  const channel = ShmChannel.create(testName('from'), { ringBytes: options.ringBytes ?? SMALL_RING });
  try {
    const peer = startPeer(language, 'send', channel.name, specOf(list), options);
    const run = finished(peer);
    await nodeReceive(channel, list);
    const report = await peerReport(peer, run);
    expect(report.run.stderr).toBe('');
    expect(report, report.error).toMatchObject({ ok: true });
  } finally {
    channel.close();
  }
}

/** One peer sends `list` to another over a channel this process created (and holds no role in). */
export async function peerToPeer(from: Language, to: Language, list: Entry[], options: { ringBytes?: number } = {}): Promise<void> {
  const channel = ShmChannel.create(testName('pp'), { ringBytes: options.ringBytes ?? SMALL_RING });
  try {
    const receiver = startPeer(to, 'receive', channel.name, specOf(list));
    const sender = startPeer(from, 'send', channel.name, specOf(list));
    const [received, sent] = await Promise.all([peerReport(receiver), peerReport(sender)]);
    expect(sent, sent.error).toMatchObject({ ok: true });
    expect(received, received.error).toMatchObject({ ok: true, messages: list.length });
  } finally {
    channel.close();
  }
}
