//! Product photos: staff upload and arrange them; shoppers get them in every size and
//! format, cached for a year; bad files are refused with a reason and save nothing.

use crate::helpers::{spawn_app, Shopper, TestApp};
use image::{DynamicImage, ImageBuffer, ImageEncoder, ImageFormat, Rgb};
use serde_json::{json, Value};
use std::io::Cursor;

pub fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let img = ImageBuffer::from_fn(width, height, |x, y| Rgb([(x * 255 / width) as u8, (y * 255 / height) as u8, 90]));
    let mut out = Vec::new();
    DynamicImage::ImageRgb8(img).write_to(&mut Cursor::new(&mut out), ImageFormat::Jpeg).expect("jpeg");
    out
}

async fn upload(staff: &Shopper, product: i64, alt: &str, bytes: Vec<u8>) -> (u16, Value) {
    let url = format!("{}/api/staff/products/{product}/photos?alt={}", staff.url, urlencode(alt));
    let res = staff.http.post(url).header("x-csrf-token", &staff.csrf).header("content-type", "image/jpeg").body(bytes).send().await.expect("upload");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

pub fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

async fn product(app: &TestApp, id: i64) -> Value {
    let (status, p) = app.get_json(&format!("/api/products/{id}")).await;
    assert_eq!(status, 200, "{p}");
    p
}

#[tokio::test]
async fn photos_are_uploaded_served_in_every_size_and_arranged() {
    let app = spawn_app().await;
    let staff = app.staff().await;
    let (status, p) = upload(&staff, 1, "A frying pan on a wooden table", jpeg(1200, 900)).await;
    assert_eq!(status, 201, "{p}");
    let (status, p) = upload(&staff, 1, "The pan's handle, close up", jpeg(500, 500)).await;
    assert_eq!(status, 201, "{p}");
    let photos = p["photos"].as_array().expect("photos");
    assert_eq!(photos.len(), 2);
    assert_eq!((photos[0]["width"].as_u64(), photos[0]["height"].as_u64()), (Some(1200), Some(900)));

    // Shoppers: the product and its card carry the photos, and every file is there.
    let shown = product(&app, 1).await;
    assert_eq!(shown["photos"].as_array().map(Vec::len), Some(2));
    let key = shown["photos"][0]["key"].as_str().expect("key").to_string();
    assert!(shown["photos"][0]["thumbhash"].as_str().is_some_and(|h| (20..=40).contains(&h.len())), "{shown}");
    for (width, ext, mime) in [(320, "webp", "image/webp"), (1024, "avif", "image/avif"), (640, "avif", "image/avif")] {
        let res = app.get(&format!("/media/{key}-{width}.{ext}")).await;
        assert_eq!(res.status(), 200, "{width}.{ext}");
        assert_eq!(res.headers()["content-type"], mime);
        assert_eq!(res.headers()["cache-control"], "public, max-age=31536000, immutable");
        let bytes = res.bytes().await.expect("bytes");
        if ext == "webp" {
            assert_eq!(image::load_from_memory(&bytes).expect("decodes").width(), width);
        } else {
            // No AVIF decoder here: the container says what it is.
            assert_eq!(image::guess_format(&bytes).ok(), Some(ImageFormat::Avif));
        }
    }
    // Never wider than the upload; names that are not ours are not found.
    for missing in [format!("/media/{key}-1600.webp"), "/media/..%2F..%2Fetc%2Fpasswd".into(), "/media/0000000000000000-320.webp".into()] {
        assert_eq!(app.get(&missing).await.status(), 404, "{missing}");
    }
    let (_, c) = app.get_json(&format!("/api/categories/{}/products?per_page=100", shown["category_slug"].as_str().expect("category"))).await;
    assert!(c["items"].as_array().expect("items").iter().any(|i| i["photo"]["key"] == key.as_str()), "the card shows the first photo");

    // Arranged: the second photo first, described anew; then the first removed.
    let (a, b) = (photos[0]["id"].clone(), photos[1]["id"].clone());
    let (status, p) = staff.send("PUT", "/api/staff/products/1/photos", json!({"photos": [{"id": b, "alt": "Handle"}, {"id": a, "alt": "Pan"}]})).await;
    assert_eq!(status, 200, "{p}");
    assert_eq!(p["photos"][0]["alt"], "Handle");
    let (status, p) = staff.send("PUT", "/api/staff/products/1/photos", json!({"photos": [{"id": b, "alt": " "}]})).await;
    assert_eq!((status, p["error"]["field"].as_str()), (400, Some("photos")), "{p}");
    assert_eq!(product(&app, 1).await["photos"].as_array().map(Vec::len), Some(2), "nothing half-saved");
    let (status, p) = staff.send("PUT", "/api/staff/products/1/photos", json!({"photos": [{"id": b, "alt": "Handle"}]})).await;
    assert_eq!((status, p["photos"].as_array().map(Vec::len)), (200, Some(1)));
    let (_, audit) = staff.get("/api/staff/products/1/audit").await;
    assert!(audit.to_string().contains("photos"), "{audit}");

    // A copy keeps the photos.
    let (status, copy) = staff.send("POST", "/api/staff/products/1/duplicate", json!({})).await;
    assert_eq!((status, copy["photos"].as_array().map(Vec::len)), (201, Some(1)), "{copy}");
}

#[tokio::test]
async fn bad_files_are_refused_with_a_reason_and_save_nothing() {
    let app = spawn_app().await;
    let staff = app.staff().await;
    let refused = |status: u16, expected: u16, p: &Value, words: &str| {
        assert_eq!(status, expected, "{p}");
        assert!(p["error"]["message"].as_str().is_some_and(|m| m.contains(words)), "{p}");
    };
    let (status, p) = upload(&staff, 1, "", jpeg(100, 100)).await;
    refused(status, 400, &p, "alt text");
    assert_eq!(p["error"]["field"], "alt");
    let svg = b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'><script>alert(2)</script></svg>".to_vec();
    let (status, p) = upload(&staff, 1, "Logo", svg).await;
    refused(status, 415, &p, "not a JPEG, PNG or WebP");
    let (status, p) = upload(&staff, 1, "Text", b"just words, named photo.jpg".to_vec()).await;
    refused(status, 415, &p, "not a JPEG, PNG or WebP");
    let (status, p) = upload(&staff, 1, "Huge", vec![0xFF; 21 * 1024 * 1024]).await;
    refused(status, 413, &p, "at most 20 MB");
    // A PNG of 30,000 × 30,000 pixels in a few kilobytes: refused from its header.
    let mut bomb = Vec::new();
    image::codecs::png::PngEncoder::new(&mut bomb)
        .write_image(&vec![0; 30_000], 30_000, 1, image::ExtendedColorType::L8)
        .expect("png");
    let height_at = 20;
    bomb[height_at..height_at + 4].copy_from_slice(&30_000u32.to_be_bytes());
    fix_ihdr_crc(&mut bomb);
    let (status, p) = upload(&staff, 1, "Bomb", bomb).await;
    refused(status, 413, &p, "megapixels");
    let (status, _) = upload(&staff, 999_999, "Nothing", jpeg(100, 100)).await;
    assert_eq!(status, 404);
    assert_eq!(product(&app, 1).await["photos"], Value::Null, "no photo was added");
}

/// After editing a PNG's header, its checksum must match again, or the decoder stops
/// at the checksum and never reaches the size check this test is about.
fn fix_ihdr_crc(png: &mut [u8]) {
    let crc = crc32(&png[12..29]);
    png[29..33].copy_from_slice(&crc.to_be_bytes());
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

async fn import(staff: &Shopper, csv: &str, apply: bool) -> (u16, Value) {
    staff.send("POST", "/api/staff/products/import", json!({"csv": csv, "apply": apply})).await
}

#[tokio::test]
async fn photos_travel_through_a_csv_by_their_address_on_the_shop() {
    let app = spawn_app().await;
    let staff = app.staff().await;
    assert_eq!(upload(&staff, 1, "A frying pan", jpeg(800, 600)).await.0, 201);
    assert_eq!(upload(&staff, 1, "Its handle", jpeg(600, 600)).await.0, 201);
    let res = staff.http.get(format!("{}/api/staff/products/export.csv", staff.url)).send().await.unwrap();
    let csv = res.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].contains(",Image Src,Image Position,Image Alt Text,"), "{}", lines[0]);
    let slug = product(&app, 1).await["slug"].as_str().unwrap().to_string();
    let mine: Vec<&str> = lines.iter().copied().filter(|l| l.starts_with(&format!("{slug},"))).collect();
    assert_eq!(mine.len(), 2, "the second photo on a row of its own: {mine:?}");
    assert!(mine[0].contains("/media/") && mine[0].contains(",1,A frying pan"), "{}", mine[0]);

    // Back as it went out: nothing changes.
    let (status, report) = import(&staff, &csv, false).await;
    assert_eq!((status, report["updated"].as_i64(), report["errors"].as_array().map(Vec::len)), (200, Some(0), Some(0)), "{report}");

    // Positions swapped and one described anew: the product's photos follow.
    let swapped = csv.replace(",1,A frying pan", ",2,A frying pan").replace(",2,Its handle", ",1,The handle close up");
    let (status, done) = import(&staff, &swapped, true).await;
    assert_eq!((status, done["updated"].as_i64(), done["applied"].as_bool()), (200, Some(1), Some(true)), "{done}");
    let photos = product(&app, 1).await["photos"].clone();
    assert_eq!((photos[0]["alt"].as_str(), photos[1]["alt"].as_str()), (Some("The handle close up"), Some("A frying pan")));

    // A new product may show a photo the shop has; an address elsewhere is refused
    // with its line, never fetched, and nothing is saved.
    let src = mine[0].split(',').find(|c| c.contains("/media/")).unwrap().to_string();
    let file = format!(
        "Handle,Title,Type,Variant Price,Published,Image Src,Image Alt Text\n\
         pan-twin,Pan Twin,Kitchen,10,TRUE,{src},The same pan\n\
         elsewhere,Elsewhere,Kitchen,10,TRUE,https://cdn.example.com/pan.jpg,\n"
    );
    let (_, report) = import(&staff, &file, true).await;
    assert_eq!(report["applied"].as_bool(), Some(false), "{report}");
    let message = report["errors"][0]["message"].as_str().unwrap();
    assert!(message.starts_with("line 3: Image Src:") && message.contains("not on this shop"), "{message}");
    assert_eq!(app.get_json("/api/products/pan-twin").await.0, 404, "nothing saved");
    let file = file.lines().take(2).collect::<Vec<_>>().join("\n");
    let (_, done) = import(&staff, &file, true).await;
    assert_eq!(done["applied"].as_bool(), Some(true), "{done}");
    let twin = app.get_json("/api/products/pan-twin").await.1;
    assert_eq!(twin["photos"][0]["alt"], "The same pan");
}
