// End-to-end: every listing sorts and filters, not only a category. Search results
// and a brand's products (reached from a product page) take the same order and
// filters, keep them in the address through typing, a reload and offline; and Back
// returns to where the shopper was down a long listing. Started by `cargo xtask test`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ascending, cardPrices as prices, descending, DRAWN, launch, openPage, pricesUntil, productsOnDevice, shot, waitFor } from './browser.mjs';

const BASE = process.env.AISLE_URL;
if (!BASE) throw new Error('run these tests with `cargo xtask test`');

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

test('search results sort and filter; typing, a reload and going offline keep the choice', async () => {
  const all = await (await fetch(`${BASE}/api/search?q=oak&limit=100`)).json();
  const brand = all.facets.brands.filter((b) => b.count >= 2).at(0).brand;
  const expected = await (await fetch(`${BASE}/api/search?q=oak&limit=100&stock=in&brand=${encodeURIComponent(brand)}`)).json();
  assert.ok(expected.total >= 1 && expected.total < all.total, `${brand}: ${expected.total} of ${all.total}`);
  const { page, context, problems } = await openPage(browser);
  await page.goto(BASE + '/search?q=oak');
  await page.waitForFunction(DRAWN);
  await page.getByTestId('listing-count').filter({ hasText: /“oak”/ }).waitFor();
  // The search's own order is the best match; the rest are a category's.
  assert.equal(await page.getByLabel('Sort by').locator('option:checked').textContent(), 'Best match');
  await page.getByLabel('Sort by').selectOption('price');
  await page.waitForURL(/\/search\?q=oak&sort=price$/);
  await pricesUntil(page, ascending, 'cheapest first');

  await page.getByTestId('filters').locator('summary').click();
  await page.getByLabel(/^In stock only \(\d+\)$/).click();
  await page.waitForURL(/\/search\?q=oak&sort=price&stock=in$/);
  await page.locator('.filters[open]').waitFor();
  await page.getByLabel(new RegExp(`^${escape(brand)} \\(${expected.total}\\)$`)).click();
  await page.waitForURL(new RegExp(`&brand=${escape(encodeURIComponent(brand))}$`));
  await waitFor(async () => (await page.locator('.product-grid .product-card').count()) === Math.min(expected.total, 24), `${expected.total} cards of ${brand}`);
  assert.ok(ascending(await prices(page)));
  await page.getByTestId('filter-chips').getByRole('link', { name: `Remove filter: ${brand}` }).waitFor();
  await shot(page, 'search-filtered');

  // Typing on the results page keeps the order and filters.
  await page.fill('#q', 'oa');
  await page.waitForURL(/\/search\?q=oa&sort=price&stock=in&brand=/);
  await page.fill('#q', 'oak');
  await page.waitForURL(new RegExp(`/search\\?q=oak&sort=price&stock=in&brand=${escape(encodeURIComponent(brand))}$`));
  // A reload finds the same view.
  await page.reload();
  await page.waitForFunction(DRAWN);
  await waitFor(async () => (await page.locator('.product-grid .product-card').count()) === Math.min(expected.total, 24), 'the same cards after a reload');
  assert.equal(await page.getByLabel('Sort by').inputValue(), 'price');

  // Offline, from the device's copy: another order and the same filter.
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
  await waitFor(async () => (await page.evaluate(productsOnDevice)) >= 240, 'the catalogue on the device', 15000);
  await context.setOffline(true);
  await page.goto(BASE + '/search?q=oak&sort=-price&stock=in');
  await page.waitForFunction(DRAWN);
  await pricesUntil(page, descending, 'dearest first offline');
  await page.getByTestId('filter-chips').getByRole('link', { name: 'Remove filter: In stock only' }).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test('a product leads to its brand’s products, which sort and filter; an unknown brand says so', async () => {
  const product = await (await fetch(`${BASE}/api/products/1`)).json();
  assert.ok(product.brand, 'the demo shop’s products have brands');
  const listing = await (await fetch(`${BASE}/api/brands/${encodeURIComponent(product.brand)}/products`)).json();
  const { page, context, problems } = await openPage(browser);
  await page.goto(`${BASE}/p/${product.slug}`);
  await page.waitForFunction(DRAWN);
  await page.getByTestId('brand-link').click();
  await page.waitForURL(new RegExp(`/brand/${escape(encodeURIComponent(product.brand))}$`));
  await page.getByRole('heading', { level: 1, name: product.brand }).waitFor();
  await page.getByTestId('listing-count').filter({ hasText: `${listing.total} products` }).waitFor();
  await page.getByLabel('Sort by').selectOption('-price');
  await page.waitForURL(/\?sort=-price$/);
  await pricesUntil(page, descending, 'dearest first');
  // One brand is no choice: the panel has no brand group.
  await page.getByTestId('filters').locator('summary').click();
  assert.equal(await page.locator('.filter-sheet legend', { hasText: 'Brand' }).count(), 0);
  await shot(page, 'brand-page');
  await page.goBack();
  await page.waitForURL(new RegExp(`/brand/${escape(encodeURIComponent(product.brand))}$`));
  await page.goBack();
  await page.getByTestId('product').waitFor();

  await page.goto(`${BASE}/brand/No%20Such%20Maker`);
  await page.getByRole('heading', { name: 'Brand not found' }).waitFor();
  assert.deepEqual(problems, []);
  await context.close();

  // On a phone: a brand with "&" in its name, filtered from the address.
  const phone = await openPage(browser, { width: 360, height: 740 }, { hasTouch: true, isMobile: true });
  await phone.page.goto(`${BASE}/brand/${encodeURIComponent('Glow & Grain')}?stock=in`);
  await phone.page.waitForFunction(DRAWN);
  await phone.page.getByRole('heading', { level: 1, name: 'Glow & Grain' }).waitFor();
  await phone.page.getByTestId('filter-chips').getByRole('link', { name: 'Remove filter: In stock only' }).waitFor();
  assert.equal(await phone.page.evaluate(() => document.documentElement.scrollWidth), 360);
  await shot(phone.page, 'brand-page-phone');
  assert.deepEqual(phone.problems, []);
  await phone.context.close();
});

test('Back returns to where the shopper was down a listing, at desktop and phone sizes', async () => {
  for (const viewport of [{ width: 1280, height: 900 }, { width: 360, height: 740 }]) {
    const { page, context, problems } = await openPage(browser, viewport);
    // The second is longer than a product page at either size, so the browser's own
    // restoring, run while the product page is still on show, cannot reach it.
    for (const [listing, least] of [['/c/kitchen?sort=price', 12], ['/search?q=e&page=2', 40]]) {
      await page.goto(BASE + listing);
      await page.waitForFunction(DRAWN);
      const cards = page.locator('.product-grid .product-card');
      await waitFor(async () => (await cards.count()) >= least, 'a long listing');
      const target = cards.nth((await cards.count()) - 3);
      const name = (await target.locator('.name').textContent()).trim();
      await target.scrollIntoViewIfNeeded();
      await page.evaluate(() => window.scrollBy(0, 40));
      await page.waitForTimeout(100);
      const left = await page.evaluate(() => window.scrollY);
      assert.ok(left > 300, `${listing}: scrolled down (${left})`);
      await target.locator('a').first().click();
      await page.getByTestId('product').waitFor();
      await page.goBack();
      await page.waitForURL(BASE + listing);
      await waitFor(async () => Math.abs((await page.evaluate(() => window.scrollY)) - left) < 4, `${listing} at ${viewport.width} px: back at ${left}`, 3000).catch(async (e) => {
        throw new Error(`${e.message}; at ${await page.evaluate(() => window.scrollY)}`);
      });
      // The card tapped is on screen again.
      const box = await page.locator('.product-grid .product-card .name', { hasText: name }).first().boundingBox();
      assert.ok(box && box.y >= 0 && box.y + box.height <= viewport.height, `${name} on screen: ${JSON.stringify(box)}`);
    }
    assert.deepEqual(problems, []);
    await context.close();
  }
});
