//! Payment providers. Checkout figures the order, asks the chosen provider to
//! authorise what is due, and only then takes the write lock to place it (see
//! `checkout::service::place`): a provider may take seconds to answer, and no other
//! order waits for it. An order that fails under the lock voids its authorisation.
//! Aisle never sees card data: a card provider would authorise through its own hosted
//! page or token (see `docs/checkout.md`, "Adding a card provider").
//!
//! To add one, implement [`PaymentProvider`] and offer it in [`Payments`].

use aisle_domain::{
    payment::{BankAccount, PaymentMethod},
    Money,
};
use async_trait::async_trait;

/// What checkout asks a provider for.
pub struct PaymentRequest<'a> {
    /// What is due after store credit.
    pub amount: Money,
    /// The checkout's idempotency key: a provider passes it on, so a retried checkout
    /// never authorises twice.
    pub order_key: &'a str,
    pub email: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Authorisation {
    /// Nothing is taken now; the courier collects on delivery.
    DueOnDelivery,
    /// The shopper transfers the total to this account, with the order number as
    /// reference; the order waits for it.
    AwaitingTransfer(BankAccount),
    /// The goods go first; the invoice asks for the money, by its due day, to this
    /// account.
    OnInvoice(BankAccount),
    /// The provider holds the amount under this reference, kept with the order.
    Authorised { reference: String },
}

impl Authorisation {
    /// The provider's reference, stored on the order (`orders.payment_reference`).
    pub fn reference(&self) -> Option<&str> {
        match self {
            Authorisation::Authorised { reference } => Some(reference),
            _ => None,
        }
    }
}

#[async_trait]
pub trait PaymentProvider: Send + Sync {
    fn method(&self) -> PaymentMethod;
    /// Authorises the amount, or says in plain words why not. Called outside any
    /// database transaction.
    async fn authorise(&self, request: &PaymentRequest<'_>) -> Result<Authorisation, String>;
    /// Releases an authorisation whose order was not placed after all.
    async fn void(&self, _authorisation: &Authorisation) -> Result<(), String> {
        Ok(())
    }
}

pub struct PayOnDelivery;

#[async_trait]
impl PaymentProvider for PayOnDelivery {
    fn method(&self) -> PaymentMethod {
        PaymentMethod::PayOnDelivery
    }

    async fn authorise(&self, _request: &PaymentRequest<'_>) -> Result<Authorisation, String> {
        Ok(Authorisation::DueOnDelivery)
    }
}

/// Prepayment by bank transfer to the shop's account.
pub struct BankTransfer(pub BankAccount);

#[async_trait]
impl PaymentProvider for BankTransfer {
    fn method(&self) -> PaymentMethod {
        PaymentMethod::BankTransfer
    }

    async fn authorise(&self, _request: &PaymentRequest<'_>) -> Result<Authorisation, String> {
        Ok(Authorisation::AwaitingTransfer(self.0.clone()))
    }
}

/// Payment by invoice, for business customers (checkout lets only a signed-in customer
/// with a VAT ID choose it): the invoice, issued when the order ships, says where to
/// pay and by when.
pub struct ByInvoice(pub BankAccount);

#[async_trait]
impl PaymentProvider for ByInvoice {
    fn method(&self) -> PaymentMethod {
        PaymentMethod::Invoice
    }

    async fn authorise(&self, _request: &PaymentRequest<'_>) -> Result<Authorisation, String> {
        Ok(Authorisation::OnInvoice(self.0.clone()))
    }
}

/// The providers this shop offers, one per method: pay on delivery always; bank
/// transfer and payment by invoice once the shop's account is set
/// (`AISLE_BANK_ACCOUNT`), as both are paid into it.
pub struct Payments {
    providers: Vec<Box<dyn PaymentProvider>>,
}

impl Payments {
    pub fn new(bank: Option<BankAccount>) -> Payments {
        let mut providers: Vec<Box<dyn PaymentProvider>> = vec![Box::new(PayOnDelivery)];
        if let Some(account) = bank {
            providers.push(Box::new(BankTransfer(account.clone())));
            providers.push(Box::new(ByInvoice(account)));
        }
        Payments { providers }
    }

    /// Offers `provider` for its method, in place of the one there was.
    pub fn with(mut self, provider: Box<dyn PaymentProvider>) -> Payments {
        match self.providers.iter().position(|p| p.method() == provider.method()) {
            Some(i) => self.providers[i] = provider,
            None => self.providers.push(provider),
        }
        self
    }

    /// No longer offers `method`.
    pub fn without(mut self, method: PaymentMethod) -> Payments {
        self.providers.retain(|p| p.method() != method);
        self
    }

    pub fn offered(&self) -> Vec<PaymentMethod> {
        PaymentMethod::ALL.into_iter().filter(|m| self.providers.iter().any(|p| p.method() == *m)).collect()
    }

    pub fn provider(&self, id: &str) -> Option<&dyn PaymentProvider> {
        let method = PaymentMethod::parse(id)?;
        self.providers.iter().find(|p| p.method() == method).map(|p| p.as_ref())
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

    #[tokio::test]
    async fn pay_on_delivery_is_built_in_and_bank_transfer_needs_an_account() {
        let request = PaymentRequest { amount: Money::new(1999, Currency::EUR), order_key: "key-0001", email: "ada@example.com" };
        let none = Payments::new(None);
        let p = none.provider("pay_on_delivery").expect("built in");
        assert_eq!(p.authorise(&request).await, Ok(Authorisation::DueOnDelivery));
        assert!(none.provider("bank_transfer").is_none());
        assert!(none.provider("card").is_none());
        let account = BankAccount { holder: "Aisle".into(), iban: "DE89 3704 0044 0532 0130 00".into(), bic: String::new() };
        let with = Payments::new(Some(account.clone()));
        assert_eq!(with.offered(), vec![PaymentMethod::PayOnDelivery, PaymentMethod::BankTransfer, PaymentMethod::Invoice]);
        assert_eq!(Payments::new(Some(account.clone())).without(PaymentMethod::Invoice).offered(), vec![PaymentMethod::PayOnDelivery, PaymentMethod::BankTransfer]);
        let bank = with.provider("bank_transfer").expect("offered");
        assert_eq!(bank.authorise(&request).await, Ok(Authorisation::AwaitingTransfer(account)));
        assert_eq!(Authorisation::Authorised { reference: "pi_1".into() }.reference(), Some("pi_1"));
    }
}
