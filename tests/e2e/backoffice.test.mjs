// End-to-end: the back office, the shop's staff's own app at /staff. Each test starts
// in a brand-new browser context (no cookies, no storage) and signs in at /staff
// itself, at desktop and phone size. Started by `cargo xtask test`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { apiSession, launch, openPage, placeOrderByApi, shot, staffSession, uniqueEmail, waitFor } from './browser.mjs';

const BASE = process.env.AISLE_URL;
if (!BASE) throw new Error('run these tests with `cargo xtask test`');
const STAFF = { email: process.env.AISLE_STAFF_EMAIL, password: process.env.AISLE_STAFF_PASSWORD };
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 360, height: 740 };

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/// A few products with stock to spare, from the middle of the catalogue (other test
/// files use its ends).
async function products() {
  const cats = await (await fetch(`${BASE}/api/categories`)).json();
  const page = await (await fetch(`${BASE}/api/categories/${cats[4].slug}/products?per_page=100`)).json();
  return page.items.filter((p) => p.stock >= 30);
}

async function guestOrder(lines, email = uniqueEmail('packer')) {
  return placeOrderByApi(apiSession(BASE), lines, email);
}

/// Signs in on the back office's own form; every request the page makes is recorded.
async function backOffice(viewport = DESKTOP) {
  const opened = await openPage(browser, viewport);
  const requests = [];
  opened.page.on('request', (r) => requests.push(new URL(r.url()).pathname));
  opened.page.on('dialog', (d) => d.accept());
  await opened.page.goto(BASE + '/staff');
  await opened.page.getByRole('heading', { level: 1, name: 'Sign in to the back office' }).waitFor();
  await opened.page.getByLabel('E-mail').fill(STAFF.email);
  await opened.page.getByLabel('Password').fill(STAFF.password);
  await opened.page.getByRole('button', { name: 'Sign in' }).click();
  await opened.page.getByRole('heading', { level: 1, name: 'Fulfilment' }).waitFor();
  return { ...opened, requests };
}

const row = (page, number) => page.locator(`tr[data-order="${number}"]`);

test('staff sign in at /staff; the back office has its own frame and none of the shop', async () => {
  const { page, context, problems, requests } = await backOffice();
  assert.equal(await page.locator('.site-header').count(), 0, 'no shop header');
  assert.equal(await page.getByTestId('help-button').count(), 0, 'no Help button');
  assert.ok(requests.some((p) => /^\/staff\/pkg-[0-9a-f]{16}\/aisle-staff_bg\.wasm$/.test(p)), 'the back office wasm');
  assert.ok(!requests.some((p) => /^\/(pkg-[0-9a-f]{16}\/)?aisle(-[0-9a-f]{16})?_bg\.wasm$/.test(p)), 'not the shop wasm');
  await page.getByRole('navigation', { name: 'Back office' }).getByRole('link', { name: /Support/ }).waitFor();
  // Keyboard: g then s goes to the agent console, g then i to insight, g then o back.
  await page.locator('body').click({ position: { x: 600, y: 5 } });
  await page.keyboard.press('g');
  await page.keyboard.press('s');
  await page.getByRole('heading', { level: 1, name: 'Agent console' }).waitFor();
  await page.getByText('Connected — shoppers see that an agent is online.').waitFor();
  await page.keyboard.press('g');
  await page.keyboard.press('i');
  await page.getByTestId('insight').waitFor();
  await page.keyboard.press('g');
  await page.keyboard.press('o');
  await page.getByRole('heading', { level: 1, name: 'Fulfilment' }).waitFor();
  await shot(page, 'backoffice-orders-desktop');
  assert.deepEqual(problems, []);
  await context.close();

  // A shopper who signs in is told the back office is for staff.
  const shopper = await openPage(browser, PHONE);
  const email = uniqueEmail('notstaff');
  const call = apiSession(BASE);
  assert.equal((await call('POST', '/api/account', { email, password: 'a long password', name: 'Nora Shopper' })).status, 201);
  await shopper.page.goto(BASE + '/staff');
  await shopper.page.getByLabel('E-mail').fill(email);
  await shopper.page.getByLabel('Password').fill('a long password');
  await shopper.page.getByRole('button', { name: 'Sign in' }).click();
  await shopper.page.getByRole('heading', { level: 1, name: 'Staff only' }).waitFor();
  await shopper.context.close();
});

