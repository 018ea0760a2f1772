// Defect: glibc aborted the whole process ("The futex facility returned an unexpected error
// code", exit 134) when the bytes of an in-segment sem_t were garbage. Every byte pattern must end
// in an IpcError at worst. Each case runs in its own process, so an abort would be seen.
import { spawnSync } from 'node:child_process';

import { describe, expect, it } from 'vitest';

import { testName } from './support/names.js';

const dist = JSON.stringify(new URL('../dist/index.js', import.meta.url).href);

function runScript(body: string): { status: number | null; signal: string | null; stdout: string; stderr: string } {
  const script = `import { IpcError, Semaphore, SharedMemory } from ${dist};\n${body}`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

describe('an in-segment semaphore over bytes a peer overwrote', () => {
  it('reports 12 garbage bytes as ERR_CORRUPT_SEMAPHORE on open and on every operation, never aborting', () => {
    const result = runScript(`
      const segment = SharedMemory.create(${JSON.stringify(testName('garb'))}, 4096);
      const codes = [];
      const outcome = async (use) => {
        try { await use(); codes.push('ok'); } catch (error) { codes.push(error instanceof IpcError ? error.code : 'not IpcError: ' + error); }
      };
      new Uint8Array(segment.buffer, 0, 12).fill(0x5a);
      await outcome(() => Semaphore.openIn(segment, 0));
      const semaphore = Semaphore.createIn(segment, 64, 0);
      new Uint8Array(segment.buffer, 64, 12).fill(0x5a);
      for (const use of [() => semaphore.post(), () => semaphore.tryWait(), () => semaphore.value, () => semaphore.waitSync(10), () => semaphore.wait(10)]) {
        await outcome(use);
      }
      segment.close();
      console.log(JSON.stringify(codes));
    `);
    expect(result.stderr).toBe('');
    expect({ status: result.status, signal: result.signal }).toEqual({ status: 0, signal: null });
    expect(JSON.parse(result.stdout)).toEqual(Array(6).fill('ERR_CORRUPT_SEMAPHORE'));
  });

  it('reports a count above the semaphore maximum as ERR_CORRUPT_SEMAPHORE and works again once repaired', () => {
    const result = runScript(`
      const segment = SharedMemory.create(${JSON.stringify(testName('count'))}, 4096);
      const semaphore = Semaphore.createIn(segment, 0, 0);
      const words = new Uint32Array(segment.buffer, 0, 8);
      words[1] = 0xffffffff;
      const codes = [];
      for (const use of [() => semaphore.post(), () => semaphore.tryWait(), () => semaphore.waitSync(0)]) {
        try { use(); codes.push('ok'); } catch (error) { codes.push(error instanceof IpcError ? error.code : String(error)); }
      }
      words[1] = 0;
      semaphore.post();
      codes.push(String(await semaphore.wait(100)));
      segment.close();
      console.log(JSON.stringify(codes));
    `);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(['ERR_CORRUPT_SEMAPHORE', 'ERR_CORRUPT_SEMAPHORE', 'ERR_CORRUPT_SEMAPHORE', 'true']);
  });

  it('survives 2,000 random overwrites of its 32 bytes: every operation succeeds or throws IpcError', () => {
    const result = runScript(`
      const segment = SharedMemory.create(${JSON.stringify(testName('fuzz'))}, 4096);
      const semaphore = Semaphore.createIn(segment, 0, 0);
      const bytes = new Uint8Array(segment.buffer, 0, Semaphore.byteLength);
      const tag = bytes.slice(0, 4);
      let seed = 12345;
      const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
      const outcomes = { ok: 0, ipcError: 0, other: [] };
      for (let round = 0; round < 2000; round++) {
        // Restore the tag half the time, so the words behind it get exercised too.
        for (let i = 0; i < bytes.length; i++) bytes[i] = random();
        if (round % 2) bytes.set(tag);
        for (const use of [() => semaphore.post(), () => semaphore.tryWait(), () => semaphore.waitSync(0), () => semaphore.wait(0)]) {
          try { await use(); outcomes.ok++; } catch (error) { if (error instanceof IpcError) outcomes.ipcError++; else outcomes.other.push(String(error)); }
        }
      }
      segment.close();
      console.log(JSON.stringify(outcomes));
    `);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const outcomes = JSON.parse(result.stdout) as { ok: number; ipcError: number; other: string[] };
    expect(outcomes.other).toEqual([]);
    expect(outcomes.ok + outcomes.ipcError).toBe(8000);
    expect(outcomes.ok).toBeGreaterThan(0);
    expect(outcomes.ipcError).toBeGreaterThan(0);
  });
});
