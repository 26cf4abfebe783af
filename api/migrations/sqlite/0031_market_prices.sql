-- Prices staff set by hand for other markets (a currency for a group of countries):
-- a JSON array of money, `[{"minor": 2499, "currency": "GBP"}]`. A market with no
-- price here converts the shop's own price at its rate (domain `market`).
ALTER TABLE products ADD COLUMN market_prices TEXT NOT NULL DEFAULT '[]';
ALTER TABLE variants ADD COLUMN market_prices TEXT NOT NULL DEFAULT '[]';
