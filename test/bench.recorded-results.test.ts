// The recorded runs in bench/results are real harness output: they must follow the schema, and
// every row must be verified or say why not.
import { readdirSync, readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { validateBenchOutput } from '../src/bench/schema.js';
import type { BenchOutput } from '../src/bench/results.js';

const directory = new URL('../bench/results/', import.meta.url);
const files = readdirSync(directory).filter((file) => file.endsWith('.json'));

describe('recorded results', () => {
  it('exist', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s follows the schema, and each row is verified or gives its reason', (file) => {
    const output = JSON.parse(readFileSync(new URL(file, directory), 'utf8')) as BenchOutput;
    expect(validateBenchOutput(output)).toEqual([]);
    for (const result of output.results) {
      if (!result.verified) expect(result.reason, `${result.transport} ${result.payload}/${result.codec} ${result.elements}`).toMatch(/\S/);
    }
  });
});
