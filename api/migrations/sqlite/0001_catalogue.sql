-- The catalogue: categories and their products. Prices are integer minor units with
-- an ISO 4217 currency code; stock is the count on hand and can never go negative.
CREATE TABLE categories (
    id          INTEGER PRIMARY KEY,
    slug        TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    description TEXT    NOT NULL,
    position    INTEGER NOT NULL
);

CREATE TABLE products (
    id          INTEGER PRIMARY KEY,
    slug        TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    description TEXT    NOT NULL,
    category_id INTEGER NOT NULL REFERENCES categories (id),
    price_minor INTEGER NOT NULL CHECK (price_minor >= 0),
    currency    TEXT    NOT NULL,
    stock       INTEGER NOT NULL CHECK (stock >= 0),
    featured    INTEGER NOT NULL DEFAULT 0,
    updated_at  TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- A category page lists its products by name.
CREATE INDEX products_by_category ON products (category_id, name, id);
CREATE INDEX products_featured ON products (featured) WHERE featured = 1;
