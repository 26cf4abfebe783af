-- PostgreSQL twin of migrations/sqlite/0009_catalogue_versions.sql: every product write
-- takes the next number from a one-row counter whose row lock lasts until the write
-- commits, so the catalogue sync cursor `version > n` follows commit order.
CREATE TABLE catalogue_version (
    id      BIGINT PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
ALTER TABLE products ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
UPDATE products SET version = r.n
FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY updated_at, id) AS n FROM products) AS r
WHERE r.id = products.id;
INSERT INTO catalogue_version (id, version) SELECT 1, COUNT(*) FROM products;
CREATE INDEX products_by_version ON products (version);
