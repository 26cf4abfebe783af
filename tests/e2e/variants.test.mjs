// End-to-end: a product in sizes and colours. In a fresh context a shopper picks a
// size and a colour (the price, stock and address follow), adds that variant, goes
// offline and adds another variant of the same product from the device's catalogue,
// comes back online and checks out; the order page, the confirmation e-mail (read
// from the mail folder) and the packing slip name both variants. A shared link to a
// variant opens on it in another fresh context, and staff generate variants for a
// product in the back office. Started by `cargo xtask test`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DRAWN, emailsTo, launch, openPage, productsOnDevice, shot, staffSession, uniqueEmail, waitFor } from './browser.mjs';

const BASE = process.env.AISLE_URL;
if (!BASE) throw new Error('run these tests with `cargo xtask test`');
const STAFF = { email: process.env.AISLE_STAFF_EMAIL, password: process.env.AISLE_STAFF_PASSWORD };

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/// A demo product in sizes and colours with two in-stock variants of different sizes
/// and prices: the cheapest size in one colour, and the dearest (XL) in another.
async function aTee() {
  const page = await (await fetch(`${BASE}/api/categories/clothing/products?per_page=100`)).json();
  for (const item of page.items) {
    const p = await (await fetch(`${BASE}/api/products/${item.id}`)).json();
    if (p.options?.length !== 2) continue;
    const xl = p.variants.find((v) => v.options[0] === 'XL' && v.options[1] !== 'Navy' && v.stock >= 5);
    const small = p.variants.find((v) => v.options[0] === 'S' && v.options[1] === 'Navy' && v.stock >= 5);
    if (xl && small && xl.price.minor !== small.price.minor) return { p, xl, small };
  }
  throw new Error('no product in sizes and colours with stock');
}

const euros = (m) => `€${(m.minor / 100).toFixed(2)}`;
const title = (v) => v.options.join(' / ');

