// Photographs an HTML report as a reader sees it: 1280 px wide, the whole page, in headless Chromium.
//   npx tsx bench/screenshot.ts bench/results/full.html bench/results/full.png
// (`npm run screenshot` re-renders bench/results/full.html from full.json first, then runs this.)
import { pathToFileURL } from 'node:url';

import { withChromium } from './browser.js';

const [html, png] = process.argv.slice(2);
if (!html || !png) {
  console.error('usage: tsx bench/screenshot.ts REPORT.html OUT.png');
  process.exit(2);
}
await withChromium(async (context) => {
  const page = await context.newPage();
  await page.goto(pathToFileURL(html).href);
  await page.screenshot({ path: png, fullPage: true });
});
console.error(`wrote ${png}`);
