//! What a shopper types into account, address and checkout forms, parsed into types
//! that can only hold valid values. Each error names the field and says how to fix it,
//! so the form can show it beside the right box.

pub mod account;
pub mod address;
pub mod country;
pub mod vat_id;

pub use account::*;
pub use address::*;

use std::fmt;

/// A problem with one form field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &'static str, message: impl Into<String>) -> FieldError {
        FieldError { field, message: message.into() }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FieldError {}

fn has_control(s: &str) -> bool {
    s.chars().any(is_unusable)
}

/// Control characters, and the invisible bidirectional overrides, embeddings and
/// isolates: in a name or an address they can make what staff and e-mails show read
/// differently from what was typed. Right-to-left text itself (and the LRM/RLM marks)
/// is fine.
pub fn is_unusable(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Trimmed text of 1..=max characters without control characters or bidi overrides.
pub fn parse_text(field: &'static str, label: &str, raw: &str, max: usize) -> Result<String, FieldError> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(FieldError::new(field, format!("Please enter {label}.")));
    }
    if s.chars().count() > max {
        return Err(FieldError::new(field, format!("{} can be at most {max} characters.", capitalise(label))));
    }
    if has_control(s) {
        return Err(FieldError::new(field, format!("{} contains characters we cannot use.", capitalise(label))));
    }
    Ok(s.to_string())
}

