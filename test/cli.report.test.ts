// `ipclab report FILE.json`: renders a saved run in any format, checks the file against the schema
// first (naming the first offending path), and never replaces an --out file without --force.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { renderReport } from '../src/bench/report/index.js';
import { transports } from '../src/bench/transports/index.js';
import { fixtureOutput } from './fixtures/bench-output.js';
import { ipclab } from './support/cli.js';

let directory = '';
let saved = '';

beforeAll(() => {
  directory = mkdtempSync(path.join(os.tmpdir(), 'ipclab-report-'));
  saved = path.join(directory, 'run.json');
  writeFileSync(saved, JSON.stringify(fixtureOutput));
});

afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('ipclab report', () => {
  it('renders a saved run in each format, as bench would have', async () => {
    for (const format of ['table', 'markdown', 'csv', 'html', 'json'] as const) {
      const run = await ipclab('report', saved, '--format', format);
      expect(run).toEqual({ code: 0, stdout: renderReport(format, fixtureOutput, { transports }), stderr: '' });
    }
    expect((await ipclab('report', saved)).stdout).toBe(renderReport('table', fixtureOutput, { transports }));
  });

  it('writes --out once, and replaces it only with --force', async () => {
    const out = path.join(directory, 'report.md');
    expect(await ipclab('report', saved, '--format', 'markdown', '--out', out)).toEqual({ code: 0, stdout: '', stderr: `Wrote the markdown report to ${out}\n` });
    expect(readFileSync(out, 'utf8')).toBe(renderReport('markdown', fixtureOutput, { transports }));
    writeFileSync(out, 'kept');
    const refused = await ipclab('report', saved, '--format', 'markdown', '--out', out);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`ipclab: --out: "${out}" already exists; add --force to replace it\n`);
    expect(readFileSync(out, 'utf8')).toBe('kept');
    expect((await ipclab('report', saved, '--format', 'markdown', '--out', out, '--force')).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(renderReport('markdown', fixtureOutput, { transports }));
  });

  it('refuses a missing file, a file that is not JSON, and JSON that is not a result, naming the first offending path', async () => {
    const missing = path.join(directory, 'missing.json');
    const notJson = path.join(directory, 'not.json');
    writeFileSync(notJson, 'transport,elements\npipe,10\n');
    const badStatus = path.join(directory, 'bad-status.json');
    const broken = structuredClone(fixtureOutput) as unknown as { results: Array<Record<string, unknown>> };
    broken.results[2]!.status = 'finished';
    writeFileSync(badStatus, JSON.stringify(broken));
    const notResult = path.join(directory, 'package.json');
    writeFileSync(notResult, JSON.stringify({ name: 'app', version: '1.0.0' }));

    const cases: Array<[string, RegExp]> = [
      [missing, /^ipclab: cannot read ".*missing\.json": no such file; expected a JSON file written by "ipclab bench --format json --out FILE"\n/],
      [notJson, /^ipclab: ".*not\.json" is not JSON \(Unexpected token .*\); expected the output of "ipclab bench --format json"\n/],
      [badStatus, /^ipclab: ".*bad-status\.json" is not an ipclab bench result: \/results\/2\/status must be equal to one of the allowed values/],
      [notResult, /^ipclab: ".*package\.json" is not an ipclab bench result: \/ must have required property '\w+'/],
      [directory, /^ipclab: cannot read ".*": it is a directory;/],
    ];
    for (const [file, message] of cases) {
      const run = await ipclab('report', file);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(message);
      expect(run.stderr).not.toMatch(/TypeError|at .*\.js:\d+/);
    }
  });

  it('needs exactly one file and a known format', async () => {
    expect(await ipclab('report')).toMatchObject({ code: 2, stderr: expect.stringContaining('"ipclab report" takes FILE.json; got none') });
    expect(await ipclab('report', saved, saved)).toMatchObject({ code: 2, stderr: expect.stringContaining('takes FILE.json; got "') });
    expect(await ipclab('report', saved, '--format', 'pdf')).toMatchObject({ code: 2, stderr: expect.stringContaining('--format: unknown value "pdf"') });
  });
});
