//! Reviews: the stars and words a buyer gives a delivered product, shown on its page
//! once published. What a review may say, when it waits for staff, how a product's
//! stars add up and how a reviewer is named are decided here, for the server that
//! stores reviews and the app that shows them.

use crate::customer::{is_unusable, FieldError};
use serde::{Deserialize, Serialize};

/// A title longer than this is a text.
pub const MAX_TITLE_CHARS: usize = 120;
/// Room for a thorough review; a longer one is pasted from somewhere else.
pub const MAX_TEXT_CHARS: usize = 5000;
/// Reviews on one page of a product's reviews.
pub const PER_PAGE: u32 = 10;

/// Where a review is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReviewStatus {
    /// On the product page and in its stars.
    #[default]
    Published,
    /// Waiting for staff: see [`HoldReason`].
    Held,
    /// Taken down by staff, with a reason the reviewer is shown.
    Hidden,
}

impl ReviewStatus {
    pub const ALL: [ReviewStatus; 3] = [ReviewStatus::Held, ReviewStatus::Published, ReviewStatus::Hidden];

    pub fn as_str(self) -> &'static str {
        match self {
            ReviewStatus::Published => "published",
            ReviewStatus::Held => "held",
            ReviewStatus::Hidden => "hidden",
        }
    }

    pub fn parse(s: &str) -> Option<ReviewStatus> {
        ReviewStatus::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// Why a review waits for staff instead of going on the page at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum HoldReason {
    /// A web address: reviews are where spam puts its links.
    Link,
    /// A word on the shop's list of strong language.
    Language,
    /// A comment written to the shop before its words could be published.
    BeforeReviews,
    /// Changed by the reviewer after staff hid it.
    Edited,
}

impl HoldReason {
    pub fn as_str(self) -> &'static str {
        match self {
            HoldReason::Link => "link",
            HoldReason::Language => "language",
            HoldReason::BeforeReviews => "before_reviews",
            HoldReason::Edited => "edited",
        }
    }

    pub fn parse(s: &str) -> Option<HoldReason> {
        [HoldReason::Link, HoldReason::Language, HoldReason::BeforeReviews, HoldReason::Edited].into_iter().find(|r| r.as_str() == s)
    }
}

/// Words that hold a review for staff, matched as whole words whatever their case.
/// Short and plain on purpose: staff read what it catches, so it errs on holding.
const STRONG_LANGUAGE: &[&str] = &[
    "fuck", "fucking", "fucked", "shit", "shitty", "bullshit", "cunt", "asshole", "bastard", "bitch", "dick", "wanker", "twat", "motherfucker",
    "scheiße", "scheisse", "scheiß", "arschloch", "fotze", "wichser", "hurensohn", "verdammt",
];

/// Top-level domains that make `word.tld` an address rather than a sentence's end.
const LINK_ENDINGS: &[&str] = &["com", "net", "org", "info", "biz", "io", "co", "de", "uk", "ru", "cn", "xyz", "shop", "store", "online", "site", "top", "app"];

/// Why `title` and `text` should wait for staff; none when they can go on the page.
pub fn hold_reason(title: &str, text: &str) -> Option<HoldReason> {
    let all = format!("{title}\n{text}").to_lowercase();
    if has_link(&all) {
        return Some(HoldReason::Link);
    }
    let strong = all.split(|c: char| !c.is_alphanumeric() && c != 'ß').any(|w| STRONG_LANGUAGE.contains(&w));
    strong.then_some(HoldReason::Language)
}

