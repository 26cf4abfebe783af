// End-to-end: the shop in German. A browser whose language is German gets the shop in
// German on its first visit; every translated page is read through (text, labels,
// placeholders and alternative texts) for any English word the catalogue translates;
// prices read "12,50 €"; and the footer's language list switches the page to English
// in place and keeps it across a reload. Started like the other tests (AISLE_URL).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { aProduct, guestPages, launch, openPage, settle, SHOPPER_PAGES, staffSession, uniqueEmail } from './browser.mjs';

const BASE = process.env.AISLE_URL;
if (!BASE) throw new Error('run these tests against a server: AISLE_URL');

// The shop's words and the back office's, together: a page of either must not show
// an English text of either catalogue.
const read = (path) => JSON.parse(readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8'));
const catalogue = (lang) => ({ ...read(`staff/locales/${lang}.json`), ...read(`locales/${lang}.json`) });
const EN = catalogue('en');
const DE = catalogue('de');

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/// Whether `part` stands as words of its own in `text`.
const wordIn = (part, text) => new RegExp(`(^|[^\\p{L}])${escape(part)}($|[^\\p{L}])`, 'u').test(text);
/// Words German uses too ("Chat", "Feedback", "Open-Source") are no sign of English.
const GERMAN = Object.values(DE).join('\n');

/// The English texts German must not show: each value's fixed parts (placeholders
/// cut out) of at least four letters, where German says something else.
const ENGLISH = Object.entries(EN)
  .filter(([key, value]) => DE[key] !== value)
  .flatMap(([key, value]) => value.split(/\{[a-z_]+\}/).map((part) => [key, part.trim()]))
  .filter(([key, part]) => part.replace(/[^\p{L}]/gu, '').length >= 4 && !wordIn(part, GERMAN));

/// Everything a shopper reads or hears on the page, apart from what the server wrote
/// (product, category and FAQ texts, names, order details) and the language list,
/// which names each language in itself.
function pageWords() {
  const SERVER = [
    '.category-nav', '.category-grid .name', '.category-grid .meta', '.lede', '.product-card .name',
    '.product h1', '.product .description', '.breadcrumb a[href^="/c/"]', '.cart-line .name',
    '.summary-lines', '.faq-category', '.faq-results', '.faq-answer', '.help-article .muted', 'address',
    '.items td:first-child', '#language', '.account-nav [data-testid="account-link"]', 'h1',
    '[data-testid="availability"]', '.field-error', '.form-error',
  ].join(',');
  const parts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || el.closest('script,style,noscript') || el.closest(SERVER)) continue;
    parts.push(n.data);
  }
  for (const el of document.body.querySelectorAll('[aria-label],[placeholder],[alt],[title]')) {
    if (el.closest(SERVER)) continue;
    for (const a of ['aria-label', 'placeholder', 'alt', 'title']) if (el.getAttribute(a)) parts.push(el.getAttribute(a));
  }
  return parts.join('\n');
}

/// The English catalogue texts found on the page, as "key: text".
async function english(page) {
  const words = await page.evaluate(pageWords);
  return ENGLISH.filter(([, part]) => wordIn(part, words))
    .map(([key, part]) => `${key}: ${part}`);
}

