// What `npm pack` ships: the licence, the library and its sources (so every source map resolves),
// the native sources and install scripts for a from-source build, and no tests or recorded runs.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { expect, it } from 'vitest';

import { repository, npmCli } from './support/npm.js';


let packed: string[] | undefined;

function packedFiles(): string[] {
  if (packed) return packed;
  // --ignore-scripts: list the files without building the prebuild.
  const result = spawnSync(process.execPath, [npmCli, 'pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: repository, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr);
  packed = (JSON.parse(result.stdout) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((file) => file.path);
  return packed;
}

it('ships the licence, the library, its sources and the build inputs, and no tests', () => {
  const files = packedFiles();
  for (const file of ['LICENSE', 'README.md', 'package.json', 'dist/index.js', 'dist/index.d.ts', 'dist/cli.js', 'src/index.ts', 'binding.gyp', 'scripts/install.mjs', 'schema/bench-output.schema.json']) {
    expect(files).toContain(file);
  }
  expect(files.filter((file) => file.startsWith('native/') && file.endsWith('.cpp')).length).toBeGreaterThan(0);
  expect(files.filter((file) => /^(test|bench|examples|build|build-cmake|node_modules\/\.bin)\//.test(file))).toEqual([]);
  const license = readFileSync(path.join(repository, 'LICENSE'), 'utf8');
  expect(license).toMatch(/^MIT License/);
  expect(JSON.parse(readFileSync(path.join(repository, 'package.json'), 'utf8')).license).toBe('MIT');
});

it('every shipped source map points at shipped sources', () => {
  const files = packedFiles();
  const maps = files.filter((file) => file.endsWith('.js.map'));
  expect(maps.length).toBeGreaterThan(10);
  const unresolved = maps.flatMap((map) => {
    const { sources } = JSON.parse(readFileSync(path.join(repository, map), 'utf8')) as { sources: string[] };
    return sources.map((source) => path.posix.normalize(path.posix.join(path.posix.dirname(map), source))).filter((source) => !files.includes(source));
  });
  expect(unresolved).toEqual([]);
});
