//! The docs hold together: every link in `README.md` and `docs/*.md` to a file of the
//! repository (and to a heading in it) resolves, and the README stays a front page
//! (under [`README_MAX_BYTES`]). Links to other sites are not followed: CI has no
//! network. Run alone with `cargo xtask docs`.

use crate::sh::{root, Result};
use std::{
    collections::BTreeSet,
    fs,
    path::{Path, PathBuf},
};

/// The README is the front page; depth lives in `docs/`.
pub const README_MAX_BYTES: usize = 12 * 1024;

pub fn check() -> Result {
    let root = root();
    let mut pages = vec![root.join("README.md")];
    let mut docs: Vec<PathBuf> = fs::read_dir(root.join("docs"))
        .map_err(|e| format!("cannot read docs/: {e}"))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    pages.extend(docs);
    let mut problems = Vec::new();
    let mut links = 0;
    for page in &pages {
        let text = fs::read_to_string(page).map_err(|e| format!("cannot read {}: {e}", page.display()))?;
        for target in link_targets(&text) {
            links += 1;
            if let Err(why) = resolve(page, &target) {
                problems.push(format!("{}: ({target}) {why}", page.strip_prefix(&root).unwrap_or(page).display()));
            }
        }
    }
    let readme = fs::metadata(root.join("README.md")).map_err(|e| e.to_string())?.len() as usize;
    if readme > README_MAX_BYTES {
        problems.push(format!("README.md is {readme} bytes; keep it under {README_MAX_BYTES} and move depth into docs/"));
    }
    if problems.is_empty() {
        println!("{links} links in {} pages resolve; README.md is {readme} bytes", pages.len());
        Ok(())
    } else {
        Err(format!("the docs do not hold together:\n{}", problems.join("\n")))
    }
}

/// The targets of Markdown links, `[text](target)`, outside code blocks and spans.
fn link_targets(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_block = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_block = !in_block;
            continue;
        }
        if in_block {
            continue;
        }
        // Code spans hold paths and examples, not links.
        let mut plain = String::new();
        for (i, part) in line.split('`').enumerate() {
            if i % 2 == 0 {
                plain.push_str(part);
            }
        }
        let mut rest = plain.as_str();
        while let Some(p) = rest.find("](") {
            let after = &rest[p + 2..];
            let Some(end) = after.find(')') else { break };
            out.push(after[..end].trim().to_string());
            rest = &after[end..];
        }
    }
    out
}

fn resolve(page: &Path, target: &str) -> std::result::Result<(), String> {
    if target.contains("://") || target.starts_with("mailto:") {
        return Ok(());
    }
    let (file, anchor) = match target.split_once('#') {
        Some((f, a)) => (f, Some(a)),
        None => (target, None),
    };
    let dir = page.parent().unwrap_or(Path::new("."));
    let path = if file.is_empty() { page.to_path_buf() } else { dir.join(file) };
    if !path.exists() {
        return Err(format!("{} does not exist", path.display()));
    }
    if let Some(anchor) = anchor {
        let text = fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        if !headings(&text).contains(anchor) {
            return Err(format!("no heading #{anchor} in {}", path.display()));
        }
    }
    Ok(())
}

/// The anchors GitHub makes of a page's headings: lower case, punctuation dropped,
/// spaces as hyphens.
fn headings(text: &str) -> BTreeSet<String> {
    let mut in_block = false;
    let mut out = BTreeSet::new();
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_block = !in_block;
            continue;
        }
        if in_block || !line.starts_with('#') {
            continue;
        }
        let title = line.trim_start_matches('#').trim();
        out.insert(slug(title));
    }
    out
}

fn slug(title: &str) -> String {
    title
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_outside_code_are_found_and_headings_slugged_as_github_does() {
        let text = "See [ops](docs/operations.md#logs-metrics-and-health) and `[not](a link)`.\n```\n[no](x.md)\n```\n[site](https://example.com)";
        assert_eq!(link_targets(text), ["docs/operations.md#logs-metrics-and-health", "https://example.com"]);
        assert_eq!(slug("Logs, metrics and health"), "logs-metrics-and-health");
        assert_eq!(slug("Budgets missed, and why"), "budgets-missed-and-why");
        assert_eq!(slug("What `cargo xtask test` runs"), "what-cargo-xtask-test-runs");
    }
}
