// Runs the built CLI (dist/cli.js, made by `npm run build:ts` / the pretest step) as a real process.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { beforeAll, describe, expect, it } from 'vitest';

import { PYTHON_MESSAGE_TRANSPORT_IDS } from '../src/bench/ids.js';
import { allTransports, pythonSideTransports, transports } from '../src/bench/transports/index.js';
import { validateBenchOutput } from '../src/bench/schema.js';
import { COMMAND_USAGE, MAIN_USAGE } from '../src/cli/help.js';
import { cliPath as cli, ipclab, runIpclab } from './support/cli.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const squash = (text: string) => text.replace(/\s+/g, ' ');

beforeAll(() => {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run "npx tsc -p tsconfig.json" first`);
  expect(readFileSync(cli, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
});

describe('ipclab CLI as a process', () => {
  it('--help prints the usage and exits 0', async () => {
    const run = await ipclab('--help');
    expect(run).toEqual({ code: 0, stdout: MAIN_USAGE, stderr: '' });
    expect(run.stdout).toContain('Usage: ipclab <command> [options]');
    expect((await ipclab('bench', '--help')).stdout).toBe(COMMAND_USAGE.bench);
  });

  it('--version prints the package version', async () => {
    const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
    expect(await ipclab('--version')).toEqual({ code: 0, stdout: `${manifest.version}\n`, stderr: '' });
  });

  it('list --verbose shows every registered transport with what it stands for, its mechanism and limits', async () => {
    const run = await ipclab('list', '--verbose');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    expect(transports.length).toBeGreaterThan(0);
    expect(run.stdout).toContain(`${allTransports.length} transport(s)`);
    for (const transport of allTransports) {
      expect(run.stdout).toContain(`\n${transport.id}  (stands for Python's ${transport.standsFor})\n`);
      const flat = squash(run.stdout);
      expect(flat).toContain(squash(transport.mechanism));
      expect(flat).toContain(`constraint ${squash(transport.constraint)}`);
      for (const limit of transport.limits) expect(flat).toContain(`- ${squash(limit)}`);
    }
  });

  it('clean --dry-run lists leftovers of exited and running processes and removes nothing', async () => {
    // In a temporary directory of its own (ipclab clean lists the benchmark's folders there), so
    // that no other clean running on this machine takes them first.
    const temporary = mkdtempSync(path.join(os.tmpdir(), 'clean-dry-'));
    const exitedPid = spawnSync(process.execPath, ['-e', '']).pid;
    const tag = Math.random().toString(16).slice(2, 8);
    const exited = path.join(temporary, `ipclab-${exitedPid}-${tag}-clitest`);
    const running = path.join(temporary, `ipclab-${process.pid}-${tag}-clitest`);
    const clean = (...args: string[]) => runIpclab(['clean', '--dry-run', ...args], { env: { ...process.env, TMPDIR: temporary } });
    try {
      for (const folder of [exited, running]) mkdirSync(folder);
      const run = await clean();
      expect(run.code, run.stderr).toBe(0);
      const [removable, kept = ''] = run.stdout.split(/^Kept /m);
      expect(removable).toMatch(/^Would remove \d+ object\(s\) \(dry run\):/);
      expect(removable).toContain(`  temporary  ${exited}  pid ${exitedPid} (exited)`);
      expect(kept).toMatch(/object\(s\) in use or of unknown owner \(--all removes them too\):/);
      expect(kept).toContain(`  temporary  ${running}  pid ${process.pid} (running)`);
      for (const folder of [exited, running]) expect(existsSync(folder)).toBe(true);

      const all = await clean('--all');
      expect(all.stdout).toContain(running);
      expect(all.stdout).not.toContain('Kept');
      for (const folder of [exited, running]) expect(existsSync(folder)).toBe(true);
    } finally {
      rmSync(temporary, { recursive: true, force: true });
    }
  });

  it('a bad flag names the flag and what it expects, and exits 2', async () => {
    const bad = await ipclab('bench', '--repeat', '0');
    expect(bad).toMatchObject({ code: 2, stdout: '' });
    expect(bad.stderr).toMatch(/^ipclab: --repeat expects .*\nRun "ipclab bench --help" for usage\.\n$/);
    const unknown = await ipclab('bench', '--transports', 'carrier-pigeon');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(`--transports: unknown transport "carrier-pigeon"; expected ids from: ${transports.map((t) => t.id).join(', ')}`);
    const missingDirectory = await ipclab('bench', '--out', '/nonexistent-ipclab-dir/report.html');
    expect(missingDirectory.code).toBe(2);
    expect(missingDirectory.stderr).toContain('--out: directory "/nonexistent-ipclab-dir" does not exist');
    expect((await ipclab('frob')).code).toBe(2);
  });

  it('bench runs a real case, writes the chosen format to --out and the table to stdout', async () => {
    const transport = transports.find((candidate) => candidate.payloads.includes('int32') && candidate.codecs.includes('raw'))!;
    const directory = mkdtempSync(path.join(os.tmpdir(), 'ipclab-cli-test-'));
    const out = path.join(directory, 'report.json');
    try {
      const run = await ipclab('bench', '--sizes', '10^2', '--transports', transport.id, '--payloads', 'int32', '--codecs', 'raw', '--repeat', '1', '--format', 'json', '--out', out);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toMatch(new RegExp(`^\\[1/1\\] ${transport.id} int32/raw 10\\^2: verified, end-to-end [\\d.]+ s \\(elapsed [\\d.]+ s\\)\\n`));
      expect(run.stderr).toContain(`Wrote the json report to ${out}`);
      expect(run.stdout).toMatch(/^cpu: /);
      expect(run.stdout).toMatch(new RegExp(`\\n${transport.id} +int32/raw +10\\^2 +copy +[\\d.]+ (ns|µs|ms|s) +[\\d.]+ (ns|µs|ms|s) +(-|[\\d.]+x) +(ok|noisy)\\n`));
      const output = JSON.parse(readFileSync(out, 'utf8')) as unknown;
      expect(validateBenchOutput(output)).toEqual([]);
      expect(output).toMatchObject({
        context: { command: `ipclab bench --sizes 10^2 --transports ${transport.id} --payloads int32 --codecs raw --repeat 1 --format json --out ${out}`, repeat: 1 },
        results: [{ transport: transport.id, payload: 'int32', codec: 'raw', elements: 100, status: 'completed', verified: true, repetitions: 1 }],
      });
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('bench --python adds the Python rows: pickle selects exactly the six pickling ones, each verified', async () => {
    const directory = mkdtempSync(path.join(os.tmpdir(), 'ipclab-cli-test-'));
    const out = path.join(directory, 'report.json');
    try {
      const run = await ipclab('bench', '--sizes', '10^2', '--python', '--payloads', 'int32', '--codecs', 'pickle', '--repeat', '1', '--format', 'json', '--out', out);
      expect(run.stderr).not.toMatch(/errored|skipped/);
      expect(run.code, run.stderr).toBe(0);
      const output = JSON.parse(readFileSync(out, 'utf8')) as { results: Array<{ transport: string; status: string; verified: boolean }> };
      const pickling = pythonSideTransports.filter((transport) => transport.codecs.includes('pickle')).map((transport) => transport.id);
      expect(pickling).toHaveLength(6); // queue, pipe, manager, file, file-shm, socket
      expect(output.results.map((result) => [result.transport, result.status, result.verified])).toEqual(pickling.map((id) => [id, 'completed', true]));
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('bench --mode throughput --python adds Node <-> Python over ShmChannel and Python\'s Pipe after the named paths, each verified', async () => {
    const directory = mkdtempSync(path.join(os.tmpdir(), 'ipclab-cli-test-'));
    const out = path.join(directory, 'report.json');
    try {
      const run = await ipclab('bench', '--mode', 'throughput', '--python', '--transports', 'shm-batch', '--sizes', '8', '--messages', '200', '--warmup', '20', '--repeat', '1', '--format', 'json', '--out', out);
      expect(run.code, run.stderr).toBe(0);
      const output = JSON.parse(readFileSync(out, 'utf8')) as { results: Array<{ transport: string; status: string; verified: boolean }> };
      expect(output.results.map((result) => [result.transport, result.status, result.verified])).toEqual(
        ['shm-batch', ...PYTHON_MESSAGE_TRANSPORT_IDS].map((id) => [id, 'completed', true]),
      );
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
