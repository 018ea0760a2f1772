// Defect: a segment another program sized with ftruncate alone (as Python does) on a full
// /dev/shm mapped fine, and the first write to it killed this process with SIGBUS. A writable
// open now reserves the pages, so a full /dev/shm is ENOSPC at open. The test runs in a private
// mount namespace whose /dev/shm is a 1 MiB tmpfs (root and unshare), so no real /dev/shm fills up.
import { spawnSync } from 'node:child_process';

import { beforeEach, describe, expect, it } from 'vitest';

import { privateShm, requires } from './support/requirements.js';

const dist = JSON.stringify(new URL('../dist/index.js', import.meta.url).href);

function inSmallShm(script: string) {
  const node = `${JSON.stringify(process.execPath)} --input-type=module -e "$IPCLAB_SCRIPT"`;
  return spawnSync('unshare', ['-m', 'sh', '-c', `mount -t tmpfs -o size=1m tmpfs /dev/shm && exec ${node}`], {
    encoding: 'utf8',
    env: { ...process.env, IPCLAB_SCRIPT: `import { IpcError, SharedMemory } from ${dist};\nimport fs from 'node:fs';\n${script}` },
    timeout: 60_000,
  });
}

describe('opening a segment sized with ftruncate only, on a full /dev/shm (private 1 MiB tmpfs)', () => {
  beforeEach((context) => requires(context, privateShm));

  it('fails the writable open with ENOSPC instead of a SIGBUS on the first write, and still opens it readOnly', () => {
    const result = inSmallShm(`
      // What Python's shared_memory does: shm_open + ftruncate, no page reserved.
      const fd = fs.openSync('/dev/shm/sparse', 'w+', 0o600);
      fs.ftruncateSync(fd, 4 * 1024 * 1024);
      fs.closeSync(fd);
      const outcome = [];
      try {
        const segment = SharedMemory.open('sparse');
        new Uint8Array(segment.buffer).fill(1);
        outcome.push('wrote');
      } catch (error) {
        outcome.push(error instanceof IpcError ? error.code + ' ' + error.syscall : String(error));
      }
      const reader = SharedMemory.open('sparse', { readOnly: true });
      outcome.push(String(reader.size));
      reader.close();
      SharedMemory.unlink('sparse');
      console.log(JSON.stringify(outcome));
    `);
    expect(result.stderr).toBe('');
    expect({ status: result.status, signal: result.signal }).toEqual({ status: 0, signal: null });
    expect(JSON.parse(result.stdout)).toEqual(['ENOSPC posix_fallocate', String(4 * 1024 * 1024)]);
  });

  it('opens and writes such a segment when /dev/shm has room for it', () => {
    const result = inSmallShm(`
      const fd = fs.openSync('/dev/shm/fits', 'w+', 0o600);
      fs.ftruncateSync(fd, 512 * 1024);
      fs.closeSync(fd);
      const segment = SharedMemory.open('fits');
      new Uint8Array(segment.buffer).fill(7);
      const sum = new Uint8Array(segment.buffer).reduce((a, b) => a + b, 0);
      segment.close();
      SharedMemory.unlink('fits');
      console.log(sum);
    `);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(Number(result.stdout)).toBe(7 * 512 * 1024);
  });
});
