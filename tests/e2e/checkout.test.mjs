// End-to-end: a checkout a shop can trust with its money. Delivery and VAT are priced
// in the cart and at checkout by the shop's rules, the same figures reach the order
// page and the e-mail, and the server charges exactly the total on show. Started by
// `cargo xtask test`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { addOne, cents, cheapProducts, DRAWN, figure, fillBerlinAddress, launch, mailTo, openPage, shot, signIn, staffSession, uniqueEmail, waitFor } from './browser.mjs';

const BASE = process.env.AISLE_URL;
const STAFF = { email: process.env.AISLE_STAFF_EMAIL, password: process.env.AISLE_STAFF_PASSWORD };
if (!BASE || !STAFF.email) throw new Error('run these tests with `cargo xtask test`');

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/// A product under €50 with stock, so standard delivery is charged.
async function cheapProduct() {
  return (await cheapProducts())[0];
}

for (const viewport of [{ width: 1280, height: 900 }, { width: 360, height: 780 }]) {
  test(`at ${viewport.width} px a guest in Germany sees delivery and VAT, chooses express, and is charged the total shown`, async () => {
    const product = await cheapProduct();
    const { page, context, problems } = await openPage(browser, viewport);
    await addOne(page, product);

    // The cart: goods, standard delivery to Germany, how far free delivery is, the total
    // and the VAT in it.
    await page.goto(`${BASE}/cart`);
    await page.getByTestId('breakdown').waitFor();
    const goods = await figure(page, 'subtotal');
    assert.equal(goods, product.price.minor);
    assert.equal(await figure(page, 'delivery'), 490);
    assert.equal(await figure(page, 'cart-total'), goods + 490);
    assert.equal(await figure(page, 'away-from-free'), 5000 - goods);
    assert.match(await page.getByTestId('breakdown').textContent(), /incl\. 19\s%\sVAT/);
    await shot(page, `checkout-cart-${viewport.width}`);

    // Checkout: every way of delivery to Germany with its price; express chosen.
    await page.getByRole('link', { name: 'Go to checkout' }).click();
    const methods = page.getByTestId('delivery-methods');
    await methods.getByLabel(/Express delivery/).waitFor();
    assert.deepEqual(await methods.locator('label').evaluateAll((ls) => ls.map((l) => l.querySelector('input').value)), ['standard', 'express', 'pickup_point', 'collect']);
    await methods.getByLabel(/Express delivery/).check();
    await page.getByTestId('delivery').filter({ hasText: '€9.90' }).waitFor();
    const total = await figure(page, 'total');
    assert.equal(total, goods + 990, 'goods + express delivery = the total');
    const vat = await page.locator('.breakdown .tax dd').allTextContents();
    assert.equal(vat.length, 1);
    assert.equal(cents(vat[0]), Math.round((goods * 19) / 119) + Math.round((990 * 19) / 119), 'the VAT in goods and delivery, each rounded');
    // Only countries the shop delivers to are offered.
    const countries = await page.getByLabel('Country').locator('option:not([disabled])').evaluateAll((os) => os.map((o) => o.value));
    assert.ok(countries.includes('DE') && countries.includes('FR') && countries.includes('CH'));
    assert.ok(!countries.includes('US') && !countries.includes('JP'), 'no country the shop does not deliver to');

    const email = uniqueEmail('express');
    await page.getByLabel('E-mail for your confirmation').fill(email);
    await fillBerlinAddress(page);
    await page.getByLabel('Country').selectOption('DE');
    await shot(page, `checkout-express-${viewport.width}`);
    // The final button says the order must be paid.
    await page.getByRole('button', { name: 'Place order and pay' }).click();
    await page.waitForURL(/\/orders\/A\d+/);
    await page.getByTestId('order-status').waitFor();

    // The order page carries the same figures.
    assert.equal(await figure(page, 'order-total'), total);
    assert.equal(await figure(page, 'delivery'), 990);
    assert.match(await page.getByTestId('breakdown').textContent(), /Express delivery/);
    await shot(page, `checkout-order-${viewport.width}`);

    // And so does the confirmation e-mail.
    await waitFor(() => mailTo(email).length > 0, 'the confirmation e-mail', 10000);
    const mail = mailTo(email)[0];
    for (const part of ['Express delivery', '€9.90', 'incl. 19', `€${(total / 100).toFixed(2)}`]) {
      assert.ok(mail.includes(part), `the e-mail shows ${part}`);
    }
    await context.close();
    assert.deepEqual(problems, []);
  });
}

