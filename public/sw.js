// Aisle's service worker: the app shell, offline.
//
// `cargo xtask build-web` fills in BUILD and PRECACHE from the files of the build it
// just made (never by hand), so each deploy has its own cache and its own sw.js bytes,
// which is how the browser notices a new version.
const BUILD = '__AISLE_BUILD__';
const PRECACHE = /*__AISLE_PRECACHE__*/[];
const CACHE = `aisle-${BUILD}`;
// Photos a shopper has seen, kept across deploys (a photo's address changes when the
// photo does), at most MEDIA_LIMIT bytes: the oldest go first.
const MEDIA = 'aisle-media';
const MEDIA_LIMIT = 50 * 1024 * 1024;
const MEDIA_INDEX = '/__aisle-media-index';

self.addEventListener('install', (event) => {
  // The API and the back office never go through this worker (see the fetch handler);
  // where the browser can route them past it, it is not even started for them. That
  // also keeps them from holding up a new version's activation: Chromium activates a
  // waiting worker only once the old one has no fetch under way.
  try {
    event.addRoutes?.(['/api/*', '/staff', '/staff/*'].map((pathname) => ({ condition: { urlPattern: { pathname } }, source: 'network' })))?.catch(() => {});
  } catch {
    // A browser that cannot take these routes runs them through the fetch handler.
  }
  // A dev build (trunk serve) has no list: nothing to precache.
  if (PRECACHE.length === 0) return;
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith('aisle-') && name !== CACHE && name !== MEDIA) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

// The page asks the waiting worker to take over when the shopper accepts the update.
self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || PRECACHE.length === 0) return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  // API data is never cached here: the app keeps what it needs offline in IndexedDB.
  if (url.pathname.startsWith('/api/')) return;
  // The back office is an app of its own, never the shop's shell (and never precached
  // for shoppers): the network answers.
  if (url.pathname === '/staff' || url.pathname.startsWith('/staff/')) return;
  if (url.pathname.startsWith('/media/')) {
    event.respondWith(photo(request, event));
    return;
  }
  if (request.mode === 'navigate') {
    // Every page of the app is the same shell; its router shows the right page.
    event.respondWith(caches.match('/index.html', { cacheName: CACHE }).then((hit) => hit || fetch(request)));
    return;
  }
  event.respondWith(caches.match(request, { cacheName: CACHE }).then((hit) => hit || fetch(request)));
});

// A photo from the cache, else from the network, kept for next time (and offline).
async function photo(request, event) {
  const cache = await caches.open(MEDIA);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.status === 200) event.waitUntil(keep(cache, request, response.clone()));
  return response;
}

// Writes to the index one at a time: two photos arriving together must not both read
// the old index and lose one another's entry.
let indexing = Promise.resolve();

function keep(cache, request, response) {
  indexing = indexing.then(async () => {
    const body = await response.blob();
    await cache.put(request, new Response(body, { headers: response.headers }));
    const index = await readIndex(cache);
    index.push([request.url, body.size]);
    let total = index.reduce((sum, [, size]) => sum + size, 0);
    while (total > MEDIA_LIMIT && index.length > 1) {
      const [url, size] = index.shift();
      total -= size;
      await cache.delete(url);
    }
    await cache.put(MEDIA_INDEX, new Response(JSON.stringify(index), { headers: { 'content-type': 'application/json' } }));
  }).catch(() => {});
  return indexing;
}

async function readIndex(cache) {
  try {
    const stored = await cache.match(MEDIA_INDEX);
    return stored ? await stored.json() : [];
  } catch {
    return [];
  }
}
