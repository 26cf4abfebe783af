// End-to-end: a shop that runs several API instances on one PostgreSQL. `cargo xtask
// test` starts two real instances and passes their addresses in AISLE_URL_A and
// AISLE_URL_B (and a round-robin balancer in front of both as AISLE_URL, for the other
// files it runs in that step). Here each browser is pinned to one instance, so what the
// other sees can only have come through the database: a shopper on A chats with an
// agent on B, and a product page open on B follows a sale made on A.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, placeOrderByApi, apiSession, png, signIn, staffSession } from './browser.mjs';

const { AISLE_URL_A: A, AISLE_URL_B: B } = process.env;
const skip = !A || !B ? 'needs two instances (AISLE_URL_A, AISLE_URL_B): cargo xtask test starts them on PostgreSQL' : false;
let browser;

before(async () => {
  if (!skip) browser = await launch();
});

after(async () => {
  await browser?.close();
});

test('a shopper on one instance and an agent on another chat live, both ways', { skip }, async () => {
  const agent = await openPage(browser);
  await signIn(agent.page, process.env.AISLE_STAFF_EMAIL, process.env.AISLE_STAFF_PASSWORD, B);
  await agent.page.goto(B + '/staff/support');
  await agent.page.getByText('Connected — shoppers see that an agent is online.').waitFor();

  const shopper = await openPage(browser, { width: 390, height: 844 });
  const { page } = shopper;
  await page.goto(A + '/');
  await page.getByTestId('help-button').click();
  await page.getByTestId('tab-chat').click();
  // The agent is online on B; A learns it from B's signal.
  await page.getByTestId('chat-availability').filter({ hasText: 'An agent is online' }).waitFor({ timeout: 15000 });

  await page.getByTestId('chat-input').fill('Is the copper kettle back in stock?');
  await page.getByTestId('chat-send').click();
  const item = agent.page.getByTestId('queue-item').filter({ hasText: 'Chat' });
  await item.first().waitFor();
  await item.first().getByRole('button').click();
  const thread = agent.page.getByTestId('agent-chat').first();
  await thread.locator('li[data-author="customer"]').filter({ hasText: 'copper kettle' }).waitFor();

  await thread.getByTestId('agent-chat-input').pressSequentially('Let me', { delay: 20 });
  await page.getByTestId('agent-typing').filter({ hasText: 'An agent is typing' }).waitFor();
  await thread.getByTestId('agent-chat-input').fill('Yes, since this morning.');
  await thread.getByTestId('agent-chat-send').click();
  await page.locator('[data-testid="chat-log"] li[data-author="agent"]').filter({ hasText: 'since this morning' }).waitFor();

  // Once each, on both sides.
  assert.equal(await page.locator('[data-testid="chat-log"] li').count(), 2);
  assert.equal(await thread.locator('li[data-author="customer"]').count(), 1);

  // The agent closes the console: A's shopper is told nobody is there any more.
  await agent.context.close();
  await page.getByTestId('chat-availability').filter({ hasNotText: 'An agent is online' }).waitFor({ timeout: 15000 });
  await shopper.context.close();
});

test('a product page open on one instance shows a sale made on the other within two seconds', { skip }, async () => {
  const cats = await (await fetch(`${B}/api/categories`)).json();
  const list = await (await fetch(`${B}/api/categories/${cats[1].slug}/products`)).json();
  const product = list.items.find((p) => p.stock > 3);
  assert.ok(product, 'a product with stock to sell');
  const staff = await staffSession(A);
  const setStock = async (stock) => assert.equal((await staff('PUT', `/api/staff/products/${product.id}/stock`, { stock })).status, 204);
  await setStock(4);
  const { page, context } = await openPage(browser);
  await page.goto(`${B}/p/${product.slug}`);
  await page.getByTestId('stock').filter({ hasText: 'Only 4 left' }).waitFor();
  await page.evaluate(() => { window.__noReload = true; });

  // B has this product cached from the page's read; the sale goes through A.
  const started = Date.now();
  await placeOrderByApi(apiSession(A), [[product, 2]], 'guest@example.com');
  await page.getByTestId('stock').filter({ hasText: 'Only 2 left' }).waitFor({ timeout: 2000 });
  assert.ok(Date.now() - started <= 2000);
  const fresh = await (await fetch(`${B}/api/products/${product.id}`)).json();
  assert.equal(fresh.stock, 2, "B's product answer is not stale");
  assert.equal(await page.evaluate(() => window.__noReload), true);

  // Put the stock back for the other files.
  await setStock(product.stock);
  await context.close();
});

test('a photo uploaded through one instance is served by the other', { skip }, async () => {
  const staff = await staffSession(A);
  const res = await staff('POST', '/api/staff/products/3/photos?alt=Seen%20from%20both%20instances', png(800, 600, [30, 160, 90]), { 'content-type': 'image/png' });
  assert.equal(res.status, 201, await res.clone().text());
  const added = (await res.json()).photos.at(-1);
  // B reads the file from the shared database, and its product answer, told by A's
  // signal, names the photo.
  for (const name of [`${added.key}-640.avif`, `${added.key}-320.webp`]) {
    const file = await fetch(`${B}/media/${name}`);
    assert.equal(file.status, 200, name);
    assert.match(file.headers.get('cache-control'), /immutable/);
  }
  const deadline = Date.now() + 10000;
  let seen = false;
  while (!seen && Date.now() < deadline) {
    const p = await (await fetch(`${B}/api/products/3`)).json();
    seen = (p.photos ?? []).some((ph) => ph.key === added.key);
    if (!seen) await new Promise((r) => setTimeout(r, 200));
  }
  assert.ok(seen, 'instance B shows the photo added through A');
});
