// End-to-end: the wish list and what goes with a product. A guest keeps products
// offline (a heart on a card, the button on a product page), finds them on the list
// with "Kept on this device", signs in and finds the device's list merged with what
// the account kept elsewhere; when the shop lowers a kept product's price and brings
// it back into stock, the list says so. A product page shows "Customers also bought"
// from real orders and "Similar products"; on a phone the list fits the screen.
// Started by `cargo xtask test`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { apiSession, launch, openPage, placeOrderByApi, productsOnDevice, shot, signIn, staffSession, uniqueEmail, waitFor } from './browser.mjs';

const BASE = process.env.AISLE_URL;
if (!BASE) throw new Error('run these tests with `cargo xtask test`');

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/// A category the other suites do not count products in.
async function quietCategory() {
  const cats = await (await fetch(`${BASE}/api/categories`)).json();
  const c = cats.find((c) => !c.parent && !['books', 'kitchen', 'stationery'].includes(c.slug));
  assert.ok(c, 'a category of its own');
  return c;
}

test('a guest keeps products offline and finds them merged into their account, with what changed since', async () => {
  const staff = await staffSession(BASE);
  const category = await quietCategory();
  // The shop's own product, out of stock at €20.00.
  const form = { name: `Wish Lamp ${Date.now()}`, price: '20.00', stock: '0', category_id: category.id, status: 'published' };
  const created = await staff('POST', '/api/staff/products', form);
  assert.equal(created.status, 201, await created.clone().text());
  const lamp = await created.json();
  const other = (await (await fetch(`${BASE}/api/categories/${category.slug}/products?per_page=100`)).json()).items.find((p) => p.id !== lamp.id && p.stock > 0);
  const elsewhere = (await (await fetch(`${BASE}/api/categories/books/products?per_page=5`)).json()).items[0];

  // An account that already keeps a book, kept on another device.
  const email = uniqueEmail('wisher');
  const account = apiSession(BASE);
  assert.equal((await account('POST', '/api/account', { email, password: 'a long password', name: 'Wendy Wish' })).status, 201);
  assert.equal((await account('PUT', `/api/wishlist/${elsewhere.id}`)).status, 200);

  const { page, context, problems } = await openPage(browser);
  await page.goto(`${BASE}/c/${category.slug}`);
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
  await page.reload();
  await page.waitForFunction(() => !!navigator.serviceWorker.controller);
  await waitFor(async () => (await page.evaluate(productsOnDevice)) >= 240, 'the catalogue on the device', 15000);

  // Offline: keep the lamp from its card, and the other product from its page, then
  // change one's mind about a third.
  await context.setOffline(true);
  const heart = page.getByRole('button', { name: `Keep ${lamp.name} on the wish list` });
  await heart.click();
  await waitFor(async () => (await heart.getAttribute('aria-pressed')) === 'true', 'the heart pressed');
  await page.getByTestId('wishlist-count-badge').getByText('1').waitFor();
  await page.goto(`${BASE}/p/${other.slug}`);
  const button = page.getByTestId('wish-button');
  await button.click();
  await page.getByRole('button', { name: 'On your wish list' }).waitFor();
  await button.click();
  await page.getByRole('button', { name: 'Add to wish list' }).waitFor();
  await button.click();
  await page.goto(`${BASE}/wishlist`);
  const list = page.getByTestId('wishlist');
  await list.getByText(lamp.name).waitFor();
  await list.getByText(other.name).waitFor();
  await page.getByText('Kept on this device. Sign in to keep your list on every device.').waitFor();
  await shot(page, 'wishlist-guest-offline');

  // Back online, signing in merges the device's list into the account's.
  await context.setOffline(false);
  await signIn(page, email, 'a long password');
  await page.goto(`${BASE}/wishlist`);
  await list.getByText(elsewhere.name).waitFor();
  await list.getByText(lamp.name).waitFor();
  await list.getByText(other.name).waitFor();
  await page.getByText('Kept on your account, on every device you sign in on.').waitFor();
  const kept = async () => (await (await account('GET', '/api/wishlist')).json()).items.map((i) => i.product_id).sort();
  assert.deepEqual(await kept(), [elsewhere.id, lamp.id, other.id].sort());

  // The shop lowers the lamp's price and restocks it: the list says both.
  const full = await (await staff('GET', `/api/staff/products/${lamp.id}`)).json();
  const lower = await staff('PUT', `/api/staff/products/${lamp.id}`, { ...form, slug: full.slug, price: '15.00', stock: '6', stock_was: '0' });
  assert.equal(lower.status, 200, await lower.clone().text());
  await page.reload();
  const card = list.locator('.product-card').filter({ hasText: lamp.name });
  await card.getByTestId('price-dropped').getByText('Price dropped: was €20.00').waitFor({ timeout: 90_000 });
  await card.getByTestId('back-in-stock').waitFor();
  await shot(page, 'wishlist-merged');

  // Taking one off, signed in and offline, reaches the account once back.
  await context.setOffline(true);
  await page.getByRole('button', { name: `Keep ${other.name} on the wish list` }).click();
  await waitFor(async () => !(await list.getByText(other.name).count()), 'the product off the list');
  await context.setOffline(false);
  await waitFor(async () => !(await kept()).includes(other.id), 'the removal sent to the account', 15000);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a product page shows what was bought with it and what is like it', async () => {
  const items = (await (await fetch(`${BASE}/api/categories/kitchen/products?per_page=100`)).json()).items.filter((p) => p.stock >= 5);
  const [a, b] = [items[items.length - 1], items[items.length - 2]];
  for (let i = 0; i < 2; i++) await placeOrderByApi(apiSession(BASE), [[a, 1], [b, 1]], uniqueEmail('together'));
  const { page, context, problems } = await openPage(browser);
  await page.goto(`${BASE}/p/${a.slug}`);
  const together = page.getByTestId('also-bought');
  await together.getByRole('heading', { name: 'Customers also bought' }).waitFor();
  await together.getByText(b.name).waitFor();
  const similar = page.getByTestId('similar');
  await similar.getByRole('heading', { name: 'Similar products' }).waitFor();
  assert.ok(await similar.locator('.product-card').count() >= 1);
  assert.equal(await similar.getByText(a.name, { exact: true }).count(), 0, 'not the product itself');
  await shot(page, 'related-rows');

  // Offline, similar products come from the device's copy by the same rule; what
  // others bought needs the shop's orders and waits for the connection.
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
  await page.reload();
  await page.waitForFunction(() => !!navigator.serviceWorker.controller);
  await waitFor(async () => (await page.evaluate(productsOnDevice)) >= 240, 'the catalogue on the device', 15000);
  await similar.locator('.product-card').first().waitFor();
  const online = await similar.locator('.product-card .name').allTextContents();
  await context.setOffline(true);
  await page.goto(`${BASE}/p/${a.slug}`);
  await similar.getByRole('heading', { name: 'Similar products' }).waitFor();
  const offline = await similar.locator('.product-card .name').allTextContents();
  assert.equal(await together.count(), 0);
  assert.deepEqual(offline.filter((n) => n !== b.name).slice(0, 3), online.slice(0, 3), 'the same rule on the device');
  assert.deepEqual(problems, []);
  await context.close();
});

test('on a phone the wish list and the hearts fit the screen', async () => {
  const { page, context } = await openPage(browser, { width: 360, height: 740 });
  await page.goto(`${BASE}/c/kitchen`);
  const heart = page.getByTestId('wish-heart').first();
  await heart.click();
  await waitFor(async () => (await heart.getAttribute('aria-pressed')) === 'true', 'the heart pressed');
  const box = await heart.boundingBox();
  assert.ok(box.width >= 44 && box.height >= 44, 'a heart is big enough to tap');
  await page.getByTestId('wishlist-link').click();
  await page.getByTestId('wishlist').locator('.product-card').first().waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 360);
  await shot(page, 'wishlist-phone');
  await context.close();
});
