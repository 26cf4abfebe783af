-- Sales: automatic offers without a code (see docs/checkout.md, "Sales"). While one
-- runs, the products it covers carry its price; sale_prices remembers what each had
-- before, to give it back when the sale ends.
CREATE TABLE sales (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL,
    percent    INTEGER NOT NULL CHECK (percent BETWEEN 1 AND 90),
    -- A category slug, and/or product ids as a JSON array.
    category   TEXT,
    products   TEXT    NOT NULL DEFAULT '[]',
    starts_on  TEXT    NOT NULL,
    ends_on    TEXT    NOT NULL,
    -- 1 once staff stopped it before its last day.
    stopped    INTEGER NOT NULL DEFAULT 0,
    started_at TEXT,
    ended_at   TEXT,
    -- Prices staff changed while it ran, left as they were when it ended.
    kept       INTEGER NOT NULL DEFAULT 0,
    created_at TEXT    NOT NULL
);

CREATE TABLE sale_prices (
    sale_id           INTEGER NOT NULL REFERENCES sales (id) ON DELETE CASCADE,
    product_id        INTEGER NOT NULL,
    -- 0 for a product without variants.
    variant_id        INTEGER NOT NULL,
    was_minor         INTEGER NOT NULL,
    compare_was_minor INTEGER,
    sale_minor        INTEGER NOT NULL,
    PRIMARY KEY (sale_id, product_id, variant_id)
);
