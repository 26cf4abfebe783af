//! Draws the app icons (a white shopping cart on the brand green) as PNGs at build
//! time, so the repository ships no image files and every size stays in step.

use std::{fs, path::Path};

const BRAND: [u8; 3] = [0x14, 0x53, 0x2d];
const WHITE: [u8; 3] = [0xff, 0xff, 0xff];

/// Writes `icon-192.png`, `icon-512.png` and `icon-maskable-512.png` into `dir`.
pub fn write_icons(dir: &Path) -> crate::sh::Result {
    fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    write_png(&dir.join("icon-192.png"), 192, false)?;
    write_png(&dir.join("icon-512.png"), 512, false)?;
    // Maskable icons are cropped to a circle or squircle by the launcher: fill the
    // whole square and keep the drawing inside the central safe zone.
    write_png(&dir.join("icon-maskable-512.png"), 512, true)
}

fn write_png(path: &Path, size: u32, maskable: bool) -> crate::sh::Result {
    let pixels = draw(size, maskable);
    let file = fs::File::create(path).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), size, size);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
    writer.write_image_data(&pixels).map_err(|e| e.to_string())
}

/// RGBA pixels, 4× supersampled so the edges are smooth.
fn draw(size: u32, maskable: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity((size * size * 4) as usize);
    let s = size as f32;
    for y in 0..size {
        for x in 0..size {
            let (mut bg, mut fg) = (0u32, 0u32);
            for sy in 0..2 {
                for sx in 0..2 {
                    let u = (x as f32 + 0.25 + 0.5 * sx as f32) / s;
                    let v = (y as f32 + 0.25 + 0.5 * sy as f32) / s;
                    if maskable || inside_rounded_square(u, v, 0.22) {
                        bg += 1;
                        // The safe zone of a maskable icon is the central 80% circle.
                        let (fu, fv) = if maskable { (0.5 + (u - 0.5) / 0.72, 0.5 + (v - 0.5) / 0.72) } else { (u, v) };
                        if in_cart(fu, fv) {
                            fg += 1;
                        }
                    }
                }
            }
            let alpha = (bg * 255 / 4) as u8;
            let t = if bg == 0 { 0.0 } else { fg as f32 / bg as f32 };
            for c in 0..3 {
                out.push((BRAND[c] as f32 * (1.0 - t) + WHITE[c] as f32 * t).round() as u8);
            }
            out.push(alpha);
        }
    }
    out
}

fn inside_rounded_square(u: f32, v: f32, r: f32) -> bool {
    let dx = (r - u).max(u - (1.0 - r)).max(0.0);
    let dy = (r - v).max(v - (1.0 - r)).max(0.0);
    dx * dx + dy * dy <= r * r
}

/// A cart: a basket (trapezoid), its handle, and two wheels, in unit coordinates.
fn in_cart(u: f32, v: f32) -> bool {
    let basket = {
        let (top, bottom) = (0.34, 0.64);
        if v < top || v > bottom {
            false
        } else {
            let t = (v - top) / (bottom - top);
            let left = 0.24 + 0.08 * t;
            let right = 0.80 - 0.06 * t;
            u >= left && u <= right
        }
    };
    let handle = (0.14..=0.27).contains(&u) && (0.26..=0.32).contains(&v);
    let post = (0.21..=0.27).contains(&u) && (0.26..=0.40).contains(&v);
    let wheel = |cx: f32, cy: f32| (u - cx).powi(2) + (v - cy).powi(2) <= 0.065f32.powi(2);
    basket || handle || post || wheel(0.38, 0.76) || wheel(0.68, 0.76)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn icons_have_the_cart_in_white_on_green_and_transparent_corners() {
        let px = draw(64, false);
        let at = |x: u32, y: u32| &px[((y * 64 + x) * 4) as usize..((y * 64 + x) * 4 + 4) as usize];
        assert_eq!(at(0, 0)[3], 0, "rounded corner is transparent");
        assert_eq!(at(32, 32), &[255, 255, 255, 255], "basket is white");
        assert_eq!(at(32, 8), &[BRAND[0], BRAND[1], BRAND[2], 255], "background is brand green");
        let maskable = draw(64, true);
        assert_eq!(maskable[3], 255, "maskable icons fill the corners");
    }
}
