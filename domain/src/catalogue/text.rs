//! The words of a product as staff type them, in any language: its name's length,
//! its web address, its description. The product form (`edit`) and its translations
//! (`translation`) check them by these same rules.

use crate::{
    catalogue::{is_valid_slug, slugify},
    customer::{is_unusable, FieldError},
};

pub const MAX_NAME: usize = 120;
pub const MAX_DESCRIPTION: usize = 5_000;

/// The slug as typed, or made from the name when left empty.
pub fn parse_slug(raw: &str, name: &str) -> Result<String, FieldError> {
    let raw = raw.trim();
    let slug = if raw.is_empty() { slugify(name) } else { raw.to_ascii_lowercase() };
    if slug.is_empty() && raw.is_empty() {
        return Err(FieldError::new("slug", "Please enter a web address (slug): the name has no letters to make one from."));
    }
    if !is_valid_slug(&slug) {
        return Err(FieldError::new("slug", format!("The web address can hold only a–z, 0–9 and -, up to 120 characters, like {:?}.", slugify(raw).chars().take(60).collect::<String>())));
    }
    if slug.bytes().all(|b| b.is_ascii_digit()) {
        return Err(FieldError::new("slug", "The web address needs at least one letter: a number alone reads as a product number."));
    }
    Ok(slug)
}

pub fn parse_description(raw: &str) -> Result<String, FieldError> {
    let s = raw.trim();
    if s.chars().count() > MAX_DESCRIPTION {
        return Err(FieldError::new("description", format!("The description can be at most {MAX_DESCRIPTION} characters.")));
    }
    // Line breaks and tabs are the description's own; other control characters are not.
    if s.chars().any(|c| is_unusable(c) && !matches!(c, '\n' | '\r' | '\t')) {
        return Err(FieldError::new("description", "The description contains characters we cannot use."));
    }
    Ok(s.replace("\r\n", "\n"))
}
