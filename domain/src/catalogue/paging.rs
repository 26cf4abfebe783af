//! `?page=` and `?per_page=` come straight from URLs people type and share, so they are
//! parsed here into a checked [`PageRequest`] with a message that says what was wrong.

use std::fmt;

pub const DEFAULT_PER_PAGE: u32 = 24;
pub const MAX_PER_PAGE: u32 = 100;
/// Far beyond any real catalogue; keeps `offset()` well inside SQLite's integer range.
pub const MAX_PAGE: u32 = 1_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub page: u32,
    pub per_page: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PagingError(pub String);

impl fmt::Display for PagingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PagingError {}

impl Default for PageRequest {
    fn default() -> Self {
        PageRequest { page: 1, per_page: DEFAULT_PER_PAGE }
    }
}

impl PageRequest {
    /// Parses the raw query values; a missing or empty value takes the default.
    pub fn parse(page: Option<&str>, per_page: Option<&str>) -> Result<PageRequest, PagingError> {
        let page = parse_bounded("page", page, 1, 1, MAX_PAGE)?;
        let per_page = parse_bounded("per_page", per_page, DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)?;
        Ok(PageRequest { page, per_page })
    }

    pub fn offset(self) -> i64 {
        i64::from(self.page - 1) * i64::from(self.per_page)
    }

    pub fn limit(self) -> i64 {
        i64::from(self.per_page)
    }

    /// How many pages `total` items fill; an empty list still has one (empty) page.
    pub fn total_pages(self, total: i64) -> u32 {
        let per = i64::from(self.per_page);
        let pages = (total.max(0) + per - 1) / per;
        pages.clamp(1, i64::from(u32::MAX)) as u32
    }
}

fn parse_bounded(name: &str, raw: Option<&str>, default: u32, min: u32, max: u32) -> Result<u32, PagingError> {
    let raw = match raw.map(str::trim) {
        None | Some("") => return Ok(default),
        Some(s) => s,
    };
    let value: u64 = raw
        .parse()
        .map_err(|_| PagingError(format!("{name} must be a whole number from {min} to {max}, not {raw:?}")))?;
    if value < u64::from(min) || value > u64::from(max) {
        return Err(PagingError(format!("{name} must be from {min} to {max}, not {value}")));
    }
    Ok(value as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_values_take_defaults() {
        assert_eq!(PageRequest::parse(None, None), Ok(PageRequest { page: 1, per_page: 24 }));
        assert_eq!(PageRequest::parse(Some(""), Some(" ")), Ok(PageRequest::default()));
    }

    #[test]
    fn good_values_are_kept() {
        let p = PageRequest::parse(Some("3"), Some("10")).unwrap();
        assert_eq!((p.page, p.per_page, p.offset(), p.limit()), (3, 10, 20, 10));
    }

    #[test]
    fn bad_values_are_refused_with_the_parameter_named() {
        for (page, per) in [("0", "10"), ("-1", "10"), ("abc", "10"), ("1.5", "10"), ("99999999999999999999", "10"), ("1", "0"), ("1", "101")] {
            let err = PageRequest::parse(Some(page), Some(per)).unwrap_err();
            let named = if page == "1" { "per_page" } else { "page" };
            assert!(err.0.starts_with(named), "{page}/{per}: {err}");
        }
    }

    #[test]
    fn total_pages_rounds_up_and_is_never_zero() {
        let p = PageRequest { page: 1, per_page: 24 };
        assert_eq!(p.total_pages(0), 1);
        assert_eq!(p.total_pages(24), 1);
        assert_eq!(p.total_pages(25), 2);
        assert_eq!(p.total_pages(240), 10);
    }

    #[test]
    fn the_last_page_offset_fits() {
        let p = PageRequest::parse(Some("1000000"), Some("100")).unwrap();
        assert_eq!(p.offset(), 99_999_900);
    }
}
