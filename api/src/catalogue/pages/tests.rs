use super::*;
use axum::http::HeaderValue;

fn env() -> Environment<'static> {
    templates::environment(AutoEscape::Html, &TEMPLATES, templates::words(&WORDS))
}

fn frame(lang: Lang) -> minijinja::Value {
    let nav = vec![Tile { href: "/c/kitchen".into(), name: "Kitchen & <Dining>".into(), description: "Pots".into(), photo: None, count: 1, count_words: "1".into() }];
    minijinja::context! {
        lang => lang.code(),
        nav => nav,
        languages => vec![("en", "English"), ("de", "Deutsch")],
        max_quantity => MAX_QUANTITY,
    }
}

fn a_card() -> Card {
    card(Lang::De, &ProductSummary { market_prices: Default::default(), tax_class: Default::default(), id: 7, slug: "blue-mug".into(), name: "Blue \"mug\"".into(), price: aisle_domain::Money::new(1250, aisle_domain::Currency::EUR), compare_at: None, stock: 3, category_slug: "kitchen".into(), photo: Some(a_photo()), rating: None }, true)
}

fn a_photo() -> aisle_domain::catalogue::photo::Photo {
    aisle_domain::catalogue::photo::Photo { id: 1, key: "0123456789abcdef".into(), width: 1024, height: 768, alt: "A \"blue\" mug".into(), thumbhash: "8LgJHYb4V2h6iId8g4l4eAiGc5/H".into() }
}

fn render(name: &str, lang: Lang, values: minijinja::Value) -> String {
    joined(&env().get_template(name).expect("template").render(minijinja::context! { ..frame(lang), ..values }).expect("renders"))
}

/// Every page in every language, checked for what the app and its tests rely on.
fn every_page() -> Vec<(String, Lang, String)> {
    let category = Category { id: 1, slug: "kitchen".into(), name: "Kitchen".into(), description: "Pots".into(), product_count: 30, parent: None, photo: None };
    let product = aisle_domain::Product { market_prices: Default::default(), tax_class: Default::default(), 
        id: 7,
        slug: "blue-mug".into(),
        name: "Blue mug".into(),
        description: "<b>Big</b>".into(),
        description_html: "<p>&lt;b&gt;Big&lt;/b&gt;</p>".into(),
        brand: String::new(),
        price: aisle_domain::Money::new(1250, aisle_domain::Currency::EUR),
        compare_at: None,
        stock: 0,
        category_slug: "kitchen".into(),
        category_name: "Kitchen".into(),
        photos: vec![a_photo(), aisle_domain::catalogue::photo::Photo { id: 2, ..a_photo() }],
        content_lang: Lang::En,
        rating: None,
        options: Vec::new(),
        variants: Vec::new(),
    };
    let mut pages = Vec::new();
    for lang in Lang::ALL {
        pages.push(("home".into(), lang, render("home.j2", lang, minijinja::context! { featured => vec![a_card()] })));
        pages.push((
            "category".into(),
            lang,
            render("category.j2", lang, minijinja::context! {
                category => &category, href => "/c/kitchen", cards => vec![a_card()], page => 2, total_pages => 3,
                trail => vec![tile(lang, &Category { id: 9, slug: "home".into(), name: "Home & <Garden>".into(), ..category.clone() })],
                children => vec![tile(lang, &Category { id: 2, slug: "knives".into(), name: "Knives".into(), parent: Some(1), ..category.clone() })],
            }),
        ));
        pages.push((
            "product".into(),
            lang,
            render(
                "product.j2",
                lang,
                minijinja::context! {
                    product => &product, category_href => "/c/kitchen", price => "12,50 €", was => "15,00 €", picture => "data:image/svg+xml,x",
                    photos => vec![photo_view(&a_photo(), aisle_domain::catalogue::photo::PAGE_SIZES, true)],
                    thumbs => product.photos.iter().map(|ph| photo_view(ph, "80px", false)).collect::<Vec<_>>(),
                    stock_class => "out-of-stock", stock_words => stock(StockLevel::OutOfStock), stars => stars_view(Some(aisle_domain::review::Stars { average: 450, count: 2 })), sold_out => true, untranslated => lang != Lang::En,
                },
            ),
        ));
    }
    pages
}

#[test]
fn every_page_renders_in_every_language_without_ids_the_app_uses() {
    for (name, lang, html) in every_page() {
        assert!(!html.contains("data-testid"), "{name} {lang:?}: tests find the app's elements only");
        assert!(!html.contains("<script"), "{name} {lang:?}: the page's policy allows the loader alone");
        for id in html.split(" id=\"").skip(1) {
            assert!(id.starts_with("fv-"), "{name} {lang:?}: id {:?} could double one of the app's", &id[..id.find('"').unwrap_or(id.len())]);
        }
        assert!(!html.contains(">\n") && !html.contains("  <"), "{name} {lang:?}: no whitespace between tags: {html}");
        assert!(html.contains("Kitchen &amp; &lt;Dining&gt;"), "{name} {lang:?}: names are escaped");
        assert!(html.contains("<main id=\"fv-main\" tabindex=\"-1\">"), "{name}");
    }
}

