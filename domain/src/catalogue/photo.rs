//! A product's photos as both sides see them: which files exist for a photo, their
//! addresses, the `srcset` a page offers, and the blurred preview shown until (or
//! instead of, offline) the file arrives.
//!
//! The server encodes every photo once, at upload, into [`PHOTO_WIDTHS`] (never wider
//! than the photo itself) in each [`PhotoFormat`]. A file's name carries the hash of
//! the upload, so a file never changes once written and is cached for a year.

use base64::Engine as _;
use serde::{Deserialize, Serialize};

/// The widths every photo is encoded at (those not wider than the photo).
pub const PHOTO_WIDTHS: [u32; 4] = [320, 640, 1024, 1600];
/// Uploads larger than this are refused before they are read whole.
pub const MAX_UPLOAD_BYTES: usize = 20 * 1024 * 1024;
/// Decoding is refused above this many pixels (a "zip bomb" PNG of 100,000 × 100,000
/// is a few kilobytes but would need 40 GB decoded): the header is read first.
pub const MAX_PIXELS: u64 = 50_000_000;
/// One side longer than this is refused too, however thin the photo.
pub const MAX_SIDE: u32 = 16_384;
/// Alt text longer than this is refused: it is read aloud in full.
pub const MAX_ALT_CHARS: usize = 250;
/// A product shows at most this many photos.
pub const MAX_PHOTOS: usize = 12;

/// A product grid's card is at most this wide (CSS `style/catalogue.css`).
pub const CARD_SIZES: &str = "(max-width: 600px) 50vw, 240px";
/// A product page's photo: the full width on a phone, about half a desk.
pub const PAGE_SIZES: &str = "(max-width: 760px) 100vw, 560px";
/// A category tile on home: half the width on a phone, a third of a desk at most.
pub const TILE_SIZES: &str = "(max-width: 600px) 100vw, 360px";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoFormat {
    Avif,
    Webp,
}

impl PhotoFormat {
    pub const ALL: [PhotoFormat; 2] = [PhotoFormat::Avif, PhotoFormat::Webp];

    pub fn extension(self) -> &'static str {
        match self {
            PhotoFormat::Avif => "avif",
            PhotoFormat::Webp => "webp",
        }
    }
    pub fn mime(self) -> &'static str {
        match self {
            PhotoFormat::Avif => "image/avif",
            PhotoFormat::Webp => "image/webp",
        }
    }
    pub fn from_extension(ext: &str) -> Option<PhotoFormat> {
        PhotoFormat::ALL.into_iter().find(|f| f.extension() == ext)
    }
}

/// One photo of a product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Photo {
    pub id: i64,
    /// Names every file of this photo: 16 hex digits of the upload's SHA-256.
    pub key: String,
    /// Size of the photo as encoded (upright, at most the widest of [`PHOTO_WIDTHS`]).
    pub width: u32,
    pub height: u32,
    /// What the photo shows, for those who cannot see it. Required before the product
    /// is published.
    pub alt: String,
    /// A ThumbHash of the photo, base64: a blurred preview in about 25 bytes.
    pub thumbhash: String,
}

impl Photo {
    /// The widths this photo was encoded at.
    pub fn widths(&self) -> Vec<u32> {
        widths_for(self.width)
    }

    /// Height of the file `width` wide, keeping the photo's proportions.
    pub fn height_at(&self, width: u32) -> u32 {
        scaled_height(self.width, self.height, width)
    }

    pub fn url(&self, width: u32, format: PhotoFormat) -> String {
        file_name(&self.key, width, format).map(|name| format!("/media/{name}")).unwrap_or_default()
    }

    /// `srcset` of this photo in one format: every width it was encoded at.
    pub fn srcset(&self, format: PhotoFormat) -> String {
        self.widths().into_iter().map(|w| format!("{} {w}w", self.url(w, format))).collect::<Vec<_>>().join(", ")
    }

