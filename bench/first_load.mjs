// What a cold first visit to home really downloads, counted in the browser (the size
// half of `cargo xtask bench`): every response the page has received by the time its
// first product is painted, API answers included; then what it has received by the
// time the app has taken over from the page the server wrote; then what it adds once
// idle (the code of the pages opened next and of the help panel, fetched ahead), and
// what the service worker downloads for offline use. Bytes are as sent (brotli from our
// server, headers included): the page's own Resource Timing (`transferSize`, by
// `responseEnd`) for the first two, Chromium's network events for the rest.
// Prints one `name<TAB>value<TAB>unit` line per figure.
import { FIRST_PRODUCT, launch } from '../tests/e2e/browser.mjs';

const BASE = process.env.AISLE_URL;
if (!BASE) throw new Error('run with `cargo xtask bench`');
const out = (name, value, unit) => console.log(`${name}\t${value.toFixed(2)}\t${unit}`);

/// The responses the page had received by `until` (ms since it started), as sent.
const receivedBy = (until) => {
  const entries = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]
    .filter((e) => e.responseEnd > 0 && e.responseEnd <= until);
  return entries.map((e) => ({ url: e.name, bytes: e.transferSize, api: new URL(e.name).pathname.startsWith('/api/') }));
};

const browser = await launch();
try {
  const context = await browser.newContext();
  await context.addInitScript(FIRST_PRODUCT);
  const page = await context.newPage();
  const seen = [];
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  const urls = new Map();
  cdp.on('Network.responseReceived', (e) => urls.set(e.requestId, e.response.url));
  cdp.on('Network.loadingFinished', (e) => {
    const url = urls.get(e.requestId);
    if (url) seen.push({ url, bytes: e.encodedDataLength, api: new URL(url).pathname.startsWith('/api/') });
  });
  await page.goto(BASE + '/', { waitUntil: 'commit' });
  await page.waitForFunction(() => window.__firstProduct, null, { timeout: 30000 });
  // The first product comes with the page the server wrote; the app takes over when
  // it has drawn the same page (see src/platform/first_view.rs).
  const took = await page.waitForFunction(() => performance.getEntriesByName('aisle-app-took-over')[0]?.startTime, null, { timeout: 30000 });
  const first = await page.evaluate(receivedBy, await page.evaluate(() => window.__firstProduct));
  const app = await page.evaluate(receivedBy, await took.jsonValue());
  await page.waitForTimeout(3000);
  const sum = (xs) => xs.reduce((n, x) => n + x.bytes, 0) / 1000;
  const wasm = (xs) => xs.filter((x) => new URL(x.url).pathname.endsWith('.wasm'));
  out('home first load, files to first product', first.length, 'files');
  out('home first load, wasm files to first product', wasm(first).length, 'files');
  out('home first load, every response to first product (as sent)', sum(first), 'KB');
  out('home first load, API answers to first product (as sent)', sum(first.filter((x) => x.api)), 'KB');
  out('home first load, every response until the app has taken over (as sent)', sum(app), 'KB');
  out('home first load, wasm files once idle', wasm(seen).length, 'files');
  out('home first load, every response once idle (as sent)', sum(seen), 'KB');
  for (const x of first) console.error(`first_load: before the first product: ${new URL(x.url).pathname} ${x.bytes} B`);
  for (const x of wasm(seen)) console.error(`first_load: ${new URL(x.url).pathname} ${x.bytes} B`);
  // The service worker precaches the whole build (every page's code) for offline use.
  const precache = await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    const cache = await caches.open((await caches.keys()).find((k) => k.startsWith('aisle-')));
    return (await cache.keys()).length;
  });
  out('service worker precache', precache, 'files');
  await context.close();
} finally {
  await browser.close();
}
