//! Prices: money as integer minor units of a currency.

pub mod amount;
pub mod money;
pub mod totals;
