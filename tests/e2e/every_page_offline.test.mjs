// End-to-end: each page's code is fetched on demand (the release build splits the app
// into a file per page), so every page must still open offline after one visit: the
// service worker precaches every part of the build, not only what the first page used.
// Started by `cargo xtask test`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SHOPPER_PAGES, aProduct, guestPages, launch, productsOnDevice, signUp, uniqueEmail, waitFor } from './browser.mjs';

const BASE = process.env.AISLE_URL;
if (!BASE) throw new Error('run these tests with `cargo xtask test`');

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/// Opens `path` in a new page of `context` and waits for its heading; returns the
/// page's errors and the wasm files it fetched.
async function open(context, path) {
  const page = await context.newPage();
  const errors = [];
  const wasm = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('requestfailed', (r) => { if (r.url().endsWith('.wasm')) errors.push(`${r.url()} failed: ${r.failure()?.errorText}`); });
  page.on('response', (r) => { if (r.url().endsWith('.wasm')) wasm.push(new URL(r.url()).pathname.split('/').pop()); });
  await page.goto(BASE + path);
  await page.locator('main h1').first().waitFor({ timeout: 15000 });
  return { page, errors, wasm };
}

test('every page opens offline after one visit, each with its own code', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const setup = await context.newPage();
  await signUp(setup, uniqueEmail('paula'), 'Paula Pages');
  const { product } = await aProduct();
  await setup.goto(`${BASE}/p/${product.slug}`);
  await setup.getByRole('button', { name: 'Add to cart' }).click();
  await setup.getByRole('link', { name: 'Go to checkout' }).waitFor();
  const pages = [
    ...(await guestPages()),
    ...SHOPPER_PAGES,
    ['a support ticket that is not there', '/support/tickets/999999'],
  ];

  // Online, each page once.
  const online = {};
  for (const [name, path] of pages) {
    const { page, errors, wasm } = await open(context, path);
    assert.deepEqual(errors, [], `${name} (${path}) online`);
    online[name] = wasm;
    await page.close();
  }
  // Home (with a category, a product and search) is in the main wasm: it fetches no
  // group of pages, except the basket's, which comes ahead once home has drawn. The
  // others each fetch their group's.
  const group = (f) => f.startsWith('split_') && f.includes('_pages_');
  assert.ok(!online.home.some((f) => group(f) && !f.startsWith('split_basket_pages')), `home fetched ${online.home}`);
  assert.ok(!online.product.some((f) => group(f) && !f.startsWith('split_basket_pages')), `a product fetched ${online.product}`);
  assert.ok(online.checkout.some((f) => f.startsWith('split_basket_pages')), `checkout fetched ${online.checkout}`);
  assert.ok(online['sign in'].some((f) => f.startsWith('split_account_pages')), `sign-in fetched ${online['sign in']}`);

  // The service worker has precached the build and the catalogue is on the device.
  await setup.goto(BASE + '/');
  await setup.evaluate(async () => { await navigator.serviceWorker.ready; });
  await setup.reload();
  await setup.waitForFunction(() => !!navigator.serviceWorker.controller);
  await waitFor(async () => (await setup.evaluate(productsOnDevice)) >= 240, 'the catalogue on the device', 15000);

  // Offline: each page again, in a page of its own (nothing kept in memory).
  await context.setOffline(true);
  for (const [name, path] of pages) {
    const { page, errors } = await open(context, path);
    assert.deepEqual(errors, [], `${name} (${path}) offline`);
    await page.close();
  }
  // The help panel too.
  const { page, errors } = await open(context, '/');
  await page.getByRole('button', { name: /help/i }).first().click();
  await page.getByTestId('support-panel').waitFor();
  assert.deepEqual(errors, [], 'the help panel offline');
  await context.close();
});
