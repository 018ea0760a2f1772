// Lists, after a run, every test skipped for a missing requirement (test/support/requirements.ts)
// with its one-line reason: the default reporter counts skips without saying why.
import path from 'node:path';

import type { Reporter, TestCase } from 'vitest/node';

export default class SkipReporter implements Reporter {
  readonly #skipped: string[] = [];

  onTestCaseResult(testCase: TestCase): void {
    const result = testCase.result();
    if (result.state !== 'skipped' || result.note === undefined) return;
    this.#skipped.push(`${path.relative(process.cwd(), testCase.module.moduleId)} > ${testCase.fullName}: ${result.note}`);
  }

  onTestRunEnd(): void {
    if (this.#skipped.length === 0) return;
    process.stdout.write(`\nSkipped for a missing requirement (IPCLAB_REQUIRE_ALL=1 fails them instead):\n${this.#skipped.map((line) => `  ${line}\n`).join('')}`);
  }
}
