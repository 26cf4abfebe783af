// Fails the build when the language catalogues (`locales/*.json`) disagree: a key one
// has and another lacks, or a `{placeholder}` a translation drops. leptos_i18n only
// warns about a missing key (and shows the default language's text), which would let a
// half-translated page ship.

use std::{collections::BTreeMap, fs, path::Path};

fn main() {
    let dir = Path::new("locales");
    println!("cargo:rerun-if-changed=locales");
    let mut catalogues: Vec<(String, BTreeMap<String, String>)> = Vec::new();
    let mut entries: Vec<_> = fs::read_dir(dir).expect("locales/ is readable").filter_map(Result::ok).map(|e| e.path()).collect();
    entries.sort();
    for path in entries.into_iter().filter(|p| p.extension().is_some_and(|e| e == "json")) {
        println!("cargo:rerun-if-changed={}", path.display());
        let text = fs::read_to_string(&path).expect("catalogue is readable");
        let map: BTreeMap<String, String> = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let name = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        catalogues.push((name, map));
    }
    let Some((first_name, first)) = catalogues.first() else { panic!("no catalogues in locales/") };
    let mut problems = Vec::new();
    for (name, map) in &catalogues[1..] {
        for key in first.keys().filter(|k| !map.contains_key(*k)) {
            problems.push(format!("locales/{name}.json lacks \"{key}\""));
        }
        for key in map.keys().filter(|k| !first.contains_key(*k)) {
            problems.push(format!("locales/{first_name}.json lacks \"{key}\""));
        }
        for (key, value) in map {
            if let Some(original) = first.get(key) {
                if placeholders(original) != placeholders(value) {
                    problems.push(format!("\"{key}\": locales/{name}.json has placeholders {:?}, locales/{first_name}.json {:?}", placeholders(value), placeholders(original)));
                }
            }
        }
    }
    if !problems.is_empty() {
        panic!("the language catalogues disagree:\n  {}", problems.join("\n  "));
    }
}

fn placeholders(text: &str) -> Vec<String> {
    let mut found: Vec<String> = text.split('{').skip(1).filter_map(|s| s.split_once('}').map(|(name, _)| name.to_string())).collect();
    found.sort();
    found
}