/// Visits each [name, path] and lists English texts found, page by page.
async function check(page, pages) {
  const report = [];
  for (const [name, path] of pages) {
    await page.goto(BASE + path);
    await settle(page, 200);
    assert.equal(await page.getAttribute('html', 'lang'), 'de', `${name}: <html lang>`);
    for (const found of await english(page)) report.push(`${name} ${path}: ${found}`);
  }
  return report;
}

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a German browser gets every page in German, prices and dates included', async () => {
  const { product } = await aProduct();
  const { page, context, problems } = await openPage(browser, undefined, { locale: 'de-DE' });
  await page.goto(BASE + '/');
  await page.waitForSelector('html[lang="de"]');
  const guest = await check(page, await guestPages());

  // Prices: "12,50 €", never "€12.50".
  await page.goto(`${BASE}/p/${product.slug}`);
  const price = await page.getByTestId('price').innerText();
  assert.match(price, /^\d{1,3}(\.\d{3})*,\d{2}\s€$/u, `price reads ${price}`);

  // The help widget, opened.
  await page.getByTestId('help-button').click();
  await page.getByRole('dialog').waitFor();
  // Who is online is the server's fact, worded here: in German, hours included.
  const availability = page.getByTestId('chat-availability');
  await availability.filter({ hasText: /Wir sind gerade nicht da|Jemand ist online/ }).waitFor();
  assert.doesNotMatch(await availability.innerText(), /We're|agent|\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun)\b|today|tomorrow/);
  for (const tab of ['chat', 'call-me', 'message', 'feedback', 'faq']) {
    await page.getByTestId(`tab-${tab}`).click();
    await page.waitForTimeout(100);
    for (const found of await english(page)) guest.push(`help widget ${tab}: ${found}`);
  }
  await page.keyboard.press('Escape');

  // A new account (the form in German), something in the cart, then an order.
  await page.goto(BASE + '/signup');
  await page.getByLabel('Ihr Name').fill('Ada Lovelace');
  await page.getByLabel('E-Mail').fill(uniqueEmail('i18n'));
  await page.getByLabel(/^Passwort/).fill('a long password');
  await page.getByRole('button', { name: 'Konto erstellen' }).click();
  await page.getByRole('heading', { level: 1, name: 'Hallo, Ada Lovelace' }).waitFor();
  await page.goto(`${BASE}/p/${product.slug}`);
  await page.getByRole('button', { name: 'In den Warenkorb' }).click();
  await page.getByRole('status').filter({ hasText: 'In Ihren Warenkorb gelegt' }).waitFor();
  const shopper = await check(page, SHOPPER_PAGES);
  assert.match(await page.locator('header').innerText(), /Warenkorb/);
  // A field the page checks itself says what is wrong in German.
  await page.goto(BASE + '/checkout');
  await page.getByRole('button', { name: 'Zahlungspflichtig bestellen' }).click();
  await page.getByText('Bitte geben Sie Ihren vollständigen Namen ein', { exact: false }).first().waitFor();
  await page.getByLabel('Vollständiger Name').fill('Ada Lovelace');
  await page.getByLabel('Straße und Hausnummer').fill('Unter den Linden 1');
  await page.getByLabel('Postleitzahl').fill('10117');
  await page.getByLabel('Ort').fill('Berlin');
  await page.getByLabel('Land', { exact: true }).selectOption('DE');
  await page.getByRole('button', { name: 'Zahlungspflichtig bestellen' }).click();
  await page.waitForURL(/\/orders\/A\d+/);
  await settle(page, 200);
  const order = await check(page, [['order', new URL(page.url()).pathname + new URL(page.url()).search]]);
  // Dates as Germans write them: 24.11.2026, 14:05 UTC.
  assert.match(await page.getByTestId('timeline').innerText(), /\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2} UTC/);
  assert.match(await page.getByTestId('order-total').innerText(), /,\d{2}\s€$/u);

  const report = [...guest, ...shopper, ...order];
  await context.close();
  assert.deepEqual(problems, []);
  assert.deepEqual(report, [], `English on German pages:\n${report.join('\n')}`);
});

