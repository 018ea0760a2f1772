// The packed tarball installs and works with no compiler on PATH, an empty HOME, no network and
// no install-script approval (the prebuilt addon made at pack time loads, and the packed
// package.json has no install-time script for npm 11 to warn about); its CLI runs every transport,
// the native reference included; without the prebuild the addon's absence is one line that says
// what is missing and the command that fixes it.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { pythonCommand, pythonMissing } from '../src/bench/python.js';
import { npmCli, repository } from './support/npm.js';

let scratch = '';
let project = '';
let source = '';
/** HOME is empty and PATH holds only `node` and `sh`: no cc, c++, g++, make or python3. */
let bareEnv: NodeJS.ProcessEnv = {};

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = bareEnv): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: 240_000 });
}

function ok(result: SpawnSyncReturns<string>): string {
  if (result.status !== 0) throw new Error(`exit ${result.status}\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

const ROUND_TRIP = `
import { SharedMemory, ShmChannel, uniqueName } from 'ipclab';

const segmentName = uniqueName('install');
const segment = SharedMemory.create(segmentName, 4096);
new Int32Array(segment.buffer).set([7, 8, 9]);
const reader = SharedMemory.open(segmentName);
const seen = Array.from(new Int32Array(reader.buffer, 0, 3));
reader.close();
segment.close();

const channelName = uniqueName('install');
const consumer = ShmChannel.create(channelName, { ringBytes: 8192 });
const producer = ShmChannel.open(channelName);
const sent = Float64Array.from({ length: 3000 }, (_, i) => i * 0.5);
const [received] = await Promise.all([consumer.receive({ timeoutMs: 10000 }), producer.send(sent, { timeoutMs: 10000 })]);
producer.close();
consumer.close();
console.log(JSON.stringify({ seen, same: received instanceof Float64Array && received.every((value, i) => value === sent[i]), length: received.length }));
`;

beforeAll(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'ipclab-pack-'));
  const home = path.join(scratch, 'home');
  const bin = path.join(scratch, 'bin');
  mkdirSync(home);
  mkdirSync(bin);
  symlinkSync(process.execPath, path.join(bin, 'node'));
  symlinkSync('/bin/sh', path.join(bin, 'sh')); // npm runs scripts through it
  bareEnv = { HOME: home, PATH: bin, npm_config_cache: path.join(home, '.npm'), npm_config_update_notifier: 'false' };

  // Pack a copy, so the prebuild's compile never touches this checkout's build/.
  source = path.join(scratch, 'source');
  mkdirSync(source);
  for (const item of ['package.json', 'tsconfig.json', 'README.md', 'LICENSE', 'binding.gyp', 'src', 'native', 'include', 'python', 'schema', 'scripts']) {
    cpSync(path.join(repository, item), path.join(source, item), { recursive: true });
  }
  symlinkSync(path.join(repository, 'node_modules'), path.join(source, 'node_modules'));
  ok(run(process.execPath, [npmCli, 'pack', '--pack-destination', scratch], source, process.env));

  project = path.join(scratch, 'app');
  mkdirSync(project);
  writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  writeFileSync(path.join(project, 'round-trip.mjs'), ROUND_TRIP);
}, 300_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('the packed tarball', () => {
  // --offline with an empty cache: the tarball bundles its dependencies.
  it('installs offline with no compiler and no install-script approval, and moves data', () => {
    const tarball = readdirSync(scratch).find((file) => file.endsWith('.tgz'))!;
    const install = run(process.execPath, [npmCli, 'install', '--offline', '--no-audit', '--no-fund', path.join(scratch, tarball)], project);
    expect(install.stderr).not.toMatch(/gyp|g\+\+|ENOTCACHED|install-scripts|allowScripts/);
    ok(install);
    const prebuilds = path.join(project, 'node_modules', 'ipclab', 'prebuilds', `${process.platform}-${process.arch}`);
    expect(readdirSync(prebuilds).sort()).toEqual(['ipclab-reference', 'ipclab.napi.glibc.node', 'libipclab.so']);
    const packed = JSON.parse(readFileSync(path.join(project, 'node_modules', 'ipclab', 'package.json'), 'utf8')) as { scripts: Record<string, string>; gypfile: boolean };
    expect(packed.gypfile).toBe(false);
    expect(Object.keys(packed.scripts)).not.toEqual(expect.arrayContaining(['prepare']));
    expect(packed.scripts).not.toHaveProperty('install');
    // The checkout that was packed has its own package.json back.
    expect(readFileSync(path.join(source, 'package.json'), 'utf8')).toBe(readFileSync(path.join(repository, 'package.json'), 'utf8'));
    expect(existsSync(path.join(source, '.package.json.before-pack'))).toBe(false);
    expect(JSON.parse(ok(run(process.execPath, ['round-trip.mjs'], project)))).toEqual({ seen: [7, 8, 9], same: true, length: 3000 });
    // The Python package shipped in it finds the prebuilt libipclab beside the addon.
    const python = spawnSync(pythonCommand(), ['-c', 'import ipclab; print(ipclab.library_path())'], {
      cwd: project,
      encoding: 'utf8',
      env: { ...process.env, PYTHONPATH: path.join(project, 'node_modules', 'ipclab', 'python'), IPCLAB_LIBRARY: '' },
    });
    if (pythonMissing(false) === undefined) expect(python.stdout.trim()).toBe(path.join(prebuilds, 'libipclab.so'));
    // What npm runs once the script is approved: the prebuild is found, nothing is compiled.
    ok(run(process.execPath, ['node_modules/ipclab/scripts/install.mjs'], project));
  });

  it('runs the benchmark CLI with every transport it offers, the native reference included (npx ipclab bench)', () => {
    const bench = run(process.execPath, [npmCli, 'exec', '--offline', '--', 'ipclab', 'bench', '--mode', 'latency', '--sizes', '8', '--transports', 'shm,ipc-json,native'], project);
    const table = ok(bench);
    for (const transport of ['shm', 'ipc-json', 'native']) expect(table).toMatch(new RegExp(`^${transport} +8 B .* ok(, noisy)? *$`, 'm'));
    expect(table).toContain(path.join('node_modules', 'ipclab', 'prebuilds'));
  });

  it('without a prebuild, says in one line what is missing, at install and at import', () => {
    rmSync(path.join(project, 'node_modules', 'ipclab', 'prebuilds'), { recursive: true });
    const install = run(process.execPath, ['node_modules/ipclab/scripts/install.mjs'], project);
    expect(install.status).toBe(1);
    expect(install.stdout).toBe('');
    expect(install.stderr.trimEnd().split('\n')).toHaveLength(1);
    const buildCommand = `node "${path.join(project, 'node_modules', 'ipclab', 'scripts', 'build-native.mjs')}"`;
    expect(install.stderr).toMatch(/^ipclab: no prebuilt addon for linux-x64 here, and building it from source needs a C\+\+ compiler \(g\+\+\), make, python3 \(python3\); install them .*, then run: /);
    expect(install.stderr.endsWith(`then run: ${buildCommand}.\n`)).toBe(true);

    const load = run(process.execPath, ['-e', "import('ipclab').catch((error) => { console.error(error.code + ': ' + error.message); process.exit(3); })"], project);
    expect(load.status).toBe(3);
    expect(load.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(load.stderr).toMatch(/^ERR_ADDON_NOT_BUILT: the ipclab addon is not built and no prebuilt addon for linux-x64 /);
    expect(load.stderr.trimEnd().endsWith(`build it from source (a C++ compiler, make and python3 needed): ${buildCommand}`)).toBe(true);
  });
});
