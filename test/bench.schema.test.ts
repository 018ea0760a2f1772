import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { renderJson } from '../src/bench/report/json.js';
import { BENCH_OUTPUT_SCHEMA_URL, validateBenchOutput } from '../src/bench/schema.js';
import type { BenchOutput } from '../src/bench/results.js';
import { fixtureOutput } from './fixtures/bench-output.js';

/** A deep copy of the JSON report, as a reader of the file would get it. */
const fromJsonReport = (): BenchOutput & Record<string, unknown> => JSON.parse(renderJson(fixtureOutput)) as BenchOutput & Record<string, unknown>;

describe('BenchOutput JSON schema', () => {
  it('is a documented draft 2020-12 schema', () => {
    const schema = JSON.parse(readFileSync(BENCH_OUTPUT_SCHEMA_URL, 'utf8')) as Record<string, unknown> & { $defs: Record<string, { description?: string }> };
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.required).toEqual(['schemaVersion', 'context', 'trials', 'baselines', 'results']);
    for (const [name, definition] of Object.entries(schema.$defs)) expect(definition.description, name).toBeTruthy();
  });

  it('accepts the JSON report of a fixture run, which round-trips exactly', () => {
    const text = renderJson(fixtureOutput);
    expect(text.endsWith('\n')).toBe(true);
    expect(text).toContain('\n  "schemaVersion": 2,\n');
    expect(JSON.parse(text)).toEqual(fixtureOutput);
    expect(validateBenchOutput(JSON.parse(text))).toEqual([]);
  });

  it('requires a reason on errored, skipped and unverified results', () => {
    const output = fromJsonReport();
    const errored = output.results.findIndex((result) => result.status === 'errored');
    const skipped = output.results.findIndex((result) => result.status === 'skipped');
    const unverified = output.results.findIndex((result) => result.status === 'completed' && !result.verified);
    for (const index of [errored, skipped, unverified]) delete (output.results[index] as { reason?: string }).reason;
    expect(validateBenchOutput(output)).toEqual([
      `/results/${unverified} must have required property 'reason'`,
      `/results/${errored} must have required property 'reason'`,
      `/results/${skipped} must have required property 'reason'`,
    ]);
  });

  it('requires phase timings in seconds on completed results, and none on failed ones', () => {
    const output = fromJsonReport();
    const completed = output.results[0] as unknown as Record<string, unknown> & { runs: Array<Record<string, unknown>> };
    delete completed.phases;
    completed.runs[0]!.endToEnd = -0.5;
    completed.runs[0]!.send = '0.1';
    (output.results[9] as unknown as Record<string, unknown>).repetitions = 1;
    expect(validateBenchOutput(output)).toEqual([
      "/results/0 must have required property 'phases'",
      '/results/0/runs/0/send must be number,null',
      '/results/0/runs/0/endToEnd must be >= 0',
      '/results/9/repetitions must not be present on an errored or skipped result',
    ]);
  });

  it('rejects unknown fields, ids and a failed case claiming verification', () => {
    const output = fromJsonReport();
    output.extra = true;
    (output.results[1] as unknown as Record<string, unknown>).transport = 'carrier-pigeon';
    (output.results[10] as unknown as Record<string, unknown>).verified = true;
    expect(validateBenchOutput(output)).toEqual([
      '/ must NOT have additional properties ("extra")',
      '/results/1/transport must be equal to one of the allowed values',
      '/results/10/verified must be equal to constant',
    ]);
    expect(validateBenchOutput(null)).toEqual(['/ must be object']);
  });
});