fn has_link(lower: &str) -> bool {
    if lower.contains("http://") || lower.contains("https://") || lower.contains("www.") {
        return true;
    }
    // `shop.example.com`, `cheap-pills.ru`: a word, a dot and a known ending, with no
    // space between (so "I loved it.com" is caught but "it. Com" is not).
    lower.split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | '<' | '>' | '"' | '\'' | ',')).any(|word| {
        let word = word.trim_end_matches(['.', '!', '?', ':', ';']);
        let mut parts = word.rsplit('.');
        match (parts.next(), parts.next()) {
            (Some(end), Some(before)) => !before.is_empty() && before.chars().all(|c| c.is_alphanumeric() || c == '-') && LINK_ENDINGS.contains(&end.split('/').next().unwrap_or("")),
            _ => false,
        }
    })
}

/// A review's title: one line, may be empty.
pub fn parse_title(raw: &str) -> Result<String, FieldError> {
    let s = raw.trim();
    if s.chars().count() > MAX_TITLE_CHARS {
        return Err(FieldError::new("title", format!("A title can be at most {MAX_TITLE_CHARS} characters.")));
    }
    if s.chars().any(is_unusable) {
        return Err(FieldError::new("title", "The title contains characters we cannot use."));
    }
    Ok(s.to_string())
}

/// A review's text: paragraphs of plain text (HTML is shown as typed, never run), may be
/// empty. Line ends are kept, runs of blank lines shortened to one.
pub fn parse_text(raw: &str) -> Result<String, FieldError> {
    let s = raw.replace("\r\n", "\n").replace('\r', "\n");
    let s = s.trim();
    let count = s.chars().count();
    if count > MAX_TEXT_CHARS {
        return Err(FieldError::new("comment", format!("A review can be at most {MAX_TEXT_CHARS} characters; this one has {count}.")));
    }
    if s.chars().any(|c| c != '\n' && is_unusable(c)) {
        return Err(FieldError::new("comment", "The review contains characters we cannot use."));
    }
    let mut out = String::with_capacity(s.len());
    let mut blank = 0;
    for line in s.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(line);
    }
    Ok(out)
}

/// A staff member's reason or reply: 1..=`max` characters of plain text.
pub fn parse_staff_text(field: &'static str, raw: &str, max: usize) -> Result<String, FieldError> {
    let text = parse_text(raw).map_err(|e| FieldError::new(field, e.message.replace("A review", "It").replace("The review", "It")))?;
    if text.is_empty() {
        return Err(FieldError::new(field, if field == "reason" { "Please say why, for the reviewer." } else { "Please write the reply." }));
    }
    if text.chars().count() > max {
        return Err(FieldError::new(field, format!("It can be at most {max} characters.")));
    }
    Ok(text)
}

/// How a reviewer is named in public: the first name and the initial of the last, from
/// the order's delivery name ("Maya Patel" → "Maya P."); a deleted or empty name is
/// "A shopper".
pub fn author_name(ship_name: &str) -> String {
    let name = ship_name.trim();
    if name.is_empty() || name.starts_with('(') {
        return "A shopper".into();
    }
    let mut words = name.split_whitespace();
    let first = words.next().unwrap_or_default();
    match words.last().and_then(|last| last.chars().next()) {
        Some(initial) => format!("{first} {}.", initial.to_uppercase()),
        None => first.to_string(),
    }
}

/// A product's published stars: the average in hundredths (450 is 4.5) and how many.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Stars {
    #[cfg_attr(feature = "openapi", schema(minimum = 100, maximum = 500))]
    pub average: u16,
    pub count: u32,
}

impl Stars {
    /// From the count of ratings and the sum of their stars; none when nobody rated.
    pub fn of(count: i64, sum: i64) -> Option<Stars> {
        if count <= 0 {
            return None;
        }
        // Rounded to the nearest hundredth; clamped, as a rating is 1..=5 by the schema.
        let average = ((sum * 100 + count / 2) / count).clamp(100, 500) as u16;
        Some(Stars { average, count: u32::try_from(count).unwrap_or(u32::MAX) })
    }

    /// "4.5": one decimal, as cards and the JSON-LD show it.
    pub fn one_decimal(&self) -> String {
        let tenths = (u32::from(self.average) + 5) / 10;
        format!("{}.{}", tenths / 10, tenths % 10)
    }

