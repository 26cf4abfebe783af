// End-to-end: what a shop owes its customers on paper. The checkout names the terms
// accepted and the order keeps their version; staff publish new terms in the back
// office; the invoice prints with its number and VAT lines once the order is sent;
// a price cut credits the buyer, who spends the credit at the next checkout. Started
// by `cargo xtask test`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { addOne, cents, cheapProducts, DRAWN, figure, fillBerlinAddress, launch, linkIn, mailTo, openPage, productsOnDevice, shot, signIn, signUp, staffSession, uniqueEmail, waitFor } from './browser.mjs';

const BASE = process.env.AISLE_URL;
const STAFF = { email: process.env.AISLE_STAFF_EMAIL, password: process.env.AISLE_STAFF_PASSWORD };
if (!BASE || !STAFF.email) throw new Error('run these tests with `cargo xtask test`');

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const euros = (minor) => `€${(minor / 100).toFixed(2)}`;

/// Sets a product's price through the staff API, as the product form would.
async function setPrice(staff, id, minor) {
  const p = await (await staff('GET', `/api/staff/products/${id}`)).json();
  const res = await staff('PUT', `/api/staff/products/${id}`, {
    name: p.name, slug: p.slug, description: p.description, brand: p.brand, sku: p.sku ?? '', barcode: p.barcode ?? '',
    price: (minor / 100).toFixed(2), compare_at: '', stock: String(p.stock), stock_was: String(p.stock),
    weight_grams: String(p.weight_grams), tax_class: p.tax_class, category_id: p.category_id, status: p.status,
  });
  assert.equal(res.status, 200, await res.text());
}

test('staff publish new terms; a guest pays by transfer under them; the order and its e-mail keep the version; once sent, the invoice prints', async () => {
  // Staff publish a new version of the terms in the back office.
  const desk = await openPage(browser);
  await signIn(desk.page, STAFF.email, STAFF.password);
  await desk.page.goto(`${BASE}/staff/legal`);
  const form = desk.page.locator('form[data-kind="terms"]');
  await form.getByLabel('Text').waitFor();
  const before = Number((await form.getByTestId('legal-version').textContent()).match(/Version (\d+)/)[1]);
  await form.getByLabel('Text').fill('');
  await form.getByRole('button', { name: 'Publish new version' }).click();
  await form.getByText('The page needs its text').waitFor();
  const marker = `Returns are free within 30 days (${Date.now()}).`;
  await form.getByLabel('Text').fill(`## 1. Scope\n\nThese terms apply to every order.\n\n## 2. Returns\n\n${marker}`);
  await form.getByRole('button', { name: 'Publish new version' }).click();
  const version = before + 1;
  await form.getByTestId('legal-saved').filter({ hasText: `Published as version ${version}` }).waitFor();
  await shot(desk.page, 'legal-staff');

  const [product] = await cheapProducts();
  const { page, context, problems } = await openPage(browser, { width: 360, height: 780 });
  // Every page links to the legal pages.
  await addOne(page, product);
  await page.getByTestId('legal-links').getByRole('link', { name: 'Terms' }).click();
  await page.getByTestId('legal-page').getByText(marker).waitFor();
  assert.match(await page.getByTestId('legal-version').textContent(), new RegExp(`Version ${version}`));
  await shot(page, 'legal-terms-360');

  await page.goto(`${BASE}/checkout`);
  await page.getByTestId('terms-note').filter({ hasText: `version ${version}` }).waitFor();
  await page.getByLabel('Bank transfer (prepayment)').check();
  const email = uniqueEmail('invoice');
  await page.getByLabel('E-mail for your confirmation').fill(email);
  await fillBerlinAddress(page);
  const total = await figure(page, 'total');
  await shot(page, 'legal-checkout-360');
  await page.getByRole('button', { name: 'Place order and pay' }).click();
  await page.waitForURL(/\/orders\/A\d+/);
  const number = new URL(page.url()).pathname.split('/').pop();
  await page.getByTestId('order-terms').filter({ hasText: `version ${version}` }).waitFor();

  // The e-mail links to the version accepted; it opens in a brand-new browser.
  await waitFor(() => mailTo(email).length > 0, 'the confirmation e-mail', 10000);
  const terms = linkIn(mailTo(email)[0], '/legal/terms?version=');
  assert.ok(terms.endsWith(`?version=${version}`), terms);
  const stranger = await openPage(browser);
  await stranger.page.goto(terms);
  await stranger.page.getByTestId('legal-page').getByText(marker).waitFor();
  await stranger.context.close();

  // Staff: paid, packed, sent: the invoice is issued.
  const staff = await staffSession(BASE);
  for (const [step, body] of [['paid', {}], ['pack', {}], ['ship', { carrier: 'dhl', tracking_number: 'JD0000000001' }]]) {
    const res = await staff('POST', `/api/staff/orders/${number}/${step}`, body);
    assert.equal(res.status, 200, `${step}: ${await res.text()}`);
  }
  await page.reload();
  const link = page.getByTestId('document-link');
  await link.waitFor();
  assert.match(await link.textContent(), /Invoice INV-\d{6}/);
  const [invoice] = await Promise.all([context.waitForEvent('page'), link.click()]);
  await invoice.waitForLoadState();
  const text = await invoice.locator('body').innerText();
  assert.match(text, /Invoice INV-\d{6}/);
  assert.ok(text.includes(number), 'the invoice names its order');
  assert.ok(text.includes('DE123456789'), "the shop's VAT ID");
  assert.match(text, /19\s%/, 'VAT by rate');
  assert.ok(text.includes(euros(total)), `the total ${euros(total)} as charged`);
  await shot(invoice, 'invoice-360');
  await invoice.setViewportSize({ width: 1280, height: 900 });
  await shot(invoice, 'invoice-1280');
  await context.close();
  await desk.context.close();
  assert.deepEqual(problems, []);
});

