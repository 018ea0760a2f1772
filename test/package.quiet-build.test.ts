// A from-source build (what `npm ci` in a clone runs through scripts/install.mjs) prints one line,
// not node-gyp's ~60 "gyp info" lines; when the build fails, node-gyp's whole output (the
// compiler's error included) is shown. Each build runs in a scratch copy of the native sources.
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { repository } from './support/npm.js';

let scratch = '';

function buildInCopy(name: string, prepare: (copy: string) => void = () => undefined): { status: number | null; output: string } {
  const copy = path.join(scratch, name);
  for (const item of ['package.json', 'binding.gyp', 'native', 'include', 'scripts']) cpSync(path.join(repository, item), path.join(copy, item), { recursive: true });
  symlinkSync(path.join(repository, 'node_modules'), path.join(copy, 'node_modules'));
  prepare(copy);
  const env: NodeJS.ProcessEnv = { ...process.env, npm_config_build_from_source: 'true', JOBS: 'max' };
  delete env.IPCLAB_BUILD_VERBOSE;
  delete env.npm_config_loglevel;
  const result = spawnSync(process.execPath, [path.join(copy, 'scripts', 'install.mjs')], { cwd: copy, env, encoding: 'utf8', timeout: 300_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

beforeAll(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'ipclab-quiet-build-'));
});

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('a from-source build', () => {
  it('prints one line when it works', () => {
    const { status, output } = buildInCopy('works');
    expect(status).toBe(0);
    expect(output).not.toContain('gyp info');
    expect(output).toMatch(/^ipclab: built the native addon from source in [\d.]+ s \(build\/Release; IPCLAB_BUILD_VERBOSE=1 shows node-gyp's output\)\n$/);
  }, 300_000);

  it("shows node-gyp's output, the compiler's error included, when it fails", () => {
    const { status, output } = buildInCopy('fails', (copy) => appendFileSync(path.join(copy, 'native', 'core', 'errors.cpp'), '\nthis is not C++;\n'));
    expect(status).not.toBe(0);
    expect(output).toContain('gyp info');
    expect(output).toMatch(/errors\.cpp:\d+:\d+: error:/);
    expect(output.trimEnd().split('\n').at(-1)).toMatch(/^ipclab: building the native addon from source failed \(node-gyp exited with \d+\); its messages are above\.$/);
  }, 300_000);
});
