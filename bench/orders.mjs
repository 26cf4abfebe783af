// Order placement under load, for the API benchmark (`cargo xtask bench`, see
// xtask/src/bench_api.rs).
//
//   node bench/orders.mjs <AISLE_URL> [seconds=10] [shoppers=64]
//
// Each virtual shopper loops as a guest would check out, each time with a new session:
// `GET /api/session` (cookie and CSRF token) → `PUT /api/cart/items` (one product) →
// `POST /api/orders` (with an Idempotency-Key), until the time is up. Only products
// with at least 100 in stock are bought, one at a time, so a run cannot sell one out. Prints `name<TAB>value<TAB>unit` lines: completed orders per second, the
// latency of `POST /api/orders` (p50, p99) and the number of failed steps.

import { readCatalogue } from './catalogue.mjs';

const [base, secondsArg = '10', shoppersArg = '64'] = process.argv.slice(2);
if (!base) {
  console.error('usage: node bench/orders.mjs <AISLE_URL> [seconds] [shoppers]');
  process.exit(2);
}
// At most a minute (the soak): with 1,500-odd well-stocked products and a few hundred
// orders a second, no product comes near selling out.
const seconds = Math.min(Number(secondsArg) || 10, 60);
const shoppers = Number(shoppersArg) || 64;

const { products } = await readCatalogue(base);
// What a shopper can put in a cart: a product sold as itself, or one of a product's
// variants (a size and colour), each well stocked.
const stocked = products.flatMap((p) => (p.variants?.length
  ? p.variants.filter((v) => v.stock >= 30).map((v) => ({ id: p.id, variant_id: v.id, price: v.price }))
  : p.stock >= 100 ? [{ id: p.id, variant_id: undefined, price: p.price }] : []));
if (stocked.length === 0) throw new Error('no product has 100 or more in stock');
console.error(`orders: ${shoppers} shoppers for ${seconds} s over ${stocked.length} well-stocked products`);

// In the shop's own market: the UK is priced in pounds, which these prices are not.
const address = { name: 'Bench Shopper', line1: 'Hauptstraße 1', city: 'Berlin', postcode: '10115', country: 'DE' };
const latencies = [];
const failures = new Map();
let orders = 0;
let errors = 0;

function fail(what) {
  errors += 1;
  failures.set(what, (failures.get(what) ?? 0) + 1);
}

async function shopper(n, until) {
  let i = 0;
  while (performance.now() < until) {
    i += 1;
    try {
      const s = await fetch(`${base}/api/session`);
      const cookie = (s.headers.get('set-cookie') ?? '').split(';')[0];
      const { csrf_token } = await s.json();
      if (s.status !== 200 || !cookie) { fail(`session ${s.status}`); continue; }
      const headers = { cookie, 'content-type': 'application/json', 'x-csrf-token': csrf_token };
      const p = stocked[Math.floor(Math.random() * stocked.length)];
      const cart = await fetch(`${base}/api/cart/items`, { method: 'PUT', headers, body: JSON.stringify({ product_id: p.id, variant_id: p.variant_id, quantity: 1 }) });
      await cart.arrayBuffer();
      if (cart.status !== 200) { fail(`cart ${cart.status}`); continue; }
      const body = JSON.stringify({
        email: `bench.${n}.${i}@example.com`,
        address,
        payment_method: 'pay_on_delivery',
        expected: [{ product_id: p.id, variant_id: p.variant_id, quantity: 1, unit_price_minor: p.price.minor }],
      });
      const started = performance.now();
      const res = await fetch(`${base}/api/orders`, {
        method: 'POST',
        headers: { ...headers, 'idempotency-key': `bench-${n}-${i}-${Date.now()}` },
        body,
      });
      const text = await res.text();
      const took = performance.now() - started;
      if (res.status === 201) {
        // Only orders placed before the time is up count towards the rate.
        if (performance.now() <= until) orders += 1;
        latencies.push(took);
      } else {
        let code = '';
        try { code = JSON.parse(text).error.code; } catch { /* not JSON */ }
        fail(`order ${res.status} ${code}`.trim());
      }
    } catch (e) {
      fail(`${e.cause?.code ?? e.name}`);
    }
  }
}

const started = performance.now();
const until = started + seconds * 1000;
await Promise.all(Array.from({ length: shoppers }, (_, n) => shopper(n, until)));
const elapsed = (Math.min(performance.now(), until) - started) / 1000;

latencies.sort((a, b) => a - b);
const pct = (q) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)] : NaN);
for (const [what, count] of failures) console.error(`orders: ${count} × ${what}`);
console.log(`order placement\t${(orders / elapsed).toFixed(1)}\torders/s`);
console.log(`order placement p50\t${pct(0.5).toFixed(2)}\tms`);
console.log(`order placement p99\t${pct(0.99).toFixed(2)}\tms`);
console.log(`order placement errors\t${errors}\terrors`);
