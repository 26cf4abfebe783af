-- The catalogue sync cursor was (updated_at, id): whole seconds, so a change committed
-- after a sync, in the same second as the cursor but to a lower id, was skipped. Each
-- product write now takes the next number from this one-row counter. The counter's row
-- stays locked until the write commits (SQLite has one writer anyway; PostgreSQL holds
-- the row lock), so numbers are handed out in commit order and `version > cursor` never
-- skips a change. See db::next_catalogue_versions.
CREATE TABLE catalogue_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
ALTER TABLE products ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
-- Existing products in the order the old cursor saw them.
UPDATE products SET version = r.n
FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY updated_at, id) AS n FROM products) AS r
WHERE r.id = products.id;
INSERT INTO catalogue_version (id, version) SELECT 1, COUNT(*) FROM products;
CREATE INDEX products_by_version ON products (version);
