//! Web app tests that run inside headless Chromium (wasm-bindgen-test): components are
//! mounted into the real DOM and read back as a shopper's browser would show them.

use aisle::{
    platform::http::ApiError,
    features::catalogue::product_card::{ProductCard, StockBadge},
    i18n::{use_i18n, I18nContextProvider, Locale},
    ui::not_found::NotFound,
};
use aisle_domain::{Currency, Money, ProductSummary, StockLevel};
use leptos::{prelude::*, wasm_bindgen::JsCast};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts a view, in English, into a fresh `<div>` and returns that element.
fn mount<V: IntoView + 'static>(f: impl FnOnce() -> V + Send + 'static) -> leptos::web_sys::HtmlElement {
    mount_in(Locale::en, f)
}

/// Mounts a view into a fresh `<div>`, with the shop speaking `locale` (whatever the
/// test browser's own language), and returns that element.
fn mount_in<V: IntoView + 'static>(locale: Locale, f: impl FnOnce() -> V + Send + 'static) -> leptos::web_sys::HtmlElement {
    let doc = document();
    let el = doc.create_element("div").expect("div").unchecked_into::<leptos::web_sys::HtmlElement>();
    doc.body().expect("body").append_child(&el).expect("append");
    leptos::mount::mount_to(el.clone(), move || {
        view! {
            <I18nContextProvider set_lang_attr_on_html=false>
                {use_i18n().set_locale(locale);}
                {f()}
            </I18nContextProvider>
        }
    })
    .forget();
    el
}

#[wasm_bindgen_test]
fn stock_levels_read_in_words() {
    let el = mount(|| view! { <StockBadge level=StockLevel::from_count(3)/> });
    assert_eq!(el.text_content().unwrap_or_default(), "Only 3 left");
    let el = mount(|| view! { <StockBadge level=StockLevel::from_count(0)/> });
    assert_eq!(el.text_content().unwrap_or_default(), "Out of stock");
    assert!(el.inner_html().contains("out-of-stock"));
}

#[wasm_bindgen_test]
fn a_product_card_in_german_reads_german_price_and_stock() {
    let product = ProductSummary { tax_class: Default::default(), market_prices: Vec::new(), 
        id: 43,
        slug: "big-pot".into(),
        name: "Big pot".into(),
        price: Money::new(123_450, Currency::EUR),
        compare_at: Some(Money::new(150_000, Currency::EUR)),
        stock: 2,
        category_slug: "kitchen".into(),
        photo: None,
        rating: None,
    };
    let el = mount_in(Locale::de, move || view! { <ProductCard product/> });
    let text = el.text_content().unwrap_or_default();
    assert!(text.contains("1.234,50\u{a0}€"), "{text}");
    assert!(text.contains("Nur noch 2 verfügbar"), "{text}");
    // The earlier price, struck through.
    let was = el.query_selector(".was s").unwrap().expect("the was price");
    assert_eq!(was.text_content().unwrap_or_default(), "1.500,00\u{a0}€");
    assert!(text.contains("statt"), "{text}");
}

#[wasm_bindgen_test]
fn a_product_card_links_to_its_page_with_price_and_stock() {
    let product = ProductSummary { tax_class: Default::default(), market_prices: Vec::new(), 
        id: 42,
        slug: "blue-mug".into(),
        name: "Blue <Mug>".into(),
        price: Money::new(1250, Currency::EUR),
        compare_at: None,
        stock: 40,
        category_slug: "kitchen".into(),
        photo: None,
        rating: None,
    };
    let el = mount(move || view! { <ProductCard product/> });
    let link = el.query_selector("a").unwrap().expect("a link");
    assert_eq!(link.get_attribute("href").as_deref(), Some("/p/blue-mug"));
    let text = el.text_content().unwrap_or_default();
    assert!(text.contains("Blue <Mug>"), "names are shown as text, not markup: {text}");
    assert!(text.contains("€12.50"));
    assert!(text.contains("In stock"));
    let img = el.query_selector("img").unwrap().expect("img");
    let src = img.get_attribute("src").unwrap_or_default();
    assert!(src.starts_with("data:image/svg+xml,%3Csvg"), "drawn in the page, no request: {src}");
}

#[wasm_bindgen_test]
fn a_card_with_a_photo_offers_it_in_both_formats_sized_over_its_preview() {
    let photo = aisle_domain::catalogue::photo::Photo {
        id: 1,
        key: "0123456789abcdef".into(),
        width: 1200,
        height: 900,
        alt: "A blue mug".into(),
        thumbhash: "8LgJHYb4V2h6iId8g4l4eAiGc5/H".into(),
    };
    let product = ProductSummary { tax_class: Default::default(), market_prices: Vec::new(), 
        id: 42,
        slug: "blue-mug".into(),
        name: "Blue Mug".into(),
        price: Money::new(1250, Currency::EUR),
        compare_at: None,
        stock: 40,
        category_slug: "kitchen".into(),
        photo: Some(photo),
        rating: None,
    };
    let el = mount(move || view! { <ProductCard product first=true/> });
    let preview = el.query_selector("img.preview").unwrap().expect("the preview");
    assert!(preview.get_attribute("src").unwrap_or_default().starts_with("data:image/png;base64,"));
    let avif = el.query_selector("source[type='image/avif']").unwrap().expect("an AVIF source");
    assert!(avif.get_attribute("srcset").unwrap_or_default().ends_with("/media/0123456789abcdef-1024.avif 1024w"));
    let img = el.query_selector("picture img").unwrap().expect("the photo");
    assert_eq!((img.get_attribute("width").as_deref(), img.get_attribute("height").as_deref()), (Some("1200"), Some("900")));
    assert_eq!(img.get_attribute("fetchpriority").as_deref(), Some("high"), "the first card's photo comes first");
    assert_eq!(img.get_attribute("alt").as_deref(), Some("A blue mug"));
}

#[wasm_bindgen_test]
fn the_not_found_page_offers_a_way_on() {
    let el = mount(|| view! { <NotFound title="Product not found"/> });
    assert_eq!(el.query_selector("h1").unwrap().and_then(|h| h.text_content()).as_deref(), Some("Product not found"));
    assert!(el.query_selector("a[href='/']").unwrap().is_some());
}

#[wasm_bindgen_test]
fn api_errors_keep_the_servers_message_or_say_something_plain() {
    let e = ApiError::from_response(404, r#"{"error":{"code":"not_found","message":"No such product."}}"#);
    assert!(e.is_not_found());
    assert_eq!(e.message, "No such product.");
    let e = ApiError::from_response(502, "<html>Bad gateway</html>");
    assert!(e.message.contains("trouble"), "{}", e.message);
    assert!(!e.message.contains("<html>"));
}
