// `sonic ui` in a real browser (Chromium through playwright-core): every page loads with no console errors
// or failed requests, its tables and images are there, and links and the compare form navigate. A
// screenshot of each page goes to test-artifacts/screenshots/ui-*.png.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startUiServer, type UiServer } from '../../../../src/engine/report/ui/ui-server.js';
import { brokenImages, chromiumSkipReason, launchChromium, screenshot, watchProblems } from '../../../helpers/browser.js';
import { tempDir } from '../../../helpers/temp-dir.js';
import { makeUiWorkspace } from './fixtures/ui-workspace.js';

const skip = chromiumSkipReason();
let ui: UiServer | undefined;
let browser: Browser | undefined;

before(async () => {
  if (skip) return;
  const workspace = makeUiWorkspace(tempDir('sonic-ui-browser-'));
  ui = await startUiServer({ workspace, port: 0 });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await ui?.close();
});

/** Opens `path`, checks it loads cleanly with its images, screenshots it, and returns the page. */
async function open(path: string, shot: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser!.newPage({ viewport: { width: 1280, height: 800 } });
  const problems = watchProblems(page);
  const res = await page.goto(new URL(path, ui!.url).href);
  assert.equal(res?.status(), 200, `${path}: HTTP ${res?.status()}`);
  assert.deepEqual(await brokenImages(page), [], `${path}: images that did not load`);
  await screenshot(page, shot);
  assert.deepEqual(problems, [], `${path}: problems while loading`);
  return { page, problems };
}

test('runs page: both runs in a table, links to each run, a compare form', { skip }, async () => {
  const { page } = await open('/', 'ui-runs');
  assert.equal(await page.locator('table tbody tr').count(), 2);
  assert.deepEqual(await page.locator('tbody tr td:nth-child(2) a').allTextContents(), ['run 2', 'run 1']);
  await page.locator('a', { hasText: 'run 1' }).first().click();
  await page.waitForURL(/\/runs\/1$/);
  assert.equal(await page.locator('h1').textContent(), 'Run 1');
  await page.close();
});

test('run page: stages with state, reason, log and artifact links; timeline; images', { skip }, async () => {
  const { page } = await open('/runs/2', 'ui-run');
  const rows = page.locator('#stages ~ .table-wrap tbody tr');
  assert.equal(await rows.count(), 4);
  const text = (await rows.allInnerTexts()).join('\n');
  assert.match(text, /shared\s+cached/);
  assert.match(text, /broken\s+failed/);
  assert.match(text, /deliberate <failure>/, 'the error is shown as text, not markup');
  assert.equal(await page.locator('.plot svg').count(), 1, 'the timeline');
  assert.ok((await page.locator('.gallery img').count()) >= 3, 'grid.png and the two sheets');
  await page.locator('a', { hasText: 'render' }).first().click();
  await page.waitForURL(/\/stage-runs\/\d+$/);
  assert.equal(await page.locator('h1').textContent(), 'render');
  await page.close();
});

test('stage page: params, metrics, curves, artifacts, images, escaped log', { skip }, async () => {
  const { page } = await open('/runs/2', 'ui-run-for-stage');
  await page.locator('#stages ~ .table-wrap a', { hasText: /^train$/ }).click();
  await page.waitForURL(/\/stage-runs\/\d+$/);
  const path = new URL(page.url()).pathname;
  await page.close();
  const stage = await open(path, 'ui-stage');
  assert.match(await stage.page.locator('#params ~ .table-wrap').first().innerText(), /lr\s+0\.2/);
  assert.match(await stage.page.locator('#metrics ~ .table-wrap').first().innerText(), /accuracy\s+0\.7/);
  assert.equal(await stage.page.locator('.plots svg').count(), 1, 'the loss curve');
  assert.match(await stage.page.locator('pre.log').innerText(), /training <b>not bold<\/b> & "quoted"/);
  assert.equal(await stage.page.locator('pre.log b').count(), 0, 'log text never becomes markup');
  await stage.page.close();
  const render = await open('/stage-runs/7', 'ui-stage-images');
  assert.equal(await render.page.locator('.gallery img').count(), 3);
  await render.page.locator('#artifacts ~ .table-wrap a', { hasText: 'sheets' }).click();
  await render.page.waitForURL(/\/files\/sheets$/);
  assert.equal(await render.page.locator('.gallery img').count(), 2);
  await screenshot(render.page, 'ui-artifact-dir');
  await render.page.close();
});

test('compare: tick two runs on the runs page, see param and metric deltas and overlaid curves', { skip }, async () => {
  const { page } = await open('/', 'ui-runs-before-compare');
  for (const box of await page.locator('input[name=run]').all()) await box.check();
  await page.locator('button', { hasText: 'Compare' }).click();
  await page.waitForURL(/\/compare\?run=2&run=1$/);
  const problems = watchProblems(page);
  await screenshot(page, 'ui-compare');
  assert.match(await page.locator('#params ~ .table-wrap').first().innerText(), /train\s+lr\s+0\.1\s+0\.2\s+\*/);
  assert.match(await page.locator('#metrics ~ .table-wrap').first().innerText(), /train\s+accuracy\s+0\.6\s+0\.7\s+0\.1\b/);
  assert.equal(await page.locator('#curves ~ .plots svg').count(), 1, 'one loss plot with both runs');
  assert.match(await page.locator('#curves ~ .plots').innerText(), /run 1 · train/);
  await page.locator('a', { hasText: 'show everything' }).click();
  await page.waitForURL(/all=1/);
  assert.match(await page.locator('#params ~ .table-wrap').first().innerText(), /render\s+color\s+90\s+90/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('DAG page: every stage as a linked box, dependencies as arrows', { skip }, async () => {
  const { page } = await open('/runs/2/dag', 'ui-dag');
  assert.equal(await page.locator('.dag svg a').count(), 4);
  assert.equal(await page.locator('.dag svg path[marker-end]').count(), 1, 'train -> render');
  await page.locator('.dag svg a', { hasText: 'broken' }).click();
  await page.waitForURL(/\/stage-runs\/6$/);
  assert.match(await page.locator('pre.error').innerText(), /deliberate <failure>/);
  await screenshot(page, 'ui-failed-stage');
  await page.close();
});