test('a shopper picks size and colour, adds two variants (one offline) and the order, e-mail and slip name both', async () => {
  const { p, xl, small } = await aTee();
  const { page, context, problems } = await openPage(browser);
  await page.goto(`${BASE}/p/${p.slug}`);
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
  await page.reload();
  await page.waitForFunction(() => !!navigator.serviceWorker.controller);
  await waitFor(async () => (await page.evaluate(productsOnDevice)) >= 240, 'the catalogue on the device', 15000);
  await page.waitForFunction(DRAWN);

  // A radio group per option, named by the option.
  const size = page.getByRole('group', { name: /^Size/ });
  const colour = page.getByRole('group', { name: /^Colour/ });
  await size.getByRole('radio', { name: /^XL/ }).check();
  await colour.getByRole('radio', { name: new RegExp(`^${xl.options[1]}`) }).check();
  await waitFor(async () => (await page.getByTestId('price').textContent()).trim() === euros(xl.price), `the price follows to ${euros(xl.price)}`);
  await waitFor(async () => new URL(page.url()).searchParams.get('variant') === String(xl.id), 'the address names the variant');
  assert.match(await size.locator('legend').textContent(), /Size: XL/);
  // The keyboard moves within the group: from XL, left arrow is L.
  await size.getByRole('radio', { name: /^XL/ }).focus();
  await page.keyboard.press('ArrowLeft');
  await waitFor(async () => (await size.locator('legend').textContent()).includes('Size: L'), 'the arrow key chose L');
  await page.keyboard.press('ArrowRight');
  await waitFor(async () => (await page.getByTestId('price').textContent()).trim() === euros(xl.price), 'back on XL');
  await shot(page, 'variants-chosen');
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.getByRole('status').filter({ hasText: 'Added to your cart' }).waitFor();

  // Offline, a shared link to another variant opens on it, from the device's copy.
  await context.setOffline(true);
  await page.goto(`${BASE}/p/${p.slug}?variant=${small.id}`);
  await page.waitForFunction(DRAWN);
  await waitFor(async () => (await page.getByTestId('price').textContent()).trim() === euros(small.price), 'the small one\'s price offline');
  assert.match(await page.getByRole('group', { name: /^Size/ }).locator('legend').textContent(), /Size: S\b/);
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.getByRole('status').filter({ hasText: /Added/ }).waitFor();
  await context.setOffline(false);

  // Back online the queued line reaches the cart: two lines, one product.
  await page.goto(`${BASE}/cart`);
  await waitFor(async () => (await page.getByTestId('line-variant').count()) === 2, 'two variant lines in the cart', 15000);
  const lines = await page.locator('.cart-lines').textContent();
  assert.ok(lines.includes(title(xl)) && lines.includes(title(small)), lines);

  const email = uniqueEmail('tee');
  await page.getByRole('link', { name: 'Go to checkout' }).click();
  await page.getByRole('heading', { level: 1, name: 'Checkout' }).waitFor();
  await page.getByLabel('E-mail for your confirmation').fill(email);
  await page.getByLabel('Full name').fill('Ada Lovelace');
  await page.getByLabel('Street and number').fill("12 St James's Square");
  await page.getByLabel('Postcode').fill('SW1Y 4JH');
  await page.getByLabel('Town or city').fill('London');
  await page.getByLabel('Country').selectOption('GB');
  await page.getByRole('button', { name: 'Place order' }).click();
  await page.waitForURL(/\/orders\/A\d+/);
  await page.getByTestId('order-status').waitFor();
  const number = new URL(page.url()).pathname.split('/').pop();
  const shown = await page.getByTestId('line-variant').allTextContents();
  assert.deepEqual(shown.sort(), [title(xl), title(small)].sort());
  await shot(page, 'variants-order');

  // The e-mail names both, and its links open the product on each variant.
  await waitFor(() => emailsTo(email).length > 0, 'the confirmation e-mail', 10000);
  const mail = emailsTo(email)[0];
  for (const v of [xl, small]) {
    assert.ok(mail.text.includes(title(v)), `${title(v)} in the e-mail:\n${mail.text}`);
    assert.ok(mail.html.includes(`?variant=${v.id}`), `a link to variant ${v.id}`);
  }
  const link = /href="([^"]*\?variant=\d+)"/.exec(mail.html)[1];
  const fresh = await openPage(browser);
  await fresh.page.goto(link);
  await fresh.page.waitForFunction(DRAWN);
  const linked = mail.html.includes(`?variant=${xl.id}`) && link.endsWith(`=${xl.id}`) ? xl : small;
  await waitFor(async () => (await fresh.page.getByTestId('price').textContent()).trim() === euros(linked.price), 'the e-mail\'s link opens its variant');
  await fresh.context.close();

  // The packing slip names both, with their SKUs.
  const staff = await openPage(browser);
  await staff.page.goto(BASE + '/staff');
  await staff.page.getByLabel('E-mail').fill(STAFF.email);
  await staff.page.getByLabel('Password').fill(STAFF.password);
  await staff.page.getByRole('button', { name: 'Sign in' }).click();
  await staff.page.getByRole('heading', { level: 1, name: 'Fulfilment' }).waitFor();
  await staff.page.getByTestId('order-search').fill(number);
  const row = staff.page.locator(`tr[data-order="${number}"]`);
  await row.waitFor();
  await row.getByRole('checkbox').check();
  await staff.page.getByRole('button', { name: 'Packing slips' }).click();
  const slip = staff.page.locator(`[data-testid="packing-slip"][data-order="${number}"]`);
  await slip.waitFor();
  const slipText = await slip.textContent();
  for (const v of [xl, small]) {
    assert.ok(slipText.includes(title(v)) && slipText.includes(v.sku), `${title(v)} (${v.sku}) on the slip:\n${slipText}`);
  }
  await shot(staff.page, 'variants-packing-slip');
  await staff.context.close();
  assert.deepEqual(problems, []);
  await context.close();
});

test('a sold-out size is struck through but can be chosen, and a phone shows the choices in the screen', async () => {
  // A product whose variants include one sold out.
  const page1 = await (await fetch(`${BASE}/api/categories/clothing/products?per_page=100`)).json();
  let p, gone;
  for (const item of page1.items) {
    const q = await (await fetch(`${BASE}/api/products/${item.id}`)).json();
    gone = q.variants?.find((v) => v.stock === 0);
    if (gone && q.variants.some((v) => v.stock > 0)) { p = q; break; }
  }
  assert.ok(p, 'a product with a sold-out variant');
  const { page, context, problems } = await openPage(browser, { width: 360, height: 780 });
  await page.goto(`${BASE}/p/${p.slug}?variant=${gone.id}`);
  await page.waitForFunction(DRAWN);
  await page.getByTestId('option-picker').first().waitFor();
  await waitFor(async () => (await page.getByTestId('stock').textContent()).includes('Out of stock'), 'the sold-out variant says so');
  assert.equal(await page.getByRole('button', { name: 'Out of stock' }).isDisabled(), true);
  // Its value is struck through, and a screen reader hears why.
  const struck = page.locator('.option-value.sold-out');
  assert.ok((await struck.count()) >= 1);
  assert.match(await struck.first().textContent(), /sold out/);
  const widths = await page.locator('.option-value').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().right));
  assert.ok(Math.max(...widths) <= 360, `the choices fit the screen: ${widths}`);
  await shot(page, 'variants-sold-out-phone');
  assert.deepEqual(problems, []);
  await context.close();
});

