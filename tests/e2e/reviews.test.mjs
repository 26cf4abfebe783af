// End-to-end: reviews. A guest opens the delivery e-mail's link in a fresh browser,
// lands on the review form, and writes a review with a link, which waits for staff;
// staff publish it in the back office; it then shows on the product page (with its
// stars, "verified purchase" and "was this helpful?") and its stars on the product's
// card; offline the page keeps the stars and says the reviews come back online; on a
// phone nothing scrolls sideways. Started by `cargo xtask test`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DRAWN, apiSession, emailsTo, launch, linkIn, openPage, placeOrderByApi, productsOnDevice, shot, staffSession, uniqueEmail, waitFor } from './browser.mjs';

const BASE = process.env.AISLE_URL;
if (!BASE) throw new Error('run these tests with `cargo xtask test`');
const STAFF = { email: process.env.AISLE_STAFF_EMAIL, password: process.env.AISLE_STAFF_PASSWORD };

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/// A product nobody has reviewed, with stock to sell.
async function unreviewed() {
  const page = await (await fetch(`${BASE}/api/categories/stationery/products?per_page=100`)).json();
  const p = page.items.find((p) => p.stock >= 5 && !p.rating);
  assert.ok(p, 'a stationery product without reviews');
  return p;
}

test('a guest reviews from the delivery e-mail, staff publish it, and it shows with its stars on the page and the card', async () => {
  const product = await unreviewed();
  const email = uniqueEmail('reviewer');
  const order = await placeOrderByApi(apiSession(BASE), [[product, 1]], email);
  const staff = await staffSession(BASE);
  for (const [step, body] of [['pack'], ['ship', { carrier: 'dhl', tracking_number: 'JD0146' }], ['mark_delivered']]) {
    const r = await staff('POST', `/api/staff/orders/${order.number}/${step}`, body);
    assert.equal(r.status, 200, `${step}: ${await r.text()}`);
  }
  let mail;
  await waitFor(() => (mail = emailsTo(email).find((m) => /was delivered/.test(m.subject))), 'the delivery e-mail', 10000);
  const link = linkIn(mail.text, `/orders/${order.number}?token=`);
  assert.match(link, /#rate$/, 'the e-mail links straight to the review form');

  // A fresh browser, as the shopper's mail app opens it.
  const shopper = await openPage(browser);
  const page = shopper.page;
  await page.goto(link);
  const form = page.getByTestId('rate-item').filter({ hasText: product.name });
  await form.waitFor();
  await waitFor(async () => page.evaluate(() => { const r = document.getElementById('rate').getBoundingClientRect(); return r.top < innerHeight && r.bottom > 0; }), 'the review form in view');
  await form.getByLabel('5 stars', { exact: true }).check();
  await form.getByLabel('Title (optional)').fill('Writes like a dream');
  await form.getByLabel('Your review (optional)').fill('Smooth ink.\n\nThe refills are at www.example.com too.');
  await form.getByRole('button', { name: 'Save rating' }).click();
  await form.getByText('Your review shows once the shop has read it.').waitFor();
  await shot(page, 'review-written');

  // Staff find it waiting, with why, and publish it.
  const desk = await openPage(browser);
  await desk.page.goto(BASE + '/staff/reviews');
  await desk.page.getByLabel('E-mail').fill(STAFF.email);
  await desk.page.getByLabel('Password').fill(STAFF.password);
  await desk.page.getByRole('button', { name: 'Sign in' }).click();
  await desk.page.getByRole('heading', { level: 1, name: 'Reviews' }).waitFor();
  const held = desk.page.getByTestId('staff-review').filter({ hasText: 'Writes like a dream' });
  await held.getByText('Held: it has a web address.').waitFor();
  await shot(desk.page, 'staff-reviews');
  await held.getByRole('button', { name: 'Publish' }).click();
  await held.waitFor({ state: 'detached' });
  await desk.page.getByRole('button', { name: 'Published' }).click();
  const published = desk.page.getByTestId('staff-review').filter({ hasText: 'Writes like a dream' });
  await published.getByRole('button', { name: 'Reply…' }).click();
  await published.getByLabel('Public reply (empty removes it)').fill('Thank you! Glad you like it.');
  await published.getByRole('button', { name: 'Save reply' }).click();
  await published.getByText('Your reply: Thank you! Glad you like it.').waitFor();
  await desk.context.close();

  // The writer is told it is on the page.
  await page.reload();
  await page.getByTestId('rate-item').filter({ hasText: product.name }).getByText('Your review is on the product page.').waitFor();

  // A stranger sees it on the product page, and its stars on the card.
  const stranger = await openPage(browser);
  const p = stranger.page;
  await p.goto(`${BASE}/p/${product.slug}`);
  await p.waitForFunction(DRAWN);
  const reviews = p.getByTestId('reviews');
  const review = reviews.getByTestId('review').filter({ hasText: 'Writes like a dream' });
  await review.waitFor();
  assert.match(await review.textContent(), /Test S\. · .* · Verified purchase/);
  assert.match(await review.textContent(), /Smooth ink\.The refills are at www\.example\.com too\./, 'two paragraphs, shown as text');
  await review.getByTestId('review-reply').getByText('Thank you! Glad you like it.').waitFor();
  await p.getByTestId('product').getByRole('img', { name: 'Rated 5.0 of 5 by 1 shopper' }).waitFor();
  await reviews.getByRole('progressbar', { name: '5 stars: 1' }).waitFor();
  await review.getByRole('button', { name: 'Yes (0)' }).click();
  await review.getByRole('button', { name: 'Yes (1)' }).waitFor();
  await review.getByText('Thank you for your vote.').waitFor();
  await shot(p, 'review-on-product');

  await p.goto(`${BASE}/c/stationery`);
  await p.waitForFunction(DRAWN);
  const card = p.locator('.product-card').filter({ hasText: product.name });
  await card.getByRole('img', { name: 'Rated 5.0 of 5 by 1 shopper' }).waitFor();
  // The rating filter keeps what is rated that well, with its count.
  await p.getByTestId('filters').locator('summary').click();
  await p.getByLabel(/^4 stars & up \(\d+\)$/).click();
  await p.waitForURL(/\/c\/stationery\?stars=4$/);
  await p.getByTestId('filter-chips').getByRole('link', { name: 'Remove filter: 4 stars & up' }).waitFor();
  await card.waitFor();
  assert.ok(await p.locator('.product-grid .product-card').count() >= 1);

  // Offline, from the device's copy: the stars stay, the reviews wait for the network.
  await p.evaluate(async () => { await navigator.serviceWorker.ready; });
  await p.reload();
  await p.waitForFunction(() => !!navigator.serviceWorker.controller);
  await waitFor(async () => (await p.evaluate(productsOnDevice)) >= 240, 'the catalogue on the device', 15000);
  await stranger.context.setOffline(true);
  await p.goto(`${BASE}/p/${product.slug}`);
  await p.getByTestId('reviews-offline').waitFor();
  await p.getByTestId('reviews').getByRole('img', { name: 'Rated 5.0 of 5 by 1 shopper' }).waitFor();
  await stranger.context.close();
  await shopper.context.close();
});

test('on a phone the reviews and the review form fit the screen', async () => {
  const reviewed = (await (await fetch(`${BASE}/api/categories/stationery/products?per_page=100`)).json()).items.find((p) => p.rating);
  assert.ok(reviewed, 'the first test reviewed a product');
  const { page, context } = await openPage(browser, { width: 360, height: 740 });
  await page.goto(`${BASE}/p/${reviewed.slug}`);
  await page.getByTestId('review').first().waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 360);
  await page.getByTestId('reviews').scrollIntoViewIfNeeded();
  await shot(page, 'review-on-product-phone');
  await context.close();
});
