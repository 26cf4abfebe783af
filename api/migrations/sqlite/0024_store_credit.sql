-- Store credit (see docs/checkout.md, "Store credit and price-drop protection"): a
-- ledger per account, every credit and debit with its reason; the balance is its sum.
CREATE TABLE store_credit (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    amount_minor INTEGER NOT NULL CHECK (amount_minor <> 0),
    currency     TEXT    NOT NULL,
    reason       TEXT    NOT NULL CHECK (reason IN ('price_drop', 'spent', 'refunded')),
    order_id     INTEGER REFERENCES orders (id),
    product_name TEXT,
    at           TEXT    NOT NULL
);
CREATE INDEX store_credit_by_customer ON store_credit (customer_id, id);

-- The lowest unit price a line was credited down to after a price cut.
ALTER TABLE order_items ADD COLUMN protected_price_minor INTEGER;
-- Store credit spent on the order (part of its total, paid already).
ALTER TABLE orders ADD COLUMN credit_minor INTEGER NOT NULL DEFAULT 0;
