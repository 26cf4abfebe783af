// End-to-end: every page type checked by axe-core against WCAG 2.2 A and AA, as a
// guest, as a signed-in shopper and as staff, in a real Chromium against the real
// server. Started by `cargo xtask test`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { aProduct, guestPages, launch, openPage, settle, SHOPPER_PAGES, signIn, signUp, uniqueEmail } from './browser.mjs';

const BASE = process.env.AISLE_URL;
const STAFF = { email: process.env.AISLE_STAFF_EMAIL, password: process.env.AISLE_STAFF_PASSWORD };
if (!BASE || !STAFF.email) throw new Error('run these tests with `cargo xtask test`');

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/// Runs axe on the page as it stands and returns its violations, one line each.
async function violations(page) {
  // Evaluated through DevTools, which the page's Content-Security-Policy does not cover.
  await page.evaluate(AXE);
  const found = await page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  }, WCAG);
  return found;
}

/// Visits each [name, path] and collects violations per page.
async function check(page, pages) {
  const report = [];
  for (const [name, path, after] of pages) {
    await page.goto(BASE + path);
    await settle(page);
    if (after) await after(page);
    for (const v of await violations(page)) report.push(`${name} ${path}: ${v}`);
  }
  return report;
}

test('shopper pages have no WCAG 2.2 AA violations (axe-core)', async () => {
  const { product } = await aProduct();
  const { page, context, problems } = await openPage(browser);
  const guest = await check(page, [
    ...await guestPages(),
    ['help widget', '/', async (p) => {
      await p.getByRole('button', { name: /help/i }).first().click();
      await p.getByRole('dialog').waitFor();
    }],
  ]);
  // A signed-in shopper with something in the cart, then an order.
  await signUp(page, uniqueEmail('a11y'));
  await page.goto(`${BASE}/p/${product.slug}`);
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.getByRole('status').filter({ hasText: 'Added to your cart' }).waitFor();
  const shopper = await check(page, SHOPPER_PAGES);
  // Placing the order, then its page.
  await page.goto(BASE + '/checkout');
  await page.getByLabel('Full name').fill('Ada Lovelace');
  await page.getByLabel('Street and number').fill("12 St James's Square");
  await page.getByLabel('Postcode').fill('SW1Y 4JH');
  await page.getByLabel('Town or city').fill('London');
  await page.getByLabel('Country').selectOption('GB');
  await page.getByRole('button', { name: 'Place order' }).click();
  await page.waitForURL(/\/orders\/A\d+/);
  const order = await check(page, [['order', new URL(page.url()).pathname]]);
  const report = [...guest, ...shopper, ...order];
  await context.close();
  assert.deepEqual(problems, []);
  assert.deepEqual(report, [], `axe found:\n${report.join('\n')}`);
});

test('staff pages have no WCAG 2.2 AA violations (axe-core)', async () => {
  const { page, context, problems } = await openPage(browser);
  await signIn(page, STAFF.email, STAFF.password);
  const report = await check(page, [
    ['orders', '/staff'],
    ['support console', '/staff/support'],
    ['insight', '/staff/insight'],
  ]);
  await context.close();
  assert.deepEqual(problems, []);
  assert.deepEqual(report, [], `axe found:\n${report.join('\n')}`);
});

/// Presses Tab until focus is on an element matching `selector` (and, when given, whose
/// text or label includes `text`), then checks the focus can be seen.
async function tabTo(page, selector, text) {
  for (let i = 0; i < 200; i++) {
    await page.keyboard.press('Tab');
    const hit = await page.evaluate(([selector, text]) => {
      const e = document.activeElement;
      if (!e || !e.matches(selector)) return false;
      const words = `${e.textContent} ${[...(e.labels ?? [])].map((l) => l.textContent).join(' ')} ${e.getAttribute('aria-label') ?? ''}`;
      return !text || words.includes(text);
    }, [selector, text]);
    if (hit) {
      const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
      assert.notEqual(outline, 'none', `focus on ${selector} ${text ?? ''} is not visible`);
      return;
    }
  }
  assert.fail(`Tab never reached ${selector} ${text ?? ''}`);
}

const focusIsOnMain = (page) => page.evaluate(() => document.activeElement?.id === 'main');

test('a purchase from the home page to the confirmation with the keyboard alone', async () => {
  const { page, context, problems } = await openPage(browser);
  await page.goto(BASE + '/');
  await settle(page);
  // The first Tab reaches the skip link, which takes focus past the header.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.className), 'skip-link');
  await page.keyboard.press('Enter');
  assert.ok(await focusIsOnMain(page), 'skip link moves focus to the main content');

  await tabTo(page, '.category-grid a');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/c\//);
  await settle(page);
  assert.ok(await focusIsOnMain(page), 'focus moves to the new page');

  await tabTo(page, '.product-card a');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/p\//);
  await page.getByTestId('product').waitFor();
  assert.ok(await focusIsOnMain(page), 'focus moves to the product page');
  await tabTo(page, 'button', 'Add to cart');
  await page.keyboard.press('Enter');
  await page.getByRole('status').filter({ hasText: 'Added to your cart' }).waitFor();

  // On to the header's cart link: Tab runs past the footer and comes round to the top.
  await tabTo(page, 'a.cart-link');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/cart$/);
  await settle(page);
  await tabTo(page, 'a', 'Go to checkout');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/checkout$/);
  await settle(page);

  for (const [label, value] of [
    ['E-mail for your confirmation', uniqueEmail('keyboard')],
    ['Full name', 'Ada Lovelace'],
    ['Street and number', "12 St James's Square"],
    ['Postcode', 'SW1Y 4JH'],
    ['Town or city', 'London'],
    ['Country', 'United Kingdom'],
  ]) {
    // The country is a list: typing its name picks it, as a keyboard user would.
    await tabTo(page, label === 'Country' ? 'select' : 'input', label);
    await page.keyboard.type(value);
  }
  await tabTo(page, 'button', 'Place order');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/orders\/A\d+/);
  await page.getByTestId('order-status').waitFor();
  await context.close();
  assert.deepEqual(problems, []);
});
