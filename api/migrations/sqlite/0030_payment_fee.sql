-- The fee for the way of paying (see docs/checkout.md, "Payment"), when the shop
-- charges one, and the VAT in or on it (at delivery's rate).
ALTER TABLE orders ADD COLUMN fee_minor INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN fee_tax_minor INTEGER NOT NULL DEFAULT 0;
