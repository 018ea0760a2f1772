// The recorded runs in bench/results are real harness output: they must follow the schema of their
// version (those recorded before schema 3 follow schema 2 and are read into the current shape), and
// every row must be verified or say why not.
import { readdirSync, readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { readSavedOutput } from '../src/bench/saved.js';

const directory = new URL('../bench/results/', import.meta.url);
const files = readdirSync(directory).filter((file) => file.endsWith('.json'));

describe('recorded results', () => {
  it('exist', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s follows the schema, and each row is verified or gives its reason', (file) => {
    const { output, problems } = readSavedOutput(JSON.parse(readFileSync(new URL(file, directory), 'utf8')));
    expect(problems).toBeUndefined();
    expect(output!.results.length).toBeGreaterThan(0);
    for (const result of output!.results) {
      const label = result.mode === 'bulk' ? `${result.transport} ${result.payload}/${result.codec} ${result.elements}` : `${result.mode} ${result.transport} ${result.messageBytes} B`;
      if (!result.verified) expect(result.reason, label).toMatch(/\S/);
    }
  });
});
