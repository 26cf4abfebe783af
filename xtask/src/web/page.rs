//! The app's page and stylesheet as the release build ships them: `index.html` with
//! its `data-trunk` links (what `trunk serve` reads) replaced by links to the built,
//! content-hashed files, and the CSS without comments and extra whitespace.

use crate::sh::Result;

/// One `<link data-trunk …>` of a page: its attributes in order, values unquoted.
pub struct TrunkLink {
    attrs: Vec<(String, String)>,
}

impl TrunkLink {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// The URLs of one build's files, prefix included, for the page to load.
pub struct Built<'a> {
    pub css: &'a str,
    pub js: &'a str,
    pub wasm: &'a str,
}

/// The page's `data-trunk` links.
pub fn trunk_links(html: &str) -> Vec<TrunkLink> {
    trunk_link_spans(&without_comments(html)).into_iter().map(|(link, _)| link).collect()
}

/// Where the server wrote the page's first view (home, a category, a product; see
/// `api/src/catalogue/pages`), the app's wasm is fetched once that view has been
/// painted, not beside it: on a slow network the page then gets the bandwidth, and a
/// cold visit's first paint needs only the page, the stylesheet and the JS loader.
/// (Module scripts already wait for the stylesheet; the frame after it is the paint.
/// The timer covers a tab opened in the background, which draws no frames.)
const WAIT_FOR_FIRST_VIEW: &str =
    "if (document.getElementById('first-view')) await new Promise((r) => { requestAnimationFrame(() => setTimeout(r)); setTimeout(r, 500); });";

/// The page to ship: comments and `data-trunk` links gone (each with its line when it
/// stood alone on it), and in their place, at the end of `<head>`, the stylesheet, a
/// preload of the JS loader and of the wasm, and the module script that starts the app.
pub fn index_html(template: &str, built: &Built) -> Result<String> {
    let html = without_comments(template);
    let spans = trunk_link_spans(&html);
    let indent = spans.first().map(|(_, (start, _))| indentation(&html, *start)).unwrap_or("    ").to_string();
    let mut out = String::with_capacity(html.len() + 512);
    let mut at = 0;
    for (_, (start, end)) in &spans {
        let (start, end) = widen_to_line(&html, *start, *end);
        out.push_str(&html[at..start]);
        at = end;
    }
    out.push_str(&html[at..]);
    let Some(head_end) = out.find("</head>") else { return Err("the page template has no </head>".into()) };
    let head_line = out[..head_end].rfind('\n').map_or(0, |i| i + 1);
    let Built { css, js, wasm } = built;
    let tags = [
        format!(r#"<link rel="stylesheet" href="{css}" />"#),
        format!(r#"<link rel="modulepreload" href="{js}" crossorigin />"#),
        format!(r#"<link rel="preload" href="{wasm}" as="fetch" type="application/wasm" crossorigin />"#),
        format!("<script type=\"module\">import init from '{js}';\n{WAIT_FOR_FIRST_VIEW}\nawait init({{ module_or_path: '{wasm}' }});</script>"),
    ];
    let block: String = tags.iter().map(|t| format!("{indent}{t}\n")).collect();
    // Before the `</head>` line when it stands alone, else right before the tag.
    let insert_at = if out[head_line..head_end].trim().is_empty() { head_line } else { head_end };
    out.insert_str(insert_at, &block);
    Ok(out)
}

/// `<!-- … -->` removed, with its line when it stood alone on it.
fn without_comments(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut at = 0;
    while let Some(i) = html[at..].find("<!--") {
        let start = at + i;
        let Some(j) = html[start..].find("-->") else { break };
        let (s, e) = widen_to_line(html, start, start + j + 3);
        out.push_str(&html[at..s]);
        at = e;
    }
    out.push_str(&html[at..]);
    out
}

/// Each `<link …>` carrying a `data-trunk` attribute, and where the tag starts and ends.
fn trunk_link_spans(html: &str) -> Vec<(TrunkLink, (usize, usize))> {
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(i) = html[at..].find("<link") {
        let start = at + i;
        let Some(j) = html[start..].find('>') else { break };
        let end = start + j + 1;
        let attrs = attributes(html[start + "<link".len()..end - 1].trim_end_matches('/'));
        if attrs.iter().any(|(n, _)| n == "data-trunk") {
            found.push((TrunkLink { attrs }, (start, end)));
        }
        at = end;
    }
    found
}

/// `a="1" b c='2'` as `[(a, 1), (b, ""), (c, 2)]`.
fn attributes(text: &str) -> Vec<(String, String)> {
    let mut attrs = Vec::new();
    let mut rest = text.trim_start();
    while !rest.is_empty() {
        let name_end = rest.find(|c: char| c == '=' || c.is_whitespace()).unwrap_or(rest.len());
        let name = rest[..name_end].to_ascii_lowercase();
        rest = rest[name_end..].trim_start();
        let mut value = String::new();
        if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let (v, tail) = match after.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let body = &after[1..];
                    let close = body.find(q).unwrap_or(body.len());
                    (&body[..close], body.get(close + 1..).unwrap_or_default())
                }
                _ => {
                    let end = after.find(char::is_whitespace).unwrap_or(after.len());
                    (&after[..end], &after[end..])
                }
            };
            value = v.to_string();
            rest = tail.trim_start();
        }
        if !name.is_empty() {
            attrs.push((name, value));
        }
    }
    attrs
}

