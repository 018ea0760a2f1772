#!/usr/bin/env node
// Done-when figure of libipclab (issue 17): a C program linked against libipclab with the README's
// compile line receives int32 arrays from Node, against the native reference (ipclab-reference,
// the C++ core on both ends) moving the same bytes through a ring of the same size. Both receivers
// check every element inside their timed window, into a buffer faulted in beforehand; rounds
// alternate the two, and the ratio is taken within each round.
//   node bench/c-receive/run.mjs [--elements 100000000] [--count 2] [--rounds 3] [--spin-micros 2]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { ShmChannel, uniqueName } from '../../dist/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const option = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at < 0 ? fallback : Number(process.argv[at + 1]);
};
const elements = option('elements', 1e8);
const count = option('count', 2);
const rounds = option('rounds', 3);
const spinMicros = option('spin-micros', 2);
const ringBytes = 4 * 1024 * 1024; // ShmChannel's default
const bytes = elements * 4;
const release = path.join(root, 'build', 'Release');

const scratch = mkdtempSync(path.join(os.tmpdir(), 'ipclab-c-receive-'));
const program = path.join(scratch, 'receive_int32');
const cc = spawnSync('cc', ['-std=c99', '-O2', path.join(root, 'bench', 'c-receive', 'receive_int32.c'), `-I${path.join(root, 'include')}`, `-L${release}`, `-Wl,-rpath,${release}`, '-lipclab', '-o', program], { stdio: 'inherit' });
if (cc.status !== 0) throw new Error('cc failed');

function lines(child) {
  let text = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => (text += chunk));
  const exited = new Promise((resolve) => child.once('close', (code) => resolve(code))); // after its output is read
  const line = (match) => new Promise((resolve, reject) => {
    const find = () => text.split('\n').find(match);
    const look = () => {
      const found = find();
      if (found !== undefined) return resolve(found);
      setTimeout(look, 5);
    };
    look();
    // Output read before the exit still counts: the line may arrive between two looks.
    exited.then((code) => (find() !== undefined ? resolve(find()) : reject(new Error(`exited ${code}: ${text}`))));
  });
  return { line, exited };
}

const seconds = (report) => Number(BigInt(report.windowEndNs) - BigInt(report.windowStartNs)) / 1e9;

/** Node sends 1 + count messages of `elements` int32 (message k holds i + k % 2, views of one array); the C program receives them. */
async function nodeToC() {
  const channel = ShmChannel.create(uniqueName('crecv'), { ringBytes, populate: true, spinMicros });
  try {
    const child = spawn(program, [channel.name, String(elements), String(count), '1', String(spinMicros)], { stdio: ['ignore', 'pipe', 'inherit'] });
    const out = lines(child);
    await out.line((line) => line === 'ready');
    const pattern = Int32Array.from({ length: elements + 1 }, (_, i) => i);
    for (let k = 0; k < 1 + count; k++) await channel.send(pattern.subarray(k % 2, k % 2 + elements));
    const report = JSON.parse(await out.line((line) => line.startsWith('{')));
    if (!report.verified || (await out.exited) !== 0) throw new Error('the C receiver found a difference');
    return seconds(report);
  } finally {
    channel.close();
  }
}

/** The native reference: the same bytes, C++ core to C++ core, one sender and one receiver process. */
async function reference() {
  const name = uniqueName('cref');
  const reference = path.join(release, 'ipclab-reference');
  const args = ['throughput', '--name', name, '--bytes', String(bytes), '--count', String(count), '--warmup', '1', '--ring-bytes', String(ringBytes), '--spin-micros', String(spinMicros)];
  const sink = spawn(reference, [args[0], 'serve', ...args.slice(1)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const out = lines(sink);
  await out.line((line) => line === 'ready');
  const source = spawnSync(reference, [args[0], 'drive', ...args.slice(1)], { encoding: 'utf8' });
  if (source.status !== 0) throw new Error(`reference sender: ${source.stderr}`);
  const report = JSON.parse(await out.line((line) => line.startsWith('{')));
  if (!report.verified) throw new Error('the reference found a difference');
  return seconds(report);
}

const rows = [];
for (let round = 0; round < rounds; round++) {
  const c = await nodeToC();
  const ref = await reference();
  rows.push({ c, ref });
  const rate = (s) => ((count * bytes) / s / 1e9).toFixed(2);
  console.log(`round ${round + 1}: Node -> C (libipclab) ${rate(c)} GB/s, native reference ${rate(ref)} GB/s, C / reference ${(ref / c).toFixed(3)}`);
}
const ratios = rows.map(({ c, ref }) => ref / c).sort((a, b) => a - b);
console.log(`${elements} int32 x ${count} messages, ring ${ringBytes} bytes, spin ${spinMicros} us: C rate / reference rate from ${ratios[0].toFixed(3)} to ${ratios.at(-1).toFixed(3)} (median ${ratios[Math.floor(ratios.length / 2)].toFixed(3)})`);
rmSync(scratch, { recursive: true, force: true });
