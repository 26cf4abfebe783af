//! How an order is paid: the methods a shop offers, where an order's payment stands,
//! and the bank details a transfer goes to (with the IBAN's own check).

pub mod statement;

use serde::{Deserialize, Serialize};

/// A way to pay, as the checkout sends it (`payment_method`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum PaymentMethod {
    /// The courier collects the total.
    #[default]
    PayOnDelivery,
    /// Prepayment: the shopper transfers the total with the order number as reference;
    /// the order waits until staff see the money arrive.
    BankTransfer,
    /// For signed-in business customers with a VAT ID: the goods go first, the
    /// invoice says by when to pay (`invoice_due_days` in the shop's rules).
    Invoice,
}

impl PaymentMethod {
    pub const ALL: [PaymentMethod; 3] = [PaymentMethod::PayOnDelivery, PaymentMethod::BankTransfer, PaymentMethod::Invoice];

    pub fn as_str(self) -> &'static str {
        match self {
            PaymentMethod::PayOnDelivery => "pay_on_delivery",
            PaymentMethod::BankTransfer => "bank_transfer",
            PaymentMethod::Invoice => "invoice",
        }
    }

    pub fn parse(raw: &str) -> Option<PaymentMethod> {
        PaymentMethod::ALL.into_iter().find(|m| m.as_str() == raw)
    }

    /// The English name, for e-mails and messages that speak English.
    pub fn label(self) -> &'static str {
        match self {
            PaymentMethod::PayOnDelivery => "Pay on delivery",
            PaymentMethod::BankTransfer => "Bank transfer (prepayment)",
            PaymentMethod::Invoice => "Invoice (business customers)",
        }
    }

    /// The state a new order paid this way starts in.
    pub fn first_state(self) -> PaymentState {
        match self {
            PaymentMethod::PayOnDelivery => PaymentState::DueOnDelivery,
            PaymentMethod::BankTransfer => PaymentState::AwaitingPayment,
            PaymentMethod::Invoice => PaymentState::OnInvoice,
        }
    }
}

/// Where an order's payment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum PaymentState {
    /// Nothing is taken before the parcel arrives.
    #[default]
    DueOnDelivery,
    /// Waiting for the shopper's transfer: the order is not packed before it arrives.
    AwaitingPayment,
    /// Sent first and paid by the invoice's due day; staff mark it paid when the money
    /// is in.
    OnInvoice,
    Paid,
}

impl PaymentState {
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentState::DueOnDelivery => "due_on_delivery",
            PaymentState::AwaitingPayment => "awaiting_payment",
            PaymentState::OnInvoice => "on_invoice",
            PaymentState::Paid => "paid",
        }
    }

    pub fn parse(raw: &str) -> Option<PaymentState> {
        [PaymentState::DueOnDelivery, PaymentState::AwaitingPayment, PaymentState::OnInvoice, PaymentState::Paid].into_iter().find(|s| s.as_str() == raw)
    }
}

/// How long a shop waits for a bank transfer: set in the rules file under
/// `bank_transfer`. A reminder after `remind_after_days`; after `cancel_after_days` the
/// order is cancelled and its items go back on sale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TransferTerms {
    pub remind_after_days: u16,
    pub cancel_after_days: u16,
}

impl Default for TransferTerms {
    /// A week, then another.
    fn default() -> TransferTerms {
        TransferTerms { remind_after_days: 7, cancel_after_days: 14 }
    }
}

/// What an order still awaiting its transfer needs now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unpaid {
    /// Nothing yet.
    Wait,
    /// A reminder (it has had none).
    Remind,
    /// Cancel it: the time to pay is over.
    Cancel,
}

impl TransferTerms {
    pub fn check(&self) -> Result<(), String> {
        if self.remind_after_days == 0 || self.cancel_after_days <= self.remind_after_days {
            return Err(format!(
                "bank_transfer: the reminder ({} days) must come after the order and before the cancelling ({} days)",
                self.remind_after_days, self.cancel_after_days
            ));
        }
        Ok(())
    }

    /// What an order placed `age_seconds` ago, reminded or not, needs. The cancelling
    /// waits for a reminder first: a shop whose server was down through the reminder
    /// day still warns before it cancels, and gives the reminder's days to pay.
    pub fn due(&self, age_seconds: i64, reminded_seconds_ago: Option<i64>) -> Unpaid {
        let day = 86_400;
        let (remind, cancel) = (i64::from(self.remind_after_days) * day, i64::from(self.cancel_after_days) * day);
        let grace = cancel - remind;
        match reminded_seconds_ago {
            None if age_seconds >= remind => Unpaid::Remind,
            Some(since) if age_seconds >= cancel && since >= grace.min(3 * day) => Unpaid::Cancel,
            _ => Unpaid::Wait,
        }
    }

