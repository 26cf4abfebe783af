// Aisle's service worker: the app shell, offline.
//
// `cargo xtask build-web` fills in BUILD and PRECACHE from the files of the build it
// just made (never by hand), so each deploy has its own cache and its own sw.js bytes,
// which is how the browser notices a new version.
const BUILD = '__AISLE_BUILD__';
const PRECACHE = /*__AISLE_PRECACHE__*/[];
const CACHE = `aisle-${BUILD}`;

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
      if (name.startsWith('aisle-') && name !== CACHE) await caches.delete(name);
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
  if (request.mode === 'navigate') {
    // Every page of the app is the same shell; its router shows the right page.
    event.respondWith(caches.match('/index.html', { cacheName: CACHE }).then((hit) => hit || fetch(request)));
    return;
  }
  event.respondWith(caches.match(request, { cacheName: CACHE }).then((hit) => hit || fetch(request)));
});
