// End-to-end: a checkout a shop can trust with its money. Delivery and VAT are priced
// in the cart and at checkout by the shop's rules, the same figures reach the order
// page and the e-mail, and the server charges exactly the total on show. Started by
// `cargo xtask test`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DRAWN, launch, mailTo, openPage, shot, uniqueEmail, waitFor } from './browser.mjs';

const BASE = process.env.AISLE_URL;
if (!BASE) throw new Error('run these tests with `cargo xtask test`');

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/// "€1,234.50" → 123450.
const cents = (text) => Math.round(Number(text.replace(/[^0-9.]/g, '')) * 100);

async function figure(page, id) {
  return cents(await page.getByTestId(id).first().textContent());
}

/// A product under €50 with stock, so standard delivery is charged.
async function cheapProduct() {
  const page = await (await fetch(`${BASE}/api/categories/kitchen/products?per_page=100&sort=price`)).json();
  return page.items.find((p) => p.stock >= 10 && p.price.minor < 4000);
}

for (const viewport of [{ width: 1280, height: 900 }, { width: 360, height: 780 }]) {
  test(`at ${viewport.width} px a guest in Germany sees delivery and VAT, chooses express, and is charged the total shown`, async () => {
    const product = await cheapProduct();
    const { page, context, problems } = await openPage(browser, viewport);
    await page.goto(`${BASE}/p/${product.slug}`);
    await page.waitForFunction(DRAWN);
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.getByRole('status').filter({ hasText: 'Added to your cart' }).waitFor();

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
    await page.getByLabel('Full name').fill('Grete Müller');
    await page.getByLabel('Street and number').fill('Hauptstraße 5');
    await page.getByLabel('Postcode').fill('10115');
    await page.getByLabel('Town or city').fill('Berlin');
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
  await page.goto(`${BASE}/p/${product.slug}`);
  await page.waitForFunction(DRAWN);
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.getByRole('status').filter({ hasText: 'Added to your cart' }).waitFor();
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
  assert.equal(await figure(page, 'delivery'), 1490);
  assert.equal(await page.getByTestId('delivery-methods').locator('input').count(), 2);
  await context.close();
});