    /// The day a reminder sent on `today` (days since 1970) gives as the last to pay.
    pub fn pay_by(&self, placed_day: i64, today: i64) -> i64 {
        let grace = i64::from(self.cancel_after_days - self.remind_after_days).min(3);
        (placed_day + i64::from(self.cancel_after_days)).max(today + grace)
    }
}

/// Where a transfer goes: the shop's account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BankAccount {
    /// The account holder, as the bank knows the shop.
    pub holder: String,
    /// Grouped in fours for reading: "DE89 3704 0044 0532 0130 00".
    pub iban: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub bic: String,
}

/// What a shopper paying by transfer needs: where to, how much, and the reference that
/// lets staff match the money to the order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TransferDetails {
    pub account: BankAccount,
    pub amount: crate::Money,
    /// The order number.
    pub reference: String,
}

/// An IBAN, checked: two letters, two check digits and the account, whose ISO 7064
/// mod-97 remainder is 1. Spaces are allowed anywhere; letters any case.
pub fn parse_iban(raw: &str) -> Result<String, String> {
    let compact: String = raw.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
    let well_formed = (15..=34).contains(&compact.len())
        && compact.bytes().take(2).all(|b| b.is_ascii_uppercase())
        && compact.bytes().skip(2).take(2).all(|b| b.is_ascii_digit())
        && compact.bytes().all(|b| b.is_ascii_alphanumeric());
    if !well_formed {
        return Err(format!("{raw:?} is not an IBAN: two letters, two digits, then the account."));
    }
    // The first four characters go to the end; letters count as 10–35.
    let rotated = compact[4..].bytes().chain(compact[..4].bytes());
    let mut remainder: u32 = 0;
    for b in rotated {
        let value = if b.is_ascii_digit() { u32::from(b - b'0') } else { u32::from(b - b'A') + 10 };
        remainder = if value >= 10 { (remainder * 100 + value) % 97 } else { (remainder * 10 + value) % 97 };
    }
    if remainder != 1 {
        return Err(format!("{raw:?} is not a valid IBAN: its check digits do not match (a typo?)."));
    }
    Ok(compact.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join(" "))
}

#[cfg(test)]
mod tests {

    const DAY: i64 = 86_400;

    #[test]
    fn an_unpaid_transfer_is_reminded_then_cancelled() {
        let t = TransferTerms::default();
        assert_eq!(t.due(6 * DAY, None), Unpaid::Wait);
        assert_eq!(t.due(7 * DAY, None), Unpaid::Remind);
        assert_eq!(t.due(10 * DAY, Some(3 * DAY)), Unpaid::Wait, "reminded, still in time");
        assert_eq!(t.due(14 * DAY, Some(7 * DAY)), Unpaid::Cancel);
        assert_eq!(t.due(20 * DAY, None), Unpaid::Remind, "never cancelled without a reminder first");
        // A late reminder (the shop was down) still gives three days.
        assert_eq!(t.due(15 * DAY, Some(DAY)), Unpaid::Wait);
        assert_eq!(t.due(16 * DAY, Some(3 * DAY)), Unpaid::Cancel);
        assert_eq!(t.pay_by(100, 107), 114);
        assert_eq!(t.pay_by(100, 113), 116);
    }

    #[test]
    fn transfer_terms_are_checked() {
        assert!(TransferTerms::default().check().is_ok());
        assert!(TransferTerms { remind_after_days: 7, cancel_after_days: 7 }.check().is_err());
        assert!(TransferTerms { remind_after_days: 0, cancel_after_days: 7 }.check().is_err());
    }

    use super::*;

    #[test]
    fn ibans_are_checked_and_grouped() {
        assert_eq!(parse_iban("de89370400440532013000").as_deref(), Ok("DE89 3704 0044 0532 0130 00"));
        assert_eq!(parse_iban("GB82 WEST 1234 5698 7654 32").as_deref(), Ok("GB82 WEST 1234 5698 7654 32"));
        assert!(parse_iban("DE89370400440532013001").is_err_and(|e| e.contains("check digits")));
        assert!(parse_iban("12345").is_err());
        assert!(parse_iban("").is_err());
    }

    #[test]
    fn methods_and_states_read_back() {
        for m in PaymentMethod::ALL {
            assert_eq!(PaymentMethod::parse(m.as_str()), Some(m));
        }
        assert_eq!(PaymentMethod::BankTransfer.first_state(), PaymentState::AwaitingPayment);
        assert_eq!(PaymentState::parse("paid"), Some(PaymentState::Paid));
        assert_eq!(PaymentState::parse("on_invoice"), Some(PaymentState::OnInvoice));
        assert_eq!(PaymentMethod::Invoice.first_state(), PaymentState::OnInvoice);
    }
}
