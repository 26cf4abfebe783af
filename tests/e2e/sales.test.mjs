// End-to-end: a sale (an automatic offer, no code). Staff make one for a category in
// the back office; a shopper on a phone sees sale prices with "was" on the cards and
// the product page and buys at the sale price; staff stop it and the prices go back.
// Started by `cargo xtask test`. It uses Toys & Games, which no other test prices.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DRAWN, launch, openPage, shot, signIn } from './browser.mjs';

const BASE = process.env.AISLE_URL;
const STAFF = { email: process.env.AISLE_STAFF_EMAIL, password: process.env.AISLE_STAFF_PASSWORD };
if (!BASE || !STAFF.email) throw new Error('run these tests with `cargo xtask test`');

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const day = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const product = async (id) => (await fetch(`${BASE}/api/products/${id}`)).json();

test('staff put a category on sale; a shopper sees and pays the sale price; stopped, the prices go back', async () => {
  const listed = (await (await fetch(`${BASE}/api/categories/toys-games/products?per_page=100`)).json()).items;
  const toy = listed.find((p) => p.stock >= 5);
  const before = await product(toy.id);
  const sale = Math.max(1, Math.round(before.price.minor * 0.8));

  const desk = await openPage(browser);
  desk.page.on('dialog', (d) => d.accept());
  await signIn(desk.page, STAFF.email, STAFF.password);
  await desk.page.goto(`${BASE}/staff/offers`);
  const form = desk.page.getByTestId('new-sale');
  await form.getByLabel('Name').fill('Toy week');
  await form.getByLabel('Per cent off').fill('95');
  await form.getByRole('button', { name: 'Make the sale' }).click();
  await form.getByText('A sale takes off a whole per cent from 1 to 90.').waitFor();
  await form.getByText('Choose the category the sale is for.').waitFor();
  await form.getByLabel('Per cent off').fill('20');
  await form.getByLabel('Category').selectOption('toys-games');
  await form.getByLabel('First day').fill(day(-1));
  await form.getByLabel('Last day').fill(day(7));
  await form.getByRole('button', { name: 'Make the sale' }).click();
  await form.getByTestId('sale-saved').filter({ hasText: /Toy week is on: \d+ prices lowered/ }).waitFor();
  const row = desk.page.locator('tr[data-sale="Toy week"]');
  await row.filter({ hasText: 'Running' }).waitFor();
  await shot(desk.page, 'sale-staff-1280');

  const during = await product(toy.id);
  assert.equal(during.price.minor, sale, 'a fifth off, to the cent');
  assert.equal(during.compare_at.minor, Math.max(before.price.minor, before.compare_at?.minor ?? 0));

  // A shopper on a phone, in a brand-new browser.
  const { page, context, problems } = await openPage(browser, { width: 360, height: 780 });
  await page.goto(`${BASE}/c/toys-games`);
  await page.waitForFunction(DRAWN);
  const card = page.locator('.product-card', { has: page.locator(`a[href$="/p/${toy.slug}"]`) });
  await card.locator('.was').waitFor();
  await shot(page, 'sale-cards-360');
  await card.locator('a').first().click();
  await page.getByTestId('was-price').waitFor();
  const shown = await page.getByTestId('price').textContent();
  assert.ok(shown.includes((sale / 100).toFixed(2)), `${shown} is the sale price`);
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.getByRole('status').filter({ hasText: 'Added to your cart' }).waitFor();
  await shot(page, 'sale-product-360');

  // Staff stop it: the prices go back at once, "was" with them.
  await row.getByRole('button', { name: 'Stop now' }).click();
  await row.filter({ hasText: 'Ended' }).waitFor();
  const after = await product(toy.id);
  assert.equal(after.price.minor, before.price.minor);
  assert.deepEqual(after.compare_at ?? null, before.compare_at ?? null);
  await desk.context.close();
  await context.close();
  assert.deepEqual(problems, []);
});
