-- E-mails a shopper can act on: an HTML part beside the plain text, the language the
-- shopper used, and links that open their order, ticket or password reset anywhere.

-- The HTML twin of `body` (NULL for e-mails queued before there was one), what kind
-- of e-mail it is, for the tests and the operator's eye, and the one-click unsubscribe
-- address its headers carry (RFC 8058), if it has one.
ALTER TABLE emails ADD COLUMN html TEXT;
ALTER TABLE emails ADD COLUMN kind TEXT NOT NULL DEFAULT 'plain';
ALTER TABLE emails ADD COLUMN unsubscribe TEXT;

-- The language the shopper used, so every later e-mail about the same thing speaks it.
ALTER TABLE orders ADD COLUMN lang TEXT NOT NULL DEFAULT 'en';
ALTER TABLE tickets ADD COLUMN lang TEXT NOT NULL DEFAULT 'en';
ALTER TABLE callbacks ADD COLUMN lang TEXT NOT NULL DEFAULT 'en';
-- Where the "call-back booked" e-mail goes (a signed-in shopper's address, or one a
-- guest gave); NULL sends none.
ALTER TABLE callbacks ADD COLUMN email TEXT;

-- Links sent by e-mail. The token is in the link; only its SHA-256 is kept, so a copy
-- of the database opens nothing. `subject_id` is the order, ticket, customer or stock
-- alert the link opens, by `kind`. A link stops working when it expires, when a
-- one-time link is used, or when its row is deleted (the shop revokes it).
CREATE TABLE links (
    token_hash TEXT    PRIMARY KEY,
    kind       TEXT    NOT NULL CHECK (kind IN ('order', 'ticket', 'password_reset', 'stock_alert')),
    subject_id INTEGER NOT NULL,
    created_at TEXT    NOT NULL,
    expires_at TEXT    NOT NULL,
    used_at    TEXT
);
CREATE INDEX links_by_subject ON links (kind, subject_id);
CREATE INDEX links_by_expiry ON links (expires_at);

-- "E-mail me when it's back": one row per address and product, sent once.
CREATE TABLE stock_alerts (
    id          INTEGER PRIMARY KEY,
    product_id  INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    email       TEXT    NOT NULL,
    customer_id INTEGER REFERENCES customers (id) ON DELETE CASCADE,
    lang        TEXT    NOT NULL,
    created_at  TEXT    NOT NULL,
    sent_at     TEXT,
    UNIQUE (product_id, email)
);
CREATE INDEX stock_alerts_waiting ON stock_alerts (product_id) WHERE sent_at IS NULL;
CREATE INDEX stock_alerts_by_email ON stock_alerts (email);
