// Regression: a process whose last wait() had just resolved could crash while exiting, because a
// waiter thread still held the thread-safe function that Node deletes at environment teardown.
// Many short-lived processes, each ending right after its waits, must all exit cleanly.
import { spawn } from 'node:child_process';

import { describe, expect, it } from 'vitest';

const script = `
import { Semaphore, uniqueName } from ${JSON.stringify(new URL('../dist/index.js', import.meta.url).href)};
const semaphore = Semaphore.create(uniqueName('exit'), 0);
for (let i = 0; i < 200; i++) {
  if (i % 2) semaphore.post();
  await semaphore.wait(1);
}
semaphore.close();`;

function runOnce(): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

describe('process exit right after wait()', () => {
  it('is clean in 48 processes out of 48', async () => {
    const exits = [];
    for (let batch = 0; batch < 6; batch++) exits.push(...(await Promise.all(Array.from({ length: 8 }, runOnce))));
    expect(exits.filter((exit) => exit.code !== 0)).toEqual([]);
  });
});
