#!/usr/bin/env node
// Cross-process wake-up cost: two processes ping-pong through two in-segment semaphores, with
// the async wait() (dedicated waiter thread) and with waitSync() on the JS thread.
//   node bench/semaphore-roundtrip.mjs [rounds]
import { fork } from 'node:child_process';

import { SharedMemory, Semaphore, uniqueName } from '../dist/index.js';

const [role = 'parent', nameArg] = process.argv.slice(2).filter((arg) => !/^\d+$/.test(arg));
const rounds = Number(process.argv.slice(2).find((arg) => /^\d+$/.test(arg)) ?? 2000);

if (role === 'parent') {
  const segment = SharedMemory.create(uniqueName('rtt'), 4096);
  const ping = Semaphore.createIn(segment, 0, 0);
  const pong = Semaphore.createIn(segment, 64, 0);
  const child = fork(process.argv[1], ['child', segment.name], { execArgv: [] });
  await new Promise((resolve) => child.once('message', resolve));
  for (const mode of ['wait()', 'waitSync()']) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < rounds; i++) {
      ping.post();
      if (mode === 'wait()') await pong.wait();
      else pong.waitSync();
    }
    const microseconds = Number(process.hrtime.bigint() - started) / rounds / 1000;
    console.log(`${mode.padEnd(11)} round trip: ${microseconds.toFixed(1)} µs (mean over ${rounds} rounds; the child answers with wait())`);
  }
  child.kill();
  segment.close();
} else {
  const segment = SharedMemory.open(nameArg);
  const ping = Semaphore.openIn(segment, 0);
  const pong = Semaphore.openIn(segment, 64);
  process.send('ready');
  for (;;) {
    await ping.wait();
    pong.post();
  }
}
