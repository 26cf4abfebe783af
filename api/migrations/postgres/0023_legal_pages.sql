-- The shop's legal pages (see docs/checkout.md, "Legal pages"): every save is a new
-- version, none is ever changed, so an order can always show the terms it was placed
-- under. The server writes version 1 of each from its sample texts when none exists.
CREATE TABLE legal_pages (
    kind         TEXT    NOT NULL CHECK (kind IN ('terms', 'withdrawal', 'privacy', 'imprint')),
    version      BIGINT NOT NULL CHECK (version > 0),
    title        TEXT    NOT NULL,
    body         TEXT    NOT NULL,
    published_at TEXT    NOT NULL,
    -- The staff member who saved it; empty for the sample texts.
    published_by TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (kind, version)
);

-- The version of the terms the shopper accepted by placing the order.
ALTER TABLE orders ADD COLUMN terms_version BIGINT;
