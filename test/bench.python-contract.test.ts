// The Python side reports what the Node side reports: its usage has the fields and types of the
// TypeScript SideUsage (src/bench/side-usage.ts), and its report the fields of SideReport,
// so a Python row reads like any other.
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';

import { pythonCaseScript, pythonCommand } from '../src/bench/python.js';
import { sideUsage } from '../src/bench/side-usage.js';
import { BENCH_OUTPUT_SCHEMA_URL } from '../src/bench/schema.js';
import type { SideReport } from '../src/bench/side.js';
import { runCommand } from './support/processes.js';

/** What the Python side's `expression` (over its modules) evaluates to, through JSON. */
async function python(expression: string): Promise<unknown> {
  const script = `import json, sys; sys.path.insert(0, ${JSON.stringify(path.dirname(pythonCaseScript))}); import ipclab_side; print(json.dumps(${expression}))`;
  const run = await runCommand(pythonCommand(), ['-c', script]);
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout) as unknown;
}

/** Each field's JSON type (which numbers must be whole, the schema says). */
const shape = (value: object) => Object.fromEntries(Object.entries(value).map(([key, field]) => [key, typeof field]));

/** Every field SideReport has; a side sends the first five always. */
const SIDE_REPORT_FIELDS = ['role', 'pid', 'threadId', 'marks', 'usage', 'verified', 'mismatch', 'messageOutcome', 'note'] as const satisfies ReadonlyArray<keyof SideReport>;

describe('the Python side and the TypeScript side', () => {
  it("report a side's usage with the same fields, of the same types, that the schema accepts", async () => {
    const fromPython = (await python('ipclab_side.side_usage()')) as object;
    const fromNode = sideUsage(false);
    expect(shape(fromPython)).toEqual(shape(fromNode));
    const schema = JSON.parse(readFileSync(BENCH_OUTPUT_SCHEMA_URL, 'utf8')) as object;
    const check = new Ajv2020({ strict: false }).addSchema(schema, 'output').getSchema('output#/$defs/sideUsage')!;
    for (const usage of [fromPython, fromNode]) expect(check(usage), JSON.stringify(check.errors)).toBe(true);
  });

  it("send a report with SideReport's fields", async () => {
    const spec = { transport: 'py-pipe', payload: 'int32', codec: 'pickle', elements: 1 };
    const report = (await python(`ipclab_side.side_report("receiver", {"sendStart": 5}, ${JSON.stringify(spec)}, verified=True)`)) as Record<string, unknown>;
    expect(Object.keys(report).filter((key) => !(SIDE_REPORT_FIELDS as readonly string[]).includes(key))).toEqual([]);
    expect(report).toMatchObject({ role: 'receiver', pid: expect.any(Number), threadId: 0, marks: { sendStart: '5' }, verified: true });
  });
});
