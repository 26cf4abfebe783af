-- Ratings become reviews (see docs/reviews.md): a title and text beside the stars,
-- shown on the product page once published, with the shop's reply and how many found
-- them helpful. Still one per product of a delivered order.
CREATE TABLE reviews (
    id            INTEGER PRIMARY KEY,
    order_id      INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    product_id    INTEGER NOT NULL,
    customer_id   INTEGER REFERENCES customers (id) ON DELETE SET NULL,
    rating        INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    title         TEXT    NOT NULL DEFAULT '',
    comment       TEXT    NOT NULL DEFAULT '',
    -- published: on the product page and in its stars; held: waiting for staff (a link
    -- or strong language, see `hold_reason`); hidden: taken down by staff.
    status        TEXT    NOT NULL DEFAULT 'published' CHECK (status IN ('published', 'held', 'hidden')),
    hold_reason   TEXT,
    hidden_reason TEXT    NOT NULL DEFAULT '',
    reply         TEXT    NOT NULL DEFAULT '',
    reply_at      TEXT,
    helpful       INTEGER NOT NULL DEFAULT 0,
    at            TEXT    NOT NULL,
    edited_at     TEXT,
    UNIQUE (order_id, product_id)
);
-- A comment written before reviews existed was written to the shop, not to the public:
-- staff decide whether it is shown. Its stars count at once, as stars alone do.
INSERT INTO reviews (order_id, product_id, customer_id, rating, comment, status, hold_reason, at)
SELECT order_id, product_id, customer_id, rating, comment,
       CASE WHEN comment = '' THEN 'published' ELSE 'held' END,
       CASE WHEN comment = '' THEN NULL ELSE 'before_reviews' END, at
FROM ratings ORDER BY at;
DROP TABLE ratings;
CREATE INDEX reviews_by_customer ON reviews (customer_id, at);
CREATE INDEX reviews_by_product ON reviews (product_id, status, at);
CREATE INDEX reviews_by_status ON reviews (status, at);
CREATE INDEX reviews_by_time ON reviews (at);

-- "Was this helpful?": one yes per review from each visitor (`customer:<id>` or a
-- session's hash).
CREATE TABLE review_votes (
    review_id INTEGER NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
    voter     TEXT    NOT NULL,
    PRIMARY KEY (review_id, voter)
);

-- Each product's published stars, kept on its row by every review change so a product
-- read, a listing and the offline catalogue carry them without a count per read.
ALTER TABLE products ADD COLUMN rating_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE products ADD COLUMN rating_sum INTEGER NOT NULL DEFAULT 0;
UPDATE products SET
    rating_count = (SELECT COUNT(*) FROM reviews r WHERE r.product_id = products.id AND r.status = 'published'),
    rating_sum = COALESCE((SELECT SUM(r.rating) FROM reviews r WHERE r.product_id = products.id AND r.status = 'published'), 0);
