//! The pages the law asks an EU shop to show: its terms, the right of withdrawal with
//! its model form, the privacy notice and the legal notice (imprint). Staff edit them
//! in the back office as the same safe rich text as product descriptions; every save
//! is a new version, and an order keeps the version of the terms it was placed under.

use crate::customer::FieldError;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum LegalKind {
    Terms,
    Withdrawal,
    Privacy,
    Imprint,
}

impl LegalKind {
    pub const ALL: [LegalKind; 4] = [LegalKind::Terms, LegalKind::Withdrawal, LegalKind::Privacy, LegalKind::Imprint];

    /// As stored and in links: `/legal/terms`.
    pub fn as_str(self) -> &'static str {
        match self {
            LegalKind::Terms => "terms",
            LegalKind::Withdrawal => "withdrawal",
            LegalKind::Privacy => "privacy",
            LegalKind::Imprint => "imprint",
        }
    }

    pub fn parse(raw: &str) -> Option<LegalKind> {
        LegalKind::ALL.into_iter().find(|k| k.as_str() == raw)
    }

    /// The page in the shop, at one version (`None`: the current one).
    pub fn href(self, version: Option<i64>) -> String {
        match version {
            Some(v) => format!("/legal/{}?version={v}", self.as_str()),
            None => format!("/legal/{}", self.as_str()),
        }
    }
}

/// `GET /api/legal/{kind}`: one version of a page, ready to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LegalPage {
    pub kind: LegalKind,
    pub version: i64,
    pub title: String,
    /// Safe HTML (see the API's `catalogue::description`).
    pub html: String,
    /// What staff wrote (Markdown); only the back office reads it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub body: String,
    pub published_at: String,
}

/// `PUT /api/staff/legal/{kind}`: a new version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LegalInput {
    pub title: String,
    pub body: String,
}

/// The longest page staff may save: a long set of terms is some 60 KB of text.
pub const MAX_BODY: usize = 200_000;

impl LegalInput {
    /// Trimmed, present and not too long, or the field that is not.
    pub fn validate(&self) -> Result<LegalInput, FieldError> {
        let title = self.title.trim();
        let body = self.body.trim();
        if title.is_empty() {
            return Err(FieldError::new("title", "Please give the page a title."));
        }
        if title.chars().count() > 120 {
            return Err(FieldError::new("title", "A title is at most 120 characters."));
        }
        if body.is_empty() {
            return Err(FieldError::new("body", "The page needs its text: a shop must show it."));
        }
        if body.len() > MAX_BODY {
            return Err(FieldError::new("body", format!("The text is {} KB; a page holds at most {} KB.", body.len() / 1000, MAX_BODY / 1000)));
        }
        Ok(LegalInput { title: title.into(), body: body.into() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_read_back_and_link() {
        for k in LegalKind::ALL {
            assert_eq!(LegalKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(LegalKind::Terms.href(Some(3)), "/legal/terms?version=3");
        assert_eq!(LegalKind::parse("cookies"), None);
    }

    #[test]
    fn an_empty_or_huge_page_is_refused_by_field() {
        let ok = LegalInput { title: " Terms ".into(), body: " Text ".into() }.validate().expect("valid");
        assert_eq!((ok.title.as_str(), ok.body.as_str()), ("Terms", "Text"));
        assert_eq!(LegalInput { title: "T".into(), body: "  ".into() }.validate().map_err(|e| e.field), Err("body"));
        assert_eq!(LegalInput { title: "".into(), body: "x".into() }.validate().map_err(|e| e.field), Err("title"));
        assert!(LegalInput { title: "T".into(), body: "x".repeat(MAX_BODY + 1) }.validate().is_err());
    }
}
