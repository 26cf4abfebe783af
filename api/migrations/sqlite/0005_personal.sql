-- What the shop learns from how shoppers use it, and what they allow it to learn.
-- Times are UTC ISO-8601 text, like everywhere else.

-- The clickstream: one row per thing a shopper did, as the app reported it. A signed-in
-- shopper's rows carry their account id; a guest's only the random id their device
-- keeps (device_id), which says nothing about who they are. `at` is when the server
-- received it, `client_at` what the device said (trusted only for ordering).
CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER REFERENCES customers (id) ON DELETE SET NULL,
    device_id   TEXT    NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('product_view', 'search', 'cart_add', 'cart_remove', 'checkout_started', 'checkout_finished')),
    product_id  INTEGER,
    query       TEXT,
    results     INTEGER,
    client_at   TEXT    NOT NULL,
    at          TEXT    NOT NULL
);
-- The insight page reads a period of one kind at a time (funnel steps, empty searches).
CREATE INDEX events_by_kind ON events (kind, at);
-- A shopper's own events: their data export, switching the clickstream off, erasure.
CREATE INDEX events_by_customer ON events (customer_id, id);

-- A shopper's choices; no row means the defaults (both on).
CREATE TABLE privacy_settings (
    customer_id     INTEGER PRIMARY KEY REFERENCES customers (id) ON DELETE CASCADE,
    personalisation INTEGER NOT NULL DEFAULT 1,
    clickstream     INTEGER NOT NULL DEFAULT 1,
    updated_at      TEXT    NOT NULL
);

-- The insight page's response times and ratings read a period at a time.
CREATE INDEX conversations_by_start ON conversations (started_at);
CREATE INDEX tickets_by_creation ON tickets (created_at);
CREATE INDEX ratings_by_time ON ratings (at);
CREATE INDEX orders_by_placing ON orders (placed_at);
