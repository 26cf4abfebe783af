//! Importing a bank statement: every incoming payment whose purpose names an order or
//! invoice awaiting money, for exactly what it owes, marks that order paid. Anything
//! else is reported for staff to look at and changes nothing. One write transaction
//! for the whole file, so importing the same statement twice pays nothing twice.

use crate::{
    platform::{clock, db, error::ApiError},
    AppState,
};
use aisle_domain::{
    payment::{
        statement::{judge, parse_amount, references, Outcome, Reference, StatementLine, StatementReport},
        PaymentState,
    },
    Currency, Lang, Money,
};

/// More lines than a month of a small shop's account; a bigger file is split.
pub const MAX_LINES: usize = 5000;

/// The columns a statement needs, found by their headings in English or German.
struct Columns {
    date: usize,
    amount: usize,
    purpose: usize,
    payer: Option<usize>,
}

fn find(headings: &[String], words: &[&str]) -> Option<usize> {
    headings.iter().position(|h| words.iter().any(|w| h.contains(w)))
}

fn columns(headings: &[String]) -> Option<Columns> {
    Some(Columns {
        date: find(headings, &["booking date", "buchungstag", "buchungsdatum", "date", "datum", "valuta"])?,
        amount: find(headings, &["amount", "betrag", "credit"])?,
        purpose: find(headings, &["purpose", "verwendungszweck", "reference", "description", "memo", "details", "buchungstext"])?,
        payer: find(headings, &["payer", "auftraggeber", "zahlungspflichtig", "zahlungsbeteiligter", "counterparty", "name"]),
    })
}

/// The statement's rows under its heading row, and where its columns are. Banks put
/// account details above the heading and use `;`, `,` or tabs: the first of the first
/// twenty lines that reads as a heading with a date, an amount and a purpose wins.
fn read(csv: &str) -> Result<(Vec<(u32, Vec<String>)>, Columns), ApiError> {
    let csv = csv.trim_start_matches('\u{feff}');
    for delimiter in [b';', b',', b'\t'] {
        let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).flexible(true).from_reader(csv.as_bytes());
        let mut rows = reader.records();
        for row in rows.by_ref().take(20) {
            let Ok(row) = row else { break };
            let headings: Vec<String> = row.iter().map(|h| h.trim().to_lowercase()).collect();
            let Some(columns) = columns(&headings).filter(|_| headings.len() >= 3) else { continue };
            let mut out = Vec::new();
            for row in rows {
                let row = row.map_err(|e| ApiError::bad_request(format!("The statement cannot be read: {e}")))?;
                let line = row.position().map_or(0, |p| u32::try_from(p.line()).unwrap_or(u32::MAX));
                out.push((line, row.iter().map(|c| c.trim().to_string()).collect()));
                if out.len() > MAX_LINES {
                    return Err(ApiError::bad_request(format!("A statement can have at most {MAX_LINES} lines: please export a shorter period.")));
                }
            }
            return Ok((out, columns));
        }
    }
    Err(ApiError::bad_request(
        "This file has no columns we recognise: a bank statement as CSV needs a date, an amount and a purpose (Verwendungszweck) column, with their headings.",
    ))
}

/// An order that money can be for.
struct Owed {
    id: i64,
    number: String,
    status: String,
    state: PaymentState,
    due: Money,
}

async fn owed(tx: &mut db::Tx<'_>, reference: &Reference) -> Result<Option<Owed>, ApiError> {
    let sql = match reference {
        Reference::Order(_) => "SELECT id, number, status, payment_state, total_minor - credit_minor, currency FROM orders WHERE number = $1",
        Reference::Invoice(_) => {
            "SELECT o.id, o.number, o.status, o.payment_state, o.total_minor - o.credit_minor, o.currency FROM orders o \
             JOIN invoices i ON i.order_id = o.id WHERE i.number = $1 AND i.kind = 'invoice'"
        }
    };
    let number = match reference {
        Reference::Order(n) | Reference::Invoice(n) => n,
    };
    let row: Option<(i64, String, String, String, i64, String)> = sqlx::query_as(sql).bind(number).fetch_optional(&mut **tx).await?;
    let Some((id, number, status, state, due, currency)) = row else { return Ok(None) };
    let state = PaymentState::parse(&state).ok_or_else(|| ApiError::Internal(format!("unknown payment state {state}")))?;
    Ok(Some(Owed { id, number, status, state, due: Money::new(due, Currency::parse(&currency).map_err(ApiError::Internal)?) }))
}

