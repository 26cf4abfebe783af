// End-to-end: a category sorted and filtered, with the choice in the address: a reload
// and Back find the same view, a chip takes a filter off, a bad address still shows
// the category, it works offline from the device's copy, and on a phone the filters
// open as a sheet. Started by `cargo xtask test`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ascending, cardPrices as prices, DRAWN, launch, openPage, pricesUntil, productsOnDevice, shot, staffSession, waitFor } from './browser.mjs';

const BASE = process.env.AISLE_URL;
if (!BASE) throw new Error('run these tests with `cargo xtask test`');

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a shopper sorts Kitchen by price and keeps to what is in stock; a reload and Back keep the view', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const kitchen = await (await fetch(`${BASE}/api/categories/kitchen/products?per_page=100`)).json();
  const inStock = kitchen.items.filter((p) => p.stock > 0).length;

  await page.goto(BASE + '/c/kitchen');
  await page.waitForFunction(DRAWN);
  await page.getByTestId('listing-count').filter({ hasText: `${kitchen.total} products` }).waitFor();
  // By keyboard: from "Name", the next choice down is "Price: low to high".
  await page.getByLabel('Sort by').focus();
  await page.keyboard.press('ArrowDown');
  await page.waitForURL(/\/c\/kitchen\?sort=price$/);
  await pricesUntil(page, ascending, 'cheapest first');
  // The page is drawn anew; the sort list keeps the focus, for a keyboard user.
  await waitFor(async () => (await page.evaluate(() => document.activeElement?.id)) === 'sort', 'the sort list to keep the focus');

  await page.getByTestId('filters').locator('summary').click();
  // The page is drawn anew with the choice, so this is a click, not a check that
  // would look for the box it clicked.
  await page.getByLabel(/^In stock only \(\d+\)$/).click();
  await page.waitForURL(/\?sort=price&stock=in$/);
  // The filters stay open for the next choice.
  await page.locator('.filters[open]').waitFor();
  await page.getByTestId('listing-count').filter({ hasText: `${inStock} products` }).waitFor();
  const chips = page.getByTestId('filter-chips');
  await chips.getByRole('link', { name: 'Remove filter: In stock only' }).waitFor();
  assert.ok(ascending(await prices(page)));
  await shot(page, 'listing-sorted-filtered');

  // The same view after a reload: order, filter and chip.
  await page.reload();
  await page.waitForFunction(DRAWN);
  await page.getByTestId('listing-count').filter({ hasText: `${inStock} products` }).waitFor();
  assert.equal(await page.getByLabel('Sort by').inputValue(), 'price');
  assert.ok(ascending(await prices(page)));
  await chips.getByRole('link', { name: 'Remove filter: In stock only' }).waitFor();

  // Back: sorted, without the filter.
  await page.goBack();
  await page.waitForURL(/\/c\/kitchen\?sort=price$/);
  await page.getByTestId('listing-count').filter({ hasText: `${kitchen.total} products` }).waitFor();

  // A price range: the wrong way round is said, then one that holds.
  const all = kitchen.items.map((p) => p.price.minor).sort((a, b) => a - b);
  const [lo, hi] = [all[2], all[all.length - 3]];
  const amount = (minor) => (minor / 100).toFixed(2);
  await page.getByTestId('filters').locator('summary').click();
  await page.getByLabel('From', { exact: true }).fill(amount(hi));
  await page.getByLabel('To', { exact: true }).fill(amount(lo));
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.getByRole('alert').filter({ hasText: 'The “To” price is below the “From” price.' }).waitFor();
  await page.getByLabel('From', { exact: true }).fill(amount(lo));
  await page.getByLabel('To', { exact: true }).fill(amount(hi));
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.waitForURL(new RegExp(`\\?sort=price&min=${amount(lo)}&max=${amount(hi)}$`));
  await pricesUntil(page, (shown) => shown.every((p) => p >= lo && p <= hi), `prices within ${lo}–${hi}`);
  // One tap on its chip takes the range off.
  await chips.getByRole('link', { name: /^Remove filter: €/ }).click();
  await page.waitForURL(/\/c\/kitchen\?sort=price$/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('Show more adds the next products under those on show, and a reload shows as many', async () => {
  // A category of more than a page: the last one, with products of this test's own.
  const staff = await staffSession(BASE);
  const cats = await (await fetch(`${BASE}/api/categories`)).json();
  const category = cats.filter((c) => !c.parent).at(-1);
  const now = Date.now();
  for (let i = 0; i < 30; i++) {
    const r = await staff('POST', '/api/staff/products', { name: `Show More ${now} ${i}`, price: `${10 + i}.00`, stock: '3', category_id: category.id, status: 'published' });
    assert.equal(r.status, 201, await r.text());
  }
  const total = (await (await fetch(`${BASE}/api/categories/${category.slug}/products`)).json()).total;
  assert.ok(total > 48);
  const { page, context, problems } = await openPage(browser);
  await page.goto(`${BASE}/c/${category.slug}?sort=price`);
  await page.waitForFunction(DRAWN);
  await page.getByTestId('listing-shown').filter({ hasText: `Showing 24 of ${total}` }).waitFor();
  await page.getByTestId('show-more').click();
  await page.waitForURL(new RegExp(`/c/${category.slug}\\?sort=price&page=2$`));
  await page.getByTestId('listing-shown').filter({ hasText: `Showing 48 of ${total}` }).waitFor();
  assert.equal(await page.locator('.product-grid .product-card').count(), 48);
  assert.ok(ascending(await prices(page)), 'the next products follow in the same order');
  // The address says how many pages are shown: a reload shows as many.
  await page.reload();
  await page.waitForFunction(DRAWN);
  await page.getByTestId('listing-shown').filter({ hasText: `Showing 48 of ${total}` }).waitFor();
  assert.equal(await page.locator('.product-grid .product-card').count(), 48);
  await shot(page, 'listing-show-more');
  assert.deepEqual(problems, []);
  await context.close();
});

test('an address that cannot be read still shows the category, and sorting works offline', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(BASE + '/c/kitchen?min=abc&sort=cheapest');
  await page.getByTestId('listing-unread').waitFor();
  await page.getByTestId('listing-count').filter({ hasText: /^\d+ products$/ }).waitFor();
  assert.ok((await page.locator('.product-grid .product-card').count()) > 0);

  // The device's copy answers the same choice offline.
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
  await page.reload();
  await page.waitForFunction(() => !!navigator.serviceWorker.controller);
  await waitFor(async () => (await page.evaluate(productsOnDevice)) >= 240, 'the catalogue on the device', 15000);
  await context.setOffline(true);
  await page.goto(BASE + '/c/kitchen?sort=-price&stock=in');
  await page.waitForFunction(DRAWN);
  await pricesUntil(page, (shown) => shown.every((p, i) => i === 0 || shown[i - 1] >= p), 'dearest first offline');
  await page.getByTestId('filter-chips').getByRole('link', { name: 'Remove filter: In stock only' }).waitFor();
  await context.close();
});

test('on a phone the filters open as a sheet, and the page never scrolls sideways', async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  await page.goto(BASE + '/c/kitchen?stock=in');
  await page.waitForFunction(DRAWN);
  await page.getByTestId('filters').locator('summary').click();
  const sheet = page.locator('.filter-sheet');
  await sheet.waitFor();
  // The device's copy of the catalogue may take over from the API's answer just now
  // and draw the panel again (still open): measure the one on show.
  let box = null;
  const along = (b) => b && Math.abs(b.y + b.height - 740) < 2 && b.width === 360;
  await waitFor(async () => along(box = await sheet.boundingBox()), `a sheet along the bottom (last seen: ${JSON.stringify(box)})`, 3000).catch(() => {});
  assert.ok(along(box), `a sheet along the bottom: ${JSON.stringify(box)}`);
  // What the phone's screen shows (a full-page picture would move the sheet).
  if (process.env.AISLE_SCREENSHOTS) await page.screenshot({ path: `${process.env.AISLE_SCREENSHOTS}/listing-phone-sheet.png` });
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 360);
  // Its summary closes it again.
  await page.getByTestId('filters').locator('summary').click();
  await sheet.waitFor({ state: 'hidden' });
  await context.close();
});
