-- Discount codes (see docs/checkout.md, "Discount codes"): the terms staff set, the
-- uses counted (the count only rises while under its limit, so the last use goes to one
-- order), each order's use with who redeemed it, and the code a cart holds.
CREATE TABLE discount_codes (
    id                   INTEGER PRIMARY KEY,
    code                 TEXT    NOT NULL UNIQUE,
    benefit              TEXT    NOT NULL CHECK (benefit IN ('percent', 'fixed', 'free_delivery')),
    percent              INTEGER CHECK (percent BETWEEN 1 AND 100),
    amount_minor         INTEGER CHECK (amount_minor > 0),
    min_spend_minor      INTEGER,
    -- Days in the shop's time zone, YYYY-MM-DD; both count.
    starts_on            TEXT,
    ends_on              TEXT,
    max_uses             INTEGER,
    max_uses_per_shopper INTEGER,
    -- Category slugs and product ids as JSON arrays; empty: every product.
    categories           TEXT    NOT NULL DEFAULT '[]',
    products             TEXT    NOT NULL DEFAULT '[]',
    uses                 INTEGER NOT NULL DEFAULT 0 CHECK (max_uses IS NULL OR uses <= max_uses),
    created_at           TEXT    NOT NULL
);

CREATE TABLE discount_code_uses (
    order_id       INTEGER PRIMARY KEY REFERENCES orders (id) ON DELETE CASCADE,
    code_id        INTEGER NOT NULL REFERENCES discount_codes (id) ON DELETE CASCADE,
    -- `customer:<id>` or `email:<address>`, for the per-shopper limit.
    shopper        TEXT    NOT NULL,
    discount_minor INTEGER NOT NULL
);
CREATE INDEX discount_code_uses_by_code ON discount_code_uses (code_id, shopper);

ALTER TABLE carts ADD COLUMN discount_code TEXT;
ALTER TABLE orders ADD COLUMN discount_code TEXT;
