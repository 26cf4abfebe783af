// The browser half of `cargo xtask bench`: Playwright driving Debian's Chromium
// against the real server at AISLE_URL (a 10,000-product catalogue). Prints one
// `name<TAB>value<TAB>unit` line per figure; each is the median of several runs
// (search: the 95th percentile of every keystroke). Progress goes to stderr.
import { coldLoad, FIRST_PRODUCT, launch, productsOnDevice, RTT_ONLY, SLOW_4G } from '../tests/e2e/browser.mjs';

const BASE = process.env.AISLE_URL;
if (!BASE) throw new Error('run with `cargo xtask bench`');
const RUNS = 5;

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const p95 = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)]; };
const out = (name, value, unit, digits = 2) => console.log(`${name}\t${value.toFixed(digits)}\t${unit}`);
const log = (...a) => console.error('bench:', ...a);

/// Clicks `selector` and resolves to the ms until `until` shows, painted.
const clickAndTime = (page, selector, until) => page.evaluate(([selector, until]) => new Promise((resolve) => {
  const start = performance.now();
  const done = () => requestAnimationFrame(() => resolve(performance.now() - start));
  const obs = new MutationObserver(() => { if (document.querySelector(until)) { obs.disconnect(); done(); } });
  obs.observe(document, { childList: true, subtree: true, characterData: true });
  document.querySelector(selector).click();
}), [selector, until]);

