// A full /dev/shm: a segment or channel that does not fit fails with ENOSPC when it is made and
// leaves no name behind. Runs in a private 8 MiB tmpfs mounted over /dev/shm in a mount namespace
// that only the child process sees; that needs root and unshare (test/support/requirements.ts).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { privateShm, requires } from './support/requirements.js';

const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'full-shm.mjs');

describe('a full /dev/shm', () => {
  it('ENOSPC at create, no name left; what fits is still made', (context) => {
    requires(context, privateShm);
    const script = `mount -t tmpfs -o size=8m tmpfs /dev/shm && exec "${process.execPath}" "${fixture}"`;
    const run = spawnSync('unshare', ['-m', '--propagation', 'private', 'sh', '-c', script], { encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const results = JSON.parse(run.stdout) as Array<{ name: string; outcome: string; message?: string; left: boolean }>;
    expect(results.map(({ name, outcome, left }) => ({ name, outcome, left }))).toEqual([
      { name: '/too-big', outcome: 'IpcError ENOSPC', left: false },
      { name: '/rest', outcome: 'IpcError ENOSPC', left: false },
      { name: '/channel', outcome: 'IpcError ENOSPC', left: false },
      { name: '/fits', outcome: 'made', left: false },
    ]);
    for (const result of results.slice(0, 3)) expect(result.message).toMatch(/ENOSPC|space/i);
  });
});
