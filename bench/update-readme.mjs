#!/usr/bin/env node
// Rewrites BENCHMARKS.md's results section from a recorded run, or its latency section from a
// recorded `--mode latency` run (build first: npm run build:ts):
//   node bench/update-readme.mjs bench/results/full.json
//   node bench/update-readme.mjs bench/results/latency.json
// or the README's first-screen verdict from several recorded runs:
//   node bench/update-readme.mjs --verdict bench/results/throughput.json bench/results/latency.json bench/results/crossover.json
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { readmeResultsSection, replaceReadmeResults } from '../dist/bench/report/headline.js';
import { README_LATENCY_END, README_LATENCY_START, readmeLatencySection } from '../dist/bench/report/messages.js';
import { replaceSection } from '../dist/bench/report/readme.js';
import { readmeVerdictSection, replaceReadmeVerdict } from '../dist/bench/report/readme-verdict.js';
import { readSavedFile } from '../dist/bench/saved.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (process.argv[2] === '--verdict') {
  const runs = process.argv.slice(3).map((file) => ({ output: readSavedFile(path.resolve(file)), path: path.relative(root, path.resolve(file)) }));
  const readmePath = path.join(root, 'README.md'); // the first screen
  writeFileSync(readmePath, replaceReadmeVerdict(readFileSync(readmePath, 'utf8'), readmeVerdictSection(runs)));
  console.log(`README.md verdict rewritten from ${runs.map((run) => run.path).join(', ')}`);
  process.exit(0);
}
const resultsFile = path.resolve(process.argv[2] ?? path.join(root, 'bench', 'results', 'full.json'));
const relative = path.relative(root, resultsFile);
const output = readSavedFile(resultsFile);
const readmePath = path.join(root, 'BENCHMARKS.md');
const readme = readFileSync(readmePath, 'utf8');

if (output.mode === 'latency') {
  // A latency run (--mode latency) fills the latency section.
  writeFileSync(readmePath, replaceSection(readme, README_LATENCY_START, README_LATENCY_END, readmeLatencySection(output, relative)));
  console.log(`BENCHMARKS.md latency section rewritten from ${resultsFile}`);
} else {
  // A bulk run fills the results at the top.
  writeFileSync(readmePath, replaceReadmeResults(readme, readmeResultsSection(output, relative)));
  console.log(`BENCHMARKS.md results section rewritten from ${resultsFile}`);
}