const browser = await launch();
try {
  // 1. Cold load: a new browser profile each time (no cache, no service worker).
  const cold = [];
  const takenOver = [];
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext();
    await context.addInitScript(FIRST_PRODUCT);
    const page = await context.newPage();
    await page.goto(BASE + '/');
    await page.waitForFunction(() => window.__firstProduct, null, { timeout: 30000 });
    cold.push(await page.evaluate(() => window.__firstProduct));
    const took = await page.waitForFunction(() => performance.getEntriesByName('aisle-app-took-over')[0]?.startTime, null, { timeout: 30000 });
    takenOver.push(await took.jsonValue());
    await context.close();
  }
  out('cold load to first product', median(cold), 'ms');
  out('cold load until the app has taken over', median(takenOver), 'ms');
  log('cold', cold, 'app', takenOver);

  // 1b. Layout shift and largest contentful paint, cold, on the home page, a category
  // and a product. CLS: every `layout-shift` entry not caused by input, summed, at
  // 1280 px over a 150 ms round trip and at 360 px (a phone) on slow 4G — networks on
  // which the page paints while it waits. LCP: the phone on slow 4G with a 4× slower
  // processor, as Lighthouse simulates one.
  const cats = await (await fetch(`${BASE}/api/categories`)).json();
  const first = await (await fetch(`${BASE}/api/categories/${cats[0].slug}/products`)).json();
  const pages = [['home', '/', '.category-grid a'], ['category', `/c/${cats[0].slug}`, '.product-card a'], ['product', `/p/${first.items[0].slug}`, '[data-testid="product"]']];
  const DESKTOP = { viewport: { width: 1280, height: 900 } };
  const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
  for (const [size, options, network] of [['desktop', DESKTOP, RTT_ONLY], ['phone', PHONE, { ...SLOW_4G, cpu: 1 }]]) {
    for (const [name, path, content] of pages) {
      const shifts = [];
      for (let i = 0; i < RUNS; i++) {
        const { cls, moved } = await coldLoad(browser, BASE + path, content, options, network);
        shifts.push(cls);
        if (cls > 0) log('layout shift', size, name, moved.join('; '));
      }
      out(`layout shift (CLS), ${name}, ${size}`, median(shifts), 'CLS', 3);
      log('cls', size, name, shifts);
    }
  }
  for (const [name, path, content] of pages) {
    const lcps = [];
    for (let i = 0; i < RUNS; i++) lcps.push((await coldLoad(browser, BASE + path, content, PHONE, SLOW_4G)).lcp);
    out(`largest contentful paint, ${name}, phone on slow 4G`, median(lcps), 'ms');
    log('lcp', name, lcps);
  }

  // 2. One profile that has the app and the whole catalogue on the device.
  const context = await browser.newContext();
  await context.addInitScript(FIRST_PRODUCT);
  const page = await context.newPage();
  await page.goto(BASE + '/');
  const syncMs = await page.waitForFunction(() => performance.getEntriesByName('aisle-sync')[0]?.duration, null, { timeout: 120000 });
  out('IndexedDB sync of 10,000 products', await syncMs.jsonValue(), 'ms');
  const count = await page.evaluate(productsOnDevice);
  if (count < 10000) throw new Error(`only ${count} products on the device`);
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
  await page.reload();
  await page.waitForFunction(() => !!navigator.serviceWorker.controller);

  // 3. Offline repeat loads: from the service worker and IndexedDB alone.
  await context.setOffline(true);
  const offline = [];
  const loads = [];
  const reads = [];
  for (let i = 0; i < RUNS; i++) {
    await page.reload();
    await page.waitForFunction(() => window.__firstProduct && performance.getEntriesByName('aisle-catalogue-load').length, null, { timeout: 30000 });
    offline.push(await page.evaluate(() => window.__firstProduct));
    loads.push(await page.evaluate(() => performance.getEntriesByName('aisle-catalogue-load').at(-1).duration));
    reads.push(await page.evaluate(() => performance.getEntriesByName('aisle-catalogue-read').at(-1)?.duration ?? 0));
  }
  out('offline repeat load to first product', median(offline), 'ms');
  out('IndexedDB load of 10,000 products', median(loads), 'ms');
  // Of which reading the stored chunks, before parsing them and building the indexes.
  out('IndexedDB load: reading the chunks', median(reads), 'ms');
  log('offline', offline, 'idb load', loads);

  // 4. Route changes with the data on the device.
  const toCategory = [];
  const toProduct = [];
  for (let i = 0; i < RUNS; i++) {
    await page.goto(BASE + '/');
    await page.locator('.category-grid a').first().waitFor();
    await page.waitForTimeout(200);
    toCategory.push(await clickAndTime(page, `.category-grid li:nth-child(${i + 1}) a`, '.lede ~ .product-grid .product-card'));
    await page.waitForTimeout(200);
    toProduct.push(await clickAndTime(page, '.product-card a', '[data-testid="product"]'));
  }
  out('route change home → category', median(toCategory), 'ms');
  out('route change category → product', median(toProduct), 'ms');
  log('routes', toCategory, toProduct);

  // 5. Search as you type over 10,000 products: each keystroke until its results show.
  await page.goto(BASE + '/');
  await page.locator('#q').waitFor();
  // The index is built after the first paint; its build time is a figure of its own.
  await page.waitForFunction(() => performance.getEntriesByName('aisle-search-index').length, null, { timeout: 30000 });
  const indexMs = await page.evaluate(() => performance.getEntriesByName('aisle-search-index').at(-1).duration);
  await page.evaluate(() => performance.clearMeasures('aisle-search'));
  const keystrokes = [];
  for (const query of ['wooden kettle', 'blue cotton scarf', 'ceramic teapot', 'linen apron no', 'steel water bottle']) {
    await page.fill('#q', '');
    for (let n = 1; n <= query.length; n++) {
      const typed = query.slice(0, n);
      if (typed.endsWith(' ')) continue;
      keystrokes.push(await page.evaluate((typed) => new Promise((resolve) => {
        const input = document.querySelector('#q');
        const shown = () => {
          const status = document.querySelector('.result-count, .no-results');
          return status && status.textContent.includes(`“${typed}”`);
        };
        const start = performance.now();
        const obs = new MutationObserver(() => {
          if (shown()) { obs.disconnect(); requestAnimationFrame(() => resolve(performance.now() - start)); }
        });
        obs.observe(document, { childList: true, subtree: true, characterData: true });
        input.value = typed;
        input.dispatchEvent(new Event('input', { bubbles: true }));
      }), typed));
    }
  }
  // The search itself, timed inside the app (User Timing, around the index lookup).
  const queries = await page.evaluate(() => performance.getEntriesByName('aisle-search').map((e) => e.duration));
  out('search query in the app, p95', p95(queries), 'ms');
  out('search query in the app, median', median(queries), 'ms');
  out('search keystroke to results painted, p95', p95(keystrokes), 'ms');
  out('search keystroke to results painted, median', median(keystrokes), 'ms');
  out('search index build (after first paint)', indexMs, 'ms');
  log('search', keystrokes.length, 'keystrokes', [...keystrokes].sort((a, b) => b - a).slice(0, 8).map((x) => x.toFixed(1)).join(' '), 'first:', keystrokes.slice(0, 14).map((x) => x.toFixed(1)).join(' '));

  // 6. Sort and filter a category of the device's catalogue (the 10,000 products with
  // their variants): each tap until the first 24 results are painted, and the sort and
  // filter itself, timed inside the app. Clothing: the category with variants, whose
  // size filter reads every variant.
  await page.goto(BASE + '/c/clothing');
  await page.waitForFunction(() => document.querySelector('[data-testid="listing-count"]') && !document.getElementById('first-view'), null, { timeout: 30000 });
  await page.waitForTimeout(300);
  // The panel's controls are drawn when it first opens; it stays open from then on.
  await page.locator('[data-testid="filters"] summary').click();
  await page.locator('#filter-stock').waitFor();
  await page.evaluate(() => performance.clearMeasures('aisle-listing'));
  const taps = [];
  const steps = [
    ['#filter-stock', 'click'], ['#sort', 'price'], ['[data-testid="filter-option"] input', 'click'], ['#sort', '-price'],
    ['#filter-stock', 'click'], ['#sort', 'newest'], ['[data-testid="filter-option"] input', 'click'], ['#sort', 'best-selling'],
  ];
  for (let round = 0; round < 3; round++) {
    for (const [selector, action] of steps) {
      taps.push(await page.evaluate(([selector, action]) => new Promise((resolve) => {
        const count = () => document.querySelector('[data-testid="listing-count"]')?.textContent;
        const url = location.href;
        const start = performance.now();
        const done = () => requestAnimationFrame(() => resolve(performance.now() - start));
        const obs = new MutationObserver(() => {
          if (location.href !== url && document.querySelectorAll('.product-card').length > 0 && document.querySelector('[data-testid="listing-count"]')) { obs.disconnect(); done(); }
        });
        obs.observe(document, { childList: true, subtree: true, characterData: true });
        const el = document.querySelector(selector);
        if (action === 'click') el.click();
        else { el.value = action; el.dispatchEvent(new Event('change', { bubbles: true })); }
        void count;
      }), [selector, action]));
      await page.waitForTimeout(50);
    }
  }
  const listings = await page.evaluate(() => performance.getEntriesByName('aisle-listing').map((e) => e.duration));
  out('category sort and filter in the app, p95', p95(listings), 'ms');
  out('filter tap to first 24 painted, p95', p95(taps), 'ms');
  log('listing', listings.length, 'listings', [...listings].sort((a, b) => b - a).slice(0, 6).map((x) => x.toFixed(1)).join(' '), 'taps', taps.map((x) => x.toFixed(1)).join(' '));
  await context.close();
} finally {
  await browser.close();
}