test('free delivery from €50 in the cart; Switzerland is an export with its own delivery price and no VAT', async () => {
  const product = await cheapProduct();
  const { page, context } = await openPage(browser);
  await addOne(page, product);
  // Free delivery from €50: enough of it, and the cart says so.
  await page.goto(`${BASE}/cart`);
  await page.getByTestId('breakdown').waitFor();
  const quantity = Math.ceil(5000 / product.price.minor);
  await page.getByLabel(`Quantity of ${product.name}`).fill(String(quantity));
  await page.getByLabel(`Quantity of ${product.name}`).press('Enter');
  await page.getByTestId('delivery').filter({ hasText: 'Free' }).waitFor();
  assert.equal(await page.getByTestId('away-from-free').count(), 0);

  await page.goto(`${BASE}/checkout`);
  await page.getByTestId('delivery-methods').getByLabel(/Standard delivery/).waitFor();
  // Switzerland: an export, no VAT, its own prices.
  await page.getByLabel('Country').selectOption('CH');
  await page.getByTestId('no-vat').waitFor();
  // Its own money too: the Swiss market, francs at the built-in 0.94, to the centime.
  await page.getByTestId('market-note').filter({ hasText: 'CHF' }).waitFor();
  await page.getByTestId('delivery').filter({ hasText: 'CHF' }).waitFor();
  assert.equal(await figure(page, 'delivery'), Math.round(1490 * 0.94));
  assert.equal(await page.getByTestId('delivery-methods').locator('input').count(), 2);
  await context.close();
});

test('paid by bank transfer: the reference is on the page and in the e-mail, staff mark it paid, then it is packed', async () => {
  const product = await cheapProduct();
  const { page, context, problems } = await openPage(browser, { width: 360, height: 780 });
  await addOne(page, product);
  await page.goto(`${BASE}/checkout`);
  await page.getByLabel('Bank transfer (prepayment)').check();
  const email = uniqueEmail('transfer');
  await page.getByLabel('E-mail for your confirmation').fill(email);
  await fillBerlinAddress(page);
  const total = await figure(page, 'total');
  await page.getByRole('button', { name: 'Place order and pay' }).click();
  await page.waitForURL(/\/orders\/A\d+/);
  const number = new URL(page.url()).pathname.split('/').pop();

  // Where to pay, and the order number as the reference.
  const transfer = page.getByTestId('transfer');
  await transfer.waitFor();
  assert.equal((await page.getByTestId('reference').textContent()).trim(), number);
  assert.equal((await page.getByTestId('iban').textContent()).trim(), 'DE89 3704 0044 0532 0130 00');
  assert.ok((await transfer.textContent()).includes(`€${(total / 100).toFixed(2)}`));
  assert.match(await page.getByTestId('payment-method').textContent(), /Bank transfer/);
  await shot(page, 'checkout-transfer-360');
  await waitFor(() => mailTo(email).length > 0, 'the confirmation e-mail', 10000);
  const mail = mailTo(email)[0];
  for (const part of ['DE89 3704 0044 0532 0130 00', number, 'Reference', 'Bank transfer (prepayment)']) {
    assert.ok(mail.includes(part), `the e-mail shows ${part}`);
  }

  // Staff: the order waits for its money; packing it is refused until it is marked paid.
  const staff = await staffSession(BASE);
  const refused = await staff('POST', `/api/staff/orders/${number}/pack`, {});
  assert.equal(refused.status, 409);
  assert.match((await refused.json()).error.message, /waits for its bank transfer/);
  const desk = await openPage(browser);
  await signIn(desk.page, STAFF.email, STAFF.password);
  await desk.page.goto(`${BASE}/staff`);
  const row = desk.page.locator(`tr[data-order="${number}"]`);
  await row.getByTestId('awaiting-transfer').waitFor();
  await row.getByRole('button', { name: 'Mark paid' }).click();
  await row.getByRole('button', { name: 'Mark packed' }).waitFor();
  await desk.context.close();
  // Marking it again changes nothing, and says why.
  const again = await staff('POST', `/api/staff/orders/${number}/paid`, {});
  assert.equal(again.status, 409);
  assert.match((await again.json()).error.message, /already marked paid/);

  await page.reload();
  await page.getByTestId('paid').waitFor();
  assert.equal(await page.getByTestId('transfer').count(), 0);
  await context.close();
  assert.deepEqual(problems, []);
});

