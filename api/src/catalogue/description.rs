//! A product's description: staff write a small Markdown subset, shoppers get HTML that
//! is safe to put in a page. `pulldown-cmark` renders, `ammonia` keeps only the tags
//! below and makes every link open outside the shop without passing it credit.

use std::{collections::HashSet, sync::LazyLock};

/// What a description may hold: paragraphs, emphasis, lists, links, small headings, a
/// quote, inline code. HTML typed in or imported (Shopify's "Body (HTML)") keeps these
/// and loses everything else — scripts with their content, styles, attributes other
/// than a link's address. No images (photos have their own place), no tables.
const TAGS: &[&str] = &["p", "br", "em", "strong", "b", "i", "u", "ul", "ol", "li", "a", "h2", "h3", "h4", "blockquote", "code"];

static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::empty();
    b.tags(TAGS.iter().copied().collect::<HashSet<_>>())
        .link_rel(Some("nofollow noopener noreferrer"))
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .add_tag_attributes("a", ["href"]);
    b
});

/// The description as HTML. Headings are brought down to `h3` and below: the page's
/// own headings come first.
pub fn to_html(markdown: &str) -> String {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let events = Parser::new_ext(markdown, Options::empty()).map(|e| match e {
        Event::Start(Tag::Heading { level, id, classes, attrs }) => {
            Event::Start(Tag::Heading { level: lower(level), id, classes, attrs })
        }
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(lower(level))),
        e => e,
    });
    let mut html = String::with_capacity(markdown.len() + 16);
    pulldown_cmark::html::push_html(&mut html, events);
    CLEANER.clean(&html).to_string()
}

/// The description's words without markup, on one line: for a page's meta description
/// and structured data.
pub fn to_plain(markdown: &str) -> String {
    use pulldown_cmark::{Event, Options, Parser};
    let mut text = String::with_capacity(markdown.len());
    for e in Parser::new_ext(markdown, Options::empty()) {
        match e {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(_) => text.push(' '),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn lower(level: pulldown_cmark::HeadingLevel) -> pulldown_cmark::HeadingLevel {
    use pulldown_cmark::HeadingLevel::*;
    match level {
        H1 | H2 | H3 => H3,
        _ => H4,
    }
}

#[cfg(test)]
mod tests {
    use super::to_html;

    #[test]
    fn plain_text_becomes_a_paragraph() {
        assert_eq!(to_html("A mug for tea."), "<p>A mug for tea.</p>\n");
    }

    #[test]
    fn the_subset_is_kept() {
        let html = to_html("# Care\n\n*Hand* wash, **never** bleach:\n\n- one\n- two\n\n[Guide](https://example.com/care)");
        assert!(html.contains("<h3>Care</h3>"), "{html}");
        assert!(html.contains("<em>Hand</em>") && html.contains("<strong>never</strong>"));
        assert!(html.contains("<ul>\n<li>one</li>"));
        assert!(html.contains(r#"<a href="https://example.com/care" rel="nofollow noopener noreferrer">Guide</a>"#), "{html}");
    }

    #[test]
    fn plain_text_drops_the_markup() {
        assert_eq!(super::to_plain("# Care\n\n*Hand* wash,\n**never** bleach.\n\n- one\n- two"), "Care Hand wash, never bleach. one two");
    }

    #[test]
    fn scripts_and_tricks_do_not_survive() {
        for bad in [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "[x](javascript:alert(1))",
            "<a href=\"javascript:alert(1)\">x</a>",
            "![x](https://example.com/a.png)",
            "<iframe src=https://example.com></iframe>",
        ] {
            let html = to_html(bad);
            assert!(!html.contains("<script") && !html.contains("<img") && !html.contains("<a href=\"javascript") && !html.contains("<iframe"), "{bad} → {html}");
        }
    }
}