/// Imports `csv`, marking paid what it pays, and says what each incoming line did.
pub async fn import(state: &AppState, csv: &str) -> Result<StatementReport, ApiError> {
    if csv.trim().is_empty() {
        return Err(ApiError::bad_request("The file is empty: please choose the statement exported from your bank as CSV."));
    }
    let (rows, c) = read(csv)?;
    let lang = Lang::En;
    let mut tx = db::begin_write(&state.db).await?;
    let mut lines = Vec::new();
    for (row, cells) in rows {
        let cell = |i: usize| cells.get(i).cloned().unwrap_or_default();
        let Some(amount) = parse_amount(&cell(c.amount)) else { continue };
        // Money going out is not a payment for an order.
        if amount <= 0 {
            continue;
        }
        let purpose = cell(c.purpose);
        let mut found = None;
        for reference in references(&purpose) {
            if let Some(o) = owed(&mut tx, &reference).await? {
                found = Some(o);
                break;
            }
        }
        let (order, outcome, message, currency) = match found {
            None => (None, Outcome::Unmatched, "No order or invoice number of this shop in the purpose: look it up by the payer, then mark the order paid by hand.".to_string(), Currency::EUR),
            Some(o) => {
                let paid = Money::new(amount, o.due.currency);
                let outcome = match judge(amount, o.due.minor, o.state) {
                    Outcome::Paid if o.status == "cancelled" => Outcome::Review,
                    other => other,
                };
                let message = match outcome {
                    Outcome::Paid => format!("{} for {}: marked paid.", lang.money(paid), o.number),
                    Outcome::AlreadyPaid => format!("{} was already paid: nothing changed (a second payment? then refund it).", o.number),
                    Outcome::Review if o.status == "cancelled" => format!("{} was cancelled: refund the {} or restore the order.", o.number, lang.money(paid)),
                    Outcome::Review => format!("{} arrived for {}, which owes {}: check with the shopper, then mark it paid by hand.", lang.money(paid), o.number, lang.money(o.due)),
                    Outcome::Unmatched => format!("{} is paid on delivery: this money is not for it.", o.number),
                };
                if outcome == Outcome::Paid {
                    sqlx::query("UPDATE orders SET payment_state = $1, paid_at = $2 WHERE id = $3 AND payment_state = $4")
                        .bind(PaymentState::Paid.as_str())
                        .bind(clock::now())
                        .bind(o.id)
                        .bind(o.state.as_str())
                        .execute(&mut *tx)
                        .await?;
                }
                (Some(o.number), outcome, message, o.due.currency)
            }
        };
        lines.push(StatementLine {
            row,
            booked_on: cell(c.date),
            payer: c.payer.map(cell).unwrap_or_default(),
            purpose,
            amount: Money::new(amount, currency),
            order,
            outcome,
            message,
        });
    }
    tx.commit().await?;
    let paid = lines.iter().filter(|l| l.outcome == Outcome::Paid).count();
    tracing::info!(lines = lines.len(), paid, "bank statement imported");
    Ok(StatementReport { lines })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_german_export_with_account_lines_above_its_heading_is_read() {
        let csv = "Kontonummer;DE89 3704 0044 0532 0130 00\n\nBuchungstag;Valuta;Auftraggeber/Empfänger;Verwendungszweck;Betrag (EUR)\n07.12.2026;07.12.2026;Ada Lovelace;Bestellung A000001;25,90\n";
        let (rows, c) = read(csv).expect("read");
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].0, 4);
        assert_eq!((c.date, c.amount, c.purpose, c.payer), (0, 4, 3, Some(2)));
    }

    #[test]
    fn an_english_export_with_commas_is_read_and_a_file_without_headings_refused() {
        let csv = "Date,Description,Amount,Payer\n2026-12-07,\"INV-000001, thanks\",\"1,234.50\",Ada\n";
        let (rows, c) = read(csv).expect("read");
        assert_eq!(rows[0].1[c.purpose], "INV-000001, thanks");
        assert!(read("1;2;3\n4;5;6\n").is_err());
    }
}
