// The back office's heavy writes, for `cargo xtask bench` (see xtask/src/bench.rs).
//
//   AISLE_URL=… AISLE_STAFF_EMAIL=… AISLE_STAFF_PASSWORD=… node bench/admin.mjs <photo.png>
//
// Signs in as staff, then times (1) one photo upload of 1600 × 1200 pixels — decoded,
// written as AVIF and WebP at four widths, stored — and (2) a CSV import of 10,000 new
// products (the catalogue's own export with every handle changed): the preview, then
// the import applied in one transaction. Prints `name<TAB>value<TAB>unit` lines.

import { readFileSync } from 'node:fs';

const base = process.env.AISLE_URL;
const [photoPath] = process.argv.slice(2);
if (!base || !photoPath) {
  console.error('usage: AISLE_URL=… AISLE_STAFF_EMAIL=… AISLE_STAFF_PASSWORD=… node bench/admin.mjs <photo.png>');
  process.exit(2);
}

let cookie = '';
let csrf = '';
async function call(method, path, body, type = 'application/json') {
  const res = await fetch(base + path, {
    method,
    headers: { 'content-type': type, cookie, 'x-csrf-token': csrf },
    body: body === undefined ? undefined : type === 'application/json' ? JSON.stringify(body) : body,
  });
  const set = res.headers.get('set-cookie');
  if (set) cookie = set.split(';')[0];
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
  return text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : text;
}

csrf = (await call('GET', '/api/session')).csrf_token;
csrf = (await call('POST', '/api/session', { email: process.env.AISLE_STAFF_EMAIL, password: process.env.AISLE_STAFF_PASSWORD })).csrf_token;

const photo = readFileSync(photoPath);
let started = performance.now();
const withPhoto = await call('POST', '/api/staff/products/1/photos?alt=A%20bench%20photo', photo, 'image/png');
const uploadMs = performance.now() - started;
if (withPhoto.photos.length < 1) throw new Error('the photo was not added');
console.log(`photo upload, 1600 × 1200, 8 files\t${uploadMs.toFixed(0)}\tms`);

const exported = await call('GET', '/api/staff/products/export.csv');
const [header, ...rows] = exported.trimEnd().split('\n');
// Every handle new (the first column) and every variant's SKU too (the eighth: a SKU
// names one thing on the shelf), so every product is new. Variant rows come under
// their product's row; the file keeps the first 10,000 products with theirs.
const renamed = (row) => {
  const cells = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < row.length; i++) {
    const c = row[i];
    if (quoted) {
      if (c === '"' && row[i + 1] === '"') { cell += '""'; i++; } else if (c === '"') { quoted = false; cell += c; } else cell += c;
    } else if (c === '"') { quoted = true; cell += c; } else if (c === ',') { cells.push(cell); cell = ''; } else cell += c;
  }
  cells.push(cell);
  cells[0] = `${cells[0]}-imported`;
  if (cells[7]) cells[7] = `${cells[7]}-I`;
  return cells.join(',');
};
const kept = [];
const handles = new Set();
for (const row of rows) {
  const handle = row.slice(0, row.indexOf(','));
  if (!handles.has(handle)) {
    if (handles.size === 10_000) break;
    handles.add(handle);
  }
  kept.push(renamed(row));
}
const csv = [header, ...kept].join('\n');
started = performance.now();
const preview = await call('POST', '/api/staff/products/import', { csv, apply: false });
const previewMs = performance.now() - started;
if (preview.errors.length > 0) throw new Error(`import errors: ${JSON.stringify(preview.errors.slice(0, 3))}`);
started = performance.now();
const applied = await call('POST', '/api/staff/products/import', { csv, apply: true });
const applyMs = performance.now() - started;
console.error(`import: ${JSON.stringify({ ...applied, errors: applied.errors.length })}`);
console.log(`CSV import preview, ${rows.length} rows\t${previewMs.toFixed(0)}\tms`);
console.log(`CSV import of 10,000 new products, applied\t${applyMs.toFixed(0)}\tms`);