    /// The `<img src>` for browsers that read neither `srcset`: the WebP closest to 640.
    pub fn fallback_src(&self) -> String {
        let widths = self.widths();
        let w = widths.iter().copied().find(|w| *w >= 640).or(widths.last().copied()).unwrap_or(self.width);
        self.url(w, PhotoFormat::Webp)
    }

    /// The widest file, for Open Graph and JSON-LD: chats and search engines pick
    /// their own size from it.
    pub fn largest_src(&self, format: PhotoFormat) -> String {
        let widths = self.widths();
        self.url(widths.last().copied().unwrap_or(self.width), format)
    }

    /// The blurred preview as a `data:` URL (a tiny PNG), or `None` when the hash is
    /// not one.
    pub fn placeholder(&self) -> Option<String> {
        thumbhash_data_url(&self.thumbhash)
    }
}

/// The photos a product keeps, in their new order, each with its alt text: the back
/// office's reorder, describe and remove are all this one request. A photo left out is
/// removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PhotoArrangement {
    pub photos: Vec<PhotoPlace>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PhotoPlace {
    pub id: i64,
    pub alt: String,
}

impl PhotoArrangement {
    /// The photos as arranged, from those a product has: every id must be one of
    /// them, once, and every alt text given. Errors are for staff, naming the photo.
    pub fn apply(&self, current: &[Photo]) -> Result<Vec<Photo>, String> {
        let mut out = Vec::with_capacity(self.photos.len());
        for (i, place) in self.photos.iter().enumerate() {
            let Some(photo) = current.iter().find(|p| p.id == place.id) else {
                return Err("The photos changed while this page was open: reload it and try again.".into());
            };
            if out.iter().any(|p: &Photo| p.id == place.id) {
                return Err("A photo is named twice.".into());
            }
            let alt = parse_alt(&place.alt)?;
            if alt.is_empty() {
                return Err(format!("Photo {} needs a description of what it shows (alt text).", i + 1));
            }
            out.push(Photo { alt, ..photo.clone() });
        }
        Ok(out)
    }
}

/// The widths a photo `width` wide is encoded at: those of [`PHOTO_WIDTHS`] it
/// reaches, or its own width alone when it is narrower than all of them.
pub fn widths_for(width: u32) -> Vec<u32> {
    let widths: Vec<u32> = PHOTO_WIDTHS.into_iter().filter(|w| *w <= width).collect();
    if widths.is_empty() && width > 0 {
        vec![width]
    } else {
        widths
    }
}

/// The height of a `width` × `height` photo scaled to `to` pixels wide, rounded, at
/// least 1 (0 for a photo with no width): the server encodes each file this size and
/// pages state it.
pub fn scaled_height(width: u32, height: u32, to: u32) -> u32 {
    if width == 0 {
        return 0;
    }
    ((u64::from(height) * u64::from(to) + u64::from(width) / 2) / u64::from(width)).max(1) as u32
}

/// The name of one file of a photo: `{key}-{width}.{ext}`.
pub fn file_name(key: &str, width: u32, format: PhotoFormat) -> Option<String> {
    is_valid_key(key).then(|| format!("{key}-{width}.{}", format.extension()))
}

/// Reads a file name back into key, width and format; `None` for anything else, so a
/// request can never name a path of its own.
pub fn parse_file_name(name: &str) -> Option<(String, u32, PhotoFormat)> {
    let (stem, ext) = name.rsplit_once('.')?;
    let format = PhotoFormat::from_extension(ext)?;
    let (key, width) = stem.split_once('-')?;
    let width: u32 = width.parse().ok()?;
    (is_valid_key(key) && (1..=PHOTO_WIDTHS[PHOTO_WIDTHS.len() - 1]).contains(&width) && width.to_string().len() == stem.len() - key.len() - 1)
        .then(|| (key.to_string(), width, format))
}