#[test]
fn pages_say_what_the_app_says() {
    let pages = every_page();
    let page = |name: &str, lang: Lang| pages.iter().find(|(n, l, _)| n == name && *l == lang).map(|(_, _, h)| h.clone()).expect("page");
    let home = page("home", Lang::De);
    assert!(home.contains("<h1>Willkommen bei Aisle</h1>"), "{home}");
    assert!(home.contains("<span class=\"count\">1 Produkt</span>"), "{home}");
    assert!(home.contains("<span class=\"name\">Blue &quot;mug&quot;</span><span class=\"price\">12,50\u{a0}€</span><span class=\"stock low-stock\">Nur noch 3 verfügbar</span>"), "{home}");
    assert!(home.contains("<option value=\"de\" lang=\"de\" selected>Deutsch</option>"), "{home}");
    let category = page("category", Lang::En);
    assert!(category.contains("<a rel=\"prev\" href=\"/c/kitchen?page=1\">← Previous</a><span>Page 2 of 3</span><a rel=\"next\" href=\"/c/kitchen?page=3\">Next →</a>"), "{category}");
    let product = page("product", Lang::En);
    assert!(product.contains("<div class=\"description\" lang=\"en\"><p>&lt;b&gt;Big&lt;/b&gt;</p></div>"), "{product}");
    assert!(product.contains("<button type=\"submit\" class=\"primary\" disabled>Out of stock</button>"), "{product}");
    assert!(product.contains("<section class=\"stock-alert\""), "{product}");
    assert!(product.contains("<a href=\"/cart\" class=\"cart-link\">Cart <span class=\"badge\">0</span>"), "{product}");
}

#[test]
fn the_language_is_the_shoppers_choice_else_the_browsers() {
    let headers = |pairs: &[(&str, &str)]| {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(header::HeaderName::from_bytes(k.as_bytes()).unwrap(), HeaderValue::from_str(v).unwrap());
        }
        h
    };
    assert_eq!(extract::shopper_language(&headers(&[])), Lang::En);
    assert_eq!(extract::shopper_language(&headers(&[("accept-language", "fr-FR,de;q=0.8,en;q=0.5")])), Lang::De);
    assert_eq!(extract::shopper_language(&headers(&[("accept-language", "de-AT"), ("cookie", "a=b; aisle_lang=en")])), Lang::En);
    assert_eq!(extract::shopper_language(&headers(&[("accept-language", "de"), ("cookie", "aisle_lang=xx")])), Lang::De, "a value the shop does not speak is ignored");
}

#[test]
fn the_first_view_goes_into_the_apps_page() {
    let index = include_str!("../../../../index.html");
    let head = Head { title: "Blue <mug> · Aisle".into(), description: Some("A \"big\" mug".into()), path: "/p/blue-mug".into(), alternates: vec![("de".into(), "/p/blauer-becher?lang=de".into())], product: None };
    let html = shell::fill(index, Lang::De, &head, "https://shop.example", "<main>x</main>");
    assert!(html.contains("<html lang=\"de\">"), "{html}");
    assert!(html.contains("<title>Blue &lt;mug&gt; · Aisle</title>"), "{html}");
    assert!(html.contains("<meta name=\"description\" content=\"A &quot;big&quot; mug\" />"), "{html}");
    assert!(html.contains("<link rel=\"canonical\" href=\"https://shop.example/p/blue-mug\" />"), "{html}");
    assert!(html.contains("<meta property=\"og:title\" content=\"Blue &lt;mug&gt; · Aisle\" />"), "{html}");
    assert!(html.contains("<body>\n    <div id=\"first-view\"><main>x</main></div>"), "{html}");
    assert_eq!(html.matches("<title>").count(), 1);
    let built = "<head>\n    <link rel=\"modulepreload\" href=\"/a.js\" crossorigin />\n    <link rel=\"preload\" href=\"/a_bg.wasm\" as=\"fetch\" type=\"application/wasm\" crossorigin />\n  </head><body></body>";
    let written = shell::fill(built, Lang::En, &head, "", "x");
    assert!(!written.contains("a_bg.wasm") && written.contains("<link rel=\"modulepreload\" href=\"/a.js\" crossorigin />\n  </head>"), "the wasm waits for the paint: {written}");
    assert_eq!(html.matches("name=\"description\"").count(), 1);
}
