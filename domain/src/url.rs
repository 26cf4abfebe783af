//! Putting text into a link safely.

/// Percent-encodes everything but unreserved characters (RFC 3986), so what is put in
/// a path segment or a query value can never change the link around it: a tracking
/// number in a carrier's link, a search in `/search?q=`, a token in `?token=`.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::percent_encode;

    #[test]
    fn only_unreserved_characters_pass_unchanged() {
        assert_eq!(percent_encode("Az09-_.~"), "Az09-_.~");
        assert_eq!(percent_encode("a b&c=d/e?#%"), "a%20b%26c%3Dd%2Fe%3F%23%25");
        assert_eq!(percent_encode("ä"), "%C3%A4");
    }
}