    /// Whole stars to draw filled: 4.5 draws four.
    pub fn filled(&self) -> u8 {
        (self.average / 100) as u8
    }

    /// "★★★★☆" for 4.5: see [`drawn`].
    pub fn drawn(&self) -> String {
        drawn(self.filled())
    }
}

/// `filled` stars of five drawn as text, "★★★★☆" for 4, as every page shows a rating
/// (beside words that say it for a screen reader).
pub fn drawn(filled: u8) -> String {
    let filled = usize::from(filled.min(5));
    format!("{}{}", "★".repeat(filled), "☆".repeat(5 - filled))
}

/// The shop's public answer under a review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reply {
    pub text: String,
    pub at: String,
}

/// A published review as a product page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Review {
    pub id: i64,
    pub rating: u8,
    pub title: String,
    pub text: String,
    /// "Maya P.": see [`author_name`].
    pub author: String,
    /// Every review is from a delivered order, so every one is a verified purchase;
    /// said on the wire so a page need not know that rule.
    pub verified: bool,
    pub at: String,
    #[serde(default)]
    pub edited: bool,
    pub helpful: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply: Option<Reply>,
}

/// How a product's reviews are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReviewSort {
    #[default]
    Newest,
    Helpful,
}

impl ReviewSort {
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewSort::Newest => "newest",
            ReviewSort::Helpful => "helpful",
        }
    }

    pub fn parse(s: &str) -> Result<ReviewSort, FieldError> {
        match s {
            "" | "newest" => Ok(ReviewSort::Newest),
            "helpful" => Ok(ReviewSort::Helpful),
            _ => Err(FieldError::new("sort", format!("sort must be newest or helpful, not {s:?}."))),
        }
    }
}

/// One page of a product's published reviews, with its stars and how they spread.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewPage {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stars: Option<Stars>,
    /// `by_stars[n]`: how many gave n + 1 stars.
    pub by_stars: [u32; 5],
    /// Reviews with words; a rating of stars alone counts above but is not listed.
    pub reviews: Vec<Review>,
    pub total: u32,
    pub page: u32,
    pub total_pages: u32,
}

/// A review as staff moderate it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffReview {
    pub id: i64,
    pub order_number: String,
    pub product_id: i64,
    pub product_name: String,
    pub product_slug: String,
    pub rating: u8,
    pub title: String,
    pub text: String,
    pub author: String,
    pub status: ReviewStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hold_reason: Option<HoldReason>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub hidden_reason: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply: Option<Reply>,
    pub helpful: u32,
    pub at: String,
}

/// What staff do to a review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Moderation {
    Publish,
    /// Taken off the page; the reviewer sees the reason on their order.
    Hide { reason: String },
    /// A public answer under the review; an empty text removes it.
    Reply { text: String },
}

/// A reason or reply at most this long.
pub const MAX_STAFF_TEXT_CHARS: usize = 2000;

/// `by_stars` from each published rating's stars.
pub fn spread(ratings: impl IntoIterator<Item = u8>) -> [u32; 5] {
    let mut by = [0u32; 5];
    for r in ratings {
        if (1..=5).contains(&r) {
            by[usize::from(r - 1)] += 1;
        }
    }
    by
}

