#!/usr/bin/env node
// Rewrites the README's results section from a recorded run, or its latency section from a
// recorded `--mode latency` run:
//   node bench/update-readme.mjs bench/results/full.json
//   node bench/update-readme.mjs bench/results/latency.json
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { machineLine } from '../dist/bench/report/format.js';
import { headlineFindings, renderHeadline } from '../dist/bench/report/headline.js';
import { messageSummarySentences, renderLatencyHeadline } from '../dist/bench/report/messages.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const resultsFile = process.argv[2] ?? path.join(root, 'bench', 'results', 'full.json');
const output = JSON.parse(readFileSync(resultsFile, 'utf8'));
const readmePath = path.join(root, 'README.md');
const readme = readFileSync(readmePath, 'utf8');
// A latency run (--mode latency) fills the latency section; a bulk run the results at the top.
const latency = output.mode === 'latency';
const marker = latency ? 'latency' : 'results';
const start = `<!-- ${marker}:start -->`;
const end = `<!-- ${marker}:end -->`;
if (!readme.includes(start) || !readme.includes(end)) throw new Error(`README.md lacks the ${start} / ${end} markers`);

const section = [
  start,
  ...(latency ? messageSummarySentences(output) : headlineFindings(output)).map((finding) => `- ${finding}`),
  '',
  (latency ? renderLatencyHeadline(output) : renderHeadline(output)).trimEnd(),
  '',
  `Measured ${output.context.date.slice(0, 10)} on ${machineLine(output.context)}.`,
  `Reproduce: \`${output.context.command}\` (full results: [${path.relative(root, resultsFile)}](${path.relative(root, resultsFile)}), ` +
    `[Markdown](${path.relative(root, resultsFile).replace(/\.json$/, '.md')})).`,
  end,
].join('\n');
writeFileSync(readmePath, readme.slice(0, readme.indexOf(start)) + section + readme.slice(readme.indexOf(end) + end.length));
console.log(`README.md results section rewritten from ${resultsFile}`);
