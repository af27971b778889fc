// Browser tests drive Debian's Chromium (apt-get install -y --no-install-recommends chromium) with
// playwright-core; no browser is downloaded. Without Chromium they skip with a message, unless
// SONIC_REQUIRE_CHROMIUM=1 (CI), which turns the skip into a failure. Screenshots go to
// test-artifacts/screenshots/ (gitignored) for people to look at.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';

export const CHROMIUM = process.env.SONIC_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = fileURLToPath(new URL('../../../test-artifacts/screenshots/', import.meta.url));

export function chromiumSkipReason(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  if (process.env.SONIC_REQUIRE_CHROMIUM === '1') return undefined;
  return `Chromium not found at ${CHROMIUM}: install it (apt-get install -y --no-install-recommends chromium) or set SONIC_CHROMIUM; SONIC_REQUIRE_CHROMIUM=1 turns this skip into a failure`;
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is required (SONIC_REQUIRE_CHROMIUM=1) but ${CHROMIUM} does not exist`);
  const { chromium } = await import('playwright-core');
  // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
}

/** Everything a page reported as wrong while it loaded: console errors, uncaught exceptions, failed requests. */
export function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} (${r.failure()?.errorText ?? ''})`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  return problems;
}

/** Every <img> on the page has loaded with a non-zero size (lazy images are scrolled into view first). */
export async function brokenImages(page: Page): Promise<string[]> {
  for (const img of await page.locator('img').all()) await img.scrollIntoViewIfNeeded();
  await page.waitForLoadState('networkidle');
  return page.$$eval('img', (imgs) => imgs.filter((i) => !i.complete || i.naturalWidth === 0).map((i) => i.getAttribute('src') ?? '?'));
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