test('staff make a code in the back office; a shopper types it in lower case, sees the discount line, and the order keeps it', async () => {
  const name = `XMAS${Date.now() % 100000}`;
  const desk = await openPage(browser);
  await signIn(desk.page, STAFF.email, STAFF.password);
  await desk.page.goto(`${BASE}/staff/offers`);
  const form = desk.page.getByTestId('new-code');
  await form.getByLabel('Code').fill(name);
  await form.getByLabel('Gives').selectOption('percent');
  // A bad value is named beside its field before anything is sent.
  await form.getByLabel('Percent or amount').fill('120');
  await form.getByRole('button', { name: 'Make the code' }).click();
  await form.getByText('A percentage is a whole number from 1 to 100.').waitFor();
  await form.getByLabel('Percent or amount').fill('10');
  await form.getByRole('button', { name: 'Make the code' }).click();
  await desk.page.getByTestId('code-saved').filter({ hasText: name }).waitFor();
  await desk.page.locator(`tr[data-code="${name}"]`).waitFor();
  await shot(desk.page, 'offers-staff');

  const product = await cheapProduct();
  const { page, context, problems } = await openPage(browser, { width: 360, height: 780 });
  await addOne(page, product);
  await page.goto(`${BASE}/cart`);
  // An unknown code is explained; the right one, typed loosely, is taken.
  await page.getByLabel('Discount code').fill('nothing-like-it');
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.getByTestId('code-error').filter({ hasText: 'We do not know that code' }).waitFor();
  await page.getByLabel('Discount code').fill(` ${name.toLowerCase().replace('xmas', 'xmas ')} `);
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.getByTestId('code-applied').filter({ hasText: name }).waitFor();
  const goods = await figure(page, 'subtotal');
  const discount = Math.round(goods / 10);
  assert.equal(await figure(page, 'discount'), discount);
  assert.equal(await figure(page, 'cart-total'), goods - discount + 490);
  await shot(page, 'offers-cart-360');

  await page.getByRole('link', { name: 'Go to checkout' }).click();
  await page.getByTestId('delivery-methods').getByLabel(/Standard delivery/).waitFor();
  assert.equal(await figure(page, 'discount'), discount);
  await page.getByLabel('E-mail for your confirmation').fill(uniqueEmail('code'));
  await fillBerlinAddress(page);
  const total = await figure(page, 'total');
  await page.getByRole('button', { name: 'Place order and pay' }).click();
  await page.waitForURL(/\/orders\/A\d+/);
  assert.equal(await figure(page, 'order-total'), total);
  assert.equal(await figure(page, 'discount'), discount);
  assert.match(await page.getByTestId('breakdown').textContent(), new RegExp(name));
  await context.close();
  assert.deepEqual(problems, []);

  // The back office counts the use.
  await desk.page.reload();
  assert.equal((await desk.page.locator(`tr[data-code="${name}"]`).getByTestId('uses').textContent()).trim(), '1');
  await desk.context.close();
});
