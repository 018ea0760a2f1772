#!/usr/bin/env node
// Renders a recorded run (JSON) in another format, next to it:
//   node bench/render.mjs bench/results/full.json markdown   -> bench/results/full.md
import { readFileSync, writeFileSync } from 'node:fs';

import { renderReport } from '../dist/bench/report/index.js';
import { transports } from '../dist/bench/transports/index.js';

const [file, format = 'markdown'] = process.argv.slice(2);
if (!file) throw new Error('usage: node bench/render.mjs RESULTS.json [markdown|html|csv|table]');
const extension = { markdown: 'md', html: 'html', csv: 'csv', table: 'txt' }[format];
if (!extension) throw new Error(`format must be markdown, html, csv or table, got ${format}`);
const output = JSON.parse(readFileSync(file, 'utf8'));
const target = file.replace(/\.json$/, `.${extension}`);
writeFileSync(target, renderReport(format, output, { transports }));
console.log(`wrote ${target}`);
