// Launches Debian's Chromium through playwright-core. Test tools never download a
// browser of their own; `cargo xtask test` installs /usr/bin/chromium. Playwright
// gives each launch a new, empty profile folder and removes it on close.
import { deflateSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { afterEach } from 'node:test';
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { join } from 'node:path';

/// Content-Security-Policy violations seen in any page of any context since the last
/// test ended. The server's policy allows only the app's own files; a violation means
/// something the app needs was blocked, so it fails the test it happened in.
const cspViolations = [];
const isCspViolation = (m) => /Content Security Policy/i.test(m.text());

afterEach(() => {
  const seen = cspViolations.splice(0);
  assert.deepEqual(seen, [], 'Content Security Policy violations');
});

/// Chromium with every new context watched for CSP violations, however a test makes
/// its pages.
export async function launch() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (...args) => {
    const context = await newContext(...args);
    context.on('console', (m) => { if (isCspViolation(m)) cspViolations.push(`${m.page()?.url() ?? 'worker'}: ${m.text()}`); });
    return context;
  };
  return browser;
}

/// A new browser context and page whose uncaught errors are collected in `problems`,
/// so a test can assert the page never failed.
export async function openPage(browser, viewport = { width: 1280, height: 900 }, options = {}) {
  const context = await browser.newContext({ viewport, ...options });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (isCspViolation(m)) problems.push(`CSP: ${m.text()}`); });
  return { page, context, problems };
}

