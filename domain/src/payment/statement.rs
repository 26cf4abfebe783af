//! Matching a bank statement to the orders it pays. The bank's file is read by the
//! server (columns vary by bank); what is decided per line lives here: the amount as
//! the bank wrote it, the order or invoice number in the purpose line, and what the
//! money does to the order it names.

use serde::{Deserialize, Serialize};

/// An amount as banks write it, in cents: "1.234,56", "1,234.56", "20", "+20,00",
/// "€ 20.00", "20.00 EUR". `None` for anything else.
pub fn parse_amount(raw: &str) -> Option<i64> {
    let kept: String = raw.chars().filter(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '-' | '+')).collect();
    let (negative, digits) = match kept.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, kept.strip_prefix('+').unwrap_or(&kept)),
    };
    if digits.is_empty() || digits.contains(['-', '+']) {
        return None;
    }
    // The last separator followed by one or two digits is the decimal one; any other
    // separates thousands.
    let last = digits.rfind(['.', ',']);
    let (whole, cents) = match last {
        Some(i) if (1..=2).contains(&(digits.len() - i - 1)) => (&digits[..i], &digits[i + 1..]),
        _ => (digits, ""),
    };
    let whole: String = whole.chars().filter(char::is_ascii_digit).collect();
    if whole.is_empty() && cents.is_empty() {
        return None;
    }
    let whole: i64 = if whole.is_empty() { 0 } else { whole.parse().ok()? };
    let cents: i64 = match cents.len() {
        0 => 0,
        1 => cents.parse::<i64>().ok()? * 10,
        _ => cents.parse().ok()?,
    };
    let amount = whole.checked_mul(100)?.checked_add(cents)?;
    Some(if negative { -amount } else { amount })
}

/// A number that names what a payment is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reference {
    /// An order number, `A000123`.
    Order(String),
    /// An invoice number, `INV-000001`.
    Invoice(String),
}

/// The order and invoice numbers in a purpose line, as the shop writes them, however
/// the payer typed them ("a000123", "A 000123", "inv 000001").
pub fn references(purpose: &str) -> Vec<Reference> {
    let upper = purpose.to_uppercase();
    let chars: Vec<char> = upper.chars().collect();
    let mut out = Vec::new();
    let digits_from = |mut i: usize| -> (String, usize) {
        while i < chars.len() && matches!(chars[i], ' ' | '-' | '/' | ':') {
            i += 1;
        }
        let start = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        (chars[start..i].iter().collect(), i)
    };
    let mut i = 0;
    while i < chars.len() {
        // A number starts a word: "A000123" in "ORDER A000123", not in "SPA000123".
        let starts_word = i == 0 || !chars[i - 1].is_ascii_alphanumeric();
        if starts_word && upper[upper.char_indices().nth(i).map_or(0, |(b, _)| b)..].starts_with("INV") {
            let (digits, end) = digits_from(i + 3);
            if digits.len() == 6 {
                out.push(Reference::Invoice(format!("INV-{digits}")));
                i = end;
                continue;
            }
        }
        if starts_word && chars[i] == 'A' {
            let (digits, end) = digits_from(i + 1);
            if digits.len() == 6 {
                out.push(Reference::Order(format!("A{digits}")));
                i = end;
                continue;
            }
        }
        i += 1;
    }
    out.dedup();
    out
}

/// What a statement line did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Outcome {
    /// The amount due arrived: the order is now paid.
    Paid,
    /// The order was paid before (an earlier import, or by hand): nothing changed.
    AlreadyPaid,
    /// Less or more than is due: staff look at it; nothing changed.
    Review,
    /// It names no order waiting for money: nothing changed.
    Unmatched,
}

impl Outcome {
    /// As the API writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Paid => "paid",
            Outcome::AlreadyPaid => "already_paid",
            Outcome::Review => "review",
            Outcome::Unmatched => "unmatched",
        }
    }
}

/// A line of a statement and what it did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatementLine {
    /// Its line in the file, the first being 1.
    pub row: u32,
    pub booked_on: String,
    pub payer: String,
    pub purpose: String,
    pub amount: crate::Money,
    /// The order it was matched to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<String>,
    pub outcome: Outcome,
    /// Why, in a sentence for staff.
    pub message: String,
}