test('a price cut credits the signed-in buyer, who sees it in the account and spends it at the next checkout', async () => {
  const products = await cheapProducts();
  const product = products[products.length - 1];
  const { page, context, problems } = await openPage(browser);
  const email = uniqueEmail('credit');
  await signUp(page, email, 'Grete Müller');
  await addOne(page, product);
  await page.goto(`${BASE}/checkout`);
  await fillBerlinAddress(page);
  await page.getByRole('button', { name: 'Place order and pay' }).click();
  await page.waitForURL(/\/orders\/A\d+/);
  const first = new URL(page.url()).pathname.split('/').pop();

  // Staff cut the price by €3.00.
  const staff = await staffSession(BASE);
  const was = product.price.minor;
  await setPrice(staff, product.id, was - 300);
  try {
    await waitFor(() => mailTo(email).some((m) => m.includes('store credit')), 'the credit e-mail', 10000);
    const mail = mailTo(email).find((m) => m.includes('store credit'));
    assert.ok(mail.includes(euros(300)) && mail.includes(first), 'the e-mail says how much and for which order');

    // The account shows it, and where it came from.
    await page.goto(`${BASE}/account`);
    const credit = page.getByTestId('credit');
    await credit.getByText(`Your balance: ${euros(300)}`).waitFor();
    assert.match(await credit.getByTestId('ledger').textContent(), new RegExp(`Price cut on .*${first}`));
    await shot(page, 'credit-account-1280');

    // The next checkout takes it off first. The product page shows the new price first:
    // the device's copy of the catalogue catches up with the cut, and the page drawn
    // anew meanwhile would lose a tap on its button.
    await page.goto(`${BASE}/p/${product.slug}`);
    await page.waitForFunction(DRAWN);
    await page.locator('main').getByText(euros(was - 300)).first().waitFor();
    await page.waitForTimeout(300);
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.getByRole('status').filter({ hasText: 'Added to your cart' }).waitFor();
    await page.goto(`${BASE}/checkout`);
    await page.getByTestId('credit').waitFor();
    const total = await figure(page, 'total');
    assert.equal(await figure(page, 'credit'), 300);
    assert.equal(await figure(page, 'to-pay'), total - 300);
    await page.setViewportSize({ width: 360, height: 780 });
    await shot(page, 'credit-checkout-360');
    await page.getByRole('button', { name: 'Place order and pay' }).click();
    await page.waitForURL((url) => /\/orders\/A\d+/.test(url.pathname) && !url.pathname.endsWith(first));
    assert.equal(await figure(page, 'credit'), 300);
    assert.equal(await figure(page, 'to-pay'), total - 300);
    await page.goto(`${BASE}/account`);
    await page.getByTestId('credit').getByText(`Your balance: ${euros(0)}`).waitFor();
  } finally {
    await setPrice(staff, product.id, was);
  }
  await context.close();
  assert.deepEqual(problems, []);
});

