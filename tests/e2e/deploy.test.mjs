// End-to-end: a deploy never strands a shopper on an old or white screen. Build A is
// served and visited; the server's files are replaced by build B; on the next visit
// the app offers the new version and runs it after one click. This test starts its
// own real server (AISLE_SERVER_BIN) over a web folder it can swap.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, startServer } from './browser.mjs';

const { AISLE_SERVER_BIN: BIN, AISLE_BUILD_A: BUILD_A, AISLE_BUILD_B: BUILD_B } = process.env;
if (!BIN || !BUILD_A || !BUILD_B) throw new Error('run these tests with `cargo xtask test`');

let browser, server, base, dir;

before(async () => {
  browser = await launch();
  dir = mkdtempSync(join(tmpdir(), 'aisle-deploy-'));
  cpSync(BUILD_A, join(dir, 'web'), { recursive: true });
  const started = startServer({ DATABASE_URL: `sqlite://${join(dir, 'aisle.db')}`, AISLE_WEB_DIR: join(dir, 'web'), AISLE_MAIL_DIR: join(dir, 'mail') });
  server = started.server;
  base = await started.base;
});

after(async () => {
  await browser?.close();
  server?.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const buildOf = (page) => page.evaluate(() => document.querySelector('meta[name="aisle-build"]')?.content ?? 'A');

test('after a deploy the app offers the new version and runs it after one click', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(base + '/');
  await page.getByRole('heading', { level: 1, name: 'Welcome to Aisle' }).waitFor();
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
  await page.reload();
  await page.waitForFunction(() => !!navigator.serviceWorker.controller);
  assert.equal(await buildOf(page), 'A');
  assert.equal(await page.getByTestId('update-banner').count(), 0, 'no prompt without a new version');

  // Deploy build B over A.
  rmSync(join(dir, 'web'), { recursive: true, force: true });
  cpSync(BUILD_B, join(dir, 'web'), { recursive: true });

  // The next visit still opens at once (build A, from the worker's cache) and learns
  // of B in the background.
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Welcome to Aisle' }).waitFor();
  const banner = page.getByTestId('update-banner');
  await banner.waitFor({ timeout: 15000 });
  assert.match(await banner.textContent(), /A new version of Aisle is available/);

  await Promise.all([page.waitForEvent('load'), banner.getByRole('button', { name: 'Reload' }).click()]);
  await page.getByRole('heading', { level: 1, name: 'Welcome to Aisle' }).waitFor();
  assert.equal(await buildOf(page), 'B', 'the new build runs');
  assert.equal(await page.getByTestId('update-banner').count(), 0);
  // The old build's cache is gone; the photos viewed stay (their own cache outlives
  // deploys: a photo's address changes when the photo does).
  const caches = await page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith('aisle-') && k !== 'aisle-media'));
  assert.equal(caches.length, 1, `one build's cache left: ${caches}`);
  await context.close();
});