test('a packer finds orders by number, e-mail or name, packs and ships several at once, and prints slips', async () => {
  const [p1, p2] = await products();
  const email = uniqueEmail('bulk');
  const a = await guestOrder([[p1, 2], [p2, 1]], email);
  const b = await guestOrder([[p2, 1]]);
  const { page, context, problems } = await backOffice();

  // The list shows lines and address; search finds by the number typed loosely.
  await page.getByTestId('order-search').fill(`#${a.number.toLowerCase()}`);
  await row(page, a.number).waitFor();
  await waitFor(async () => (await page.locator('tr[data-order]').count()) === 1, 'one order found');
  const text = await row(page, a.number).textContent();
  assert.match(text, new RegExp(`2 × ${p1.name}`));
  assert.match(text, /Hauptstraße 1/);
  await page.getByTestId('order-search').fill(email.slice(0, 12));
  await row(page, a.number).waitFor();
  await page.getByTestId('order-search').fill('');
  await row(page, b.number).waitFor();

  // Sorting by a column, then back.
  await page.getByRole('button', { name: /^Order/ }).click();
  assert.equal(await page.locator('th[aria-sort="ascending"]').count(), 1);

  // Both selected, packed in one go (after a confirmation).
  await row(page, a.number).getByRole('checkbox').check();
  await row(page, b.number).getByRole('checkbox').check();
  await page.getByTestId('selected-count').filter({ hasText: '2 selected' }).waitFor();
  await page.getByRole('button', { name: 'Pack selected' }).click();
  await page.getByTestId('fulfilment-done').filter({ hasText: '2 order(s) moved on.' }).waitFor();
  await row(page, a.number).getByText('Packed').waitFor();
  await row(page, b.number).getByText('Packed').waitFor();

  // Packing slips for the two, with address and lines, no prices.
  await row(page, a.number).getByRole('checkbox').check();
  await row(page, b.number).getByRole('checkbox').check();
  await page.getByRole('button', { name: 'Packing slips' }).click();
  await page.getByTestId('packing-slip').nth(1).waitFor();
  const slip = await page.locator(`[data-testid="packing-slip"][data-order="${a.number}"]`).textContent();
  assert.match(slip, /Test Shopper/);
  assert.match(slip, new RegExp(p1.name));
  assert.doesNotMatch(slip, /€|£|\$/);
  await shot(page, 'backoffice-packing-slips');
  await page.getByRole('link', { name: 'Back to the orders' }).click();

  // Ship both: one carrier, a tracking number each; a missing one is named first.
  await row(page, a.number).getByRole('checkbox').check();
  await row(page, b.number).getByRole('checkbox').check();
  await page.getByRole('button', { name: 'Ship selected' }).click();
  const ship = page.getByTestId('ship-selected');
  await ship.getByLabel('Carrier').selectOption({ label: 'DPD' });
  await ship.getByLabel(`Tracking number for ${a.number}`).fill('01234567890123');
  await ship.getByRole('button', { name: 'Ship' }).click();
  await ship.getByRole('alert').filter({ hasText: b.number }).waitFor();
  await ship.getByLabel(`Tracking number for ${b.number}`).fill('01234567890124');
  await ship.getByRole('button', { name: 'Ship' }).click();
  await page.getByTestId('fulfilment-done').filter({ hasText: '2 order(s) moved on.' }).waitFor();
  const staff = await staffSession(BASE);
  const shipped = await (await staff('GET', `/api/staff/orders/${a.number}`)).json();
  assert.equal(shipped.status, 'shipped');
  assert.equal(shipped.shipment.carrier, 'dpd');
  assert.deepEqual(problems, []);
  await context.close();
});

test('at 360 px the action column is reachable, and a step made offline is sent once when the connection is back', async () => {
  const [, , p3] = await products();
  const order = await guestOrder([[p3, 1]]);
  const { page, context, problems } = await backOffice(PHONE);
  await page.getByTestId('order-search').fill(order.number);
  const r = row(page, order.number);
  await r.waitFor();
  const pack = r.getByRole('button', { name: 'Mark packed' });
  await pack.scrollIntoViewIfNeeded();
  const box = await pack.boundingBox();
  assert.ok(box && box.x >= 0 && box.x + box.width <= 360, `Pack is on screen: ${JSON.stringify(box)}`);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 360), 'the page itself does not scroll sideways');
  await shot(page, 'backoffice-orders-phone');

  await context.setOffline(true);
  await pack.click();
  await page.getByTestId('steps-waiting').filter({ hasText: '1 step(s) wait' }).waitFor();
  await context.setOffline(false);
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
  await page.getByTestId('steps-waiting').waitFor({ state: 'detached', timeout: 15000 });
  await r.getByText('Packed').waitFor();
  const staff = await staffSession(BASE);
  const after = await (await staff('GET', `/api/staff/orders/${order.number}`)).json();
  assert.equal(after.status, 'packed');
  assert.equal(after.events.filter((e) => e.status === 'packed').length, 1, 'packed once');
  assert.deepEqual(problems, []);
  await context.close();
});

test('stock is set by product name, and dates are in the shop time zone', async () => {
  const [, , , p4] = await products();
  const { page, context, problems } = await backOffice();
  await page.getByLabel('Product name or number').fill(p4.name);
  await page.getByRole('button', { name: 'Find' }).click();
  const line = page.locator(`[data-testid="stock-results"] tr[data-product="${p4.id}"]`);
  await line.waitFor();
  await line.getByLabel(`Units of ${p4.name} in stock`).fill('37');
  await line.getByRole('button', { name: 'Set stock' }).click();
  await page.getByTestId('stock-message').filter({ hasText: `${p4.name}: 37 in stock.` }).waitFor();
  assert.equal((await (await fetch(`${BASE}/api/products/${p4.id}`)).json()).stock, 37);
  assert.equal(await page.evaluate(async () => (await (await fetch('/api/staff/shop')).json()).time_zone), 'Europe/Berlin');
  assert.deepEqual(problems, []);
  await context.close();
});
