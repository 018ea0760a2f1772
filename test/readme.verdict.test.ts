// The README's first screen says where ipclab beats process.send: exactly the verdict lines the
// bench makes of the recorded runs it names (regenerate: node bench/update-readme.mjs --verdict ...).
import { readFileSync } from 'node:fs';

import { expect, it } from 'vitest';

import { README_VERDICT_END, README_VERDICT_START, readmeVerdictSection, verdictSources } from '../src/bench/report/readme-verdict.js';
import { readSavedFile } from '../src/bench/saved.js';

const root = new URL('../', import.meta.url);
const readme = readFileSync(new URL('README.md', root), 'utf8');
const start = readme.indexOf(README_VERDICT_START);
const section = readme.slice(start, readme.indexOf(README_VERDICT_END) + README_VERDICT_END.length);

it('sits on the first screen and is exactly what the recorded runs it names give', () => {
  expect(start).toBeGreaterThan(-1);
  expect(readme.slice(0, start).split('\n').length, 'the verdict starts within the first 25 lines').toBeLessThan(25);
  const sources = verdictSources(section);
  expect(sources.length).toBeGreaterThan(0);
  const runs = sources.map((path) => ({ output: readSavedFile(new URL(path, root).pathname), path }));
  expect(section).toBe(readmeVerdictSection(runs));
  expect(section).toMatch(/process\.send/);
});
