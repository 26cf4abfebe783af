-- The payment provider's reference for an order it authorised (see
-- docs/checkout.md, "Adding a card provider"): what its webhook names the payment by.
ALTER TABLE orders ADD COLUMN payment_reference TEXT;
