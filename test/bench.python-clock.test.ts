// Python's time.monotonic_ns() and Node's process.hrtime.bigint() read the same clock
// (CLOCK_MONOTONIC), so the marks of a Python side and a Node side can be subtracted.
import { spawnSync } from 'node:child_process';

import { describe, expect, it } from 'vitest';

import { pythonCommand } from '../src/bench/python.js';

describe('the clock of Python marks', () => {
  it('a Python reading of time.monotonic_ns() falls between two Node readings of process.hrtime.bigint()', () => {
    for (let attempt = 0; attempt < 3; attempt++) {
      const before = process.hrtime.bigint();
      const run = spawnSync(pythonCommand(), ['-c', 'import time; print(time.monotonic_ns())'], { encoding: 'utf8' });
      const after = process.hrtime.bigint();
      expect(run.status).toBe(0);
      const python = BigInt(run.stdout.trim());
      expect(python > before).toBe(true);
      expect(python < after).toBe(true);
    }
  });
});