/// The stars that `by_stars` add up to.
pub fn stars_of(by_stars: &[u32; 5]) -> Option<Stars> {
    let count: i64 = by_stars.iter().map(|n| i64::from(*n)).sum();
    let sum: i64 = by_stars.iter().enumerate().map(|(i, n)| (i as i64 + 1) * i64::from(*n)).sum();
    Stars::of(count, sum)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn links_and_strong_language_wait_for_staff() {
        assert_eq!(hold_reason("Great", "Buy cheaper at https://example.com"), Some(HoldReason::Link));
        assert_eq!(hold_reason("", "see www.example.org"), Some(HoldReason::Link));
        assert_eq!(hold_reason("", "cheap-pills.ru has it"), Some(HoldReason::Link));
        assert_eq!(hold_reason("Shit kettle", ""), Some(HoldReason::Language));
        assert_eq!(hold_reason("", "Scheiße, kaputt."), Some(HoldReason::Language));
        assert_eq!(hold_reason("Lovely", "Boils fast. Quiet too. I use it daily."), None);
        assert_eq!(hold_reason("", "Dickens fans will love it; a scunthorpe test."), None, "whole words only");
        assert_eq!(hold_reason("", "Version 2.0 is better."), None);
    }

    #[test]
    fn text_keeps_paragraphs_and_refuses_what_is_too_long() {
        assert_eq!(parse_text("  One.\r\n\r\n\r\nTwo.  \n").unwrap(), "One.\n\nTwo.");
        assert_eq!(parse_text("<script>alert(1)</script>").unwrap(), "<script>alert(1)</script>", "shown as typed, never run");
        let long = "a".repeat(20_000);
        let e = parse_text(&long).unwrap_err();
        assert_eq!(e.field, "comment");
        assert!(e.message.contains("at most 5000") && e.message.contains("20000"), "{}", e.message);
        assert!(parse_text("bad \u{202E} text").is_err());
        assert!(parse_title(&"t".repeat(121)).is_err());
        assert!(parse_title("a\nb").is_err());
    }

    #[test]
    fn reviewers_are_named_by_first_name_and_initial() {
        assert_eq!(author_name("Maya Patel"), "Maya P.");
        assert_eq!(author_name("  jean-luc de la  fontaine "), "jean-luc F.");
        assert_eq!(author_name("Cher"), "Cher");
        assert_eq!(author_name("(deleted)"), "A shopper");
        assert_eq!(author_name(""), "A shopper");
    }

    #[test]
    fn stars_round_to_hundredths_and_one_decimal() {
        assert_eq!(Stars::of(0, 0), None);
        assert_eq!(Stars::of(3, 13), Some(Stars { average: 433, count: 3 }));
        assert_eq!(Stars::of(3, 13).unwrap().one_decimal(), "4.3");
        assert_eq!(Stars::of(2, 9).unwrap().one_decimal(), "4.5");
        assert_eq!(Stars::of(1, 5).unwrap().one_decimal(), "5.0");
        assert_eq!(Stars::of(2, 9).unwrap().filled(), 4);
        assert_eq!(Stars::of(2, 9).unwrap().drawn(), "★★★★☆");
        assert_eq!((drawn(0), drawn(9)), ("☆☆☆☆☆".to_string(), "★★★★★".to_string()));
    }

    proptest! {
        #[test]
        fn the_spread_adds_up_to_the_stars(ratings in proptest::collection::vec(1u8..=5, 0..200)) {
            let by = spread(ratings.iter().copied());
            prop_assert_eq!(by.iter().sum::<u32>() as usize, ratings.len());
            let stars = stars_of(&by);
            let sum: i64 = ratings.iter().map(|r| i64::from(*r)).sum();
            prop_assert_eq!(stars, Stars::of(ratings.len() as i64, sum));
            if let Some(s) = stars {
                prop_assert!((100..=500).contains(&s.average));
                let min = i64::from(*ratings.iter().min().unwrap()) * 100;
                let max = i64::from(*ratings.iter().max().unwrap()) * 100;
                prop_assert!(min <= i64::from(s.average) && i64::from(s.average) <= max);
            }
        }

        #[test]
        fn any_text_either_parses_within_limits_or_names_its_field(text in "\\PC{0,300}") {
            match parse_text(&text) {
                Ok(t) => prop_assert!(t.chars().count() <= MAX_TEXT_CHARS && !t.contains("\n\n\n")),
                Err(e) => prop_assert_eq!(e.field, "comment"),
            }
        }
    }
}