/// Saves a screenshot for review when AISLE_SCREENSHOTS names a folder.
export async function shot(page, name) {
  const dir = process.env.AISLE_SCREENSHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

/// A client of the real API with its own session (cookie + CSRF token), as a browser
/// would have. Returns `call(method, path, body, headers)`, resolving to the response.
export function apiSession(base) {
  let cookie = '';
  const keepCookie = (res) => {
    const sc = res.headers.get('set-cookie');
    if (sc) cookie = sc.split(';')[0];
  };
  return async (method, path, body, headers = {}) => {
    const session = await fetch(`${base}/api/session`, { headers: { cookie } });
    keepCookie(session);
    const { csrf_token } = await session.json();
    const res = await fetch(base + path, {
      method,
      headers: { cookie, 'content-type': 'application/json', 'x-csrf-token': csrf_token, ...headers },
      // Bytes (a photo) go as they are, with the type the caller gives.
      body: method === 'GET' ? undefined : body instanceof Uint8Array ? body : JSON.stringify(body ?? {}),
    });
    keepCookie(res);
    return res;
  };
}

/// Staff calls through the real API, signed in with the account `cargo xtask test`
/// made (or the one given).
export async function staffSession(base, email = process.env.AISLE_STAFF_EMAIL, password = process.env.AISLE_STAFF_PASSWORD) {
  const call = apiSession(base);
  const signedIn = await call('POST', '/api/session', { email, password });
  if (signedIn.status !== 200) throw new Error(`staff sign-in failed: ${signedIn.status}`);
  return call;
}

/// Puts `lines` ([product, quantity]) in the cart of the session behind `call` and
/// places the order; resolves to the order.
export async function placeOrderByApi(call, lines, email = '') {
  for (const [p, quantity] of lines) {
    const r = await call('PUT', '/api/cart/items', { product_id: p.id, quantity });
    if (r.status !== 200) throw new Error(`cart: ${r.status} ${await r.text()}`);
  }
  const res = await call('POST', '/api/orders', {
    email,
    // In the shop's own market (the UK would be priced in pounds).
    address: { name: 'Test Shopper', line1: 'Hauptstraße 1', city: 'Berlin', postcode: '10115', country: 'DE' },
    payment_method: 'pay_on_delivery',
    expected: lines.map(([p, quantity]) => ({ product_id: p.id, quantity, unit_price_minor: p.price.minor })),
  }, { 'idempotency-key': `test-${Date.now()}-${Math.random().toString(36).slice(2)}` });
  if (res.status !== 201 && res.status !== 200) throw new Error(`order: ${res.status} ${await res.text()}`);
  return res.json();
}

/// Waits until the page has its heading and nothing is loading any more, then `ms` for
/// the last redraw.
export async function settle(page, ms = 150) {
  await page.locator('main h1').first().waitFor();
  // The app has taken over from the page the server wrote (see DRAWN).
  await page.waitForFunction(DRAWN, null, { timeout: 10000 });
  await page.waitForTimeout(ms);
}

/// For the bench, as an init script: marks the moment the first product card is
/// painted (`window.__firstProduct`): seen in the DOM, then the next animation frame
/// (the browser has laid it out and is about to paint it).
export const FIRST_PRODUCT = () => {
  const seen = () => {
    if (window.__firstProduct || !document.querySelector('.product-card')) return false;
    requestAnimationFrame(() => { window.__firstProduct = performance.now(); });
    return true;
  };
  new MutationObserver((_, obs) => { if (seen()) obs.disconnect(); }).observe(document, { childList: true, subtree: true });
};

/// The page is drawn by the app: no placeholder, and the first view the server wrote
/// for a cold visit (`#first-view`) has been replaced by the app's own elements.
export const DRAWN = () => !document.querySelector('.loading') && !document.getElementById('first-view');

/// "€1,234.50" or "−€12.00" → 123450 or 1200: a figure on the page in cents (the sign
/// is read by the caller).
export const cents = (text) => Math.round(Number(text.replace(/[^0-9.]/g, '')) * 100);

/// The figure in the element with `data-testid` `id`, in cents.
export async function figure(page, id) {
  return cents(await page.getByTestId(id).first().textContent());
}

/// Kitchen products under €40 with stock, cheapest first: under the €50 from which
/// standard delivery is free, so delivery is charged.
export async function cheapProducts(base = process.env.AISLE_URL) {
  const page = await (await fetch(`${base}/api/categories/kitchen/products?per_page=100&sort=price`)).json();
  return page.items.filter((p) => p.stock >= 10 && p.price.minor < 4000);
}

/// Puts one of `product` in the cart from its page.
export async function addOne(page, product, base = process.env.AISLE_URL) {
  await page.goto(`${base}/p/${product.slug}`);
  await page.waitForFunction(DRAWN);
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.getByRole('status').filter({ hasText: 'Added to your cart' }).waitFor();
}

/// A German delivery address in the checkout form (the country is the form's first).
export async function fillBerlinAddress(page) {
  await page.getByLabel('Full name').fill('Grete Müller');
  await page.getByLabel('Street and number').fill('Hauptstraße 5');
  await page.getByLabel('Postcode').fill('10115');
  await page.getByLabel('Town or city').fill('Berlin');
}

/// A network as a phone on slow 4G has it (Lighthouse's mobile profile): 1.6 Mbit/s
/// down, 750 kbit/s up, 150 ms round trip; with `cpu`, its 4× slower processor.
export const SLOW_4G = { latency: 150, downloadThroughput: 1.6 * 1024 * 1024 / 8, uploadThroughput: 750 * 1024 / 8, cpu: 4 };
/// Only the round trip of a real network (150 ms), not its bandwidth: enough for a
/// page to paint while it waits for the API, as it does outside this machine.
export const RTT_ONLY = { latency: 150, downloadThroughput: -1, uploadThroughput: -1, cpu: 1 };

/// Opens `url` cold — a new context: no cache, no service worker, nothing on the
/// device — over `network`, waits for `selector` and for nothing to be loading, then
/// `ms` more for late moves. Resolves to the page's cumulative layout shift (every
/// `layout-shift` entry not caused by input, summed), the largest contentful paint
/// (ms), and the elements that moved most.
export async function coldLoad(browser, url, selector, contextOptions = {}, network = RTT_ONLY, ms = 1000) {
  const context = await browser.newContext(contextOptions);
  try {
    await context.addInitScript(() => {
      window.__cls = { total: 0, moved: [], lcp: 0 };
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          if (e.hadRecentInput) continue;
          window.__cls.total += e.value;
          const who = e.sources.map((s) => s.node?.nodeType === 1 ? `${s.node.nodeName.toLowerCase()}${s.node.className ? '.' + String(s.node.className).trim().replace(/\s+/g, '.') : ''}` : '#text');
          window.__cls.moved.push(`${e.value.toFixed(3)} ${who.join(' ')}`);
        }
      }).observe({ type: 'layout-shift', buffered: true });
      new PerformanceObserver((list) => { window.__cls.lcp = list.getEntries().at(-1)?.startTime ?? window.__cls.lcp; })
        .observe({ type: 'largest-contentful-paint', buffered: true });
    });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: network.latency, downloadThroughput: network.downloadThroughput, uploadThroughput: network.uploadThroughput });
    if (network.cpu > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: network.cpu });
    await page.goto(url, { timeout: 60000 });
    await page.locator(selector).first().waitFor({ timeout: 60000 });
    await page.waitForFunction(DRAWN, null, { timeout: 60000 });
    await page.waitForTimeout(ms);
    const { total, moved, lcp } = await page.evaluate(() => window.__cls);
    return { cls: total, lcp, moved };
  } finally {
    await context.close();
  }
}

/// The first category and a product of it with stock to spare, straight from the API.
export async function aProduct(base = process.env.AISLE_URL) {
  const cats = await (await fetch(`${base}/api/categories`)).json();
  const page = await (await fetch(`${base}/api/categories/${cats[0].slug}/products`)).json();
  return { category: cats[0].slug, product: page.items.find((p) => p.stock > 5) };
}

