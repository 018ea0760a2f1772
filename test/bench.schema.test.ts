import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { renderJson } from '../src/bench/report/json.js';
import { BENCH_MODES, CODEC_IDS, MESSAGE_TRANSPORT_IDS, PAYLOAD_IDS, PHASE_NAMES, TRANSPORT_IDS } from '../src/bench/ids.js';
import { BENCH_OUTPUT_SCHEMA_URL, BENCH_OUTPUT_V2_SCHEMA_URL, validateBenchOutput } from '../src/bench/schema.js';
import { SCHEMA_VERSION, type BenchOutput } from '../src/bench/results.js';
import { fixtureOutput } from './fixtures/bench-output.js';

interface SchemaNode {
  enum?: unknown[];
  properties?: Record<string, SchemaNode>;
  description?: string;
}

const schemaAt = (url: URL) => JSON.parse(readFileSync(url, 'utf8')) as Record<string, unknown> & { properties: Record<string, SchemaNode>; $defs: Record<string, SchemaNode> };

/** A deep copy of the JSON report, as a reader of the file would get it. */
const fromJsonReport = (): BenchOutput & Record<string, unknown> => JSON.parse(renderJson(fixtureOutput)) as BenchOutput & Record<string, unknown>;

describe('BenchOutput JSON schema', () => {
  it('is a documented draft 2020-12 schema, as is the one of files written before it', () => {
    const schema = schemaAt(BENCH_OUTPUT_SCHEMA_URL);
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.required).toEqual(['schemaVersion', 'context', 'mode', 'trials', 'baselines', 'arrayFloors', 'results']);
    expect(schema.properties.schemaVersion).toMatchObject({ const: SCHEMA_VERSION });
    expect(schemaAt(BENCH_OUTPUT_V2_SCHEMA_URL).properties.schemaVersion).toMatchObject({ const: 2 });
    for (const url of [BENCH_OUTPUT_SCHEMA_URL, BENCH_OUTPUT_V2_SCHEMA_URL]) {
      for (const [name, definition] of Object.entries(schemaAt(url).$defs)) expect(definition.description, name).toBeTruthy();
    }
  });

  it('lists the ids ids.ts lists', () => {
    const { $defs } = schemaAt(BENCH_OUTPUT_SCHEMA_URL);
    expect($defs.transportId!.enum).toEqual([...TRANSPORT_IDS]);
    expect($defs.payloadId!.enum).toEqual([...PAYLOAD_IDS]);
    expect($defs.codecId!.enum).toEqual([...CODEC_IDS]);
    expect($defs.messageTransportId!.enum).toEqual([...MESSAGE_TRANSPORT_IDS]);
    expect(schemaAt(BENCH_OUTPUT_SCHEMA_URL).properties.mode!.enum).toEqual([...BENCH_MODES]);
    expect(Object.keys($defs.phaseStats!.properties!)).toEqual([...PHASE_NAMES]);
  });

  it('accepts the JSON report of a fixture run, which round-trips exactly', () => {
    const text = renderJson(fixtureOutput);
    expect(text.endsWith('\n')).toBe(true);
    expect(text).toContain('\n  "schemaVersion": 3,\n');
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
    delete (output.results[0] as unknown as Record<string, unknown>).phases;
    const phases = (output.results[1] as unknown as { phases: Record<string, Record<string, unknown> & { samples: number[] }> }).phases;
    phases.endToEnd!.samples[0] = -0.5;
    phases.send!.p50 = '0.1';
    (output.results[9] as unknown as Record<string, unknown>).repetitions = 1;
    expect(validateBenchOutput(output)).toEqual([
      "/results/0 must have required property 'phases'",
      '/results/1/phases/send/p50 must be number',
      '/results/1/phases/endToEnd/samples/0 must be >= 0',
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