test('the footer switches the language in place, and the choice stays', async () => {
  const { page, context, problems } = await openPage(browser, undefined, { locale: 'de-DE' });
  await page.goto(BASE + '/');
  await page.waitForSelector('html[lang="de"]');
  await page.getByRole('heading', { level: 1, name: 'Willkommen bei Aisle' }).waitFor();
  // No reload: a marker left on the window survives the switch.
  await page.evaluate(() => { window.stillHere = true; });
  const select = page.getByLabel('Sprache');
  await select.focus();
  await select.selectOption('en');
  await page.waitForSelector('html[lang="en"]');
  await page.getByRole('heading', { level: 1, name: 'Welcome to Aisle' }).waitFor();
  assert.equal(await page.evaluate(() => window.stillHere), true, 'the page was reloaded');
  assert.equal(await page.getByRole('link', { name: 'Help and answers' }).count(), 1);
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Welcome to Aisle' }).waitFor();
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.equal(await page.getByLabel('Language').inputValue(), 'en');
  // And back, by keyboard.
  await page.getByLabel('Language').selectOption('de');
  await page.getByRole('heading', { level: 1, name: 'Willkommen bei Aisle' }).waitFor();
  await context.close();
  assert.deepEqual(problems, []);
});

test('a product page follows a language switch made while the device copy is still arriving', async () => {
  // A product with its own German, so the two languages can be told apart.
  const staff = await staffSession(BASE);
  const cats = await (await fetch(`${BASE}/api/categories`)).json();
  const name = `Rain Jacket ${Date.now()}`;
  const created = await staff('POST', '/api/staff/products', { name, price: '59.00', stock: '4', category_id: cats[0].id, status: 'published' });
  assert.equal(created.status, 201, await created.clone().text());
  const jacket = await created.json();
  const german = name.replace('Rain Jacket', 'Regenjacke');
  assert.equal((await staff('PUT', `/api/staff/products/${jacket.id}/translations/de`, { name: german, description: 'Hält trocken.' })).status, 200);

  // The device's first sync is slow to answer, as on a poor connection: the shopper
  // switches to English while it is still on its way, in German.
  const { page, context, problems } = await openPage(browser, { width: 360, height: 780 }, { locale: 'de-DE' });
  let asked = 0;
  await page.route('**/api/catalogue/changes*', async (route) => {
    asked += 1;
    await new Promise((ok) => setTimeout(ok, 1500));
    await route.continue().catch(() => {});
  });
  await page.goto(`${BASE}/p/${jacket.slug}`);
  const heading = (n) => page.getByTestId('product').getByRole('heading', { level: 1, name: n });
  await heading(german).waitFor();
  while (asked === 0) await page.waitForTimeout(20);
  await page.getByTestId('language').selectOption('en');
  await heading(name).waitFor({ timeout: 5000 });
  // Once both syncs have landed, the device's copy is English too and stays so.
  await page.waitForFunction(() => performance.getEntriesByName('aisle-sync').length > 0, undefined, { timeout: 15000 });
  await page.waitForTimeout(500);
  assert.equal(await heading(name).count(), 1, 'the page went back to German');
  await context.close();
  assert.deepEqual(problems, []);
});

test('an English browser still gets English', async () => {
  const { page, context, problems } = await openPage(browser, undefined, { locale: 'en-GB' });
  await page.goto(BASE + '/');
  await page.getByRole('heading', { level: 1, name: 'Welcome to Aisle' }).waitFor();
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await context.close();
  assert.deepEqual(problems, []);
});

test('the back office (sign-in, fulfilment, agent console, insight) speaks German to German staff', async () => {
  const { page, context, problems } = await openPage(browser, undefined, { locale: 'de-DE' });
  await page.goto(BASE + '/staff');
  await page.getByRole('heading', { level: 1, name: 'Im Backoffice anmelden' }).waitFor();
  const signIn = await english(page);
  await page.getByLabel('E-Mail').fill(process.env.AISLE_STAFF_EMAIL);
  await page.getByLabel('Passwort').fill(process.env.AISLE_STAFF_PASSWORD);
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await page.getByRole('heading', { level: 1, name: 'Versand' }).waitFor();
  const report = [...signIn.map((f) => `sign-in /staff: ${f}`),
    ...await check(page, [['fulfilment', '/staff'], ['agent console', '/staff/support'], ['insight', '/staff/insight']])];
  await context.close();
  assert.deepEqual(problems, []);
  assert.deepEqual(report, [], `English on German pages:\n${report.join('\n')}`);
});
