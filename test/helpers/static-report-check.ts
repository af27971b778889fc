// The static HTML report (a results directory's index.html) in Chromium: it opens from disk with no console
// errors, no failed or network requests, its tables and pictures are there, and its table of contents
// navigates. Used by the test that produces a results directory (test/pipelines/sonictoy-quick.test.ts).
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { brokenImages, launchChromium, screenshot, watchProblems } from './browser.js';

export async function checkStaticReport(indexHtml: string, shotName: string): Promise<void> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems = watchProblems(page);
    const outside: string[] = [];
    page.on('request', (r) => {
      if (!/^(file|data):/.test(r.url())) outside.push(r.url());
    });
    await page.goto(pathToFileURL(indexHtml).href);
    assert.deepEqual(await brokenImages(page), [], 'pictures that did not load');
    await screenshot(page, shotName);
    assert.deepEqual(problems, [], 'problems while loading the report');
    assert.deepEqual(outside, [], 'the report must open with no network');
    const tables = await page.locator('table').count();
    assert.ok(tables >= 4, `Tables 1-4 at least, found ${tables} tables`);
    assert.ok((await page.locator('img').count()) > 0, 'the report shows pictures');
    const toc = page.locator('nav a[href^="#"]');
    assert.ok((await toc.count()) > 1, 'a table of contents');
    const last = toc.last();
    const target = (await last.getAttribute('href'))!;
    await last.click();
    assert.equal(new URL(page.url()).hash, target, 'the table of contents navigates');
    assert.ok(await page.locator(target).isVisible(), `${target} is on the page`);
  } finally {
    await browser.close();
  }
}
