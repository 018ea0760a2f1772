// The channel core in C++ (native/core/channel.hpp) between real processes: native/test's
// ipclab-core-test, built beside the addon by node-gyp and by cmake-js, runs each case (streams of
// random sizes across the wrap and chunk limits with every byte checked, batches, zero copy,
// timeouts, close waking a sleeper, peers killed, open errors, roles, liveness, a hostile peer).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { loadedAddonPath } from '../src/native.js';

const program = path.join(path.dirname(loadedAddonPath), 'ipclab-core-test');
const cases = existsSync(program) ? spawnSync(program, ['list'], { encoding: 'utf8' }).stdout.trim().split('\n') : [];

describe('the channel core (ipclab-core-test)', () => {
  it('is built beside the addon and lists its cases', () => {
    expect(existsSync(program)).toBe(true);
    expect(cases).toContain('stream');
    expect(cases).toContain('hostile-to-consumer');
  });

  it.each(cases)('%s', (name) => {
    const run = spawnSync(program, ['run', name], { encoding: 'utf8', timeout: 240_000 });
    expect(run.stdout + run.stderr).toMatch(new RegExp(`^ok ${name} `, 'm'));
    expect(run.status).toBe(0);
  });
});
