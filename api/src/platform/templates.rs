//! The server's HTML and text templates (minijinja): the e-mails and the first view of
//! the shop's pages are written with the same environment, so both escape alike and
//! both take their words from a catalogue through `t("key", name=value)`.

use aisle_domain::Lang;
use minijinja::{value::Kwargs, AutoEscape, Environment, Error, ErrorKind, State, UndefinedBehavior};
use std::{collections::HashMap, sync::Arc};

/// One language's words: key to text with `{name}` placeholders.
pub type Catalogue = HashMap<String, String>;

/// Every language's words.
pub type Words = Arc<HashMap<Lang, Catalogue>>;

/// Reads catalogues that are part of the binary. A test reads each one, so a broken one
/// cannot ship.
pub fn words(sources: &[(Lang, &str)]) -> Words {
    Arc::new(sources.iter().map(|(lang, json)| (*lang, serde_json::from_str(json).expect("message catalogues are valid JSON"))).collect())
}

/// An environment with `templates`, escaping as `escape` says, where an undefined
/// value is an error (a typo fails the test that renders the template, not a
/// shopper's page) and `t` reads `words` in the language the context's `lang` names.
pub fn environment(escape: AutoEscape, templates: &[(&'static str, &'static str)], words: Words) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(move |_| escape);
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_formatter(write_value);
    for (name, source) in templates {
        env.add_template(name, source).expect("templates compile (a test renders each)");
    }
    env.add_function("t", move |state: &State, key: &str, args: Kwargs| translate(&words, state, key, args));
    env
}

/// Writes a value into the output. minijinja's HTML escaping also escapes `/`, which
/// spells every link as `https:&#x2f;&#x2f;…`: valid, but unreadable in the source a
/// support person or a spam filter looks at. Escaping `& < > " '` is all HTML needs,
/// in text and in quoted attributes alike.
fn write_value(out: &mut minijinja::Output, state: &State, value: &minijinja::Value) -> Result<(), Error> {
    if !matches!(state.auto_escape(), AutoEscape::Html) || value.is_safe() {
        return minijinja::escape_formatter(out, state, value);
    }
    out.write_str(&escape_html(&value.to_string())).map_err(|_| Error::new(ErrorKind::WriteFailure, "cannot write the template's output"))
}

/// `& < > " '` escaped: enough for text and for quoted attributes.
pub fn escape_html(raw: &str) -> String {
    let mut escaped = String::with_capacity(raw.len());
    for ch in raw.chars() {
        match ch {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    escaped
}

/// `t("key", name=value)`: the key's words in the language being rendered, with each
/// `{name}` replaced by its value. English stands in for a word not yet translated;
/// a key in no catalogue, or a placeholder left unfilled, is an error.
fn translate(words: &HashMap<Lang, Catalogue>, state: &State, key: &str, args: Kwargs) -> Result<String, Error> {
    let lang = state.lookup("lang").and_then(|v| v.as_str().and_then(Lang::from_tag)).unwrap_or_default();
    let text = words
        .get(&lang)
        .and_then(|c| c.get(key))
        .or_else(|| words.get(&Lang::En).and_then(|c| c.get(key)))
        .ok_or_else(|| Error::new(ErrorKind::UndefinedError, format!("no message {key:?}")))?;
    let mut out = text.clone();
    for name in args.args() {
        let value: minijinja::Value = args.get(name)?;
        out = out.replace(&format!("{{{name}}}"), &value.to_string());
    }
    if let Some(start) = out.find('{').filter(|&i| out[i..].contains('}')) {
        let end = out[start..].find('}').map(|e| start + e + 1).unwrap_or(out.len());
        return Err(Error::new(ErrorKind::UndefinedError, format!("message {key:?} needs {}", &out[start..end])));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_html_needs_and_keeps_slashes() {
        assert_eq!(escape_html(r#"<a href="https://x/y?a=1&b='2'">"#), "&lt;a href=&quot;https://x/y?a=1&amp;b=&#39;2&#39;&quot;&gt;");
    }

    #[test]
    fn words_fall_back_to_english_and_refuse_what_is_missing() {
        let words = words(&[(Lang::En, r#"{"hi": "Hello {name}", "only_en": "Only"}"#), (Lang::De, r#"{"hi": "Hallo {name}"}"#)]);
        let env = environment(AutoEscape::Html, &[("t.j2", "{{ t('hi', name=who) }} {{ t('only_en') }}")], words);
        let t = env.get_template("t.j2").expect("compiles");
        assert_eq!(t.render(minijinja::context! { lang => "de", who => "<Ada>" }).expect("renders"), "Hallo &lt;Ada&gt; Only");
        let env2 = environment(AutoEscape::Html, &[("u.j2", "{{ t('hi') }}")], super::words(&[(Lang::En, r#"{"hi": "Hello {name}"}"#)]));
        assert!(env2.get_template("u.j2").expect("compiles").render(minijinja::context! { lang => "en" }).is_err(), "an unfilled placeholder is an error");
    }
}
