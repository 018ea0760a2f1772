// Checks a value against the schema of its version: schema/bench-output.schema.json (3, what runs
// write) or schema/bench-output-v2.schema.json (2, files written before). Uses ajv, a runtime
// dependency that only `ipclab report` and `ipclab compare` load (the CLI imports this lazily).
import { readFileSync } from 'node:fs';

import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';

/** The schema files, two levels up from both src/bench and dist/bench. */
export const BENCH_OUTPUT_SCHEMA_URL = new URL('../../schema/bench-output.schema.json', import.meta.url);
export const BENCH_OUTPUT_V2_SCHEMA_URL = new URL('../../schema/bench-output-v2.schema.json', import.meta.url);

const compiled = new Map<URL, ValidateFunction>();

function validator(url: URL): ValidateFunction {
  let validate = compiled.get(url);
  if (!validate) {
    const schema = JSON.parse(readFileSync(url, 'utf8')) as object;
    validate = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true }).compile(schema);
    compiled.set(url, validate);
  }
  return validate;
}

/**
 * Every way `output` breaks the schema of its `schemaVersion` (the current one when it names
 * another), as "/results/3 must have required property 'reason'"; empty when valid.
 */
export function validateBenchOutput(output: unknown): string[] {
  const version = (output as { schemaVersion?: unknown } | null)?.schemaVersion;
  const check = validator(version === 2 ? BENCH_OUTPUT_V2_SCHEMA_URL : BENCH_OUTPUT_SCHEMA_URL);
  if (check(output)) return [];
  return (check.errors ?? [])
    .filter((error) => error.keyword !== 'if') // "must match then schema" repeats the error beneath it
    .map((error) => {
      // A `false` schema marks a field that a result of this status or mode does not carry.
      if (error.keyword === 'false schema') return `${error.instancePath} must not be present on ${kindOfResult(output, error.instancePath)}`;
      const extra = (error.params as { additionalProperty?: string }).additionalProperty;
      const detail = extra === undefined ? '' : ` ("${extra}")`;
      return `${error.instancePath || '/'} ${error.message ?? 'is invalid'}${detail}`;
    });
}

/** "an errored or skipped result", or "a latency result": what holds the field at `pointer`. */
function kindOfResult(output: unknown, pointer: string): string {
  const parent = pointer
    .split('/')
    .slice(1, -1)
    .reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], output) as { status?: unknown; mode?: unknown } | undefined;
  if (parent?.status !== 'completed') return 'an errored or skipped result';
  return `a ${typeof parent.mode === 'string' ? parent.mode : 'bulk'} result`;
}
