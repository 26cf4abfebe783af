// The catalogue as the running API serves it, for the API benchmark (`cargo xtask
// bench`, see xtask/src/bench_api.rs).
//
//   node bench/catalogue.mjs <AISLE_URL> <db.json>
//
// writes every product, exactly as `GET /api/products/{id}` returns it, to <db.json>
// in the shape json-server serves (`{"products": [...]}`), so the peer answers the same
// reads with the same bodies; and prints one `slug<TAB>pages` line per category (pages
// of the default size) for the category-page load.

import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/// Every category and product, read through `GET /api/catalogue/changes` page by page.
export async function readCatalogue(base) {
  let since = '';
  let categories = [];
  const products = [];
  for (;;) {
    const res = await fetch(`${base}/api/catalogue/changes?since=${encodeURIComponent(since)}`);
    if (res.status !== 200) throw new Error(`catalogue changes: ${res.status} ${await res.text()}`);
    const page = await res.json();
    categories = page.categories;
    products.push(...page.products);
    if (!page.more || page.next === since) break;
    since = page.next;
  }
  return { categories, products };
}

/// Products per category page when `per_page` is not given (domain/src/paging.rs).
export const PER_PAGE = 24;

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [base, out] = process.argv.slice(2);
  if (!base || !out) {
    console.error('usage: node bench/catalogue.mjs <AISLE_URL> <db.json>');
    process.exit(2);
  }
  const { categories, products } = await readCatalogue(base);
  products.sort((a, b) => a.id - b.id);
  writeFileSync(out, JSON.stringify({ products }));
  for (const c of categories) {
    console.log(`${c.slug}\t${Math.max(1, Math.ceil(c.product_count / PER_PAGE))}`);
  }
  console.error(`catalogue: ${products.length} products in ${categories.length} categories written to ${out}`);
}
