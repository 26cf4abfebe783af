use super::{examples::example, Emails, Kind, Shop};
use aisle_domain::Lang;
use std::collections::BTreeSet;

fn emails() -> Emails {
    Emails::new(Shop { name: "Corner Shop".into(), address: "1 High Street, 10115 Berlin, Germany".into(), url: "https://shop.example".into(), ..Shop::default() })
}

#[test]
fn every_email_renders_in_every_language_with_links_and_the_shops_address() {
    let emails = emails();
    for kind in Kind::ALL {
        for lang in Lang::ALL {
            let mail = emails.render(kind, lang, &example(kind, lang, "https://shop.example")).unwrap_or_else(|e| panic!("{kind:?} in {lang:?}: {e:#}"));
            let what = format!("{kind:?} in {lang:?}");
            assert!(!mail.subject.is_empty() && !mail.subject.contains('\n'), "{what}: subject {:?}", mail.subject);
            assert!(mail.html.starts_with("<!DOCTYPE html>"), "{what}");
            assert!(mail.html.contains(&format!("<html lang=\"{}\"", lang.code())), "{what}");
            for part in [&mail.html, &mail.text] {
                assert!(part.contains("Corner Shop · 1 High Street, 10115 Berlin, Germany"), "{what}: footer");
                assert!(part.contains("https://shop.example/"), "{what}: an absolute link");
                assert!(!part.contains("{{") && !part.contains("{%"), "{what}: template syntax left");
            }
            // The text part is plain: no tags, nothing escaped.
            assert!(!mail.text.contains("<p") && !mail.text.contains("&amp;") && !mail.text.contains("&lt;"), "{what}:\n{}", mail.text);
            assert!(!mail.text.contains("\n\n\n"), "{what}: at most one blank line");
        }
    }
}

#[test]
fn values_are_escaped_in_html_and_kept_as_they_are_in_text() {
    let mail = emails().render(Kind::OrderPlaced, Lang::En, &example(Kind::OrderPlaced, Lang::En, "https://shop.example")).unwrap();
    assert!(mail.html.contains("Enamel mug &lt;blue &amp; white&gt;"), "{}", mail.html);
    assert!(!mail.html.contains("<blue"));
    assert!(mail.text.contains("2 × Enamel mug <blue & white> — €18.00"), "{}", mail.text);
}

#[test]
fn order_emails_carry_lines_totals_address_and_next_step() {
    let mail = emails().render(Kind::OrderPlaced, Lang::En, &example(Kind::OrderPlaced, Lang::En, "https://shop.example")).unwrap();
    assert_eq!(mail.subject, "Your order A-10042");
    for needle in ["Linen tea towel", "€30.50", "12 Example Street", "Pay on delivery", "https://shop.example/orders/A-10042?token=3f5c0e1d", "Next, we pack it"] {
        assert!(mail.text.contains(needle), "text lacks {needle:?}:\n{}", mail.text);
    }
    let de = emails().render(Kind::OrderShipped, Lang::De, &example(Kind::OrderShipped, Lang::De, "https://shop.example")).unwrap();
    assert_eq!(de.subject, "Ihre Bestellung A-10042 ist unterwegs");
    assert!(de.html.contains("Bei DHL verfolgen"));
    assert!(de.text.contains("https://www.dhl.com/"));
}

#[test]
fn the_catalogues_have_the_same_words_and_every_one_is_used() {
    let keys = |json: &str| -> BTreeSet<String> { serde_json::from_str::<std::collections::HashMap<String, String>>(json).unwrap().into_keys().collect() };
    let (en, de) = (keys(include_str!("messages/en.json")), keys(include_str!("messages/de.json")));
    assert_eq!(en.symmetric_difference(&de).collect::<Vec<_>>(), Vec::<&String>::new(), "keys in one catalogue only");
    let sources: String = super::TEMPLATES.iter().map(|(_, s)| *s).collect();
    let unused: Vec<&String> = en.iter().filter(|k| !sources.contains(&format!("\"{k}\""))).collect();
    assert!(unused.is_empty(), "words no template uses: {unused:?}");
}

#[test]
fn a_missing_word_or_value_is_an_error_not_a_blank() {
    let mut ctx = example(Kind::OrderPlaced, Lang::En, "https://shop.example");
    ctx["order"].as_object_mut().unwrap().remove("total");
    assert!(emails().render(Kind::OrderPlaced, Lang::En, &ctx).is_err());
}

/// `AISLE_EMAIL_PREVIEW=<dir>`: writes every e-mail's HTML and text in every language
/// there, to look at in a browser (`cargo xtask emails` does this and takes screenshots).
#[test]
fn preview() {
    let Some(dir) = std::env::var_os("AISLE_EMAIL_PREVIEW") else { return };
    let dir = std::path::PathBuf::from(dir);
    std::fs::create_dir_all(&dir).unwrap();
    let emails = emails();
    for kind in Kind::ALL {
        for lang in Lang::ALL {
            let mail = emails.render(kind, lang, &example(kind, lang, "https://shop.example")).unwrap();
            let stem = format!("{}.{}", kind.code(), lang.code());
            std::fs::write(dir.join(format!("{stem}.html")), &mail.html).unwrap();
            std::fs::write(dir.join(format!("{stem}.txt")), format!("Subject: {}\n\n{}", mail.subject, mail.text)).unwrap();
        }
    }
}
