#!/usr/bin/env node
// Rewrites BENCHMARKS.md's seed section (the original study's table, measured here) from a recorded
// run that has the Python rows (build first: npm run build:ts):
//   node bench/update-readme-seed.mjs bench/results/seed.json
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { renderSeedSection, replaceSeedSection } from '../dist/bench/report/seed-table.js';
import { readSavedFile } from '../dist/bench/saved.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const resultsFile = path.resolve(process.argv[2] ?? path.join(root, 'bench', 'results', 'seed.json'));
const output = readSavedFile(resultsFile);
const readmePath = path.join(root, 'BENCHMARKS.md');
const section = renderSeedSection(output, path.relative(root, resultsFile));
writeFileSync(readmePath, replaceSeedSection(readFileSync(readmePath, 'utf8'), section));
console.log(`BENCHMARKS.md seed section rewritten from ${resultsFile}`);
