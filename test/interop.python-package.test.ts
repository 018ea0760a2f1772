// The Python package as a Python user meets it: installed offline with pip, finding libipclab on
// its own, behaving as its docstrings say (package_checks.py), and sharing segments and semaphores
// with Node.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterAll, describe, expect } from 'vitest';

import { pythonCommand } from '../src/bench/python.js';
import { Semaphore, SharedMemory } from '../src/index.js';
import { testName } from './support/names.js';
import { libraryDir } from './support/interop.js';
import { itRequiring, numpy, python as pythonRequirement } from './support/requirements.js';
import { repository } from './support/npm.js';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'ipclab-pypkg-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const withRepository = { PYTHONPATH: path.join(repository, 'python'), IPCLAB_LIBRARY: path.join(libraryDir, 'libipclab.so') };

function python(args: string[], env: Record<string, string | undefined>, cwd = scratch) {
  const clean: Record<string, string | undefined> = { ...process.env, PYTHONPATH: undefined, IPCLAB_LIBRARY: undefined, ...env };
  return spawnSync(pythonCommand(), args, { encoding: 'utf8', env: clean as NodeJS.ProcessEnv, cwd, timeout: 120_000 });
}

const ROUND_TRIP = `
import ipclab
with ipclab.ShmChannel.create(ipclab.unique_name("rt")) as tx, ipclab.ShmChannel.open(tx.name) as rx:
    tx.send_json({"n": 1})
    assert rx.receive() == {"n": 1}
print(ipclab.library_path())
`;

const withNumpy = itRequiring(numpy);
const bare = itRequiring(pythonRequirement);

describe('the Python package', () => {
  withNumpy('does what its docstrings say (package_checks.py)', () => {
    const run = python([path.join(repository, 'test', 'fixtures', 'interop', 'package_checks.py')], withRepository);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('ok\n');
  });

  bare('does the same without numpy', () => {
    const run = python([path.join(repository, 'test', 'fixtures', 'interop', 'package_checks.py')], { ...withRepository, IPCLAB_PYTHON_NO_NUMPY: '1' });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('ok\n');
  });

  bare('installs offline with pip install --no-build-isolation, the library inside, and works from anywhere', () => {
    const target = path.join(scratch, 'site');
    const install = python(['-m', 'pip', 'install', '--quiet', '--no-index', '--no-build-isolation', '--target', target, path.join(repository, 'python')], {
      IPCLAB_LIBRARY: path.join(libraryDir, 'libipclab.so'),
      PIP_DISABLE_PIP_VERSION_CHECK: '1',
    });
    expect(install.status, install.stderr).toBe(0);
    const run = python(['-c', ROUND_TRIP], { PYTHONPATH: target });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe(path.join(target, 'ipclab', 'libipclab.so'));
  });

  bare('finds libipclab in node_modules/ipclab above the current directory, and says where it looked when it is nowhere', () => {
    // The package alone, away from the clone: no copy inside it, no build/Release around it.
    const alone = path.join(scratch, 'alone');
    cpSync(path.join(repository, 'python', 'ipclab'), path.join(alone, 'ipclab'), { recursive: true, filter: (file) => !file.includes('__pycache__') && !file.endsWith('.so') });
    const project = path.join(scratch, 'project');
    const release = path.join(project, 'node_modules', 'ipclab', 'build', 'Release');
    mkdirSync(release, { recursive: true });
    symlinkSync(path.join(libraryDir, 'libipclab.so'), path.join(release, 'libipclab.so'));
    const deeper = path.join(project, 'src', 'jobs');
    mkdirSync(deeper, { recursive: true });
    const found = python(['-c', ROUND_TRIP], { PYTHONPATH: alone }, deeper);
    expect(found.stderr).toBe('');
    expect(found.stdout.trim()).toBe(path.join(release, 'libipclab.so'));

    const missing = python(['-c', 'import ipclab; ipclab.library_path()'], { PYTHONPATH: alone, LD_LIBRARY_PATH: '' }, scratch);
    expect(missing.stderr).toMatch(/OSError: libipclab not found; looked at:\n {2}.*alone\/ipclab\/libipclab\.so\n/);
    expect(missing.stderr).toContain('set IPCLAB_LIBRARY to the file');
    const named = python(['-c', 'import ipclab; ipclab.library_path()'], { PYTHONPATH: alone, IPCLAB_LIBRARY: '/nowhere/libipclab.so' }, scratch);
    expect(named.stderr).toMatch(/OSError: libipclab not found; looked at:\n {2}\/nowhere\/libipclab\.so\n/);
  });

  bare('shares a segment and its in-segment semaphore with Node, and a named semaphore', async () => {
    const segment = SharedMemory.create(testName('pyseg'), 4096);
    const ready = Semaphore.createIn(segment, 0, 0);
    const named = Semaphore.create(testName('pysem'), 0);
    try {
      const script = `
import sys
from ipclab import SharedMemory, Semaphore
with SharedMemory.open(sys.argv[1]) as segment, Semaphore.open(sys.argv[2]) as named:
    ready = Semaphore.open_in(segment, 0)
    segment.buffer[64:69] = b"from "
    segment.buffer[69:75] = b"python"
    ready.post()
    for _ in range(3):
        named.post()
    ready.close()
`;
      const run = python(['-c', script, segment.name, named.name], withRepository);
      expect(run.stderr).toBe('');
      expect(await ready.wait(5000)).toBe(true);
      expect(Buffer.from(segment.buffer, 64, 11).toString()).toBe('from python');
      expect(named.value).toBe(3);
    } finally {
      ready.close();
      named.close();
      segment.close();
    }
  });
});
