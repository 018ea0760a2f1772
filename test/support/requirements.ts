// What some tests need beyond Node 20, a compiler and python3. Such a test skips with a one-line
// reason when its need is missing, and fails with that reason when IPCLAB_REQUIRE_ALL=1 (.ci/run
// sets it, so CI runs every test). test/support/skip-reporter.ts lists the skips after a run.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

import { it, type TestContext } from 'vitest';

import { CHROMIUM } from '../../bench/browser.js';
import { probePython } from '../../src/bench/python.js';

/** Set to 1, a missing requirement fails the test instead of skipping it. */
export const REQUIRE_ALL_ENV = 'IPCLAB_REQUIRE_ALL';

/** Something a test needs; `missing` says in one line why it is not here (undefined: it is). */
export interface Requirement {
  readonly missing: string | undefined;
}

/** Checked on first use, once per test file. */
function requirement(check: () => string | undefined): Requirement {
  let checked: { missing: string | undefined } | undefined;
  return {
    get missing() {
      checked ??= { missing: check() };
      return checked.missing;
    },
  };
}

export const chromium = requirement(() =>
  existsSync(CHROMIUM) ? undefined : `needs Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM)`,
);

export const numpy = requirement(() => {
  const probe = probePython();
  if (probe.python === null) return `needs python3 with numpy: ${probe.problem}`;
  return probe.numpy === null ? `needs numpy for Python ${probe.python} (apt-get install python3-numpy)` : undefined;
});

export const python = requirement(() => {
  const probe = probePython();
  return probe.python === null ? `needs python3: ${probe.problem}` : undefined;
});

export const cCompiler = requirement(() =>
  spawnSync('cc', ['--version']).error ? 'needs a C compiler (cc: apt-get install gcc)' : undefined,
);

export const root = requirement(() => (process.getuid?.() === 0 ? undefined : 'needs root'));

/** A private tmpfs over /dev/shm in a mount namespace of its own: root and unshare(1). */
export const privateShm = requirement(() => {
  if (process.getuid?.() !== 0) return 'needs root to mount a private tmpfs over /dev/shm';
  const probe = spawnSync('unshare', ['-m', '--propagation', 'private', 'sh', '-c', 'mount -t tmpfs -o size=1m tmpfs /dev/shm'], { encoding: 'utf8' });
  if (probe.error) return 'needs unshare(1) from util-linux';
  return probe.status === 0 ? undefined : `needs a mount namespace: unshare -m failed (${probe.stderr.trim() || `exit ${probe.status}`})`;
});

/** Skips the running test, with the reason, when a requirement is missing; fails instead under IPCLAB_REQUIRE_ALL=1. */
export function requires(context: TestContext, ...requirements: Requirement[]): void {
  const missing = requirements.map((item) => item.missing).find((reason) => reason !== undefined);
  if (missing === undefined) return;
  if (process.env[REQUIRE_ALL_ENV] === '1') throw new Error(`${missing}; ${REQUIRE_ALL_ENV}=1 makes this a failure`);
  context.skip(missing);
}

/** `it` for a test that needs `requirements`: it calls requires() first. */
export function itRequiring(...requirements: Requirement[]): (name: string, test: () => unknown, timeout?: number) => void {
  return (name, test, timeout) =>
    it(
      name,
      async (context) => {
        requires(context, ...requirements);
        await test();
      },
      timeout,
    );
}