/// The whitespace a line starts with, for the line holding `at`.
fn indentation(text: &str, at: usize) -> &str {
    let line = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let rest = &text[line..];
    &rest[..rest.len() - rest.trim_start_matches([' ', '\t']).len()]
}

/// `start..end` grown to whole lines (and the line break) when nothing but whitespace
/// shares its lines.
fn widen_to_line(text: &str, start: usize, end: usize) -> (usize, usize) {
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i + 1);
    if text[line_start..start].trim().is_empty() && text[end..line_end].trim().is_empty() {
        (line_start, line_end)
    } else {
        (start, end)
    }
}

/// The stylesheet without comments, and each run of whitespace one space or none
/// (none next to `{ } ; ,`). Quoted strings are kept as they are. Brotli does the
/// rest.
pub fn minify_css(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut chars = css.chars().peekable();
    let mut pending_space = false;
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = ' ';
                for c in chars.by_ref() {
                    if last == '*' && c == '/' {
                        break;
                    }
                    last = c;
                }
                pending_space = true;
            }
            c if c.is_whitespace() => pending_space = true,
            '"' | '\'' => {
                push_space(&mut out, &mut pending_space, c);
                out.push(c);
                let mut escaped = false;
                for s in chars.by_ref() {
                    out.push(s);
                    if escaped {
                        escaped = false;
                    } else if s == '\\' {
                        escaped = true;
                    } else if s == c {
                        break;
                    }
                }
            }
            c => {
                push_space(&mut out, &mut pending_space, c);
                out.push(c);
            }
        }
    }
    out.push('\n');
    out
}

/// One space before `next`, if whitespace came before it and neither side is
/// punctuation that needs none.
fn push_space(out: &mut String, pending: &mut bool, next: char) {
    const TIGHT: &[char] = &['{', '}', ';', ','];
    if std::mem::take(pending) && !out.is_empty() && !out.ends_with(TIGHT) && !TIGHT.contains(&next) {
        out.push(' ');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "<!doctype html>\n<html>\n  <head>\n    <title>Aisle</title>\n    <!-- The web app. -->\n    \
<link data-trunk rel=\"rust\" data-bin=\"aisle\" data-wasm-opt=\"z\" />\n    <link data-trunk rel=\"css\" href=\"style/main.css\" />\n    \
<link data-trunk rel=\"copy-file\" href=\"public/sw.js\" />\n    <link rel=\"icon\" href=\"/icon.svg\" />\n  </head>\n  <body></body>\n</html>\n";

    #[test]
    fn the_trunk_links_are_read() {
        let links = trunk_links(PAGE);
        assert_eq!(links.len(), 3);
        assert_eq!(links[0].get("rel"), Some("rust"));
        assert_eq!(links[0].get("data-bin"), Some("aisle"));
        assert_eq!(links[1].get("href"), Some("style/main.css"));
        assert_eq!(links[2].get("href"), Some("public/sw.js"));
        assert_eq!(links[2].get("data-trunk"), Some(""));
    }

    #[test]
    fn the_page_loads_the_built_files_instead() {
        let built = Built { css: "/main-0123456789abcdef.css", js: "/aisle-0123456789abcdef.js", wasm: "/aisle-0123456789abcdef_bg.wasm" };
        let html = index_html(PAGE, &built).expect("page");
        assert!(!html.contains("data-trunk") && !html.contains("<!--"), "{html}");
        assert!(html.contains("    <link rel=\"icon\" href=\"/icon.svg\" />\n    <link rel=\"stylesheet\" href=\"/main-0123456789abcdef.css\" />\n"), "{html}");
        assert!(html.contains("<link rel=\"modulepreload\" href=\"/aisle-0123456789abcdef.js\" crossorigin />"), "{html}");
        assert!(html.contains("<link rel=\"preload\" href=\"/aisle-0123456789abcdef_bg.wasm\" as=\"fetch\" type=\"application/wasm\" crossorigin />"));
        let loader = format!("<script type=\"module\">import init from '/aisle-0123456789abcdef.js';\n{WAIT_FOR_FIRST_VIEW}\nawait init({{ module_or_path: '/aisle-0123456789abcdef_bg.wasm' }});</script>\n  </head>");
        assert!(html.contains(&loader), "{html}");
        assert!(html.contains("<title>Aisle</title>\n    <link rel=\"icon\""), "whole lines go: {html}");
        assert!(index_html("<html><body></body></html>", &built).is_err());
    }

    #[test]
    fn css_loses_comments_and_whitespace_but_not_strings() {
        let css = "/* head */\n:root {\n  --a: 1px;\n  font-family: system-ui, \"Segoe  UI\";\n}\n\na:hover , b > c { content: '/* no */'; margin: 0 auto; }\n@media (min-width: 40rem) {\n  .x { gap: calc(1rem + 2px); }\n}\n";
        assert_eq!(
            minify_css(css),
            ":root{--a: 1px;font-family: system-ui,\"Segoe  UI\";}a:hover,b > c{content: '/* no */';margin: 0 auto;}@media (min-width: 40rem){.x{gap: calc(1rem + 2px);}}\n"
        );
    }
}
