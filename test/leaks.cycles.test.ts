// Repeated create/close, open/close, wait/post and channel cycles leave nothing behind: file
// descriptors, /dev/shm mappings and threads return to their starting counts. Runs in a fresh
// process so only ipclab's own resources are counted. 10^4 cycles of each (about 20 s here);
// IPCLAB_LEAK_CYCLES sets another count.
import { spawnSync } from 'node:child_process';

import { describe, expect, it } from 'vitest';

import { testName } from './support/names.js';

const cycles = Number(process.env.IPCLAB_LEAK_CYCLES ?? 10_000);
const dist = JSON.stringify(new URL('../dist/index.js', import.meta.url).href);

const script = `
import fs from 'node:fs';
import { Semaphore, SharedMemory, ShmChannel } from ${dist};

const base = ${JSON.stringify(testName('leak'))};
const counts = () => ({
  fds: fs.readdirSync('/proc/self/fd').length,
  shmMappings: fs.readFileSync('/proc/self/maps', 'utf8').split('\\n').filter((line) => line.includes('/dev/shm/')).length,
  threads: fs.readdirSync('/proc/self/task').length,
});
const later = (action) => new Promise((resolve) => setImmediate(() => resolve(action())));

const kinds = {
  async 'create/close'(i) {
    const segment = SharedMemory.create(base + 'c' + (i % 4), 8192);
    Semaphore.createIn(segment, 64, 1).close();
    segment.close();
    Semaphore.create(base + 's' + (i % 4), 1).close();
  },
  async 'open/close'() {
    SharedMemory.open(kinds.segment.name).close();
    Semaphore.open(kinds.named.name).close();
    Semaphore.openIn(kinds.segment, 0).close();
  },
  async 'wait/post'() {
    // In-segment (doorbell) and named (waiter thread), each woken after the wait began.
    const inSegment = kinds.inSegment.wait(10_000);
    await later(() => kinds.inSegment.post());
    const named = kinds.named.wait(10_000);
    await later(() => kinds.named.post());
    if (!(await inSegment) || !(await named)) throw new Error('a wait timed out');
  },
  async 'channel open/send/receive/close'(i) {
    const name = base + 'q' + (i % 4);
    const consumer = ShmChannel.create(name, { ringBytes: 4096 });
    const producer = ShmChannel.open(name);
    const received = consumer.receive({ timeoutMs: 10_000 });
    await later(() => producer.send(new Float64Array([i, i + 0.5])));
    const value = await received;
    if (value[0] !== i || value[1] !== i + 0.5) throw new Error('message corrupted');
    producer.close();
    consumer.close();
  },
};
kinds.segment = SharedMemory.create(base + 'seg', 4096);
kinds.inSegment = Semaphore.createIn(kinds.segment, 0, 0);
kinds.named = Semaphore.create(base + 'named', 0);
const cycleKinds = Object.keys(kinds).filter((kind) => typeof kinds[kind] === 'function');

// Warm-up: the first use creates what lives as long as the process (the doorbell socket).
for (const kind of cycleKinds) for (let i = 0; i < 20; i++) await kinds[kind](i);
const results = {};
for (const kind of cycleKinds) {
  const before = counts();
  for (let i = 0; i < ${cycles}; i++) await kinds[kind](i);
  // Idle waiter threads exit after 5 s without work; allow them that long to go.
  let after = counts();
  for (let waited = 0; after.threads > before.threads && waited < 8000; waited += 250) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    after = counts();
  }
  results[kind] = { before, after };
}
kinds.inSegment.close();
kinds.named.close();
kinds.segment.close();
console.log(JSON.stringify(results));
`;

describe(`${cycles} cycles of each kind`, () => {
  it('return descriptors, /dev/shm mappings and threads to their starting counts', () => {
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 600_000 });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const results = JSON.parse(result.stdout) as Record<string, { before: Record<string, number>; after: Record<string, number> }>;
    expect(Object.keys(results)).toEqual(['create/close', 'open/close', 'wait/post', 'channel open/send/receive/close']);
    for (const [kind, { before, after }] of Object.entries(results)) {
      expect({ kind, fds: after.fds, shmMappings: after.shmMappings }).toEqual({ kind, fds: before.fds, shmMappings: before.shmMappings });
      // Fewer is fine: a waiter thread left from the warm-up may have reached its idle exit.
      expect(after.threads, kind).toBeLessThanOrEqual(before.threads!);
    }
  }, 900_000);
});