/// `POST /api/staff/payments/statement`: a bank statement as the bank exported it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatementUpload {
    /// The CSV file's text.
    pub csv: String,
}

/// What the import did, line by line (money going out is left out).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatementReport {
    pub lines: Vec<StatementLine>,
}

/// What money arriving for an order does, given what the order still owes and where
/// its payment stands.
pub fn judge(amount_minor: i64, due_minor: i64, state: super::PaymentState) -> Outcome {
    match state {
        super::PaymentState::Paid => Outcome::AlreadyPaid,
        super::PaymentState::AwaitingPayment | super::PaymentState::OnInvoice if amount_minor == due_minor => Outcome::Paid,
        super::PaymentState::AwaitingPayment | super::PaymentState::OnInvoice => Outcome::Review,
        super::PaymentState::DueOnDelivery => Outcome::Unmatched,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::payment::PaymentState;
    use proptest::prelude::*;

    #[test]
    fn amounts_are_read_as_banks_write_them() {
        for (raw, cents) in [
            ("1.234,56", 123_456),
            ("1,234.56", 123_456),
            ("20", 2000),
            ("+20,00", 2000),
            ("-7,5", -750),
            ("€ 20.00", 2000),
            ("20.00 EUR", 2000),
            ("1.000", 100_000),
            ("0,99", 99),
        ] {
            assert_eq!(parse_amount(raw), Some(cents), "{raw}");
        }
        for raw in ["", "EUR", "-", "1-2"] {
            assert_eq!(parse_amount(raw), None, "{raw}");
        }
    }

    proptest! {
        #[test]
        fn an_amount_written_either_way_reads_back(cents in -10_000_000i64..10_000_000) {
            let (whole, frac) = (cents.abs() / 100, cents.abs() % 100);
            let sign = if cents < 0 { "-" } else { "" };
            let grouped = |sep: &str| {
                let w = whole.to_string();
                let mut out = String::new();
                for (i, c) in w.chars().enumerate() {
                    if i > 0 && (w.len() - i) % 3 == 0 {
                        out.push_str(sep);
                    }
                    out.push(c);
                }
                out
            };
            prop_assert_eq!(parse_amount(&format!("{sign}{},{frac:02}", grouped("."))), Some(cents));
            prop_assert_eq!(parse_amount(&format!("{sign}{}.{frac:02}", grouped(","))), Some(cents));
        }
    }

    #[test]
    fn order_and_invoice_numbers_are_found_however_typed() {
        assert_eq!(references("Order A000123, thank you"), vec![Reference::Order("A000123".into())]);
        assert_eq!(references("a 000123"), vec![Reference::Order("A000123".into())]);
        assert_eq!(references("RE INV-000001 / INV 000002"), vec![Reference::Invoice("INV-000001".into()), Reference::Invoice("INV-000002".into())]);
        assert_eq!(references("inv000007"), vec![Reference::Invoice("INV-000007".into())]);
        assert!(references("SPA000123 rent A0001234 A12345").is_empty(), "only whole numbers of the shop's shape");
        assert!(references("").is_empty());
    }

    #[test]
    fn money_for_an_order_pays_it_only_when_it_is_what_is_due() {
        assert_eq!(judge(2590, 2590, PaymentState::AwaitingPayment), Outcome::Paid);
        assert_eq!(judge(2590, 2590, PaymentState::OnInvoice), Outcome::Paid);
        assert_eq!(judge(2500, 2590, PaymentState::AwaitingPayment), Outcome::Review);
        assert_eq!(judge(2590, 2590, PaymentState::Paid), Outcome::AlreadyPaid);
        assert_eq!(judge(2590, 2590, PaymentState::DueOnDelivery), Outcome::Unmatched);
        for o in [Outcome::Paid, Outcome::AlreadyPaid, Outcome::Review, Outcome::Unmatched] {
            assert_eq!(serde_json::to_value(o).ok(), Some(serde_json::Value::from(o.as_str())));
        }
    }
}
