// End-to-end: buying and looking after an order, as a shopper and as shop staff, in a
// real Chromium against the real server. Started by `cargo xtask test`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DRAWN, launch, mailTo, openPage, shot, signIn, signUp, staffSession, uniqueEmail, waitFor, cancelOrder } from './browser.mjs';

const BASE = process.env.AISLE_URL;
const STAFF = { email: process.env.AISLE_STAFF_EMAIL, password: process.env.AISLE_STAFF_PASSWORD };
if (!BASE || !STAFF.email) throw new Error('run these tests with `cargo xtask test`');

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const newPage = (viewport) => openPage(browser, viewport);

/// A product with plenty of stock, straight from the API.
async function stockedProduct(skip = 0) {
  const page = await (await fetch(`${BASE}/api/categories/books/products?per_page=100`)).json();
  return page.items.filter((p) => p.stock >= 20)[skip];
}

async function fillAddress(page, city = 'London') {
  await page.getByLabel('Full name').fill('Ada Lovelace');
  await page.getByLabel('Street and number').fill("12 St James's Square");
  await page.getByLabel('Postcode').fill('SW1Y 4JH');
  await page.getByLabel('Town or city').fill(city);
  await page.getByLabel('Country').selectOption('GB');
}

async function addToCart(page, product, quantity = 1) {
  await page.goto(`${BASE}/p/${product.slug}`);
  await page.getByRole('heading', { level: 1, name: product.name }).waitFor();
  // Typing across the moment the app replaces the server's first view is the
  // first-view test's subject; here the quantity goes to the app's own field.
  await page.waitForFunction(DRAWN);
  await page.getByLabel('Quantity').fill(String(quantity));
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.getByRole('status').filter({ hasText: 'Added to your cart' }).waitFor();
}

async function placeOrder(page) {
  await page.getByRole('button', { name: 'Place order' }).click();
  await page.waitForURL(/\/orders\/A\d+/);
  await page.getByTestId('order-status').waitFor();
  return new URL(page.url()).pathname.split('/').pop();
}

/// Moves an order on through the staff page (its own browser context, signed in as staff).
async function staffStep(number, buttonName, ship) {
  const { page, context } = await newPage();
  await signIn(page, STAFF.email, STAFF.password);
  await page.goto(BASE + '/staff');
  const row = page.locator(`tr[data-order="${number}"]`);
  await row.waitFor();
  if (ship) {
    await row.getByLabel('Carrier').selectOption({ label: ship.carrier });
    await row.getByLabel('Tracking number').fill(ship.tracking);
    await row.getByRole('button', { name: 'Ship' }).click();
  } else {
    await row.getByRole('button', { name: buttonName }).click();
  }
  await page.waitForFunction(([n, name]) => {
    const r = document.querySelector(`tr[data-order="${n}"]`);
    return r && ![...r.querySelectorAll('button')].some((b) => b.textContent === name);
  }, [number, ship ? 'Ship' : buttonName]);
  await context.close();
}

