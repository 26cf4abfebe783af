//! Photos for the demo catalogue, drawn here (nothing is downloaded): a shape in the
//! product's category colour on a lit table top, the same shape the drawn picture
//! uses. One drawing per category and shape, shared by the products that have both,
//! so a new shop has photos from its first start.
//!
//! Only `serve` draws them, once, into a new database; the tests' databases have none
//! unless a test adds some, and `AISLE_DEMO_PHOTOS=off` leaves them out.

use super::writer;
use crate::{media::process, platform::error::ApiError, AppState};
use aisle_domain::catalogue::{
    art::{category_hue, stable_hash},
    photo::Photo,
};
use image::{DynamicImage, Rgb, RgbImage};
use std::collections::HashMap;

const WIDTH: u32 = 800;
const HEIGHT: u32 = 600;
const SHAPES: u64 = 4;

/// Draws, encodes and stores the demo photos, then gives every product of the demo
/// catalogue the one of its category and shape.
pub async fn seed(state: &AppState) -> Result<usize, ApiError> {
    let products: Vec<(i64, String, String)> = sqlx::query_as("SELECT p.id, p.name, c.slug FROM products p JOIN categories c ON c.id = p.category_id ORDER BY p.id")
        .fetch_all(&state.db)
        .await?;
    let mut drawings: HashMap<(String, u64), Photo> = HashMap::new();
    let mut photos = Vec::with_capacity(products.len());
    for (id, name, category) in products {
        // By name, not id: ids run through the categories in turn, so id % 4 would give
        // every product of a category the same shape.
        let shape = stable_hash(&name) % SHAPES;
        let key = (category.clone(), shape);
        if !drawings.contains_key(&key) {
            let hue = category_hue(&category);
            let file_key = format!("{:016x}", stable_hash(&format!("demo/{category}/{shape}")));
            let encoded = tokio::task::spawn_blocking(move || process::encode_pixels(draw(hue, shape), &file_key))
                .await
                .map_err(|e| ApiError::Internal(e.to_string()))?
                .map_err(|e| ApiError::Internal(e.to_string()))?;
            for file in encoded.files {
                state.media.put(&file.name, file.format.mime(), file.bytes).await?;
            }
            let photo = Photo { id: 1, key: encoded.key, width: encoded.width, height: encoded.height, alt: String::new(), thumbhash: encoded.thumbhash };
            drawings.insert(key.clone(), photo);
        }
        if let Some(photo) = drawings.get(&key) {
            photos.push((id, vec![Photo { alt: format!("{name}, drawn for the demo shop"), ..photo.clone() }]));
        }
    }
    let count = photos.len();
    writer::set_photos(state, photos).await?;
    // Each category's tile shows one of its drawings.
    let categories: Vec<(i64, String, String)> = sqlx::query_as("SELECT id, slug, name FROM categories ORDER BY id").fetch_all(&state.db).await?;
    for (id, slug, name) in categories {
        if let Some(photo) = (0..SHAPES).find_map(|shape| drawings.get(&(slug.clone(), shape))) {
            writer::set_category_photo(state, id, Some(&Photo { alt: format!("{name}, drawn for the demo shop"), ..photo.clone() })).await?;
        }
    }
    Ok(count)
}

/// A table top and a wall in light tints of the hue, the shape in its full colour,
/// lit from the upper left, with a soft shadow.
fn draw(hue: u64, shape: u64) -> DynamicImage {
    let hue = hue as f32;
    let (cx, cy) = (WIDTH as f32 / 2.0, HEIGHT as f32 * 0.46);
    let table = HEIGHT as f32 * 0.68;
    let inside = |x: f32, y: f32| -> bool {
        let (dx, dy) = (x - cx, y - cy);
        match shape {
            0 => dx * dx + dy * dy <= 170.0 * 170.0,
            1 => {
                let (ax, ay) = ((dx.abs() - 115.0).max(0.0), (dy.abs() - 115.0).max(0.0));
                dx.abs() <= 160.0 && dy.abs() <= 160.0 && ax * ax + ay * ay <= 45.0 * 45.0
            }
            2 => (-170.0..=150.0).contains(&dy) && dx.abs() <= (dy + 170.0) * 0.62,
            _ => (dx / 230.0).powi(2) + (dy / 140.0).powi(2) <= 1.0,
        }
    };
    let img = RgbImage::from_fn(WIDTH, HEIGHT, |x, y| {
        let (x, y) = (x as f32, y as f32);
        if inside(x, y) {
            // Light from the upper left: lighter there, darker to the lower right.
            let light = ((cx - x) * 0.5 + (cy - y) * 0.7) / 260.0;
            return hsl(hue, 0.55, (0.46 + light * 0.14).clamp(0.22, 0.7));
        }
        let base = if y < table { 0.93 - (y / table) * 0.04 } else { 0.84 - ((y - table) / (HEIGHT as f32 - table)) * 0.06 };
        // The shadow: an ellipse on the table under the shape, soft at its edge.
        let (sx, sy) = ((x - cx - 30.0) / 250.0, (y - (cy + 175.0)) / 38.0);
        let d = sx * sx + sy * sy;
        let shadow = if d < 1.0 { (1.0 - d) * 0.16 } else { 0.0 };
        hsl(hue, 0.35, base - shadow)
    });
    DynamicImage::ImageRgb8(img)
}

fn hsl(h: f32, s: f32, l: f32) -> Rgb<u8> {
    let c = (1.0 - (2.0 * l - 1.0).abs()) * s;
    let hp = h / 60.0;
    let x = c * (1.0 - (hp % 2.0 - 1.0).abs());
    let (r, g, b) = match hp as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let m = l - c / 2.0;
    let to = |v: f32| ((v + m).clamp(0.0, 1.0) * 255.0).round() as u8;
    Rgb([to(r), to(g), to(b)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shape_is_drawn_in_its_colour() {
        for shape in 0..SHAPES {
            let img = draw(200, shape).into_rgb8();
            let centre = img.get_pixel(WIDTH / 2, (HEIGHT as f32 * 0.46) as u32);
            let corner = img.get_pixel(2, 2);
            assert_ne!(centre, corner, "shape {shape}");
            assert!(centre[2] > centre[0], "a blue hue is blue: {centre:?}");
        }
    }
}
