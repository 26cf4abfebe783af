//! Product content per language: staff translate a product; German shoppers read it
//! in German everywhere (product, category, search, offline copy, the page the server
//! writes), and the shop's own English where there is no translation, marked.

use crate::helpers::spawn_app;
use serde_json::json;

async fn get_in(app: &crate::helpers::TestApp, path: &str, lang: &str) -> serde_json::Value {
    let res = app.client.get(format!("{}{path}", app.url)).header("accept-language", lang).send().await.expect("request");
    assert_eq!(res.status(), 200, "{path}");
    res.json().await.expect("json")
}

#[tokio::test]
async fn a_translated_product_speaks_german_to_german_shoppers_and_english_marks_the_rest() {
    let app = spawn_app().await;
    let staff = app.staff().await;
    let english = get_in(&app, "/api/products/1", "en").await;
    let form = json!({"name": "Hafen-Schneidebrett aus Kupfer", "slug": "", "description": "Für die **Küche**."});
    let (status, p) = staff.send("PUT", "/api/staff/products/1/translations/de", form).await;
    assert_eq!(status, 200, "{p}");
    assert_eq!(p["translations"][0]["slug"], "hafen-schneidebrett-aus-kupfer");

    let de = get_in(&app, "/api/products/1", "de-DE,de;q=0.9").await;
    assert_eq!((de["name"].as_str(), de["content_lang"].as_str()), (Some("Hafen-Schneidebrett aus Kupfer"), Some("de")));
    assert!(de["description_html"].as_str().is_some_and(|h| h.contains("<strong>Küche</strong>")), "{de}");
    assert_eq!(get_in(&app, "/api/products/1", "en").await["name"], english["name"], "English shoppers keep English");
    assert_eq!(get_in(&app, "/api/products/hafen-schneidebrett-aus-kupfer", "de").await["id"], 1, "the German address leads there");
    let shared = get_in(&app, "/api/products/hafen-schneidebrett-aus-kupfer", "en").await;
    assert_eq!(shared["name"], english["name"], "a German link shared with an English shopper shows English");
    // No translation: the shop's own English, marked as such.
    assert_eq!(get_in(&app, "/api/products/2", "de").await["content_lang"], "en");
    // The cookie the app sets when a shopper picks a language wins over the browser's.
    let res = app.client.get(format!("{}/api/products/1", app.url)).header("accept-language", "de").header("cookie", "aisle_lang=en").send().await.expect("get");
    assert_eq!(res.json::<serde_json::Value>().await.expect("json")["name"], english["name"]);

    let category = english["category_slug"].as_str().expect("slug");
    let page = get_in(&app, &format!("/api/categories/{category}/products?per_page=100"), "de").await;
    assert!(page["items"].as_array().expect("items").iter().any(|i| i["name"] == "Hafen-Schneidebrett aus Kupfer"), "{page}");
    let found = get_in(&app, "/api/search?q=schneidebrett", "de").await;
    assert_eq!(found["items"][0]["id"], 1, "search reads every language: {found}");
    let changes = get_in(&app, "/api/catalogue/changes?since=", "de").await;
    assert!(changes["products"].as_array().expect("products").iter().any(|p| p["name"] == "Hafen-Schneidebrett aus Kupfer"));
    let html = app.client.get(format!("{}/p/{}", app.url, english["slug"].as_str().expect("slug"))).header("accept-language", "de").send().await.expect("page").text().await.expect("text");
    assert!(html.contains("Hafen-Schneidebrett aus Kupfer"), "the server's page speaks German");

    // The list says which products still lack German.
    let (_, list) = staff.get("/api/staff/products?per_page=50").await;
    let rows = list["items"].as_array().expect("items");
    assert!(rows.iter().all(|r| r["id"] == 1 || r["missing"] == json!(["de"])), "{list}");
    let name: String = url::form_urlencoded::byte_serialize(english["name"].as_str().expect("name").as_bytes()).collect();
    let (_, list) = staff.get(&format!("/api/staff/products?q={name}")).await;
    assert_eq!(list["items"][0]["missing"], json!([]), "{list}");

    // Emptied: removed, and German shoppers read English again.
    let (status, p) = staff.send("PUT", "/api/staff/products/1/translations/de", json!({"name": "", "slug": "", "description": ""})).await;
    assert_eq!((status, p["translations"].as_array().map(Vec::len)), (200, Some(0)));
    assert_eq!(get_in(&app, "/api/products/1", "de").await["content_lang"], "en");
}

#[tokio::test]
async fn a_bad_translation_names_its_field_and_saves_nothing() {
    let app = spawn_app().await;
    let staff = app.staff().await;
    let other = get_in(&app, "/api/products/2", "en").await;
    let (status, p) = staff.send("PUT", "/api/staff/products/1/translations/de", json!({"name": "Brett", "slug": other["slug"], "description": ""})).await;
    assert_eq!((status, p["error"]["field"].as_str()), (400, Some("slug")), "{p}");
    let (status, p) = staff.send("PUT", "/api/staff/products/1/translations/de", json!({"name": " ", "slug": "brett", "description": ""})).await;
    assert_eq!((status, p["error"]["field"].as_str()), (400, Some("name")), "{p}");
    let (status, _) = staff.send("PUT", "/api/staff/products/1/translations/fr", json!({"name": "Planche", "slug": "", "description": ""})).await;
    assert_eq!(status, 404);
    let (status, _) = staff.send("PUT", "/api/staff/products/1/translations/en", json!({"name": "Board", "slug": "", "description": ""})).await;
    assert_eq!(status, 404, "the shop's own language is the product itself");
    assert_eq!(get_in(&app, "/api/products/1", "de").await["content_lang"], "en", "nothing was saved");
}

#[tokio::test]
async fn each_language_has_its_own_address_for_search_engines() {
    let app = spawn_app().await;
    let staff = app.staff().await;
    let (status, _) = staff.send("PUT", "/api/staff/products/1/translations/de", json!({"name": "Kupferbrett", "slug": "kupferbrett"})).await;
    assert_eq!(status, 200);
    let english = get_in(&app, "/api/products/1", "en").await;
    let en_slug = english["slug"].as_str().expect("slug").to_string();

    // The sitemap lists the product in both languages, each naming the other.
    let map = app.client.get(format!("{}/sitemap.xml", app.url)).send().await.unwrap().text().await.unwrap();
    let de = format!("/p/kupferbrett?lang=de");
    let en = format!("/p/{en_slug}?lang=en");
    assert!(map.contains(&format!("{de}</loc>")) && map.contains(&format!("{en}</loc>")), "{map}");
    assert!(map.contains(&format!(r#"hreflang="de" href="{}{de}""#, app.url)) || map.contains(&format!(r#"hreflang="de" href="http"#)), "{map}");

    // `?lang=de` is a German page whatever the browser says, canonical to itself, with
    // its English twin and the default named in its head.
    let html = app.client.get(format!("{}{de}", app.url)).header("accept-language", "en").send().await.unwrap().text().await.unwrap();
    assert!(html.contains(r#"lang="de""#), "German page: {html}");
    assert!(html.contains("Kupferbrett"));
    assert!(html.contains(&format!(r#"rel="canonical" href="#)) && html.contains(&format!("{de}\" />")), "canonical to itself");
    assert!(html.contains(&format!(r#"hreflang="en" href="#)) && html.contains(&format!("{en}\" />")));
    assert!(html.contains(r#"hreflang="x-default""#));
}
