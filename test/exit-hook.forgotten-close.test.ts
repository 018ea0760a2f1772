// A process that forgets close() and exits normally leaves nothing in /dev/shm: the exit hook closes
// the segments, named semaphores and channels it made. With closeOnExit: false they stay (and the
// test removes them).
import { existsSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { Semaphore, SharedMemory } from '../src/index.js';
import { runFixture } from './support/processes.js';

interface Made {
  segment: string;
  semaphore: string;
  channel: string;
}

const paths = (made: Made) => [`/dev/shm${made.segment}`, `/dev/shm/sem.${made.semaphore.slice(1)}`, `/dev/shm${made.channel}`];

async function forget(keep: 'default' | 'opt-out'): Promise<Made> {
  const { code, stdout, stderr } = await runFixture('channel-careless.mjs', ['forget', keep]);
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  return JSON.parse(stdout) as Made;
}

describe('the exit hook', () => {
  it('removes the segment, the semaphore and the channel a process made and never closed', async () => {
    const made = await forget('default');
    for (const path of paths(made)) expect(existsSync(path), path).toBe(false);
  });

  it('leaves them with closeOnExit: false', async () => {
    const made = await forget('opt-out');
    try {
      for (const path of paths(made)) expect(existsSync(path), path).toBe(true);
    } finally {
      SharedMemory.unlink(made.segment);
      SharedMemory.unlink(made.channel);
      Semaphore.unlink(made.semaphore);
    }
  });
});