fn capitalise(s: &str) -> String {
    let s = s.strip_prefix("your ").or_else(|| s.strip_prefix("a ")).or_else(|| s.strip_prefix("the ")).unwrap_or(s);
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// An e-mail address, trimmed and lower-cased so one person has one account.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Email, FieldError> {
        let s = raw.trim().to_lowercase();
        let bad = || FieldError::new("email", "Please enter an e-mail address like name@example.com.");
        if s.is_empty() || s.len() > 254 || has_control(&s) || s.contains(char::is_whitespace) {
            return Err(bad());
        }
        let (local, domain) = s.rsplit_once('@').ok_or_else(bad)?;
        if local.is_empty() || local.contains('@') || domain.len() < 3 || !domain.contains('.') || domain.starts_with('.') || domain.ends_with('.') {
            return Err(bad());
        }
        Ok(Email(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

pub const MIN_PASSWORD_CHARS: usize = 10;
pub const MAX_PASSWORD_CHARS: usize = 128;

/// A new password. Length is what makes a password strong; we ask for no symbol rules.
pub struct NewPassword(String);

impl fmt::Debug for NewPassword {
    /// Never prints the password itself, so it cannot leak into a log.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(…)")
    }
}

impl NewPassword {
    pub fn parse(raw: &str, field: &'static str) -> Result<NewPassword, FieldError> {
        let n = raw.chars().count();
        if n < MIN_PASSWORD_CHARS {
            return Err(FieldError::new(field, format!("Use at least {MIN_PASSWORD_CHARS} characters for your password.")));
        }
        if n > MAX_PASSWORD_CHARS {
            return Err(FieldError::new(field, format!("Use at most {MAX_PASSWORD_CHARS} characters for your password.")));
        }
        Ok(NewPassword(raw.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A phone number as people write it: digits with optional `+`, spaces, dashes, brackets.
pub fn parse_phone(raw: &str) -> Result<Option<String>, FieldError> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let digits = s.chars().filter(char::is_ascii_digit).count();
    let allowed = s.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c));
    if !allowed || !(6..=15).contains(&digits) || s.len() > 25 {
        return Err(FieldError::new("phone", "Please enter a phone number of 6 to 15 digits, like +44 20 7946 0000."));
    }
    Ok(Some(s.to_string()))
}

pub const MAX_QUANTITY: u32 = 99;

/// How many of one product a shopper can put in one order line.
pub fn parse_quantity(n: i64) -> Result<u32, FieldError> {
    if n < 1 || n > i64::from(MAX_QUANTITY) {
        return Err(FieldError::new("quantity", format!("Choose a quantity from 1 to {MAX_QUANTITY}.")));
    }
    Ok(n as u32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Lang;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(Email::parse("  Ada@Example.COM ").unwrap().as_str(), "ada@example.com");
        for bad in ["", "ada", "ada@", "@example.com", "ada@example", "a da@example.com", "ada@.com", "ada@example.com.", "a\u{0}@b.co"] {
            assert_eq!(Email::parse(bad).unwrap_err().field, "email", "{bad:?}");
        }
        assert!(Email::parse(&format!("{}@example.com", "a".repeat(250))).is_err());
    }

    #[test]
    fn text_refuses_controls_and_bidi_overrides_but_not_right_to_left_words() {
        for bad in ["Ada\u{0}", "Ada\u{202E}ecalevol", "\u{2066}Ada\u{2069}", "a\nb"] {
            assert!(parse_text("name", "your name", bad, 100).is_err(), "{bad:?}");
        }
        for good in ["Ada Lovelace", "\u{5e9}\u{5dc}\u{5d5}\u{5dd}", "Zoë\u{200F}", "' OR 1=1 --"] {
            assert!(parse_text("name", "your name", good, 100).is_ok(), "{good:?}");
        }
    }

    #[test]
    fn passwords_need_length_not_symbols() {
        assert!(NewPassword::parse("correct horse", "password").is_ok());
        assert!(NewPassword::parse("short", "password").unwrap_err().message.contains("at least 10"));
        assert!(NewPassword::parse(&"x".repeat(129), "password").is_err());
        assert_eq!(NewPassword::parse("", "new_password").unwrap_err().field, "new_password");
    }

    #[test]
    fn phones_are_optional_but_checked() {
        assert_eq!(parse_phone("  "), Ok(None));
        assert_eq!(parse_phone("+44 (20) 7946-0000"), Ok(Some("+44 (20) 7946-0000".into())));
        assert!(parse_phone("call me").is_err());
        assert!(parse_phone("123").is_err());
    }

    #[test]
    fn quantities_are_bounded() {
        assert_eq!(parse_quantity(1), Ok(1));
        assert_eq!(parse_quantity(99), Ok(99));
        for bad in [0, -1, 100, i64::MAX, i64::MIN] {
            assert!(parse_quantity(bad).is_err(), "{bad}");
        }
    }

    fn address() -> AddressInput {
        AddressInput {
            name: " Ada Lovelace ".into(),
            line1: "12 St James's Square".into(),
            line2: "".into(),
            city: "London".into(),
            postcode: "SW1Y 4JH".into(),
            country: "United Kingdom".into(),
            is_default: true,
        }
    }

    #[test]
    fn addresses_name_the_missing_field() {
        let ok = address();
        let v = ok.validate().unwrap();
        assert_eq!(v.name, "Ada Lovelace");
        assert_eq!(v.country, "GB");
        assert_eq!(v.lines(), vec!["Ada Lovelace", "12 St James's Square", "SW1Y 4JH London", "United Kingdom"]);
        let missing_city = AddressInput { city: " ".into(), ..ok.clone() };
        let err = missing_city.validate().unwrap_err();
        assert_eq!(err.field, "city");
        assert_eq!(err.message, "Please enter the town or city.");
        let long = AddressInput { postcode: "1".repeat(17), ..ok.clone() };
        assert_eq!(long.validate().unwrap_err().message, "Please enter a UK postcode, like SW1A 1AA.");
        let long_elsewhere = AddressInput { postcode: "1".repeat(17), country: "IE".into(), ..ok };
        assert_eq!(long_elsewhere.validate().unwrap_err().message, "Postcode can be at most 16 characters.");
    }

    #[test]
    fn addresses_come_back_with_a_country_code_and_the_post_office_postcode() {
        let v = AddressInput { postcode: "sw1y4jh".into(), country: " england ".into(), ..address() }.validate_all().unwrap();
        assert_eq!((v.postcode.as_str(), v.country.as_str()), ("SW1Y 4JH", "GB"));
        let de = AddressInput { city: "Berlin".into(), postcode: " 10115 ".into(), country: "Deutschland".into(), ..address() };
        let v = de.validate_all().unwrap();
        assert_eq!((v.postcode.as_str(), v.country.as_str()), ("10115", "DE"));
        assert_eq!(v.validate_all(), Ok(v.clone()), "a validated address validates to itself");
        let refused = AddressInput { postcode: "SW1Y 4JH".into(), ..de };
        assert_eq!(refused.validate().unwrap_err().message, "Postcodes in Germany have 5 digits, like 10115.");
    }

    #[test]
    fn validate_all_reports_every_problem_in_form_order() {
        let bad = AddressInput {
            name: " ".into(),
            line1: "x".repeat(101),
            line2: "Flat\u{0}".into(),
            city: "".into(),
            postcode: "#1".into(),
            country: "Narnia".into(),
            is_default: false,
        };
        let errors = bad.validate_all().unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["name", "line1", "line2", "city", "postcode", "country"]);
        assert_eq!(errors[2].message, "The second address line contains characters we cannot use.");
        assert_eq!(errors[4].message, "A postcode can only have letters, digits, spaces and dashes.");
        assert_eq!(errors[5].message, "Please choose the country from the list.");
        assert_eq!(bad.validate(), Err(errors[0].clone()), "validate reports the first");

        let two = AddressInput { postcode: "".into(), country: "US".into(), line1: "".into(), ..address() };
        let errors = two.validate_all().unwrap_err();
        let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(messages, ["Please enter the street and number.", "Please enter the ZIP code, like 10001."]);
    }

    #[test]
    fn a_bad_country_leaves_only_the_loose_postcode_check() {
        let unknown = AddressInput { postcode: "".into(), country: "Narnia".into(), ..address() };
        let fields: Vec<&str> = unknown.validate_all().unwrap_err().iter().map(|e| e.field).collect();
        assert_eq!(fields, ["country"]);
        let dutch_looking = AddressInput { postcode: "1012ab".into(), country: "".into(), ..address() };
        let fields: Vec<&str> = dutch_looking.validate_all().unwrap_err().iter().map(|e| e.field).collect();
        assert_eq!(fields, ["country"]);
    }

    #[test]
    fn lines_name_the_country_in_the_readers_language() {
        let v = AddressInput { city: "Wien".into(), postcode: "1010".into(), country: "at".into(), ..address() }.validate().unwrap();
        assert_eq!(v.lines_in(Lang::De).last().map(String::as_str), Some("Österreich"));
        assert_eq!(v.lines_in(Lang::En).last().map(String::as_str), Some("Austria"));
        assert_eq!(v.lines(), v.lines_in(Lang::En));
        let old = AddressInput { country: "Deutschland".into(), ..address() };
        assert_eq!(old.lines_in(Lang::En).last().map(String::as_str), Some("Deutschland"), "stored names are shown as typed");
    }

    #[test]
    fn text_refuses_control_characters() {
        assert!(parse_text("name", "your name", "Ada\u{7}", 10).is_err());
        assert_eq!(parse_text("name", "your name", "", 10).unwrap_err().message, "Please enter your name.");
    }
}
