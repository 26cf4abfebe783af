// End-to-end: markets. A shopper on a phone, in a brand-new browser, switches the
// footer's Country/region to the United Kingdom: the page comes back in pounds, the
// product page and the cart show the converted price (up to .99), and an order to
// London is charged, shown and e-mailed in pounds. Started by `cargo xtask test`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DRAWN, cents, cheapProducts, launch, mailTo, openPage, shot, uniqueEmail, waitFor } from './browser.mjs';

const BASE = process.env.AISLE_URL;
if (!BASE) throw new Error('run these tests with `cargo xtask test`');

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a UK shopper switches to pounds in the footer and is charged in pounds', async () => {
  const rules = await (await fetch(`${BASE}/api/checkout/rules`)).json();
  const uk = rules.markets.find((m) => m.countries.includes('GB'));
  const product = (await cheapProducts()).find((p) => !(p.market_prices ?? []).length);
  // The shop's price × rate, to the penny, then up to .99.
  const converted = Math.round(product.price.minor * Number(uk.rate));
  const expected = Math.ceil((converted + 1) / 100) * 100 - 1;

  const { page, context, problems } = await openPage(browser, { width: 360, height: 780 });
  await page.goto(`${BASE}/p/${product.slug}`);
  await page.waitForFunction(DRAWN);
  assert.ok((await page.getByTestId('price').textContent()).includes('€'));
  await page.getByTestId('market-open').click();
  await page.getByTestId('market-select').selectOption('GB');
  await page.waitForFunction(DRAWN);
  await page.getByTestId('price').filter({ hasText: '£' }).waitFor();
  assert.equal(cents(await page.getByTestId('price').textContent()), expected);
  assert.match(await page.getByTestId('market').textContent(), /United Kingdom · GBP/);
  await shot(page, 'market-product-360');

  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.getByRole('status').filter({ hasText: 'Added to your cart' }).waitFor();
  await page.goto(`${BASE}/checkout`);
  await page.getByLabel('Country').selectOption('GB');
  await page.getByTestId('market-note').filter({ hasText: 'GBP' }).waitFor();
  const email = uniqueEmail('london');
  await page.getByLabel('E-mail for your confirmation').fill(email);
  await page.getByLabel('Full name').fill('Ada Lovelace');
  await page.getByLabel('Street and number').fill('10 Downing Street');
  await page.getByLabel('Postcode').fill('SW1A 2AA');
  await page.getByLabel('Town or city').fill('London');
  await page.getByTestId('total').filter({ hasText: '£' }).waitFor();
  const total = cents(await page.getByTestId('total').first().textContent());
  await shot(page, 'market-checkout-360');
  await page.getByRole('button', { name: 'Place order and pay' }).click();
  await page.waitForURL(/\/orders\/A\d+/);
  const number = new URL(page.url()).pathname.split('/').pop();
  await page.getByText(`£${(total / 100).toFixed(2)}`).first().waitFor();

  const order = await (await fetch(`${BASE}${new URL(page.url()).pathname}${new URL(page.url()).search}`.replace('/orders/', '/api/orders/'))).json();
  assert.equal(order.total?.currency ?? 'GBP', 'GBP');
  await waitFor(() => mailTo(email).length > 0, 'the confirmation e-mail', 10000);
  const mail = mailTo(email)[0];
  assert.ok(mail.includes(number) && mail.includes(`£${(total / 100).toFixed(2)}`), 'the e-mail is in pounds');
  await context.close();
  assert.deepEqual(problems, []);
});
