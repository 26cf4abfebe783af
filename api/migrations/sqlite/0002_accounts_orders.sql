-- Accounts, sessions, carts, orders and the e-mail outbox.
-- Times are UTC ISO-8601 text ("2026-11-12T09:30:00Z"), which sorts and compares.

CREATE TABLE customers (
    id            INTEGER PRIMARY KEY,
    email         TEXT    NOT NULL UNIQUE,
    name          TEXT    NOT NULL,
    phone         TEXT,
    password_hash TEXT    NOT NULL,
    is_staff      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT    NOT NULL
);

-- One row per browser. The cookie holds a random token; only its SHA-256 is stored,
-- so a copy of the database does not let anyone take over a session.
CREATE TABLE sessions (
    token_hash  TEXT    PRIMARY KEY,
    customer_id INTEGER REFERENCES customers (id) ON DELETE CASCADE,
    csrf_token  TEXT    NOT NULL,
    created_at  TEXT    NOT NULL,
    expires_at  TEXT    NOT NULL
);
CREATE INDEX sessions_by_customer ON sessions (customer_id);

CREATE TABLE addresses (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    line1       TEXT    NOT NULL,
    line2       TEXT    NOT NULL DEFAULT '',
    city        TEXT    NOT NULL,
    postcode    TEXT    NOT NULL,
    country     TEXT    NOT NULL,
    is_default  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX addresses_by_customer ON addresses (customer_id);

-- A cart belongs to an account, or to a guest's session until they sign in.
CREATE TABLE carts (
    id            INTEGER PRIMARY KEY,
    customer_id   INTEGER UNIQUE REFERENCES customers (id) ON DELETE CASCADE,
    session_hash  TEXT    UNIQUE REFERENCES sessions (token_hash) ON DELETE CASCADE,
    updated_at    TEXT    NOT NULL,
    CHECK ((customer_id IS NULL) <> (session_hash IS NULL))
);

CREATE TABLE cart_items (
    cart_id    INTEGER NOT NULL REFERENCES carts (id) ON DELETE CASCADE,
    product_id INTEGER NOT NULL REFERENCES products (id),
    quantity   INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 99),
    added_at   TEXT    NOT NULL,
    PRIMARY KEY (cart_id, product_id)
);

CREATE TABLE orders (
    id               INTEGER PRIMARY KEY,
    number           TEXT    NOT NULL UNIQUE,
    customer_id      INTEGER REFERENCES customers (id) ON DELETE SET NULL,
    email            TEXT    NOT NULL,
    status           TEXT    NOT NULL,
    placed_at        TEXT    NOT NULL,
    total_minor      INTEGER NOT NULL,
    currency         TEXT    NOT NULL,
    payment_method   TEXT    NOT NULL,
    ship_name        TEXT    NOT NULL,
    ship_line1       TEXT    NOT NULL,
    ship_line2       TEXT    NOT NULL,
    ship_city        TEXT    NOT NULL,
    ship_postcode    TEXT    NOT NULL,
    ship_country     TEXT    NOT NULL,
    carrier          TEXT,
    tracking_number  TEXT,
    shipped_at       TEXT,
    return_reason    TEXT,
    access_token     TEXT    NOT NULL,
    -- The same key on a retried checkout returns this order instead of a new one.
    idempotency_key  TEXT    NOT NULL UNIQUE
);
CREATE INDEX orders_by_customer ON orders (customer_id, placed_at);
CREATE INDEX orders_by_status ON orders (status, placed_at);

CREATE TABLE order_items (
    order_id         INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    product_id       INTEGER NOT NULL REFERENCES products (id),
    name             TEXT    NOT NULL,
    slug             TEXT    NOT NULL,
    unit_price_minor INTEGER NOT NULL,
    quantity         INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 99),
    PRIMARY KEY (order_id, product_id)
);

-- The order's timeline: one row per status it reached (and notes such as changes).
CREATE TABLE order_events (
    id       INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    status   TEXT    NOT NULL,
    at       TEXT    NOT NULL,
    note     TEXT
);
CREATE INDEX order_events_by_order ON order_events (order_id, id);

-- E-mails are written here in the same transaction as what caused them, then
-- delivered by a background task, so none is lost if delivery fails for a while.
CREATE TABLE emails (
    id         INTEGER PRIMARY KEY,
    to_addr    TEXT    NOT NULL,
    subject    TEXT    NOT NULL,
    body       TEXT    NOT NULL,
    created_at TEXT    NOT NULL,
    sent_at    TEXT,
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT
);
CREATE INDEX emails_unsent ON emails (sent_at) WHERE sent_at IS NULL;
