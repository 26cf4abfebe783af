-- PostgreSQL twin of migrations/sqlite/0007_order_lines.sql: an order's lines keep
-- the order the shopper put them in.
ALTER TABLE order_items ADD COLUMN line BIGINT NOT NULL DEFAULT 0;
