// End-to-end: a shopper in a real Chromium, against the real server and database.
// The server is started by `cargo xtask test`, which passes its address in AISLE_URL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DRAWN, launch, shot } from './browser.mjs';

const BASE = process.env.AISLE_URL;
if (!BASE) throw new Error('AISLE_URL is not set: run these tests with `cargo xtask test`');

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function newPage(viewport = { width: 1280, height: 800 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error' && !/404|Failed to load resource/.test(m.text())) problems.push(`console: ${m.text()}`); });
  return { page, context, problems };
}

test('home → category → product in two clicks, without a page reload', async () => {
  const { page, context, problems } = await newPage();
  await page.goto(BASE + '/');
  await page.getByRole('heading', { level: 1, name: 'Welcome to Aisle' }).waitFor();
  // The server's first view has that heading too, and its links are plain links (a
  // click before the app arrives loads the next page from the server, as it should):
  // the clicks under test are the app's.
  await page.waitForFunction(DRAWN);
  // A marker on window survives client-side navigation but not a full reload.
  await page.evaluate(() => { window.__noReload = true; });

  // Click 1: a category tile on the home page.
  await page.locator('.category-grid a', { hasText: 'Garden & Outdoor' }).click();
  await page.waitForURL(/\/c\/garden-outdoor$/);
  await page.getByRole('heading', { level: 1, name: 'Garden & Outdoor' }).waitFor();
  const cards = page.locator('.product-card');
  assert.equal(await cards.count(), 20);

  // Read what the card says, then click 2: the product.
  const card = cards.nth(3);
  const cardName = (await card.locator('.name').textContent()).trim();
  const cardPrice = (await card.locator('.price').textContent()).trim();
  await card.locator('a').click();
  await page.waitForURL(/\/p\/[a-z0-9-]+$/);
  await page.getByRole('heading', { level: 1, name: cardName }).waitFor();

  const price = (await page.getByTestId('price').textContent()).trim();
  const stock = (await page.getByTestId('stock').textContent()).trim();
  assert.equal(price, cardPrice);
  assert.match(price, /^€\d+\.\d{2}$/);
  assert.match(stock, /^(In stock|Only [1-5] left|Out of stock)$/);

  // The page agrees with the API, which reads the database.
  const slug = new URL(page.url()).pathname.split('/').pop();
  const api = await (await fetch(`${BASE}/api/products/${slug}`)).json();
  assert.equal(api.name, cardName);
  assert.equal(await page.evaluate(() => window.__noReload), true, 'both clicks stayed in the app');
  assert.equal(await page.locator('h1').count(), 1);
  await shot(page, 'product-desktop');
  assert.deepEqual(problems, []);
  await context.close();
});

test('every stock wording appears as the database says', async () => {
  const { page, context } = await newPage();
  const cats = await (await fetch(`${BASE}/api/categories`)).json();
  const wanted = new Map([['In stock', null], ['Only', null], ['Out of stock', null]]);
  for (const c of cats) {
    const data = await (await fetch(`${BASE}/api/categories/${c.slug}/products?per_page=100`)).json();
    for (const p of data.items) {
      const key = p.stock === 0 ? 'Out of stock' : p.stock <= 5 ? 'Only' : 'In stock';
      if (!wanted.get(key)) wanted.set(key, p);
    }
  }
  for (const [key, p] of wanted) {
    assert.ok(p, `the demo catalogue has a product that is ${key}`);
    await page.goto(`${BASE}/p/${p.slug}`);
    await page.getByRole('heading', { level: 1, name: p.name }).waitFor();
    const stock = (await page.getByTestId('stock').textContent()).trim();
    const expected = key === 'Only' ? `Only ${p.stock} left` : key;
    assert.equal(stock, expected);
  }
  await context.close();
});

test('search finds a product as you type, and its result is one click from the product', async () => {
  const { page, context, problems } = await newPage();
  const target = await (await fetch(`${BASE}/api/products/17`)).json();
  await page.goto(BASE + '/');
  await page.getByRole('heading', { level: 1 }).waitFor();
  await page.getByRole('searchbox', { name: 'Search products' }).pressSequentially(target.name.toLowerCase(), { delay: 20 });
  await page.waitForURL(/\/search\?q=/);
  const first = page.locator('.product-card').first();
  await first.locator('.name', { hasText: target.name }).waitFor();
  await first.locator('a').click();
  await page.getByRole('heading', { level: 1, name: target.name }).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test('a search with no match says so and offers the categories', async () => {
  const { page, context } = await newPage();
  await page.goto(BASE + '/search?q=zzqxv');
  await page.locator('.no-results').waitFor();
  assert.match(await page.locator('.no-results').textContent(), /No products match “zzqxv”/);
  await context.close();
});

test('an unknown product shows the not-found page, not a blank screen', async () => {
  const { page, context } = await newPage();
  await page.goto(BASE + '/p/no-such-product-here');
  await page.getByTestId('not-found').waitFor();
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Product not found');
  assert.ok(await page.getByRole('link', { name: 'Browse all categories' }).isVisible());
  await page.goto(BASE + '/this/route/does/not/exist');
  await page.getByTestId('not-found').waitFor();
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Page not found');
  await page.goto(BASE + '/c/no-such-category');
  await page.getByTestId('not-found').waitFor();
  await context.close();
});

test('when the API fails the shopper gets a friendly message', async () => {
  const { page, context } = await newPage();
  // The network between browser and shop fails for product reads only: the page must
  // still explain itself. (Our server is real; only the connection is cut.)
  await page.route('**/api/products/**', (route) => route.abort('internetdisconnected'));
  await page.goto(BASE + '/p/anything-at-all');
  await page.getByTestId('error').waitFor();
  assert.match(await page.getByTestId('error').textContent(), /could not reach the shop/i);
  await context.close();
});

test('on a 360 px phone the pages fit without sideways scrolling', async () => {
  const { page, context } = await newPage({ width: 360, height: 740 });
  for (const path of ['/', '/c/kitchen', '/p/' + (await (await fetch(`${BASE}/api/products/1`)).json()).slug]) {
    await page.goto(BASE + path);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.locator('.loading').waitFor({ state: 'detached' }).catch(() => {});
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${path} scrolls sideways by ${overflow}px`);
    await shot(page, 'phone' + path.replace(/\//g, '_'));
  }
  await context.close();
});