test('sign up → add to cart → checkout → order page → staff ships → customer sees the shipment', async () => {
  const { page, context, problems } = await newPage();
  const email = uniqueEmail('ada');
  await signUp(page, email);
  const product = await stockedProduct();
  await addToCart(page, product, 2);
  assert.equal((await page.getByTestId('cart-count').textContent()).trim(), '2');

  await page.getByRole('link', { name: 'Go to checkout' }).click();
  await page.getByRole('heading', { level: 1, name: 'Checkout' }).waitFor();
  await fillAddress(page);
  const number = await placeOrder(page);
  assert.match(await page.getByRole('status').first().textContent(), /Your order is placed/);
  assert.equal((await page.getByTestId('order-status').textContent()).trim(), 'Placed');
  assert.match(await page.getByTestId('timeline').textContent(), /Placed/);
  assert.equal((await page.getByTestId('cart-count').textContent()).trim(), '0', 'the cart is empty after ordering');

  // The confirmation e-mail went out through the outbox.
  await waitFor(() => mailTo(email).some((m) => m.includes(`Your order ${number}`)), 'confirmation e-mail');

  await staffStep(number, 'Mark packed');
  await staffStep(number, null, { carrier: 'DHL', tracking: 'JD014600006281' });

  await page.reload();
  await page.getByTestId('shipment').waitFor();
  assert.equal((await page.getByTestId('carrier').textContent()).trim(), 'DHL');
  assert.equal((await page.getByTestId('tracking').textContent()).trim(), 'JD014600006281');
  assert.match(await page.getByTestId('shipped-at').textContent(), /^\d{1,2} [A-Z][a-z]{2} \d{4}$/);
  assert.equal((await page.getByTestId('order-status').textContent()).trim(), 'Shipped');
  assert.match(await page.getByTestId('timeline').textContent(), /Packed.*Shipped/s);
  assert.match(await page.getByTestId('order-next').textContent(), /can no longer be changed or cancelled/);
  assert.equal(await page.getByRole('button', { name: 'Cancel order' }).count(), 0, 'no cancel offered once shipped');
  await waitFor(() => mailTo(email).some((m) => m.includes(`Your order ${number} is on its way`)), 'shipping e-mail');
  await shot(page, 'order-shipped');

  // The order is in the history.
  await page.goto(BASE + '/account/orders');
  await page.getByRole('link', { name: `Order ${number}` }).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test('change and cancel before shipping; a cancel after shipping is refused with the reason', async () => {
  const { page, context } = await newPage();
  await signUp(page, uniqueEmail('bea'), 'Bea Smith');
  const product = await stockedProduct(1);
  const before = (await (await fetch(`${BASE}/api/products/${product.id}`)).json()).stock;

  await addToCart(page, product, 1);
  await page.goto(BASE + '/checkout');
  await fillAddress(page);
  const first = await placeOrder(page);

  // Change the quantity to 3, then the address, while the order is only placed.
  await page.getByRole('button', { name: 'Change quantities' }).click();
  await page.getByLabel(`${product.name} (0 removes it)`).fill('3');
  await page.getByRole('button', { name: 'Save quantities' }).click();
  await page.locator('table.items td', { hasText: /^3$/ }).waitFor();
  assert.equal((await (await fetch(`${BASE}/api/products/${product.id}`)).json()).stock, before - 3);
  await page.getByRole('button', { name: 'Change delivery address' }).click();
  await page.getByLabel('Town or city').fill('Bath');
  await page.getByRole('button', { name: 'Save new address' }).click();
  await page.locator('address', { hasText: 'Bath' }).waitFor();

  // Cancel it: stock comes back.
  await cancelOrder(page);
  await page.getByTestId('order-status').filter({ hasText: 'Cancelled' }).waitFor();
  assert.equal((await (await fetch(`${BASE}/api/products/${product.id}`)).json()).stock, before);

  // A second order: the page still offers Cancel when staff ship it meanwhile.
  await addToCart(page, product, 1);
  await page.goto(BASE + '/checkout');
  await page.getByRole('button', { name: 'Place order' }).waitFor();
  const second = await placeOrder(page);
  assert.notEqual(second, first);
  await staffStep(second, 'Mark packed');
  await staffStep(second, null, { carrier: 'UPS', tracking: '1Z999AA10123456784' });
  await cancelOrder(page);
  await page.getByTestId('order-error').filter({ hasText: /./ }).waitFor();
  const refusal = await page.getByTestId('order-error').textContent();
  assert.match(refusal, /can no longer be cancelled: it was already shipped on \d{1,2} [A-Z][a-z]{2} \d{4}\./);
  await context.close();
});

test('a return is requested after delivery; the printed confirmation is clean', async () => {
  const { page, context } = await newPage();
  await signUp(page, uniqueEmail('cy'), 'Cy Jones');
  await addToCart(page, await stockedProduct(2), 1);
  await page.goto(BASE + '/checkout');
  await fillAddress(page);
  const number = await placeOrder(page);
  assert.ok(!(await page.getByRole('button', { name: 'Request a return' }).isVisible()), 'no return before delivery');
  await staffStep(number, 'Mark packed');
  await staffStep(number, null, { carrier: 'DPD', tracking: '15501234567890' });
  await staffStep(number, 'Out for delivery');
  await staffStep(number, 'Mark delivered');
  await page.reload();
  await page.getByLabel('Why are you returning it?').fill('It is the wrong colour.');
  await page.getByRole('button', { name: 'Request a return' }).click();
  await page.getByTestId('order-status').filter({ hasText: 'Return requested' }).waitFor();
  assert.match(await page.getByTestId('timeline').textContent(), /Delivered.*Return requested.*wrong colour/s);

  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('.site-header').isVisible(), false, 'no header on paper');
  assert.equal(await page.getByRole('button', { name: 'Print confirmation' }).isVisible(), false);
  const printed = await page.locator('main').innerText();
  for (const part of ['Aisle — order confirmation', `Order ${number}`, 'Placed', 'Total', "12 St James's Square", 'Pay on delivery']) {
    assert.ok(printed.includes(part), `the printout shows ${part}`);
  }
  await shot(page, 'order-print');
  await page.emulateMedia({ media: 'screen' });
  await context.close();
});

test('a returning shopper goes from a product page to a placed order in three clicks', async () => {
  const { page, context } = await newPage();
  await signUp(page, uniqueEmail('dee'), 'Dee Brown');
  // Save a default address once, as a returning shopper has.
  await page.getByRole('button', { name: 'Add an address' }).click();
  await fillAddress(page, 'York');
  await page.getByRole('button', { name: 'Save address' }).click();
  await page.locator('.addresses address', { hasText: 'York' }).waitFor();

  const product = await stockedProduct(3);
  await page.goto(`${BASE}/p/${product.slug}`);
  await page.getByRole('heading', { level: 1, name: product.name }).waitFor();
  await page.getByRole('button', { name: 'Add to cart' }).click();          // click 1
  await page.getByRole('link', { name: 'Go to checkout' }).click();         // click 2
  await page.waitForFunction(() => document.querySelector('#addr-city')?.value === 'York');
  await page.getByRole('button', { name: 'Place order' }).click();          // click 3
  await page.waitForURL(/\/orders\/A\d+/);
  await page.getByTestId('order-status').filter({ hasText: 'Placed' }).waitFor();
  assert.match(await page.locator('address').first().textContent(), /York/);
  await context.close();
});

test('a guest checks out; after sign-out the next person sees no cart; a sold-out item is explained', async () => {
  const { page, context } = await newPage();
  const product = await stockedProduct(4);
  await addToCart(page, product, 1);
  await page.goto(BASE + '/checkout');
  await page.getByLabel('E-mail for your confirmation').fill('not-an-email');
  await fillAddress(page);
  await page.getByRole('button', { name: 'Place order' }).click();
  await page.locator('#addr-email-error', { hasText: 'Please enter an e-mail address' }).waitFor();

  // Meanwhile the product sells out: the shopper is told before anything is charged.
  const staff = await staffApi();
  await staff.setStock(product.id, 0);
  await page.getByLabel('E-mail for your confirmation').fill(uniqueEmail('guest'));
  await page.getByRole('button', { name: 'Place order' }).click();
  // The form's own message (the discount-code box has an empty one of its own).
  const msg = await page.locator('.form-error').filter({ hasText: 'Nothing was charged' }).first().textContent();
  assert.match(msg, /Nothing was charged\..*is sold out/);
  await staff.setStock(product.id, 40);
  await page.reload();
  await page.getByLabel('E-mail for your confirmation').fill(uniqueEmail('guest'));
  await fillAddress(page);
  const number = await placeOrder(page);
  assert.match(number, /^A\d+$/);

  // A signed-in shopper signs out: the next person on this device has an empty cart.
  await signUp(page, uniqueEmail('eve'), 'Eve Adams');
  await addToCart(page, product, 2);
  await page.goto(BASE + '/account');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(BASE + '/');
  await page.goto(BASE + '/cart');
  await page.locator('.empty-cart').waitFor();
  assert.equal((await page.getByTestId('cart-count').textContent()).trim(), '0');
  await context.close();
});

test('a product page shows a stock change within two seconds, without a reload', async () => {
  const { page, context } = await newPage();
  const product = await stockedProduct(5);
  await page.goto(`${BASE}/p/${product.slug}`);
  await page.getByTestId('stock').filter({ hasText: 'In stock' }).waitFor();
  await page.evaluate(() => { window.__noReload = true; });
  const staff = await staffApi();
  const started = Date.now();
  await staff.setStock(product.id, 2);
  await page.getByTestId('stock').filter({ hasText: 'Only 2 left' }).waitFor({ timeout: 2000 });
  assert.ok(Date.now() - started <= 2000);
  await staff.setStock(product.id, 0);
  await page.getByRole('button', { name: 'Out of stock' }).waitFor({ timeout: 2000 });
  assert.equal(await page.evaluate(() => window.__noReload), true);
  await staff.setStock(product.id, product.stock);
  await context.close();
});

test('account self-service: details, phone, password', async () => {
  const { page, context } = await newPage();
  const email = uniqueEmail('fay');
  await signUp(page, email, 'Fay Green');
  await page.getByLabel('Phone').fill('not a phone');
  await page.getByRole('button', { name: 'Save details' }).click();
  await page.locator('#f-phone-error', { hasText: 'Please enter a phone number' }).waitFor();
  await page.getByLabel('Phone').fill('+44 20 7946 0000');
  await page.getByLabel('Name', { exact: true }).fill('Fay Green-Hill');
  await page.getByRole('button', { name: 'Save details' }).click();
  await page.getByText('Your details are saved.').waitFor();
  await page.getByLabel('Current password').fill('a long password');
  await page.getByLabel(/^New password/).fill('an even longer password');
  await page.getByRole('button', { name: 'Change password' }).click();
  await page.getByText(/Password changed/).waitFor();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(BASE + '/');
  await signIn(page, email, 'an even longer password');
  assert.match(await page.getByRole('heading', { level: 1 }).textContent(), /Hello, Fay Green-Hill/);
  await context.close();
});

// ---- helpers ----

/// Stock edits by staff, through the real API.
async function staffApi() {
  const call = await staffSession(BASE);
  return {
    setStock: async (id, stock) => assert.equal((await call('PUT', `/api/staff/products/${id}/stock`, { stock })).status, 204),
  };
}
