// What a cold first visit to home really downloads, counted in the browser (the size
// half of `cargo xtask bench`): every response the page receives until it has drawn
// its first product, API answers included, then until the app has taken over from the
// page the server wrote, then what it adds once idle (the code of
// the pages opened next and of the help panel, fetched ahead), and what the service
// worker downloads for offline use. Bytes are as sent (brotli from our server).
// Prints one `name<TAB>value<TAB>unit` line per figure.
import { launch } from '../tests/e2e/browser.mjs';

const BASE = process.env.AISLE_URL;
if (!BASE) throw new Error('run with `cargo xtask bench`');
const out = (name, value, unit) => console.log(`${name}\t${value.toFixed(2)}\t${unit}`);

const browser = await launch();
try {
  const context = await browser.newContext();
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
  await page.goto(BASE + '/');
  await page.locator('.product-card').first().waitFor({ timeout: 30000 });
  const drawn = seen.length;
  // The first product comes with the page the server wrote; the app takes over when
  // it has drawn the same page (see src/platform/first_view.rs).
  await page.waitForFunction(() => !document.getElementById('first-view') && !document.querySelector('.loading'), null, { timeout: 30000 });
  const app = seen.length;
  await page.waitForTimeout(3000);
  const sum = (xs) => xs.reduce((n, x) => n + x.bytes, 0) / 1000;
  const wasm = (xs) => xs.filter((x) => x.url.endsWith('.wasm'));
  const first = seen.slice(0, drawn);
  out('home first load, files to first product', first.length, 'files');
  out('home first load, wasm files to first product', wasm(first).length, 'files');
  out('home first load, every response to first product (as sent)', sum(first), 'KB');
  out('home first load, API answers to first product (as sent)', sum(first.filter((x) => x.api)), 'KB');
  out('home first load, every response until the app has taken over (as sent)', sum(seen.slice(0, app)), 'KB');
  out('home first load, wasm files once idle', wasm(seen).length, 'files');
  out('home first load, every response once idle (as sent)', sum(seen), 'KB');
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
