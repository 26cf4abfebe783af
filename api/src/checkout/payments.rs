//! Payment providers. Checkout asks the chosen provider to authorise the order total
//! inside the order's transaction, after stock and prices are confirmed and before the
//! order exists; a refusal rolls everything back. Aisle never sees card data: a card
//! provider would authorise through its own hosted page or token (see
//! `docs/checkout.md`, "Adding a card provider").
//!
//! To add one, implement [`PaymentProvider`] and offer it in [`Payments::provider`].

use aisle_domain::{
    payment::{BankAccount, PaymentMethod},
    Money,
};

pub enum Authorisation {
    /// Nothing is taken now; the courier collects on delivery.
    DueOnDelivery,
    /// The shopper transfers the total to this account, with the order number as
    /// reference; the order waits for it.
    AwaitingTransfer(BankAccount),
    /// The provider holds the amount under this reference.
    Authorised { reference: String },
}

pub trait PaymentProvider: Send + Sync {
    fn method(&self) -> PaymentMethod;
    /// Authorises `total`, or says in plain words why not.
    fn authorise(&self, total: Money) -> Result<Authorisation, String>;
}

pub struct PayOnDelivery;

impl PaymentProvider for PayOnDelivery {
    fn method(&self) -> PaymentMethod {
        PaymentMethod::PayOnDelivery
    }

    fn authorise(&self, _total: Money) -> Result<Authorisation, String> {
        Ok(Authorisation::DueOnDelivery)
    }
}

/// Prepayment by bank transfer to the shop's account.
pub struct BankTransfer(pub BankAccount);

impl PaymentProvider for BankTransfer {
    fn method(&self) -> PaymentMethod {
        PaymentMethod::BankTransfer
    }

    fn authorise(&self, _total: Money) -> Result<Authorisation, String> {
        Ok(Authorisation::AwaitingTransfer(self.0.clone()))
    }
}

/// The providers this shop offers: pay on delivery always, bank transfer once the
/// shop's account is set (`AISLE_BANK_ACCOUNT`).
pub struct Payments {
    pay_on_delivery: PayOnDelivery,
    bank_transfer: Option<BankTransfer>,
}

impl Payments {
    pub fn new(bank: Option<BankAccount>) -> Payments {
        Payments { pay_on_delivery: PayOnDelivery, bank_transfer: bank.map(BankTransfer) }
    }

    pub fn offered(&self) -> Vec<PaymentMethod> {
        let mut out = vec![PaymentMethod::PayOnDelivery];
        if self.bank_transfer.is_some() {
            out.push(PaymentMethod::BankTransfer);
        }
        out
    }

    pub fn provider(&self, id: &str) -> Option<&dyn PaymentProvider> {
        match PaymentMethod::parse(id)? {
            PaymentMethod::PayOnDelivery => Some(&self.pay_on_delivery),
            PaymentMethod::BankTransfer => self.bank_transfer.as_ref().map(|b| b as &dyn PaymentProvider),
        }
    }

    /// "pay on delivery or bank transfer", for a refusal's message.
    pub fn listed(&self) -> String {
        self.offered().iter().map(|m| m.label().to_lowercase()).collect::<Vec<_>>().join(" or ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aisle_domain::Currency;

    #[test]
    fn pay_on_delivery_is_built_in_and_bank_transfer_needs_an_account() {
        let none = Payments::new(None);
        let p = none.provider("pay_on_delivery").expect("built in");
        assert!(matches!(p.authorise(Money::new(1999, Currency::EUR)), Ok(Authorisation::DueOnDelivery)));
        assert!(none.provider("bank_transfer").is_none());
        assert!(none.provider("card").is_none());
        let account = BankAccount { holder: "Aisle".into(), iban: "DE89 3704 0044 0532 0130 00".into(), bic: String::new() };
        let with = Payments::new(Some(account.clone()));
        assert_eq!(with.offered(), vec![PaymentMethod::PayOnDelivery, PaymentMethod::BankTransfer]);
        assert!(matches!(with.provider("bank_transfer").map(|p| p.authorise(Money::new(1, Currency::EUR))), Some(Ok(Authorisation::AwaitingTransfer(a))) if a == account));
    }
}
