-- The day the checkout promised delivery (or collection), YYYY-MM-DD, as the shopper
-- saw it (see docs/checkout.md, "The delivery promise").
ALTER TABLE orders ADD COLUMN promised_on TEXT;
