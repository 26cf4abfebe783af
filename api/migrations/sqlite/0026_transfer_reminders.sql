-- When an order awaiting its bank transfer was reminded (see docs/checkout.md,
-- "Payment"): once, before it may be cancelled.
ALTER TABLE orders ADD COLUMN reminded_at TEXT;