pub fn is_valid_key(key: &str) -> bool {
    key.len() == 16 && key.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Alt text as staff typed it: trimmed to one line, not too long. (Empty is for the
/// caller to refuse: every photo the shop keeps has one.)
pub fn parse_alt(alt: &str) -> Result<String, String> {
    let alt = alt.split_whitespace().collect::<Vec<_>>().join(" ");
    if alt.chars().count() > MAX_ALT_CHARS {
        return Err(format!("A photo's description can be at most {MAX_ALT_CHARS} characters."));
    }
    Ok(alt)
}

/// A ThumbHash (base64) drawn as a `data:image/png` URL. The PNG is written
/// uncompressed: a preview is 8 pixels across at most, a few hundred bytes, and the
/// code to write it stays a few lines instead of a compressor in the app.
pub fn thumbhash_data_url(hash: &str) -> Option<String> {
    let bytes = base64::engine::general_purpose::STANDARD.decode(hash).ok()?;
    if bytes.len() < 5 || bytes.len() > 64 {
        return None;
    }
    let (w, h, rgba) = thumbhash::thumb_hash_to_rgba(&bytes).ok()?;
    // A quarter of the size each way: the browser's smoothing when it scales the
    // preview up blurs it as much, and a grid of 24 previews stays a few KB of HTML.
    let (w, h, rgba) = shrink(w, h, &rgba, 4);
    let png = png_rgba(w as u32, h as u32, &rgba)?;
    Some(format!("data:image/png;base64,{}", base64::engine::general_purpose::STANDARD.encode(png)))
}

/// `rgba` (`w` × `h`) averaged over `f` × `f` blocks.
fn shrink(w: usize, h: usize, rgba: &[u8], f: usize) -> (usize, usize, Vec<u8>) {
    let (sw, sh) = ((w / f).max(1), (h / f).max(1));
    let mut out = Vec::with_capacity(sw * sh * 4);
    for y in 0..sh {
        for x in 0..sw {
            let mut sum = [0u32; 4];
            let mut n = 0;
            for yy in y * f..((y + 1) * f).min(h) {
                for xx in x * f..((x + 1) * f).min(w) {
                    let at = (yy * w + xx) * 4;
                    for (c, total) in sum.iter_mut().enumerate() {
                        *total += u32::from(rgba.get(at + c).copied().unwrap_or(0));
                    }
                    n += 1;
                }
            }
            out.extend(sum.map(|t| (t / n.max(1)) as u8));
        }
    }
    (sw, sh, out)
}

/// A minimal PNG of RGBA pixels: zlib "stored" blocks, no filtering.
fn png_rgba(width: u32, height: u32, rgba: &[u8]) -> Option<Vec<u8>> {
    let row = width as usize * 4;
    if width == 0 || height == 0 || rgba.len() != row * height as usize {
        return None;
    }
    let mut raw = Vec::with_capacity((row + 1) * height as usize);
    for line in rgba.chunks(row) {
        raw.push(0); // filter: none
        raw.extend_from_slice(line);
    }
    let mut zlib = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = raw.chunks(65_535).collect();
    for (i, block) in blocks.iter().enumerate() {
        zlib.push(u8::from(i + 1 == blocks.len()));
        let len = block.len() as u16;
        zlib.extend_from_slice(&len.to_le_bytes());
        zlib.extend_from_slice(&(!len).to_le_bytes());
        zlib.extend_from_slice(block);
    }
    zlib.extend_from_slice(&adler32(&raw).to_be_bytes());

    let mut ihdr = Vec::with_capacity(13);
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 6, 0, 0, 0]); // 8 bits, RGBA, deflate, no filter, no interlace
    let mut png = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    for (kind, data) in [(b"IHDR", &ihdr[..]), (b"IDAT", &zlib[..]), (b"IEND", &[][..])] {
        png.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let start = png.len();
        png.extend_from_slice(kind);
        png.extend_from_slice(data);
        let crc = crc32(&png[start..]);
        png.extend_from_slice(&crc.to_be_bytes());
    }
    Some(png)
}

fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in data {
        a = (a + u32::from(byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    (b << 16) | a
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn photo(width: u32, height: u32) -> Photo {
        Photo { id: 1, key: "0123456789abcdef".into(), width, height, alt: "A mug".into(), thumbhash: String::new() }
    }

    #[test]
    fn a_photo_is_never_offered_wider_than_it_is() {
        assert_eq!(widths_for(1600), vec![320, 640, 1024, 1600]);
        assert_eq!(widths_for(1200), vec![320, 640, 1024]);
        assert_eq!(widths_for(200), vec![200]);
        assert!(widths_for(0).is_empty());
    }

    #[test]
    fn srcset_names_every_width_in_one_format() {
        let p = photo(1024, 768);
        assert_eq!(
            p.srcset(PhotoFormat::Avif),
            "/media/0123456789abcdef-320.avif 320w, /media/0123456789abcdef-640.avif 640w, /media/0123456789abcdef-1024.avif 1024w"
        );
        assert_eq!(p.fallback_src(), "/media/0123456789abcdef-640.webp");
        assert_eq!(p.height_at(320), 240);
    }

    #[test]
    fn a_file_name_reads_back_and_nothing_else_does() {
        let name = file_name("0123456789abcdef", 640, PhotoFormat::Webp).expect("valid");
        assert_eq!(parse_file_name(&name), Some(("0123456789abcdef".into(), 640, PhotoFormat::Webp)));
        for bad in ["../etc/passwd", "0123456789abcdef-640.png", "0123456789ABCDEF-640.webp", "0123456789abcdef-0640.webp", "0123456789abcdef-99999.webp", "x-1.webp"] {
            assert_eq!(parse_file_name(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_thumbhash_draws_as_a_png() {
        // 8×6 red-to-blue pixels hashed, then drawn back.
        let rgba: Vec<u8> = (0..48).flat_map(|i| [(i * 5) as u8, 40, 200 - (i * 4) as u8, 255]).collect();
        let hash = thumbhash::rgba_to_thumb_hash(8, 6, &rgba);
        let url = thumbhash_data_url(&base64::engine::general_purpose::STANDARD.encode(&hash)).expect("drawn");
        let png = base64::engine::general_purpose::STANDARD.decode(url.trim_start_matches("data:image/png;base64,")).expect("base64");
        assert_eq!(&png[1..4], b"PNG");
        assert_eq!(thumbhash_data_url("not a hash"), None);
        assert_eq!(thumbhash_data_url(""), None);
    }

    #[test]
    fn the_png_checksums_are_the_standard_ones() {
        assert_eq!(crc32(b"IEND"), 0xAE42_6082);
        assert_eq!(adler32(b"Wikipedia"), 0x11E6_0398);
    }

    #[test]
    fn an_arrangement_reorders_describes_and_removes() {
        let current = vec![Photo { id: 1, ..photo(640, 480) }, Photo { id: 2, ..photo(640, 480) }, Photo { id: 3, ..photo(640, 480) }];
        let keep = |places: &[(i64, &str)]| PhotoArrangement { photos: places.iter().map(|(id, alt)| PhotoPlace { id: *id, alt: alt.to_string() }).collect() };
        let arranged = keep(&[(3, " A  red\nmug "), (1, "A mug")]).apply(&current).expect("arranged");
        assert_eq!(arranged.iter().map(|p| (p.id, p.alt.as_str())).collect::<Vec<_>>(), vec![(3, "A red mug"), (1, "A mug")]);
        assert!(keep(&[(4, "x")]).apply(&current).is_err());
        assert!(keep(&[(1, "x"), (1, "x")]).apply(&current).is_err());
        assert_eq!(keep(&[(1, "x"), (2, "  ")]).apply(&current).err().as_deref(), Some("Photo 2 needs a description of what it shows (alt text)."));
        assert!(keep(&[(1, &"x".repeat(300))]).apply(&current).is_err());
    }

    proptest! {
        #[test]
        fn any_name_parses_without_panicking(name in ".{0,40}") {
            let _ = parse_file_name(&name);
        }

        #[test]
        fn heights_keep_the_proportions(w in 1u32..5000, h in 1u32..5000) {
            let p = photo(w, h);
            for width in p.widths() {
                let exact = f64::from(h) * f64::from(width) / f64::from(w);
                prop_assert!((f64::from(p.height_at(width)) - exact).abs() <= 1.0);
            }
        }
    }
}