/// Every page type a guest can open, as [name, path]: what the accessibility and
/// language checks walk through.
export async function guestPages(base = process.env.AISLE_URL) {
  const { category, product } = await aProduct(base);
  const faq = (await (await fetch(`${base}/api/faq`)).json()).categories[0].articles[0];
  return [
    ['home', '/'],
    ['category', `/c/${category}`],
    ['product', `/p/${product.slug}`],
    ['search', '/search?q=mug'],
    ['no results', '/search?q=zzqxv'],
    ['sign in', '/signin'],
    ['sign up', '/signup'],
    ['help', '/help'],
    ['help article', `/help/${faq.slug}`],
    ['contact', '/contact'],
    ['privacy', '/privacy'],
    ['find my order', '/find-order'],
    ['an order link that no longer works', '/orders/A999999?token=0000'],
    ['forgot password', '/forgot-password'],
    ['a reset link that no longer works', '/reset-password?token=0000'],
    ['stop stock alerts', '/alerts/unsubscribe?token=0000'],
    ['not found', '/no-such-page'],
  ];
}

/// The pages a signed-in shopper with something in the cart can open, as [name, path].
export const SHOPPER_PAGES = [
  ['cart', '/cart'],
  ['checkout', '/checkout'],
  ['account', '/account'],
  ['orders', '/account/orders'],
  ['my support', '/account/support'],
];

/// Counts the products in the page's IndexedDB copy of the catalogue (run in the page:
/// `page.evaluate(productsOnDevice)`). They are kept as JSON arrays in chunks.
export async function productsOnDevice() {
  const db = await new Promise((ok, fail) => { const r = indexedDB.open('aisle'); r.onsuccess = () => ok(r.result); r.onerror = fail; });
  try {
    if (!db.objectStoreNames.contains('product_chunks')) return 0;
    const chunks = await new Promise((ok, fail) => { const r = db.transaction('product_chunks').objectStore('product_chunks').getAll(); r.onsuccess = () => ok(r.result); r.onerror = fail; });
    // UTF-8 bytes (text before): see `chunk_bytes` in src/platform/store.rs.
    const text = (c) => (typeof c === 'string' ? c : new TextDecoder().decode(c));
    return chunks.reduce((n, json) => n + JSON.parse(text(json)).length, 0);
  } finally {
    db.close();
  }
}

let counter = 0;
/// An e-mail address no earlier test run has used.
export const uniqueEmail = (who) => `${who}.${Date.now()}.${counter++}@example.com`;

export async function signUp(page, email, name = 'Ada Lovelace', base = process.env.AISLE_URL) {
  await page.goto(base + '/signup');
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel(/^Password/).fill('a long password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { level: 1, name: `Hello, ${name}` }).waitFor();
}

export async function signIn(page, email, password, base = process.env.AISLE_URL) {
  await page.goto(base + '/signin');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: /^Hello, / }).waitFor();
}

/// The e-mails the server wrote to its mail folder for `address`, each as readable
/// text: its To and Subject lines, then its plain-text part and its HTML part, decoded.
export function mailTo(address, dir = process.env.AISLE_MAIL_DIR) {
  return emailsTo(address, dir).map((m) => `To: ${m.to}\nSubject: ${m.subject}\n\n${m.text}\n${m.html}`);
}

/// The e-mails to `address`, oldest first: { file, to, subject, text, html, headers }.
export function emailsTo(address, dir = process.env.AISLE_MAIL_DIR) {
  let files = [];
  try { files = readdirSync(dir).filter((f) => f.endsWith('.eml')).sort(); } catch { return []; }
  return files.map((f) => ({ file: join(dir, f), ...parseEmail(readFileSync(join(dir, f), 'latin1')) })).filter((m) => m.to.includes(address));
}

/// Reads a MIME message as the server writes it: headers (folded, RFC 2047 words),
/// a text/plain part and, in multipart/alternative, a text/html one, each 7bit, 8bit,
/// quoted-printable or base64.
export function parseEmail(raw) {
  const [head, body] = splitHead(raw);
  const headers = readHeaders(head);
  const out = { headers, to: headers['to'] || '', subject: headers['subject'] || '', text: '', html: '' };
  const type = headers['content-type'] || 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  const parts = boundary ? body.split('--' + boundary).slice(1).filter((p) => !p.startsWith('--')) : [raw];
  for (const part of parts) {
    const [ph, pb] = boundary ? splitHead(part.replace(/^\r?\n/, '')) : [head, body];
    const h = boundary ? readHeaders(ph) : headers;
    const decoded = decodeBody(pb, h['content-transfer-encoding'] || '7bit');
    if ((h['content-type'] || 'text/plain').startsWith('text/html')) out.html = decoded; else out.text = decoded;
  }
  return out;
}

