// End-to-end: Aisle opens and browses offline. Visit once online, go offline, reload:
// the app shell comes from the service worker, the catalogue and recent orders from
// IndexedDB. Started by `cargo xtask test`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, productsOnDevice, shot, untilInPage, waitFor } from './browser.mjs';

const BASE = process.env.AISLE_URL;
if (!BASE) throw new Error('run these tests with `cargo xtask test`');

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/// Waits until the service worker controls the page and the catalogue is on the device.
async function waitUntilOfflineReady(page) {
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
  if (!(await page.evaluate(() => !!navigator.serviceWorker.controller))) {
    // The first visit is not yet controlled; a reload is.
    await page.reload();
  }
  await page.waitForFunction(() => !!navigator.serviceWorker.controller);
  await waitFor(async () => (await page.evaluate(productsOnDevice)) >= 240, 'the catalogue on the device', 15000);
}

test('visited once, Aisle opens offline: catalogue, product pages, search and recent orders', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));

  // Online: an account with one order, so there is something personal to read later.
  await page.goto(BASE + '/signup');
  await page.getByLabel('Your name').fill('Otto Offline');
  await page.getByLabel('E-mail').fill(`otto.${Date.now()}@example.com`);
  await page.getByLabel(/^Password/).fill('a long password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { level: 1, name: 'Hello, Otto Offline' }).waitFor();
  const books = await (await fetch(`${BASE}/api/categories/books/products?per_page=100`)).json();
  const product = books.items.find((p) => p.stock >= 10);
  await page.goto(`${BASE}/p/${product.slug}`);
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.getByRole('link', { name: 'Go to checkout' }).click();
  await page.getByLabel('Full name').fill('Otto Offline');
  await page.getByLabel('Street and number').fill('1 Rail Way');
  await page.getByLabel('Postcode').fill('1000');
  await page.getByLabel('Town or city').fill('Brussels');
  await page.getByLabel('Country').selectOption('BE');
  await page.getByRole('button', { name: 'Place order' }).click();
  await page.waitForURL(/\/orders\/A\d+/);
  const number = new URL(page.url()).pathname.split('/').pop();
  await page.goto(BASE + '/');
  await waitUntilOfflineReady(page);
  // Chromium finds nothing that stops installing Aisle as an app.
  const cdp = await context.newCDPSession(page);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  // The test browser's contexts are incognito-like, which Chromium never installs from;
  // that says nothing about Aisle, so it is the one reason let through.
  assert.deepEqual(installabilityErrors.filter((e) => e.errorId !== 'in-incognito'), []);
  await cdp.detach();
  const manifest = await (await fetch(BASE + '/manifest.webmanifest')).json();
  assert.deepEqual(manifest.icons.map((i) => `${i.sizes} ${i.purpose}`), ['192x192 any', '512x512 any', '512x512 maskable']);
  await page.waitForTimeout(500); // the recent orders are written after the session loads

  // The train enters a tunnel.
  await context.setOffline(true);
  await page.reload();
  await page.getByRole('heading', { level: 1, name: /^Welcome (to Aisle|back, )/ }).waitFor();
  await page.getByTestId('offline').waitFor();

  // Browse: home → category → product, all from the device.
  await page.locator('.category-grid a', { hasText: 'Toys & Games' }).click();
  await page.getByRole('heading', { level: 1, name: 'Toys & Games' }).waitFor();
  assert.equal(await page.locator('.product-card').count(), 20);
  const name = (await page.locator('.product-card .name').nth(2).textContent()).trim();
  await page.locator('.product-card a').nth(2).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
  assert.match(await page.getByTestId('price').textContent(), /^€\d+\.\d{2}$/);
  assert.match(await page.getByTestId('stock').textContent(), /In stock|Only \d left|Out of stock/);

  // The home page remembers what was looked at, offline too.
  await page.goto(BASE + '/');
  await page.getByTestId('recently-viewed').getByText(name).waitFor();

  // A product page opened directly, and search.
  await page.goto(`${BASE}/p/${product.slug}`);
  await page.getByRole('heading', { level: 1, name: product.name }).waitFor();
  await page.getByRole('searchbox', { name: 'Search products' }).fill(product.name.toLowerCase());
  await page.locator('.product-card .name', { hasText: product.name }).first().waitFor();

  // Recent orders and one order's timeline.
  await page.goto(BASE + '/account/orders');
  await page.getByRole('link', { name: `Order ${number}` }).waitFor();
  await page.getByRole('link', { name: `Order ${number}` }).click();
  await page.getByTestId('timeline').waitFor();
  assert.match(await page.getByTestId('timeline').textContent(), /Placed/);
  await shot(page, 'offline-order');

  await context.setOffline(false);
  await page.getByTestId('offline').waitFor({ state: 'detached' });
  assert.deepEqual(errors, []);
  await context.close();
});

test('signing out removes the shopper\'s orders from the device', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(BASE + '/signup');
  await page.getByLabel('Your name').fill('Sue Shared');
  await page.getByLabel('E-mail').fill(`sue.${Date.now()}@example.com`);
  await page.getByLabel(/^Password/).fill('a long password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { level: 1, name: 'Hello, Sue Shared' }).waitFor();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(BASE + '/');
  await untilInPage(page, async () => {
    const db = await new Promise((ok, fail) => { const r = indexedDB.open('aisle'); r.onsuccess = () => ok(r.result); r.onerror = fail; });
    const get = (store, key) => new Promise((ok) => { const r = db.transaction(store).objectStore(store)[key ? 'get' : 'count'](key); r.onsuccess = () => ok(r.result); });
    const result = { orders: await get('orders'), owner: await get('meta', 'owner') };
    db.close();
    return result.orders === 0 && result.owner === undefined;
  }, undefined, 'no orders and no owner left on the device');
  await context.close();
});
