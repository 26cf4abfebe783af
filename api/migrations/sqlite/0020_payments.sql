-- Where an order's payment stands (see docs/checkout.md, "Payment"): due on delivery,
-- awaiting a bank transfer, or paid; when it was marked paid; and, for a transfer, the
-- shop's account the shopper was told to pay to (JSON), kept with the order so a later
-- change of account does not rewrite what the confirmation said.
ALTER TABLE orders ADD COLUMN payment_state TEXT NOT NULL DEFAULT 'due_on_delivery';
ALTER TABLE orders ADD COLUMN paid_at TEXT;
ALTER TABLE orders ADD COLUMN pay_to TEXT;