test('staff give a product sizes in the back office and shoppers can choose them', async () => {
  const { page, context, problems } = await openPage(browser);
  page.on('dialog', (d) => d.accept());
  await page.goto(BASE + '/staff');
  await page.getByLabel('E-mail').fill(STAFF.email);
  await page.getByLabel('Password').fill(STAFF.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Fulfilment' }).waitFor();
  const pets = (await (await fetch(`${BASE}/api/categories/pets/products?per_page=5`)).json()).items[0];
  await page.goto(`${BASE}/staff/products/${pets.id}`);
  const panel = page.getByTestId('variants');
  await panel.waitFor();
  await panel.getByRole('button', { name: 'Add an option' }).click();
  await panel.getByLabel('Option (e.g. Size)').fill('Size');
  await panel.getByLabel('Values, separated by commas').fill('Small, Large');
  await panel.getByLabel('Values, separated by commas').blur();
  await panel.getByRole('button', { name: 'Generate variants' }).click();
  await panel.getByTestId('variant-rows').locator('tbody tr').nth(1).waitFor();
  await panel.getByLabel('Set every stock').fill('6');
  await panel.getByRole('button', { name: 'Apply' }).nth(1).click();
  await panel.getByLabel('Price — Large').fill('99.00');
  await panel.getByLabel('Price — Large').blur();
  // A mistake first: a "was" price under the price is refused with its reason.
  await panel.getByLabel('Was — Small').fill('0.01');
  await panel.getByLabel('Was — Small').blur();
  await panel.getByRole('button', { name: 'Save variants' }).click();
  await panel.getByTestId('variants-problems').filter({ hasText: 'Small: the “was” price must be higher' }).waitFor();
  await panel.getByLabel('Was — Small').fill('');
  await panel.getByLabel('Was — Small').blur();
  await panel.getByRole('button', { name: 'Save variants' }).click();
  await panel.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
  await shot(page, 'variants-back-office');
  const saved = await (await fetch(`${BASE}/api/products/${pets.id}`)).json();
  assert.deepEqual(saved.options, [{ name: 'Size', values: ['Small', 'Large'] }]);
  assert.equal(saved.variants[1].price.minor, 9900);
  assert.equal(saved.stock, 12);

  const shopper = await openPage(browser);
  await shopper.page.goto(`${BASE}/p/${saved.slug}`);
  await shopper.page.waitForFunction(DRAWN);
  await shopper.page.getByRole('group', { name: /^Size/ }).getByRole('radio', { name: /^Large/ }).check();
  await waitFor(async () => (await shopper.page.getByTestId('price').textContent()).trim() === '€99.00', 'the large one\'s price');
  await shopper.context.close();
  assert.deepEqual(problems, []);
  await context.close();
});

test('a category sorted by price and filtered to size M in stock is the same view after a reload, offline too', async () => {
  const { page, context, problems } = await openPage(browser);
  await page.goto(`${BASE}/c/clothing`);
  await page.waitForFunction(DRAWN);
  await page.getByTestId('sort').selectOption('price');
  await waitFor(async () => new URL(page.url()).searchParams.get('sort') === 'price', 'sorted by price');
  await page.getByTestId('filters').locator('summary').click();
  // The page is drawn anew with each choice, so these are clicks, not checks that
  // would look for the box they clicked.
  await page.getByLabel(/^In stock only \(\d+\)$/).click();
  await page.getByTestId('filter-chips').getByText('In stock only').waitFor();
  await page.locator('.filters[open]').waitFor();
  const size = page.getByTestId('filter-option').filter({ has: page.locator('legend', { hasText: 'Size' }) });
  await size.getByLabel(/^M \(\d+\)$/).click();
  await waitFor(async () => new URL(page.url()).searchParams.getAll('option').includes('Size:M'), 'size M in the address');
  await page.getByTestId('filter-chips').getByText('Size: M').waitFor();
  // The count beside M (read from the redrawn panel) is what choosing it shows.
  await waitFor(async () => {
    const count = (await page.getByTestId('listing-count').textContent()).trim().match(/\d+/)[0];
    const label = (await size.getByLabel(/^M \(/).evaluate((el) => el.labels[0].textContent)).trim().match(/\((\d+)\)/)[1];
    return count === label;
  }, 'the count beside M is the number shown');
  const names = await page.locator('.product-card .name').allTextContents();
  assert.ok(names.length > 0);
  // Every product shown has an M in stock (checked against the API).
  const prices = [];
  for (const href of await page.locator('.product-card a.name, .product-card a[href^="/p/"]').evaluateAll((as) => [...new Set(as.map((a) => a.getAttribute('href')))])) {
    const p = await (await fetch(`${BASE}/api/products/${href.split('/p/')[1]}`)).json();
    assert.ok(p.variants.some((v) => v.options[0] === 'M' && v.stock > 0), `${p.name} has an M in stock`);
    prices.push(p.price.minor);
  }
  assert.deepEqual(prices, [...prices].sort((a, b) => a - b), `cheapest first at ${page.url()}: ${names.join(', ')}`);
  await page.getByTestId('filter-chips').getByText('Size: M').waitFor();
  await shot(page, 'variants-size-filter');

  const url = page.url();
  await page.reload();
  await page.waitForFunction(DRAWN);
  assert.equal(page.url(), url);
  assert.deepEqual(await page.locator('.product-card .name').allTextContents(), names, 'the same view after a reload');
  await page.getByTestId('filter-chips').getByText('Size: M').waitFor();

  // Offline, from the device's copy, the same view.
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
  await page.reload();
  await page.waitForFunction(() => !!navigator.serviceWorker.controller);
  await waitFor(async () => (await page.evaluate(productsOnDevice)) >= 240, 'the catalogue on the device', 15000);
  await context.setOffline(true);
  await page.reload();
  await page.waitForFunction(DRAWN);
  await waitFor(async () => JSON.stringify(await page.locator('.product-card .name').allTextContents()) === JSON.stringify(names), 'the same view offline');
  await context.setOffline(false);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a size deleted while a cart change waited offline leaves the cart with a reason, and nothing else is lost', async () => {
  const staff = await staffSession(BASE);
  const cats = await (await fetch(`${BASE}/api/categories`)).json();
  const pets = cats.find((c) => c.slug === 'pets');
  const created = await staff('POST', '/api/staff/products', { name: `Dog Coat ${Date.now()}`, price: '30.00', stock: '0', category_id: pets.id, status: 'published' });
  assert.equal(created.status, 201, await created.clone().text());
  const coat = await created.json();
  const sizes = { options: [{ name: 'Size', values: ['Small', 'Large'] }], variants: [{ options: ['Small'], price: '30.00', stock: '5' }, { options: ['Large'], price: '34.00', stock: '5' }] };
  const saved = await (await staff('PUT', `/api/staff/products/${coat.id}/variants`, sizes)).json();
  const [small, large] = saved.variants;
  const book = (await (await fetch(`${BASE}/api/categories/books/products?per_page=20`)).json()).items.find((p) => p.stock > 20);

  const { page, context } = await openPage(browser);
  await page.goto(`${BASE}/p/${book.slug}`);
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
  await page.reload();
  await page.waitForFunction(() => !!navigator.serviceWorker.controller);
  await waitFor(async () => (await page.evaluate(productsOnDevice)) >= 240, 'the catalogue on the device', 15000);
  await page.waitForFunction(DRAWN);
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.getByRole('status').filter({ hasText: 'Added to your cart' }).waitFor();

  // Offline: the large coat goes in the cart, on the device only.
  await context.setOffline(true);
  await page.goto(`${BASE}/p/${coat.slug}?variant=${large.id}`);
  await page.waitForFunction(DRAWN);
  await waitFor(async () => (await page.getByTestId('price').textContent()).trim() === '€34.00', 'the large one offline');
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.getByRole('status').filter({ hasText: /Added/ }).waitFor();

  // Meanwhile the shop stops selling the large one.
  const only = { options: [{ name: 'Size', values: ['Small'] }], variants: [{ id: small.id, options: ['Small'], price: '30.00', stock: '5', stock_was: '5' }] };
  assert.equal((await staff('PUT', `/api/staff/products/${coat.id}/variants`, only)).status, 200);

  await context.setOffline(false);
  await page.goto(`${BASE}/cart`);
  // The shopper is told, the coat's line leaves, the book stays.
  await page.getByText(/no longer sold in that size or colour/).first().waitFor({ timeout: 15000 });
  await waitFor(async () => (await page.locator('.cart-line').count()) === 1, 'only the book left', 15000);
  assert.match(await page.locator('.cart-lines').textContent(), new RegExp(book.name));
  await shot(page, 'variants-stale-line');
  await context.close();
});
