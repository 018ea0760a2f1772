// libipclab's C ABI (include/ipclab.h): the header compiles as C99 and C++, the library exports
// only ipclab_* symbols, versions agree everywhere they are written, status names are the Node
// API's codes, and plain cmake (no Node) builds, installs and serves pkg-config.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterAll, describe, expect } from 'vitest';

import { layout } from '../src/channel/layout.js';
import { compileLine, includeDir, libraryDir } from './support/interop.js';
import { cCompiler, itRequiring } from './support/requirements.js';
import { repository } from './support/npm.js';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'ipclab-c-abi-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const library = path.join(libraryDir, 'libipclab.so');

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  const result = spawnSync(command, args, { encoding: 'utf8', env, timeout: 120_000 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${result.stderr}${result.stdout}`);
  return result.stdout;
}

const STATUSES = `
#include <ipclab.h>
#include <stdio.h>
int main(void) {
  const int statuses[] = {IPCLAB_OK, IPCLAB_AGAIN, IPCLAB_ERR_CLOSED, IPCLAB_ERR_READ_ONLY, IPCLAB_ERR_OUT_OF_RANGE,
    IPCLAB_ERR_SIZE_MISMATCH, IPCLAB_ERR_EMPTY_SEGMENT, IPCLAB_ERR_BAD_CHANNEL, IPCLAB_ERR_CORRUPT_SEMAPHORE,
    IPCLAB_ERR_CHANNEL_CLOSED, IPCLAB_ERR_PEER_GONE, IPCLAB_ERR_TIMEOUT, IPCLAB_ERR_WRONG_STATE,
    IPCLAB_ERR_INVALID_ARGUMENT, IPCLAB_ERR_MESSAGES_LOST, IPCLAB_ERR_INTERNAL, EEXIST, ENOSPC};
  for (unsigned i = 0; i < sizeof statuses / sizeof statuses[0]; i++) printf("%s\\n", ipclab_status_name(statuses[i]));
  printf("%s %s %d %d\\n", ipclab_version(), IPCLAB_VERSION, ipclab_protocol_version(), ipclab_abi_version());
  ipclab_segment* segment;
  int status = ipclab_segment_open("ipclab-nothing-here", 0, &segment);
  printf("%s|%s|%s|%s\\n", ipclab_status_name(status), ipclab_status_name(ipclab_last_error_status()), ipclab_last_error_syscall(), ipclab_last_error_message());
  return 0;
}
`;

const c = itRequiring(cCompiler);

describe('libipclab', () => {
  c('include/ipclab.h compiles as pedantic C99 and as C++17', () => {
    const source = path.join(scratch, 'header.c');
    writeFileSync(source, '#include <ipclab.h>\nint main(void) { return ipclab_abi_version() == IPCLAB_ABI_VERSION ? 0 : 1; }\n');
    run('cc', ['-std=c99', '-pedantic', '-Wall', '-Wextra', '-Werror', '-fsyntax-only', `-I${includeDir}`, source]);
    run('c++', ['-std=c++17', '-Wall', '-Wextra', '-Werror', '-fsyntax-only', '-x', 'c++', `-I${includeDir}`, source]);
  });

  c('exports its C functions and nothing else', () => {
    const symbols = run('nm', ['-D', '--defined-only', library]).trim().split('\n').map((line) => line.split(' ').pop()!);
    const ours = symbols.filter((symbol) => symbol.startsWith('ipclab_'));
    expect(ours.length).toBeGreaterThan(50);
    expect(symbols.filter((symbol) => !symbol.startsWith('ipclab_') && symbol !== 'IPCLAB_1')).toEqual([]);
    const declared = [...readFileSync(path.join(includeDir, 'ipclab.h'), 'utf8').matchAll(/IPCLAB_API [^;(]*?\b(ipclab_\w+)\(/g)].map((match) => match[1]!.replace(/@.*/, ''));
    expect(ours.map((symbol) => symbol.replace(/@.*/, '')).sort()).toEqual(declared.sort());
  });

  c('names its statuses as the Node API names its codes, and versions agree with package.json, pyproject.toml and the protocol', () => {
    const source = path.join(scratch, 'statuses.c');
    const program = path.join(scratch, 'statuses');
    writeFileSync(source, STATUSES);
    run('cc', compileLine(source, program));
    const lines = run(program, []).trim().split('\n');
    expect(lines.slice(0, 18)).toEqual([
      'OK', 'EAGAIN', 'ERR_CLOSED', 'ERR_READ_ONLY', 'ERR_OUT_OF_RANGE', 'ERR_SIZE_MISMATCH', 'ERR_EMPTY_SEGMENT', 'ERR_BAD_CHANNEL',
      'ERR_CORRUPT_SEMAPHORE', 'ERR_CHANNEL_CLOSED', 'ERR_PEER_GONE', 'ERR_TIMEOUT', 'ERR_WRONG_STATE', 'ERR_INVALID_ARGUMENT', 'ERR_MESSAGES_LOST', 'ERR_INTERNAL', 'EEXIST', 'ENOSPC',
    ]);
    const version = (JSON.parse(readFileSync(path.join(repository, 'package.json'), 'utf8')) as { version: string }).version;
    expect(lines[18]).toBe(`${version} ${version} ${layout.version} 1`);
    expect(readFileSync(path.join(repository, 'python', 'pyproject.toml'), 'utf8')).toContain(`\nversion = "${version}"\n`);
    expect(readFileSync(path.join(repository, 'python', 'ipclab', '__init__.py'), 'utf8')).toContain(`__version__ = "${version}"`);
    expect(lines[19]).toBe('ENOENT|ENOENT|shm_open|shm_open "/ipclab-nothing-here" failed: no such object (ENOENT); check the name, or create it first');
  });

  c('builds with plain cmake (no Node), installs, and pkg-config gives a line that links', () => {
    const build = path.join(scratch, 'build-c');
    const prefix = path.join(scratch, 'prefix');
    run('cmake', ['-S', path.join(repository, 'native'), '-B', build, '-DCMAKE_BUILD_TYPE=Release']);
    run('cmake', ['--build', build, '--target', 'ipclab-c', '-j', '2']);
    run('cmake', ['--install', build, '--prefix', prefix]);
    const flags = run('pkg-config', ['--cflags', '--libs', 'ipclab'], { ...process.env, PKG_CONFIG_PATH: path.join(prefix, 'lib', 'pkgconfig') }).trim().split(/\s+/);
    const source = path.join(scratch, 'statuses.c');
    writeFileSync(source, STATUSES);
    const program = path.join(scratch, 'statuses-pc');
    run('cc', [source, ...flags, `-Wl,-rpath,${path.join(prefix, 'lib')}`, '-o', program]);
    expect(run(program, []).split('\n')[0]).toBe('OK');
    expect(run('readelf', ['-d', path.join(prefix, 'lib', 'libipclab.so')])).toMatch(/SONAME.*\[libipclab\.so\.1\]/);
  }, 120_000);
});
