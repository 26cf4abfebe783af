//! A business customer's VAT identification number, checked for the format its country
//! uses (the EU's VIES formats, the UK's and Switzerland's). Whether the number is
//! registered is the tax office's to say: VIES cannot be reached from here, so a shop
//! that needs certainty checks it there before the first invoice.

use super::FieldError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A VAT ID in its compact form: the country prefix, then the number, upper case,
/// without spaces, dots or dashes ("DE123456789", "CHE123456789").
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct VatId(String);

/// Each prefix's shapes after it: `9` a digit, `A` a letter, `X` either, anything
/// else itself.
const FORMATS: &[(&str, &[&str])] = &[
    ("AT", &["U99999999"]),
    ("BE", &["0999999999", "1999999999"]),
    ("BG", &["999999999", "9999999999"]),
    ("CHE", &["999999999"]),
    ("CY", &["99999999A"]),
    ("CZ", &["99999999", "999999999", "9999999999"]),
    ("DE", &["999999999"]),
    ("DK", &["99999999"]),
    ("EE", &["999999999"]),
    ("EL", &["999999999"]),
    ("ES", &["X9999999X"]),
    ("FI", &["99999999"]),
    ("FR", &["XX999999999"]),
    ("GB", &["999999999", "999999999999"]),
    ("HR", &["99999999999"]),
    ("HU", &["99999999"]),
    ("IE", &["9999999A", "9999999AA", "9X99999A"]),
    ("IT", &["99999999999"]),
    ("LT", &["999999999", "999999999999"]),
    ("LU", &["99999999"]),
    ("LV", &["99999999999"]),
    ("MT", &["99999999"]),
    ("NL", &["999999999B99"]),
    ("PL", &["9999999999"]),
    ("PT", &["999999999"]),
    ("RO", &["99", "999", "9999", "99999", "999999", "9999999", "99999999", "999999999", "9999999999"]),
    ("SE", &["999999999999"]),
    ("SI", &["99999999"]),
    ("SK", &["9999999999"]),
    ("XI", &["999999999", "999999999999"]),
];

fn fits(shape: &str, number: &str) -> bool {
    shape.len() == number.len()
        && shape.bytes().zip(number.bytes()).all(|(s, n)| match s {
            b'9' => n.is_ascii_digit(),
            b'A' => n.is_ascii_uppercase(),
            b'X' => n.is_ascii_alphanumeric(),
            other => other == n,
        })
}

impl VatId {
    /// Reads a VAT ID as people write it: any case, with spaces, dots or dashes
    /// ("de 123 456 789", "CHE-123.456.789 MWST"); Greece's "GR" is read as its "EL".
    pub fn parse(raw: &str) -> Result<VatId, FieldError> {
        let mut compact: String = raw.chars().filter(|c| !matches!(c, ' ' | '.' | '-' | '\u{a0}')).collect::<String>().to_uppercase();
        // Swiss numbers are often written with the tax's name after them.
        for suffix in ["MWST", "TVA", "IVA"] {
            if compact.starts_with("CHE") && compact.ends_with(suffix) {
                compact.truncate(compact.len() - suffix.len());
            }
        }
        if let Some(rest) = compact.strip_prefix("GR") {
            compact = format!("EL{rest}");
        }
        let known = FORMATS.iter().find(|(prefix, _)| compact.starts_with(prefix));
        let Some((prefix, shapes)) = known else {
            return Err(FieldError::new("vat_id", "A VAT ID starts with its country's code, such as DE123456789."));
        };
        if !shapes.iter().any(|shape| fits(shape, &compact[prefix.len()..])) {
            return Err(FieldError::new("vat_id", format!("{} is not a VAT ID in {prefix}'s format: please check the digits.", raw.trim())));
        }
        Ok(VatId(compact))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for VatId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vat_ids_are_read_as_written_and_checked_for_their_countrys_format() {
        for (raw, compact) in [
            ("DE123456789", "DE123456789"),
            ("de 123 456 789", "DE123456789"),
            ("ATU12345678", "ATU12345678"),
            ("FR 40 303265045", "FR40303265045"),
            ("NL123456789B01", "NL123456789B01"),
            ("ESX1234567X", "ESX1234567X"),
            ("CHE-123.456.789 MWST", "CHE123456789"),
            ("GR123456789", "EL123456789"),
            ("IE1234567WA", "IE1234567WA"),
            ("GB 123 4567 89", "GB123456789"),
        ] {
            assert_eq!(VatId::parse(raw).map(|v| v.to_string()), Ok(compact.to_string()), "{raw}");
        }
        for raw in ["", "123456789", "DE12345678", "DE1234567890", "ATU1234567", "NL123456789A01", "US123456789", "DE12345678X"] {
            let err = VatId::parse(raw).expect_err(raw);
            assert_eq!(err.field, "vat_id");
        }
        assert!(VatId::parse("DE12345678").is_err_and(|e| e.message.contains("DE's format")));
    }
}