function splitHead(raw) {
  const at = raw.search(/\r?\n\r?\n/);
  if (at < 0) return [raw, ''];
  return [raw.slice(0, at), raw.slice(at).replace(/^\r?\n\r?\n/, '')];
}

function readHeaders(head) {
  const headers = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).toLowerCase()] = decodeWords(line.slice(i + 1).trim());
  }
  return headers;
}

function decodeWords(value) {
  return value.replace(/=\?([^?]+)\?([bqBQ])\?([^?]*)\?=\s*(?==\?)?/g, (_, _charset, enc, text) =>
    enc.toLowerCase() === 'b'
      ? Buffer.from(text, 'base64').toString('utf8')
      : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_m, h) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'));
}

function decodeBody(body, encoding) {
  body = body.replace(/\r?\n$/, '');
  switch (encoding.toLowerCase()) {
    case 'base64': return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    case 'quoted-printable':
      return Buffer.from(body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, h) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8').replace(/\r\n/g, '\n');
    default: return Buffer.from(body, 'latin1').toString('utf8').replace(/\r\n/g, '\n');
  }
}

/// Cancels the order on show, answering the page's "are you sure?".
export async function cancelOrder(page) {
  await page.getByRole('button', { name: 'Cancel order' }).click();
  await page.getByRole('button', { name: 'Yes, cancel the order' }).click();
}

/// The first link in `text` whose path starts with `path` (e.g. `/orders/A000001?token=`).
export function linkIn(text, path) {
  const at = text.indexOf(path);
  assert.ok(at >= 0, `no link to ${path} in:\n${text}`);
  const start = text.lastIndexOf('http', at);
  return text.slice(start).match(/^\S+/)[0];
}

/// Polls `check` until it is truthy. A check that throws is asked again: the element it
/// read may have been drawn anew between finding it and reading it (a choice, or the
/// device's catalogue taking over). Its last error is named if time runs out.
export async function waitFor(check, what, ms = 5000) {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    try {
      if (await check()) return;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`timed out waiting for ${what}${last ? ` (last error: ${last.message})` : ''}`);
}

/// Runs `fn(arg)` in the page until it resolves to something truthy, and returns that.
/// For checks that must await (IndexedDB): Playwright's `waitForFunction` does not
/// await a returned promise, so an async predicate there passes on its first call.
export async function untilInPage(page, fn, arg, what, ms = 5000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // A navigation meanwhile destroys the page's context: ask again in the new one.
    const value = await page.evaluate(fn, arg).catch(() => null);
    if (value) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`timed out waiting for ${what}`);
}

/// Starts a real server of our own (AISLE_SERVER_BIN) on `addr` over `env`, and
/// resolves to its base URL once it says it is running.
export function startServer(env, addr = '127.0.0.1:0') {
  const server = spawn(process.env.AISLE_SERVER_BIN, ['serve'], {
    // As `cargo xtask test`'s servers: the demo photos take seconds to draw after the
    // "running" line, and these tests do not need them.
    env: { ...process.env, AISLE_DEMO_PHOTOS: 'off', ...env, AISLE_ADDR: addr },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const base = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start')), 30000);
    server.stdout.on('data', (chunk) => {
      const m = /Aisle is running at (http:\/\/[^/\s]+)/.exec(chunk.toString());
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    server.on('exit', (code) => reject(new Error(`server exited (${code})`)));
  });
  return { server, base };
}

/// A photo-like PNG, `width` × `height`, shading from `rgb`: what a shop's camera
/// would hand over, made here so the test carries no binary files.
export function png(width, height, [r, g, b]) {
  const row = width * 3 + 1;
  const raw = Buffer.alloc(row * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = y * row + 1 + x * 3;
      const shade = (x + y) / (width + height);
      raw[at] = r * (1 - shade / 2);
      raw[at + 1] = g * (1 - shade / 2);
      raw[at + 2] = b * (1 - shade / 2);
    }
  }
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const byte of buf) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/// The prices on a listing's cards, in minor units, as the page shows them.
export async function cardPrices(page) {
  const texts = await page.locator('.product-grid .product-card .price').allTextContents();
  return texts.map((t) => Math.round(parseFloat(t.replace(/[^0-9.,]/g, '').replace(',', '.')) * 100));
}

export const ascending = (xs) => xs.every((x, i) => i === 0 || xs[i - 1] <= x);
export const descending = (xs) => xs.every((x, i) => i === 0 || xs[i - 1] >= x);

/// Waits until the cards' prices pass `check`: the old cards stay on screen while the
/// new choice is read, so the page is only done when they have been replaced.
export async function pricesUntil(page, check, what) {
  let shown = [];
  await waitFor(async () => { shown = await cardPrices(page); return shown.length > 0 && check(shown); }, what, 5000).catch(() => {
    throw new Error(`${what}: ${shown}`);
  });
  return shown;
}
