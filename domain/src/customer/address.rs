//! A delivery address as a shopper types it, checked whole: every problem at once, the
//! country read as its ISO code and the postcode as that country's post prints it.

use super::{country, has_control, parse_text, FieldError};
use crate::Lang;
use serde::{Deserialize, Serialize};

/// A delivery address as entered in a form.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AddressInput {
    pub name: String,
    pub line1: String,
    #[serde(default)]
    pub line2: String,
    pub city: String,
    pub postcode: String,
    pub country: String,
    #[serde(default)]
    pub is_default: bool,
}

impl AddressInput {
    /// The address trimmed and normalised, or the first problem in form order. For
    /// callers that show one message at a time; forms should prefer `validate_all`.
    pub fn validate(&self) -> Result<AddressInput, FieldError> {
        let (address, errors) = self.check();
        match errors.into_iter().next() {
            Some(first) => Err(first),
            None => Ok(address),
        }
    }

    /// Every problem at once, in form order, so a shopper can fix the whole form in one
    /// go instead of meeting one message per submit. The country comes back as its ISO
    /// code and the postcode as that country's post prints it.
    pub fn validate_all(&self) -> Result<AddressInput, Vec<FieldError>> {
        let (address, errors) = self.check();
        if errors.is_empty() {
            Ok(address)
        } else {
            Err(errors)
        }
    }

    /// The normalised address (with the raw text left in any field that failed) and
    /// the problems found.
    fn check(&self) -> (AddressInput, Vec<FieldError>) {
        let mut errors = Vec::new();
        let mut keep = |result: Result<String, FieldError>, raw: &str| {
            result.unwrap_or_else(|e| {
                errors.push(e);
                raw.trim().to_string()
            })
        };
        let name = keep(parse_text("name", "the recipient's name", &self.name, 100), &self.name);
        let line1 = keep(parse_text("line1", "the street and number", &self.line1, 100), &self.line1);
        let line2 = keep(parse_line2(&self.line2), &self.line2);
        let city = keep(parse_text("city", "the town or city", &self.city, 60), &self.city);
        let code = country::parse_country(&self.country);
        // With no valid country the postcode gets the loose check every country
        // passes; its own format is checked once the country is fixed.
        let postcode_rules = code.as_ref().map_or("", |code| *code);
        let postcode = keep(country::check_postcode(postcode_rules, &self.postcode), &self.postcode);
        let country = keep(code.map(str::to_string), &self.country);
        let address = AddressInput { name, line1, line2, city, postcode, country, is_default: self.is_default };
        (address, errors)
    }

    /// The address as lines for a label or a printout, with the country in English.
    pub fn lines(&self) -> Vec<String> {
        self.lines_in(Lang::En)
    }

    /// The address as lines, with the country named in the reader's language.
    /// Addresses saved before countries were codes hold a name; that is shown as it was
    /// typed.
    pub fn lines_in(&self, lang: Lang) -> Vec<String> {
        let country = country::country(&self.country).map_or(self.country.as_str(), |c| c.name(lang));
        [self.name.as_str(), &self.line1, &self.line2, &format!("{} {}", self.postcode, self.city), country]
            .into_iter()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    }
}

/// The optional second address line: may be empty, unlike the others.
fn parse_line2(raw: &str) -> Result<String, FieldError> {
    let s = raw.trim();
    if s.chars().count() > 100 {
        return Err(FieldError::new("line2", "The second address line can be at most 100 characters."));
    }
    if has_control(s) {
        return Err(FieldError::new("line2", "The second address line contains characters we cannot use."));
    }
    Ok(s.to_string())
}
