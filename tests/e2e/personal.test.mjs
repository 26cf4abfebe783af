// End-to-end: welcome back. A returning shopper is greeted by name and asked how they
// liked what was delivered; recommendations come from real purchases and change after
// one; a guest sees what they recently viewed; a shopper downloads their data and
// deletes their account; the staff insight page shows a known history's figures. This
// file runs its own real server on a fresh database, so the figures are exact.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiSession, launch, openPage, placeOrderByApi, shot, signIn, signUp, staffSession, startServer, uniqueEmail, untilInPage } from './browser.mjs';

const { AISLE_SERVER_BIN: BIN, AISLE_BUILD_A: WEB } = process.env;
if (!BIN || !WEB) throw new Error('run these tests with `cargo xtask test`');

const STAFF = { email: 'insight@aisle.test', password: 'an insight password', name: 'Ina Sight' };
let browser, dir, server, base, staff;
/// Every order this file places, for the insight figures.
const placed = [];
const order = async (call, lines) => { const o = await placeOrderByApi(call, lines); placed.push(o); return o; };

before(async () => {
  browser = await launch();
  dir = mkdtempSync(join(tmpdir(), 'aisle-personal-'));
  const env = { DATABASE_URL: `sqlite://${join(dir, 'aisle.db')}`, AISLE_WEB_DIR: WEB, AISLE_MAIL_DIR: join(dir, 'mail') };
  const made = spawnSync(BIN, ['create-staff', '--email', STAFF.email, '--name', STAFF.name], {
    env: { ...process.env, ...env, AISLE_STAFF_PASSWORD: STAFF.password },
    encoding: 'utf8',
  });
  assert.equal(made.status, 0, `create-staff failed: ${made.stderr}`);
  const started = startServer(env);
  server = started.server;
  base = await started.base;
  staff = await staffSession(base, STAFF.email, STAFF.password);
});

