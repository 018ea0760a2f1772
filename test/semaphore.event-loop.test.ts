import { readFile } from 'node:fs/promises';

import { describe, expect, it } from 'vitest';

import { Semaphore } from '../src/index.js';
import { testName } from './support/names.js';

describe('wait() and the event loop', () => {
  it('keeps timers firing while a wait is pending', async () => {
    const semaphore = Semaphore.create(testName('loop'));
    try {
      let ticks = 0;
      const interval = setInterval(() => ticks++, 10);
      const waited = semaphore.wait(300);
      setTimeout(() => semaphore.post(), 200);
      expect(await waited).toBe(true);
      clearInterval(interval);
      expect(ticks).toBeGreaterThanOrEqual(10);
    } finally {
      semaphore.close();
    }
  });

  it('runs 16 concurrent waits without stalling fs.readFile (libuv has 4 pool threads)', async () => {
    const semaphores = Array.from({ length: 16 }, (_, i) => Semaphore.create(testName(`many${i}`)));
    try {
      const waits = semaphores.map((semaphore) => semaphore.wait(5_000));
      await new Promise((resolve) => setTimeout(resolve, 50)); // every wait is now parked
      const started = performance.now();
      const text = await readFile(new URL(import.meta.url), 'utf8');
      const readMs = performance.now() - started;
      expect(text).toContain('16 concurrent waits');
      expect(readMs).toBeLessThan(1_000);
      semaphores.forEach((semaphore) => semaphore.post());
      expect(await Promise.all(waits)).toEqual(semaphores.map(() => true));
    } finally {
      semaphores.forEach((semaphore) => semaphore.close());
    }
  });

  it('does not keep the process alive when no wait is pending', async () => {
    const { spawnSync } = await import('node:child_process');
    const script = `
      import { Semaphore } from ${JSON.stringify(new URL('../dist/index.js', import.meta.url).href)};
      const s = Semaphore.create(${JSON.stringify(testName('idle'))}, 1);
      await s.wait(1000);
      console.log(await s.wait(20));
      s.close();`;
    const started = performance.now();
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 10_000 });
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('false');
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
