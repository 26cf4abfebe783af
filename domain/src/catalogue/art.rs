//! Product pictures drawn from the product itself, so the demo shop ships no image files
//! and every product still has a distinct, recognisable picture. The output is a small
//! SVG that scales to any viewport without extra bytes.

/// Draws the picture of a product: a background in its category's colour, a shape
/// chosen by the product id, and the product's initial.
pub fn product_svg(product_id: i64, name: &str, category_slug: &str) -> String {
    let hue = category_hue(category_slug);
    let seed = product_id.unsigned_abs();
    let shade = 35 + (seed % 4) * 8;
    let initial = name.chars().find(|c| c.is_alphanumeric()).map(|c| c.to_uppercase().collect::<String>()).unwrap_or_default();
    let shape = match seed % 4 {
        0 => r#"<circle cx="200" cy="150" r="90""#.to_string(),
        1 => r#"<rect x="115" y="65" width="170" height="170" rx="24""#.to_string(),
        2 => r#"<polygon points="200,50 300,240 100,240""#.to_string(),
        _ => r#"<ellipse cx="200" cy="150" rx="120" ry="80""#.to_string(),
    };
    let rotate = (seed * 37) % 60;
    format!(
        concat!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 300" width="400" height="300" role="img">"#,
            r#"<rect width="400" height="300" fill="hsl({hue},45%,92%)"/>"#,
            r#"{shape} fill="hsl({hue},55%,{shade}%)" transform="rotate({rotate} 200 150)"/>"#,
            r#"<text x="200" y="172" font-family="system-ui,sans-serif" font-size="64" font-weight="700" text-anchor="middle" fill="white">{initial}</text>"#,
            "</svg>"
        ),
        hue = hue,
        shape = shape,
        shade = shade,
        rotate = rotate,
        initial = escape_xml(&initial),
    )
}

/// The hue (0–359) of a category's pictures, drawn and photographed alike.
pub fn category_hue(category_slug: &str) -> u64 {
    stable_hash(category_slug) % 360
}

pub fn stable_hash(s: &str) -> u64 {
    // FNV-1a: tiny, stable across platforms and releases (std's hasher is neither).
    s.bytes().fold(0xcbf29ce484222325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100000001b3))
}

/// [`product_svg`] as a `data:` URL, for an `<img src>`: the app and the pages the
/// server writes draw the same picture, so the image the app puts in place of the
/// server's is the one already decoded. Only what a URL cannot hold is
/// percent-encoded, which keeps it about a quarter smaller than base64.
pub fn product_data_url(product_id: i64, name: &str, category_slug: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let svg = product_svg(product_id, name, category_slug);
    let mut url = String::with_capacity(svg.len() + svg.len() / 4 + 32);
    url.push_str("data:image/svg+xml,");
    for b in svg.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b' ' | b'=' | b'/' | b':' | b'.' | b',' | b'-' | b'(' | b')' | b'\'' => url.push(b as char),
            _ => {
                url.push('%');
                url.push(HEX[(b >> 4) as usize] as char);
                url.push(HEX[(b & 15) as usize] as char);
            }
        }
    }
    url
}

fn escape_xml(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_picture_as_a_url_keeps_its_svg() {
        let name = "Blue \"Mug\" & <co> 100%";
        let url = product_data_url(1, name, "kitchen");
        let body = url.strip_prefix("data:image/svg+xml,").expect("a data URL");
        assert!(!body.contains(['<', '>', '"', '#', '&']), "{url}");
        let mut decoded = Vec::new();
        let mut bytes = body.bytes();
        while let Some(b) = bytes.next() {
            if b == b'%' {
                let hex: String = [bytes.next().expect("two digits"), bytes.next().expect("two digits")].iter().map(|&c| c as char).collect();
                decoded.push(u8::from_str_radix(&hex, 16).expect("hex"));
            } else {
                decoded.push(b);
            }
        }
        assert_eq!(String::from_utf8(decoded).expect("UTF-8"), product_svg(1, name, "kitchen"));
    }

    #[test]
    fn pictures_are_deterministic_and_differ_by_product() {
        let a = product_svg(1, "Blue Mug", "kitchen");
        assert_eq!(a, product_svg(1, "Blue Mug", "kitchen"));
        assert_ne!(a, product_svg(2, "Blue Mug", "kitchen"));
        assert!(a.starts_with("<svg") && a.ends_with("</svg>"));
        assert!(a.contains(">B</text>"));
    }

    #[test]
    fn names_cannot_inject_markup() {
        let svg = product_svg(1, "<script>", "x");
        assert!(!svg.contains("<script"));
        assert!(product_svg(-5, "", "").contains("</svg>"));
    }
}
