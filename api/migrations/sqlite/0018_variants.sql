-- Variants (see docs/catalogue.md, "Variants"): a product's options (Size, Colour,
-- Material: at most three, in order) and one row per combination it is sold in. A
-- product with variants keeps, in its own row, the lowest variant price and the stock
-- of all variants together, so listings read only `products`.
CREATE TABLE product_options (
    product_id    INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL CHECK (position BETWEEN 1 AND 3),
    name          TEXT    NOT NULL,
    -- The values in the shop's order, as a JSON array of strings.
    option_values TEXT    NOT NULL,
    PRIMARY KEY (product_id, position)
);

CREATE TABLE variants (
    id               INTEGER PRIMARY KEY,
    product_id       INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    position         INTEGER NOT NULL,
    -- NULL when the shop gave none; two variants never share one.
    sku              TEXT,
    option1          TEXT    NOT NULL,
    option2          TEXT    NOT NULL DEFAULT '',
    option3          TEXT    NOT NULL DEFAULT '',
    price_minor      INTEGER NOT NULL CHECK (price_minor >= 0),
    compare_at_minor INTEGER,
    stock            INTEGER NOT NULL CHECK (stock >= 0),
    weight_grams     INTEGER NOT NULL DEFAULT 0,
    -- One of the product's photos (an id in its `photos`), or none.
    photo_id         INTEGER,
    UNIQUE (product_id, option1, option2, option3)
);
CREATE UNIQUE INDEX variants_by_sku ON variants (sku);
CREATE INDEX variants_by_product ON variants (product_id, position);

-- A cart or order line is a product and, for a product with variants, one of them
-- (0: the product itself). Two sizes of one T-shirt are two lines, so the primary
-- keys take the variant; SQLite changes a primary key by copying the table.
CREATE TABLE cart_items_v (
    cart_id    INTEGER NOT NULL REFERENCES carts (id) ON DELETE CASCADE,
    product_id INTEGER NOT NULL REFERENCES products (id),
    variant_id INTEGER NOT NULL DEFAULT 0,
    quantity   INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 99),
    added_at   TEXT    NOT NULL,
    PRIMARY KEY (cart_id, product_id, variant_id)
);
INSERT INTO cart_items_v (cart_id, product_id, variant_id, quantity, added_at)
    SELECT cart_id, product_id, 0, quantity, added_at FROM cart_items;
DROP TABLE cart_items;
ALTER TABLE cart_items_v RENAME TO cart_items;

-- An order line keeps the variant's name and SKU as they were when ordered: a
-- variant may be renamed or deleted later, and the packing slip must still say what
-- was bought.
CREATE TABLE order_items_v (
    order_id         INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    product_id       INTEGER NOT NULL REFERENCES products (id),
    variant_id       INTEGER NOT NULL DEFAULT 0,
    variant_title    TEXT    NOT NULL DEFAULT '',
    sku              TEXT    NOT NULL DEFAULT '',
    name             TEXT    NOT NULL,
    slug             TEXT    NOT NULL,
    unit_price_minor INTEGER NOT NULL,
    quantity         INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 99),
    line             INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (order_id, product_id, variant_id)
);
INSERT INTO order_items_v (order_id, product_id, name, slug, unit_price_minor, quantity, line)
    SELECT order_id, product_id, name, slug, unit_price_minor, quantity, line FROM order_items;
DROP TABLE order_items;
ALTER TABLE order_items_v RENAME TO order_items;
CREATE INDEX order_items_by_product ON order_items (product_id);

-- "Tell me when it is back" for one size or colour (0: the product as a whole).
CREATE TABLE stock_alerts_v (
    id          INTEGER PRIMARY KEY,
    product_id  INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    variant_id  INTEGER NOT NULL DEFAULT 0,
    email       TEXT    NOT NULL,
    customer_id INTEGER REFERENCES customers (id) ON DELETE CASCADE,
    lang        TEXT    NOT NULL,
    created_at  TEXT    NOT NULL,
    sent_at     TEXT,
    UNIQUE (product_id, variant_id, email)
);
INSERT INTO stock_alerts_v (id, product_id, email, customer_id, lang, created_at, sent_at)
    SELECT id, product_id, email, customer_id, lang, created_at, sent_at FROM stock_alerts;
DROP TABLE stock_alerts;
ALTER TABLE stock_alerts_v RENAME TO stock_alerts;
CREATE INDEX stock_alerts_waiting ON stock_alerts (product_id) WHERE sent_at IS NULL;
CREATE INDEX stock_alerts_by_email ON stock_alerts (email);
