import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';

/** Where the dashboard tests save their screenshots (test artifacts, kept out of git). */
export const SCREENSHOTS = fileURLToPath(new URL('../../reports/screenshots/', import.meta.url));
export const CHROMIUM = '/usr/bin/chromium';
/** Headless, sandbox-less (CI containers), and no network of its own: the machines are offline. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  readonly context: BrowserContext;
  /** Closes the browser and removes its profile. */
  close(): Promise<void>;
}

/**
 * Headless Chromium as the dashboard tests use it: a fresh profile, a 1400×1000 window, Vietnamese
 * locale and the province's time zone. Creates the screenshots folder.
 */
export async function launchBrowser(options: { readonly acceptDownloads?: boolean } = {}): Promise<Browser> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioc-chromium-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 1000 },
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
    ...(options.acceptDownloads ? { acceptDownloads: true } : {}),
  });
  const browser: Browser = {
    context,
    async close() {
      await context.close();
      fs.rmSync(profileDir, { recursive: true, force: true });
    },
  };
  return browser;
}
