//! The `market_prices` column of products and variants (migration 0031): the prices
//! staff set by hand in the shop's other markets, as a JSON array of money.

use aisle_domain::Money;

pub fn read(json: &str) -> Result<Vec<Money>, sqlx::Error> {
    serde_json::from_str(json).map_err(|e| sqlx::Error::Decode(format!("a product's market prices: {e}").into()))
}

pub fn write(prices: &[Money]) -> String {
    serde_json::to_string(prices).unwrap_or_else(|_| "[]".into())
}