after(async () => {
  await browser?.close();
  server?.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const newPage = (viewport) => openPage(browser, viewport, { acceptDownloads: true });

async function products(category, n, skip = 0) {
  const page = await (await fetch(`${base}/api/categories/${category}/products?per_page=100`)).json();
  return page.items.filter((p) => p.stock >= 20).slice(skip, skip + n);
}

async function deliver(number) {
  for (const [step, body] of [['pack'], ['ship', { carrier: 'dhl', tracking_number: 'JD0146' }], ['mark_delivered']]) {
    const r = await staff('POST', `/api/staff/orders/${number}/${step}`, body);
    assert.equal(r.status, 200, `${step}: ${await r.text()}`);
  }
}

/// A shopper with an account, through the API (the browser signs in as them later).
async function shopper(name) {
  const email = uniqueEmail(name.split(' ')[0].toLowerCase());
  const call = apiSession(base);
  assert.equal((await call('POST', '/api/account', { name, email, password: 'a long password' })).status, 201);
  return { call, email };
}

test('a returning shopper is greeted, rates a delivered product in two clicks, and sees recommendations change after a purchase', async () => {
  const [kettle, descaler, teapot] = await products('kitchen', 3);
  // Someone else bought the kettle with the descaler: they go together.
  const other = await shopper('Olga');
  await order(other.call, [[kettle, 1], [descaler, 1]]);
  // Our shopper bought the kettle, and it was delivered.
  const me = await shopper('Maya Patel');
  const first = await order(me.call, [[kettle, 1]]);
  await deliver(first.number);

  const { page, context, problems } = await newPage();
  await signIn(page, me.email, 'a long password', base);
  await page.goto(base + '/');
  await page.getByRole('heading', { level: 1, name: 'Welcome back, Maya' }).waitFor();
  const prompt = page.getByTestId('rate-prompt');
  await prompt.getByRole('heading', { name: `How did you like the ${kettle.name}?` }).waitFor();
  // One click answers…
  await prompt.getByRole('button', { name: '4 stars' }).click();
  await page.getByTestId('rate-thanks').filter({ hasText: 'Thank you!' }).waitFor();
  // …a second adds a comment.
  await page.getByLabel('Anything to add? (optional)').fill('Boils fast.');
  await page.getByRole('button', { name: 'Add comment' }).click();
  await page.waitForTimeout(300);
  const ratings = await (await me.call('GET', `/api/orders/${first.number}/ratings`)).json();
  assert.deepEqual(ratings.map((r) => [r.product_id, r.rating, r.comment]), [[kettle.id, 4, 'Boils fast.']]);

  // Recommendations from what was bought.
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Welcome back, Maya' }).waitFor();
  assert.equal(await page.getByTestId('rate-prompt').count(), 0, 'a rated product is not asked about again');
  await page.getByTestId('buy-again').getByText(kettle.name).waitFor();
  await page.getByTestId('because-you-bought').getByRole('heading', { name: `Because you bought ${kettle.name}` }).waitFor();
  assert.match(await page.getByTestId('because-you-bought').textContent(), new RegExp(descaler.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  await shot(page, 'welcome-back');

  // A new purchase changes them, and an open order shows where it is.
  const second = await order(me.call, [[teapot, 1]]);
  await page.reload();
  await page.getByTestId('buy-again').getByText(teapot.name).waitFor();
  await page.getByTestId('open-order').filter({ hasText: `Your order ${second.number} is placed` }).waitFor();

  // Offline, the rows still show from the device.
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
  await page.reload();
  await page.waitForFunction(() => !!navigator.serviceWorker.controller);
  await page.getByTestId('buy-again').waitFor();
  await context.setOffline(true);
  await page.reload();
  await page.getByTestId('buy-again').getByText(teapot.name).waitFor();
  await context.setOffline(false);
  assert.deepEqual(problems, []);
  await context.close();
});

const viewed = async () => (await (await staff('GET', '/api/staff/insight?days=1')).json()).funnel.viewed;

test('a guest sees what they recently viewed; their views are recorded, unless the browser sends Global Privacy Control', async () => {
  // With GPC: browse, and nothing is recorded.
  const gpc = await browser.newContext({ extraHTTPHeaders: { 'Sec-GPC': '1' } });
  await gpc.addInitScript(() => Object.defineProperty(navigator, 'globalPrivacyControl', { get: () => true, configurable: true }));
  const quiet = await gpc.newPage();
  const start = await viewed();
  const [c] = await products('books', 1, 7);
  await quiet.goto(`${base}/p/${c.slug}`);
  // The app's page, not the server's first view: only the app records views.
  await quiet.getByTestId('product').getByRole('heading', { level: 1, name: c.name }).waitFor();
  await quiet.goto(base + '/privacy');
  await quiet.getByTestId('gpc-notice').waitFor();
  await quiet.waitForTimeout(5000);
  await gpc.close();
  assert.equal(await viewed(), start, 'nothing recorded under GPC');

  const { page, context } = await newPage({ width: 390, height: 844 });
  const [a, b] = await products('books', 2, 5);
  // The view is noted on the device just after the app shows the page; a full reload
  // within those milliseconds (what goto does, unlike a click) would abandon the
  // write. A cold visit shows the server's first view before the app: wait for the
  // app's page before reading the device, so the app, not this test, creates its
  // database.
  const open = async (p) => {
    await page.goto(`${base}/p/${p.slug}`);
    await page.getByTestId('product').getByRole('heading', { level: 1, name: p.name }).waitFor();
    await untilInPage(page, async (id) => {
      const db = await new Promise((ok, fail) => { const r = indexedDB.open('aisle'); r.onsuccess = () => ok(r.result); r.onerror = fail; });
      const ids = await new Promise((ok) => { const r = db.transaction('meta').objectStore('meta').get('recently_viewed'); r.onsuccess = () => ok(r.result ?? []); r.onerror = () => ok([]); });
      db.close();
      return ids.includes(id);
    }, p.id, `${p.name} noted as viewed on the device`);
  };
  await open(a);
  await open(b);
  await page.goto(base + '/');
  await page.getByRole('heading', { level: 1, name: 'Welcome to Aisle' }).waitFor();
  const recent = page.getByTestId('recently-viewed');
  await recent.waitFor();
  // Home reads the list again as the device's copy of the catalogue fills in (a first
  // visit syncs it after the page has drawn), so the second card can come a moment later.
  let names = [];
  for (let i = 0; i < 40; i++) {
    names = (await recent.locator('.product-card .name').allTextContents()).map((s) => s.trim());
    if (names.length >= 2) break;
    await page.waitForTimeout(250);
  }
  assert.deepEqual(names.slice(0, 2), [b.name, a.name]);
  // The views went to the shop as one batch, a few seconds later.
  const end = Date.now() + 15000;
  while ((await viewed()) === start && Date.now() < end) await new Promise((r) => setTimeout(r, 250));
  assert.equal(await viewed(), start + 1, 'one more shopper viewed a product');
  await context.close();
});

test('a shopper downloads their data and deletes their account', async () => {
  const me = await shopper('Nina Byrne');
  const [item] = await products('books', 1, 9);
  const bought = await order(me.call, [[item, 2]]);
  const { page, context, problems } = await newPage();
  await signIn(page, me.email, 'a long password', base);
  await page.goto(base + '/privacy');
  await page.getByRole('heading', { level: 1, name: 'Privacy and your data' }).waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-data').click()]);
  const data = JSON.parse(readFileSync(await download.path(), 'utf8'));
  assert.ok(JSON.stringify(data).includes(me.email), 'the export holds the profile');
  assert.ok(JSON.stringify(data).includes(bought.number), 'the export holds the orders');

  // Wrong password: nothing happens.
  const form = page.getByTestId('delete-account');
  await form.getByLabel('Your password').fill('not my password');
  await form.getByLabel('Yes, delete my account').check();
  await form.getByRole('button', { name: 'Delete my account' }).click();
  await form.getByText(/password/i).first().waitFor();
  await form.getByLabel('Your password').fill('a long password');
  await form.getByRole('button', { name: 'Delete my account' }).click();
  await page.waitForURL(/\/\?deleted=1$/);
  await page.getByRole('heading', { level: 1, name: 'Welcome to Aisle' }).waitFor();
  assert.equal((await page.getByTestId('account-link').textContent()).trim(), 'Sign in');

  // The account is gone; the order stays, without the shopper's details.
  const again = apiSession(base);
  assert.notEqual((await again('POST', '/api/session', { email: me.email, password: 'a long password' })).status, 200);
  const kept = await (await staff('GET', `/api/staff/orders/${bought.number}`)).json();
  assert.equal(kept.number, bought.number);
  assert.ok(!JSON.stringify(kept).includes(me.email), 'the order no longer names the shopper');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the staff insight page shows the figures of a known history', async () => {
  // Everything above happened on this fresh server; add a known slice on top and read
  // the totals from the API the page draws, then check the page shows the same.
  const insight = async () => (await (await staff('GET', '/api/staff/insight?days=7')).json());
  const before = await insight();
  const device = 'ab'.repeat(16);
  const guest = apiSession(base);
  const at = new Date().toISOString();
  const r = await guest('POST', '/api/events', { device_id: device, events: [
    { kind: 'search', query: 'unicorn saddle', results: 0, at },
    { kind: 'search', query: 'Unicorn Saddle', results: 0, at },
    { kind: 'product_view', product_id: 1, at },
  ] });
  assert.equal(r.status, 202);
  const now = await insight();
  const orders = now.days.reduce((n, d) => n + d.orders, 0);
  assert.equal(orders, before.days.reduce((n, d) => n + d.orders, 0));
  assert.equal(orders, placed.length);
  assert.equal(now.days.reduce((n, d) => n + d.revenue.minor, 0), placed.reduce((n, o) => n + o.total.minor, 0));
  assert.deepEqual(now.searches_without_results.find((s) => s.text === 'unicorn saddle')?.count, 2);
  assert.equal(now.funnel.viewed, before.funnel.viewed + 1);
  assert.equal(now.ratings.count, 1);
  assert.equal(now.ratings.by_stars[3], 1);

  const { page, context, problems } = await newPage();
  await signIn(page, STAFF.email, STAFF.password, base);
  await page.goto(base + '/staff/insight');
  await page.getByTestId('insight').waitFor();
  await page.getByLabel('Period').selectOption('7');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="chart-days"] rect').length === 7);
  // The chart ends on the shop's today (Europe/Berlin), written the browser's way.
  const axis = await page.locator('[data-testid="chart-days"] .axis').last().textContent();
  assert.equal(axis, await page.evaluate(() => new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeZone: 'Europe/Berlin' }).format(new Date())));
  await page.getByTestId('insight-totals').filter({ hasText: `${orders} orders` }).waitFor();
  assert.match(await page.getByTestId('insight-no-results').textContent(), /“unicorn saddle” — 2 times/);
  assert.match(await page.getByTestId('insight-ratings').textContent(), /1 rating, average 4\.0 of 5/);
  await shot(page, 'insight');
  assert.deepEqual(problems, []);
  await context.close();
});
