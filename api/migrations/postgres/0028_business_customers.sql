-- Business customers (see docs/checkout.md, "Payment"): a company and a VAT ID on the
-- account, copied to each order so its invoice states them as they were.
ALTER TABLE customers ADD COLUMN company TEXT;
ALTER TABLE customers ADD COLUMN vat_id TEXT;
ALTER TABLE orders ADD COLUMN buyer_company TEXT;
ALTER TABLE orders ADD COLUMN buyer_vat_id TEXT;
