-- An order's lines keep the order the shopper put them in. SQLite had kept it by
-- rowid, which PostgreSQL does not have; `line` says it in both. Existing lines
-- take their rowid, so they read back as before.
ALTER TABLE order_items ADD COLUMN line INTEGER NOT NULL DEFAULT 0;
UPDATE order_items SET line = rowid;
