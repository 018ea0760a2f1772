// Checks a value against schema/bench-output.schema.json. Uses ajv, a devDependency: for tests and
// tooling, not for the library or CLI at run time.
import { readFileSync } from 'node:fs';

import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';

/** The schema file, two levels up from both src/bench and dist/bench. */
export const BENCH_OUTPUT_SCHEMA_URL = new URL('../../schema/bench-output.schema.json', import.meta.url);

let validate: ValidateFunction | undefined;

function compiled(): ValidateFunction {
  if (!validate) {
    const schema = JSON.parse(readFileSync(BENCH_OUTPUT_SCHEMA_URL, 'utf8')) as object;
    validate = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true }).compile(schema);
  }
  return validate;
}

/** Every way `output` breaks the BenchOutput schema, as "/results/3 must have required property 'reason'"; empty when valid. */
export function validateBenchOutput(output: unknown): string[] {
  const check = compiled();
  if (check(output)) return [];
  return (check.errors ?? [])
    .filter((error) => error.keyword !== 'if') // "must match then schema" repeats the error beneath it
    .map((error) => {
      // A `false` schema marks a field that only completed results carry.
      if (error.keyword === 'false schema') return `${error.instancePath} must not be present on an errored or skipped result`;
      const extra = (error.params as { additionalProperty?: string }).additionalProperty;
      const detail = extra === undefined ? '' : ` ("${extra}")`;
      return `${error.instancePath || '/'} ${error.message ?? 'is invalid'}${detail}`;
    });
}
