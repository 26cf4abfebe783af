-- The catalogue the shop runs itself (staff edit products in the back office).

-- A product is a draft (staff only), published (shoppers see it) or archived (kept
-- for the orders that name it, shown to nobody). Existing products were all on sale.
ALTER TABLE products ADD COLUMN status TEXT NOT NULL DEFAULT 'published' CHECK (status IN ('draft', 'published', 'archived'));
-- "Was €X": NULL when there is no earlier price to show.
ALTER TABLE products ADD COLUMN compare_at_minor INTEGER CHECK (compare_at_minor IS NULL OR compare_at_minor >= 0);
ALTER TABLE products ADD COLUMN brand TEXT NOT NULL DEFAULT '';
-- The shop's own code (unique when given) and the GTIN/EAN barcode, both optional.
ALTER TABLE products ADD COLUMN sku TEXT;
ALTER TABLE products ADD COLUMN barcode TEXT;
ALTER TABLE products ADD COLUMN weight_grams INTEGER NOT NULL DEFAULT 0 CHECK (weight_grams >= 0);
-- Which VAT rate applies (the checkout turns class and destination into a rate).
ALTER TABLE products ADD COLUMN tax_class TEXT NOT NULL DEFAULT 'standard' CHECK (tax_class IN ('standard', 'reduced', 'zero'));
CREATE UNIQUE INDEX products_by_sku ON products (sku) WHERE sku IS NOT NULL;
CREATE INDEX products_by_status ON products (status);
-- "Was it ever ordered?" (a product that was is archived, not deleted), per product.
CREATE INDEX order_items_by_product ON order_items (product_id);

-- Slugs a product had before: a link shared with one redirects to the product's page.
CREATE TABLE product_old_slugs (
    slug       TEXT    PRIMARY KEY,
    product_id INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE
);

-- Products deleted for good, with the catalogue version of the deletion, so an offline
-- copy syncing past that version drops them.
CREATE TABLE product_tombstones (
    product_id INTEGER PRIMARY KEY,
    version    INTEGER NOT NULL
);
CREATE INDEX product_tombstones_by_version ON product_tombstones (version);

-- Who changed what, and when, per product. Kept after a deletion (no foreign key): the
-- last entry says who deleted it.
CREATE TABLE product_audit (
    id         INTEGER PRIMARY KEY,
    product_id INTEGER NOT NULL,
    at         TEXT    NOT NULL,
    staff_id   INTEGER,
    staff_name TEXT    NOT NULL,
    changes    TEXT    NOT NULL
);
CREATE INDEX product_audit_by_product ON product_audit (product_id, id);
