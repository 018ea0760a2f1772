// Every program in examples/ runs to completion as a person would run it (`node examples/...`,
// importing 'ipclab' by its package name) and reports its data arrived intact; one that needs
// Python with numpy or a C compiler is skipped with the reason where they are missing.
import { spawn } from 'node:child_process';
import path from 'node:path';

import { describe, expect } from 'vitest';

import { cCompiler, itRequiring, numpy, type Requirement } from './support/requirements.js';
import { finished } from './support/processes.js';
import { repository } from './support/npm.js';

const EXPECTED: Record<string, string> = {
  'examples/producer-consumer/consumer.mjs': 'received 1000000 float64 values, every one as sent',
  'examples/zero-copy.mjs': 'read 1000000 int32 values in place, every one as written',
  'examples/stream.mjs': 'received 100000 messages, every one in order',
  'examples/shared-memory-semaphore.mjs': 'frame ready: 640x480 pixels, every one as drawn',
  'examples/python-interop.mjs': 'python doubled 100000 int32 values, every one as expected',
  'examples/python-channel.mjs': 'python scaled 1000000 float64 values, every one as expected',
  'examples/c-interop.mjs': 'C doubled 1000000 int32 values, every one as expected',
};

/** What an example needs beyond Node. */
const NEEDS: Record<string, Requirement[]> = {
  'examples/python-channel.mjs': [numpy],
  'examples/c-interop.mjs': [cCompiler],
};

describe('examples/', () => {
  for (const [program, line] of Object.entries(EXPECTED)) {
    itRequiring(...(NEEDS[program] ?? []))(`${program} runs and moves its data intact`, async () => {
      const child = spawn(process.execPath, [path.join(repository, program)], { cwd: repository, stdio: ['ignore', 'pipe', 'pipe'] });
      const run = await finished(child);
      expect(run.stderr).toBe('');
      expect(run).toMatchObject({ code: 0, stdout: `${line}\n` });
    });
  }
});