for (const viewport of [{ width: 1280, height: 900 }, { width: 360, height: 780 }]) {
  test(`at ${viewport.width} px the delivery promise on the product page, in checkout and on the order page agree`, async () => {
    const [product] = await cheapProducts();
    const { page, context, problems } = await openPage(browser, viewport);
    await page.goto(`${BASE}/p/${product.slug}`);
    await page.waitForFunction(DRAWN);
    const sentence = /^Order (within (\d+ h )?\d+ min|now) for delivery by (Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} [A-Z][a-z]{2}$/;
    const onProduct = (await page.getByTestId('promise').textContent()).trim();
    assert.match(onProduct, sentence);
    await shot(page, `promise-product-${viewport.width}`);
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.getByRole('status').filter({ hasText: 'Added to your cart' }).waitFor();

    await page.goto(`${BASE}/checkout`);
    await page.getByTestId('delivery-methods').getByLabel(/Express delivery/).check();
    await page.getByTestId('delivery').filter({ hasText: '€9.90' }).waitFor();
    const promised = (await page.getByTestId('promise').textContent()).trim();
    assert.match(promised, sentence);
    const day = promised.replace(/^.* by /, '');
    const email = uniqueEmail('promise');
    await page.getByLabel('E-mail for your confirmation').fill(email);
    await fillBerlinAddress(page);
    await shot(page, `promise-checkout-${viewport.width}`);
    await page.getByRole('button', { name: 'Place order and pay' }).click();
    await page.waitForURL(/\/orders\/A\d+/);
    assert.equal((await page.getByTestId('promised').textContent()).trim(), `Expected delivery: ${day}`);
    await waitFor(() => mailTo(email).length > 0, 'the confirmation e-mail', 10000);
    assert.ok(mailTo(email)[0].includes(day), `the e-mail promises ${day} too`);
    await context.close();
    assert.deepEqual(problems, []);
  });
}

test('the same cart priced offline, from the rules kept on the device, and by the server gives the same cents', async () => {
  const [a, b] = await cheapProducts();
  const { page, context, problems } = await openPage(browser, { width: 360, height: 780 });
  await addOne(page, a);
  await addOne(page, b);
  // Online once: the service worker takes the page, the rules and catalogue are kept.
  await page.goto(`${BASE}/checkout`);
  await page.getByTestId('breakdown').waitFor();
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
  if (!(await page.evaluate(() => !!navigator.serviceWorker.controller))) await page.reload();
  await page.waitForFunction(() => !!navigator.serviceWorker.controller);
  await waitFor(async () => (await page.evaluate(productsOnDevice)) >= 240, 'the catalogue on the device', 15000);

  // Offline: a fresh start of the app prices the cart with what the device kept.
  await context.setOffline(true);
  await page.reload();
  await page.getByTestId('delivery-methods').getByLabel(/Express delivery/).check();
  await page.getByTestId('delivery').filter({ hasText: '€9.90' }).waitFor();
  const offline = { goods: await figure(page, 'subtotal'), total: await figure(page, 'total'), vat: cents(await page.locator('.breakdown .tax dd').first().textContent()) };
  await shot(page, 'offline-priced-360');

  // Back online: the server charges exactly that.
  await context.setOffline(false);
  await page.reload();
  await page.getByTestId('delivery-methods').getByLabel(/Express delivery/).check();
  await page.getByTestId('delivery').filter({ hasText: '€9.90' }).waitFor();
  await page.getByLabel('E-mail for your confirmation').fill(uniqueEmail('offline'));
  await fillBerlinAddress(page);
  await page.getByRole('button', { name: 'Place order and pay' }).click();
  await page.waitForURL(/\/orders\/A\d+/);
  const number = new URL(page.url()).pathname.split('/').pop();
  const token = new URL(page.url()).searchParams.get('token');
  const order = await (await fetch(`${BASE}/api/orders/${number}?token=${token}`)).json();
  assert.equal(order.charges.goods.minor, offline.goods);
  assert.equal(order.total.minor, offline.total, 'the total priced offline is the one charged');
  assert.equal(order.charges.tax.reduce((sum, t) => sum + t.tax_minor, 0), offline.vat);
  await context.close();
  assert.deepEqual(problems, []);
});
