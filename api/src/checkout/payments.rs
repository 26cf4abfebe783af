//! Payment providers. Checkout asks the chosen provider to authorise the order total
//! inside the order's transaction, after stock and prices are confirmed and before the
//! order exists; a refusal rolls everything back. Aisle never sees card data: a card
//! provider would authorise through its own hosted page or token.
//!
//! To add one, implement [`PaymentProvider`] and list it in [`PROVIDERS`].

use aisle_domain::{checkout::PAY_ON_DELIVERY, Money};

pub enum Authorisation {
    /// Nothing is taken now; the courier collects on delivery.
    DueOnDelivery,
    /// The provider holds the amount under this reference.
    Authorised { reference: String },
}

pub trait PaymentProvider: Send + Sync {
    /// The id the checkout sends (`payment_method`).
    fn id(&self) -> &'static str;
    /// Authorises `total`, or says in plain words why not.
    fn authorise(&self, total: Money) -> Result<Authorisation, String>;
}

pub struct PayOnDelivery;

impl PaymentProvider for PayOnDelivery {
    fn id(&self) -> &'static str {
        PAY_ON_DELIVERY
    }

    fn authorise(&self, _total: Money) -> Result<Authorisation, String> {
        Ok(Authorisation::DueOnDelivery)
    }
}

pub static PROVIDERS: &[&dyn PaymentProvider] = &[&PayOnDelivery];

pub fn provider(id: &str) -> Option<&'static dyn PaymentProvider> {
    PROVIDERS.iter().copied().find(|p| p.id() == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use aisle_domain::Currency;

    #[test]
    fn pay_on_delivery_is_built_in_and_takes_nothing_now() {
        let p = provider("pay_on_delivery").expect("built in");
        assert!(matches!(p.authorise(Money::new(1999, Currency::EUR)), Ok(Authorisation::DueOnDelivery)));
        assert!(provider("card").is_none());
    }
}
