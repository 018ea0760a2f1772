#!/usr/bin/env node
// Small-message round trips between two processes, all in one run so the ratios compare like
// with like on a shared machine: ipclab's in-segment semaphores and ShmChannel (8 bytes, both
// sides awaiting), with and without spinning, child_process IPC (json), and the native floor
// (bench/native-pingpong.cpp: the same core semaphore in C++, compiled here with g++).
//   node bench/roundtrip.mjs [--rounds 5000] [--warmup 200] [--spin 200] [--dist <ipclab dist/>] [--only <label part>]
// --dist measures another build (for example main's before a change); options it lacks are skipped.
import { execFileSync, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5000' },
    warmup: { type: 'string', default: '200' },
    spin: { type: 'string', default: '200' },
    dist: { type: 'string', default: path.join(here, '..', 'dist') },
    child: { type: 'string' },
    name: { type: 'string' },
    only: { type: 'string' },
  },
});
const rounds = Number(args.rounds);
const warmup = Number(args.warmup);
const spinMicros = Number(args.spin);
const ipclab = await import(pathToFileURL(path.join(path.resolve(args.dist), 'index.js')).href);
const { SharedMemory, Semaphore, ShmChannel, uniqueName } = ipclab;

const message = new Uint8Array(8).map((_, i) => i + 1);
function checkMessage(received) {
  if (received.byteLength !== 8 || received.some((byte, i) => byte !== i + 1)) throw new Error('8-byte message corrupted');
}

// Each case: the parent's `start` returns {roundTrip, close}, the child's `answer` loops forever.
const cases = {
  semaphore: {
    start(spin) {
      const segment = SharedMemory.create(uniqueName('rtt'), 4096);
      const ping = Semaphore.createIn(segment, 0, 0);
      const pong = Semaphore.createIn(segment, 64, 0);
      const options = spin ? { spinMicros: spin } : undefined;
      return {
        name: segment.name,
        roundTrip: async () => {
          ping.post();
          if (!(await pong.wait(undefined, options))) throw new Error('wait timed out');
        },
        close: () => segment.close(),
      };
    },
    async answer(name, spin) {
      const segment = SharedMemory.open(name);
      const ping = Semaphore.openIn(segment, 0);
      const pong = Semaphore.openIn(segment, 64);
      const options = spin ? { spinMicros: spin } : undefined;
      process.send('ready');
      for (;;) {
        await ping.wait(undefined, options);
        pong.post();
      }
    },
  },
  channel: {
    start(spin) {
      const options = spin ? { spinMicros: spin } : {};
      const base = uniqueName('rtt');
      const request = ShmChannel.create(`${base}q`, { slotSize: 64, slots: 2, ...options });
      const reply = ShmChannel.create(`${base}r`, { slotSize: 64, slots: 2, ...options });
      return {
        name: base,
        roundTrip: async () => {
          await request.send(message);
          checkMessage(await reply.receive());
        },
        close: () => {
          request.close();
          reply.close();
        },
      };
    },
    async answer(base, spin) {
      const options = spin ? [{ spinMicros: spin }] : [];
      const request = ShmChannel.open(`${base}q`, ...options);
      const reply = ShmChannel.open(`${base}r`, ...options);
      process.send('ready');
      for (;;) await reply.send(await request.receive());
    },
  },
  'process.send': {
    start() {
      return {
        name: '',
        roundTrip: (child) =>
          new Promise((resolve, reject) => {
            child.once('message', (reply) => (reply.n === 8 && reply.bytes.length === 8 ? resolve() : reject(new Error('bad reply'))));
            child.send({ n: 8, bytes: Array.from(message) });
          }),
        close: () => {},
      };
    },
    answer() {
      process.on('message', (value) => process.send(value));
      process.send('ready');
    },
  },
};

if (args.child) {
  const [kind, spin] = args.child.split(':');
  await cases[kind].answer(args.name, Number(spin));
} else {
  const rows = [];
  const row = (label, nanos) => {
    nanos.sort((a, b) => a - b);
    const at = (q) => nanos[Math.min(nanos.length - 1, Math.floor(q * nanos.length))] / 1000;
    rows.push({ label, p25: at(0.25), p50: at(0.5), p75: at(0.75), p99: at(0.99), max: at(1) });
  };

  const scratch = mkdtempSync(path.join(tmpdir(), 'hn-roundtrip-'));
  try {
    const binary = path.join(scratch, 'native-pingpong');
    const core = ['errors', 'segment', 'semaphore'].map((file) => path.join(here, '..', 'native', 'core', `${file}.cpp`));
    execFileSync('g++', ['-std=c++17', '-O2', '-o', binary, path.join(here, 'native-pingpong.cpp'), ...core, '-lpthread']);
    const output = execFileSync(binary, [String(rounds), String(warmup)], { encoding: 'utf8' });
    row('native futex ping-pong (C++, same core)', output.trim().split('\n').map(Number));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }

  const variants = [
    ['process.send', 0, 'child_process IPC, json'],
    ['semaphore', 0, 'Semaphore wait()/post()'],
    ['channel', 0, 'ShmChannel send/receive, 8 bytes'],
    ['semaphore', spinMicros, `Semaphore wait(), spinMicros ${spinMicros}`],
    ['channel', spinMicros, `ShmChannel 8 bytes, spinMicros ${spinMicros}`],
  ];
  for (const [kind, spin, label] of variants) {
    if (args.only && !label.includes(args.only)) continue;
    if (spin && ipclab.MAX_SPIN_MICROS === undefined) {
      rows.push({ label, skipped: 'this build has no spinMicros' });
      continue;
    }
    const side = cases[kind].start(spin);
    const child = fork(fileURLToPath(import.meta.url), ['--dist', args.dist, '--child', `${kind}:${spin}`, '--name', side.name], {
      execArgv: [],
    });
    try {
      await new Promise((resolve, reject) => {
        child.once('message', resolve);
        child.once('exit', (code) => reject(new Error(`${label}: child exited with ${code}`)));
      });
      const nanos = [];
      for (let i = 0; i < rounds + warmup; i++) {
        const started = process.hrtime.bigint();
        await side.roundTrip(child);
        if (i >= warmup) nanos.push(Number(process.hrtime.bigint() - started));
      }
      row(label, nanos);
    } finally {
      child.kill();
      side.close();
    }
  }

  const fmt = (v) => v.toFixed(1).padStart(7);
  let commit = 'unknown commit';
  try {
    commit = execFileSync('git', ['-C', path.resolve(args.dist), 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: 'pipe' }).trim();
  } catch {
    // not a checkout
  }
  console.log(`${rounds} round trips after ${warmup} warm-up, µs; dist ${args.dist} (${commit}); native from this checkout's core`);
  console.log(`${'path'.padEnd(42)}    p25     p50     p75     p99     max`);
  for (const r of rows) {
    if (r.skipped) console.log(`${r.label.padEnd(42)} (skipped: ${r.skipped})`);
    else console.log(`${r.label.padEnd(42)}${fmt(r.p25)} ${fmt(r.p50)} ${fmt(r.p75)} ${fmt(r.p99)} ${fmt(r.max)}`);
  }
  const p50 = (prefix) => rows.find((r) => r.label.startsWith(prefix))?.p50;
  const channel = p50('ShmChannel send/receive');
  console.log(
    `ShmChannel p50 / native p50 = ${(channel / p50('native')).toFixed(2)}; ShmChannel p50 / process.send p50 = ${(channel / p50('child_process')).toFixed(2)}`,
  );
}
