// End-to-end: paying as a business and reconciling the bank account. A customer adds
// a company and VAT ID, pays by invoice, gets the goods first and the invoice from the
// shipping e-mail (opened in a brand-new browser); staff import the bank's statement
// and the order is marked paid. Started by `cargo xtask test`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { addOne, cheapProducts, fillBerlinAddress, launch, linkIn, mailTo, openPage, shot, signIn, signUp, staffSession, uniqueEmail, waitFor } from './browser.mjs';

const BASE = process.env.AISLE_URL;
const STAFF = { email: process.env.AISLE_STAFF_EMAIL, password: process.env.AISLE_STAFF_PASSWORD };
if (!BASE || !STAFF.email) throw new Error('run these tests with `cargo xtask test`');

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a business pays by invoice, gets the invoice with the goods, and the bank statement marks it paid', async () => {
  const [product] = await cheapProducts();
  const { page, context, problems } = await openPage(browser, { width: 360, height: 780 });
  const email = uniqueEmail('business');
  await signUp(page, email, 'Ada Lovelace');

  // Without a VAT ID the checkout says how to pay by invoice instead of offering it.
  await addOne(page, product);
  await page.goto(`${BASE}/checkout`);
  await page.getByTestId('invoice-for-business').waitFor();
  assert.equal(await page.getByLabel('Invoice (business customers)').count(), 0);

  await page.goto(`${BASE}/account`);
  await page.getByLabel('Company').fill('Analytical Engines GmbH');
  await page.getByLabel('VAT ID').fill('DE 12');
  await page.getByRole('button', { name: 'Save details' }).click();
  await page.getByText("is not a VAT ID in DE's format").waitFor();
  await page.getByLabel('VAT ID').fill('atu 1234 5678');
  await page.getByRole('button', { name: 'Save details' }).click();
  await page.getByText('Your details are saved.').waitFor();
  await shot(page, 'business-account-360');

  await page.goto(`${BASE}/checkout`);
  await page.getByLabel('Invoice (business customers)').check();
  await page.getByText('you pay within 14 days').waitFor();
  await fillBerlinAddress(page);
  await shot(page, 'business-checkout-360');
  await page.getByRole('button', { name: 'Place order and pay' }).click();
  await page.waitForURL(/\/orders\/A\d+/);
  const number = new URL(page.url()).pathname.split('/').pop();
  await page.getByTestId('on-invoice').waitFor();
  assert.match(await page.getByTestId('payment-method').textContent(), /Invoice/);

  // Staff send it unpaid: the goods go first.
  const staff = await staffSession(BASE);
  for (const [step, body] of [['pack', {}], ['ship', { carrier: 'dhl', tracking_number: 'JD0000000002' }]]) {
    const res = await staff('POST', `/api/staff/orders/${number}/${step}`, body);
    assert.equal(res.status, 200, `${step}: ${await res.text()}`);
  }
  const order = await (await staff('GET', `/api/staff/orders/${number}`)).json();
  assert.equal(order.payment_state, 'on_invoice');
  const invoiceNumber = order.documents[0].number;

  // The shipping e-mail links the invoice; it opens in a brand-new browser.
  await waitFor(() => mailTo(email).some((m) => m.includes(`Invoice ${invoiceNumber}`)), 'the shipping e-mail with the invoice', 10000);
  const shipped = mailTo(email).find((m) => m.includes(`Invoice ${invoiceNumber}`));
  const link = linkIn(shipped, `/api/orders/${number}/documents/${invoiceNumber}`);
  const stranger = await openPage(browser, { width: 360, height: 780 });
  await stranger.page.goto(link);
  const text = await stranger.page.locator('body').innerText();
  assert.ok(text.includes('Analytical Engines GmbH') && text.includes('ATU12345678'), `the buyer's company and VAT ID:\n${text}`);
  assert.match(text, /Please transfer €[\d.]+ by \d+ \w+ \d{4}/);
  assert.ok(text.includes('DE89 3704 0044 0532 0130 00'), "the shop's account");
  await shot(stranger.page, 'business-invoice-360');
  await stranger.context.close();

  // The money arrives; staff import the bank's statement in the back office.
  const amount = (order.total.minor / 100).toFixed(2).replace('.', ',');
  const csv = `Buchungstag;Auftraggeber;Verwendungszweck;Betrag (EUR)\n08.12.2026;Analytical Engines GmbH;${invoiceNumber} Ada;${amount}\n08.12.2026;Someone;Miete;500,00\n`;
  const desk = await openPage(browser);
  await signIn(desk.page, STAFF.email, STAFF.password);
  await desk.page.goto(`${BASE}/staff`);
  const panel = desk.page.getByTestId('statement');
  await panel.locator('summary').click();
  await panel.locator('#statement-file').setInputFiles({ name: 'statement.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await panel.getByTestId('statement-summary').filter({ hasText: '1 marked paid, 0 to look at, 1 other.' }).waitFor();
  assert.equal(await panel.locator('tr[data-outcome="paid"]').count(), 1);
  assert.match(await panel.locator('tr[data-outcome="paid"]').textContent(), new RegExp(`${number}: marked paid`));
  await shot(desk.page, 'statement-import-1280');
  const paid = await (await staff('GET', `/api/staff/orders/${number}`)).json();
  assert.equal(paid.payment_state, 'paid');

  // The same file again pays nothing twice.
  await panel.locator('#statement-file').setInputFiles({ name: 'statement.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await panel.getByTestId('statement-summary').filter({ hasText: '0 marked paid, 0 to look at, 2 other.' }).waitFor();
  await desk.context.close();
  await context.close();
  assert.deepEqual(problems, []);
});
