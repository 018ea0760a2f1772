// Defect 10: messages that named internal objects, gave impossible ranges, or gave wrong advice.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

import { describe, expect, it } from 'vitest';

import { IpcError, Semaphore, SharedMemory, ShmChannel } from '../src/index.js';
import { addon } from '../src/native.js';
import { rejection, thrown } from './support/errors.js';
import { testName } from './support/names.js';

const dist = JSON.stringify(new URL('../dist/index.js', import.meta.url).href);

function runScript(script: string, shellPrefix = '', nodeFlags = '') {
  const node = `${JSON.stringify(process.execPath)} ${nodeFlags} --input-type=module -e "$IPCLAB_SCRIPT"`;
  return spawnSync('sh', ['-c', `${shellPrefix}exec ${node}`], {
    encoding: 'utf8',
    env: { ...process.env, IPCLAB_SCRIPT: `import { IpcError, SharedMemory } from ${dist};\nimport fs from 'node:fs';\n${script}` },
    timeout: 120_000,
  });
}

describe('error messages', () => {
  it('a channel closed during a wait says the channel was closed, not which semaphore', async () => {
    const channel = ShmChannel.create(testName('msgclose'), { ringBytes: 4096 });
    const pending = channel.receive();
    await new Promise((resolve) => setTimeout(resolve, 20));
    channel.close();
    const error = await rejection(pending);
    expect(error).toBeInstanceOf(IpcError);
    expect(error).toMatchObject({ code: 'ERR_CLOSED', name: channel.name });
    // It names the channel the caller holds, never the semaphore inside it.
    expect((error as Error).message).toMatch(new RegExp(`^channel "${channel.name}" (is|was) closed`));
    expect((error as Error).message).not.toMatch(/semaphore/);
  });

  it('a segment too small for a semaphore says so, instead of "from 0 to -24"', () => {
    const segment = SharedMemory.create(testName('tiny'), 8);
    try {
      const error = thrown(() => Semaphore.createIn(segment, 0));
      expect(error).toBeInstanceOf(RangeError);
      expect((error as Error).message).toBe(`segment "${segment.name}" is 8 bytes, too small for a semaphore (${Semaphore.byteLength} bytes)`);
    } finally {
      segment.close();
    }
  });

  it('shm_unlink("..") is EISDIR with its own name and phrase, never EUNKNOWN', () => {
    const error = thrown(() => addon.SharedMemoryHandle.unlink('/..'));
    expect(error).toBeInstanceOf(IpcError);
    expect(error).toMatchObject({ code: 'EISDIR', syscall: 'shm_unlink' });
    expect((error as Error).message).toBe(
      'shm_unlink "/.." failed: is a directory (EISDIR); a shared memory or semaphore name must not be "." or ".."',
    );
  });

  it('EMFILE says ipclab holds no descriptors and points at the process limit', () => {
    const result = runScript(
      `
      const held = [];
      try { for (;;) held.push(fs.openSync('/dev/null', 'r')); } catch {}
      try { SharedMemory.create('ipclab-emfile-' + process.pid, 4096); console.log('created'); }
      catch (error) { console.log(JSON.stringify({ code: error.code, message: error.message })); }
      held.forEach((fd) => fs.closeSync(fd));
    `,
      'ulimit -n 64; ',
    );
    expect(result.stderr).toBe('');
    const { code, message } = JSON.parse(result.stdout) as { code: string; message: string };
    expect(code).toBe('EMFILE');
    expect(message).toMatch(/ipclab objects hold no file descriptor once open/);
    expect(message).toMatch(/ulimit -n/);
  });

  // Under npm run test:sanitize, AddressSanitizer's own allocator fails first at the mapping limit.
  it.skipIf(process.env.IPCLAB_SANITIZE === '1')('mmap ENOMEM at the mapping limit names vm.max_map_count instead of advising to free memory', () => {
    // At the limit V8 cannot map memory either, so the child compiles its failure path first (and runs
    // --jitless, with no background compiles), then gives back 64 mappings before doing anything else.
    const result = runScript(
      `
      const name = 'ipclab-' + process.pid + '-maps';
      const first = SharedMemory.create(name, 4096);
      const opened = [];
      let openedAtFailure = 0;
      const giveBackAndDescribe = (error) => {
        openedAtFailure = opened.length;
        for (let i = 0; i < 64 && opened.length > 0; i++) opened.pop().close();
        return { code: error.code, syscall: error.syscall, message: error.message };
      };
      opened.push(SharedMemory.open(name));
      try { SharedMemory.open(name + '-absent'); } catch (error) { JSON.stringify(giveBackAndDescribe(error)); }
      let failure;
      while (!failure) {
        try { opened.push(SharedMemory.open(name)); } catch (error) { failure = giveBackAndDescribe(error); }
      }
      opened.forEach((segment) => segment.close());
      first.close();
      console.log(JSON.stringify({ failure, opened: openedAtFailure }));
    `,
      '',
      '--jitless --no-expose-wasm',
    );
    fs.rmSync(`/dev/shm/ipclab-${result.pid}-maps`, { force: true });
    expect(result.stderr).toBe('');
    const { failure, opened } = JSON.parse(result.stdout) as { failure: { code: string; syscall: string; message: string }; opened: number };
    expect(opened).toBeGreaterThan(1000);
    expect(failure).toMatchObject({ code: 'ENOMEM', syscall: 'mmap' });
    expect(failure.message).toMatch(/memory mappings and the limit \(vm\.max_map_count\) is \d+/);
  });
});
