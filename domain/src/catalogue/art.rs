//! Product pictures drawn from the product itself, so the demo shop ships no image files
//! and every product still has a distinct, recognisable picture. The output is a small
//! SVG that scales to any viewport without extra bytes.

/// Draws the picture of a product: a background in its category's colour, a shape
/// chosen by the product id, and the product's initial.
pub fn product_svg(product_id: i64, name: &str, category_slug: &str) -> String {
    let hue = hash(category_slug) % 360;
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

fn hash(s: &str) -> u64 {
    // FNV-1a: tiny, stable across platforms and releases (std's hasher is neither).
    s.bytes().fold(0xcbf29ce484222325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100000001b3))
}

fn escape_xml(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

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
