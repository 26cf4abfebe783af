-- Delivery and VAT (see docs/checkout.md): what an order's total is made of. An
-- order placed before has no goods_minor: its total was its goods.
ALTER TABLE orders ADD COLUMN goods_minor INTEGER;
ALTER TABLE orders ADD COLUMN discount_minor INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN delivery_method TEXT NOT NULL DEFAULT 'standard';
ALTER TABLE orders ADD COLUMN delivery_minor INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN price_basis TEXT NOT NULL DEFAULT 'gross';
-- The VAT by rate, as JSON: [{"rate": 1900, "tax_minor": 758}].
ALTER TABLE orders ADD COLUMN tax_lines TEXT NOT NULL DEFAULT '[]';
