-- Photos of products (see docs/catalogue.md, "Photos").

-- Each product's photos, in order, as JSON: written whole by the catalogue writer and
-- read with the product, so the shop's busiest reads take no join.
ALTER TABLE products ADD COLUMN photos TEXT NOT NULL DEFAULT '[]';

-- The encoded files of every photo, when AISLE_MEDIA_STORE does not name a bucket or
-- a directory: every instance on the same database serves every photo. A name holds
-- the hash of the upload, so a row is written once and never changes.
CREATE TABLE media_files (
    name TEXT PRIMARY KEY,
    content_type TEXT NOT NULL,
    bytes BLOB NOT NULL,
    created_at TEXT NOT NULL
);
