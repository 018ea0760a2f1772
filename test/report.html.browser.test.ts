// The HTML report in a real browser (Debian's Chromium, headless, offline): no console errors and
// no network requests, every chart has drawn marks of non-zero size, and nothing is wider than a
// 1280 px page. Checked for the hand-made fixture and for the recorded run in bench/results/.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { PAGE_WIDTH, withChromium } from '../bench/browser.js';
import { renderHtml } from '../src/bench/report/html.js';
import { transports } from '../src/bench/transports/index.js';
import type { BenchOutput } from '../src/bench/results.js';
import { readSavedFile } from '../src/bench/saved.js';
import { fixtureOutput } from './fixtures/bench-output.js';
import { repository } from './support/npm.js';
import { chromium, requires } from './support/requirements.js';

interface PageFindings {
  errors: string[];
  requests: string[];
  charts: Array<{ label: string; width: number; height: number; marks: number }>;
  pageWidth: number;
  widest: Array<{ what: string; right: number }>;
}

/** Runs in the page (as text: the test's TypeScript has no DOM types): chart sizes and marks, and how wide things are. */
const INSPECT = `(() => {
  const box = (element) => element.getBoundingClientRect();
  const charts = [...document.querySelectorAll('svg.chart')].map((svg) => ({
    label: svg.getAttribute('aria-label') || '',
    width: box(svg).width,
    height: box(svg).height,
    marks: [...svg.querySelectorAll('.mark')].filter((mark) => box(mark).width > 0 && box(mark).height > 0).length,
  }));
  const widest = [...document.querySelectorAll('table, svg.chart, .panels, p, ul, ol')].map((element) => ({
    what: element.tagName.toLowerCase() + ' ' + (element.getAttribute('aria-label') || element.textContent || '').slice(0, 60),
    right: box(element).right,
  }));
  return { charts, pageWidth: document.documentElement.scrollWidth, widest };
})()`;

async function inspect(file: string): Promise<PageFindings> {
  return withChromium(async (context) => {
    const page = await context.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('request', (request) => {
      if (!request.url().startsWith('file:')) requests.push(request.url());
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    const found = (await page.evaluate(INSPECT)) as Omit<PageFindings, 'errors' | 'requests'>;
    return { errors, requests, ...found };
  });
}

let directory = '';
beforeAll(() => {
  directory = mkdtempSync(path.join(os.tmpdir(), 'ipclab-browser-'));
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const reports: Array<[string, () => BenchOutput]> = [
  ['the fixture', () => fixtureOutput],
  ['the recorded run (bench/results/full.json)', () => readSavedFile(path.join(repository, 'bench', 'results', 'full.json'))],
];

describe('the HTML report in headless Chromium', () => {
  beforeEach((context) => requires(context, chromium));

  for (const [name, output] of reports) {
    it(`${name}: draws every chart, logs no error, fetches nothing and fits ${PAGE_WIDTH} px`, async () => {
      const file = path.join(directory, `${name.replace(/\W+/g, '-')}.html`);
      writeFileSync(file, renderHtml(output(), { transports }));
      const page = await inspect(file);
      expect(page.errors).toEqual([]);
      expect(page.requests).toEqual([]);
      expect(page.charts.length).toBeGreaterThanOrEqual(3);
      for (const chart of page.charts) {
        expect(chart.width, chart.label).toBeGreaterThan(0);
        expect(chart.height, chart.label).toBeGreaterThan(0);
        expect(chart.marks, `${chart.label}: drawn marks`).toBeGreaterThan(0);
      }
      expect(page.pageWidth).toBeLessThanOrEqual(PAGE_WIDTH);
      expect(page.widest.filter((element) => element.right > PAGE_WIDTH)).toEqual([]);
    });
  }
});
