// An app that imports ipclab loads the library and nothing of the benchmark, the CLI or ajv.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { expect, it } from 'vitest';

import { repository } from './support/npm.js';


it('importing ipclab and using it loads no benchmark or CLI module', () => {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'ipclab-imports-'));
  try {
    const log = path.join(directory, 'loaded.txt');
    const app = `
      const { SharedMemory, ShmChannel, Semaphore, uniqueName } = await import(${JSON.stringify(path.join(repository, 'dist', 'index.js'))});
      const segment = SharedMemory.create(uniqueName('imports'), 4096);
      Semaphore.createIn(segment, 0, 1).close();
      segment.close();
      if (typeof ShmChannel.create !== 'function') process.exit(2);
    `;
    const result = spawnSync(process.execPath, ['--import', path.join(repository, 'test', 'fixtures', 'import-recorder.mjs'), '--input-type=module', '-e', app], {
      env: { ...process.env, IPCLAB_IMPORT_LOG: log },
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const loaded = readFileSync(log, 'utf8').trim().split('\n').filter((url) => url.includes('/dist/') || url.includes('/node_modules/'));
    const dist = loaded.map((url) => url.slice(url.indexOf('/dist/') + 1));
    expect(dist).toContain('dist/index.js');
    expect(dist).toContain('dist/native.js');
    expect(loaded.filter((url) => /\/dist\/(bench|cli)\b|\/dist\/cli\.js|node_modules\/ajv/.test(url))).toEqual([]);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});
