-- A signed-in shopper's wish list (see docs/wishlist.md): each kept product with its
-- price and stock when kept, so the list can say "Price dropped" and "Back in stock".
-- A guest's list stays on their device until they sign in.
CREATE TABLE wishlist_items (
    customer_id       BIGINT  NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    product_id        BIGINT  NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    added_at          TEXT    NOT NULL,
    saved_price_minor BIGINT  NOT NULL,
    saved_currency    TEXT    NOT NULL,
    saved_in_stock    BIGINT  NOT NULL CHECK (saved_in_stock IN (0, 1)),
    PRIMARY KEY (customer_id, product_id)
);
