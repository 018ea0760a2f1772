// Headless Chromium for checking and photographing HTML reports: Debian's /usr/bin/chromium
// (CHROMIUM to choose another) driven by playwright-core, in a fresh profile that is removed
// afterwards, with everything that could reach the network switched off. Nothing is downloaded.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The width the reports must fit. */
export const PAGE_WIDTH = 1280;

/** Runs `use` with a browser context at 1280 px wide; the browser and its profile are gone afterwards. */
export async function withChromium<T>(use: (context: BrowserContext) => Promise<T>): Promise<T> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM)`);
  const profile = mkdtempSync(path.join(os.tmpdir(), 'ipclab-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: PAGE_WIDTH, height: 900 },
  });
  try {
    return await use(context);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
