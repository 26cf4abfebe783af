//! An upload turned into a photo's files. The work is CPU-bound and can take a
//! second, so it runs on the blocking pool, at most [`AT_ONCE`] uploads at a time:
//! with the pixel limit, that bounds the memory photos can take (a 50-megapixel
//! upload decodes to 200 MB).

use crate::platform::token::hex;
use aisle_domain::catalogue::photo::{file_name, scaled_height, widths_for, PhotoFormat, MAX_PIXELS, MAX_SIDE, PHOTO_WIDTHS};
use base64::Engine as _;
use image::{codecs::avif::AvifEncoder, imageops::FilterType, DynamicImage, ImageDecoder, ImageEncoder, ImageFormat, ImageReader, Limits};
use sha2::{Digest, Sha256};
use std::io::Cursor;
use tokio::sync::Semaphore;

/// Uploads encoded at once on this instance; more wait their turn.
pub const AT_ONCE: usize = 2;
static TURNS: Semaphore = Semaphore::const_new(AT_ONCE);

/// WebP quality (0–100) and AVIF quality and speed (1 slowest … 10 fastest): photos
/// that look like the upload on a good screen, encoded within the upload's time budget.
const WEBP_QUALITY: f32 = 78.0;
const AVIF_QUALITY: u8 = 62;
const AVIF_SPEED: u8 = 9;

/// One encoded file of a photo.
pub struct File {
    pub name: String,
    pub format: PhotoFormat,
    pub bytes: Vec<u8>,
}

/// What an upload became.
pub struct Encoded {
    pub key: String,
    pub width: u32,
    pub height: u32,
    pub thumbhash: String,
    pub files: Vec<File>,
}

/// Why an upload is not a photo; each says what to do instead.
#[derive(Debug, PartialEq, Eq)]
pub enum PhotoError {
    NotAPhoto,
    TooManyPixels { width: u32, height: u32 },
    Unreadable(String),
    Encoder(String),
}

impl std::fmt::Display for PhotoError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PhotoError::NotAPhoto => write!(f, "This file is not a JPEG, PNG or WebP photo. Save it as one of those and upload it again."),
            PhotoError::TooManyPixels { width, height } => write!(
                f,
                "This photo is {width} × {height} pixels; photos can have at most {} megapixels and {MAX_SIDE} pixels a side. Make it smaller and upload it again.",
                MAX_PIXELS / 1_000_000
            ),
            PhotoError::Unreadable(why) => write!(f, "This photo cannot be read ({why}). Save it again from a photo editor and upload it again."),
            PhotoError::Encoder(why) => write!(f, "This photo could not be prepared ({why})."),
        }
    }
}

/// [`encode`], on the blocking pool, waiting for a turn.
pub async fn encode_off_runtime(bytes: Vec<u8>) -> Result<Encoded, PhotoError> {
    let _turn = TURNS.acquire().await.map_err(|_| PhotoError::Encoder("the server is stopping".into()))?;
    tokio::task::spawn_blocking(move || encode(&bytes)).await.map_err(|e| PhotoError::Encoder(e.to_string()))?
}

/// Decodes `bytes` (JPEG, PNG or WebP, told by their content, never by a name),
/// stands the photo upright as its EXIF says, and writes it at every width of
/// [`PHOTO_WIDTHS`] it reaches, as AVIF and WebP. Nothing of the upload's metadata
/// (camera, place, time) survives: the files are written from pixels alone.
pub fn encode(bytes: &[u8]) -> Result<Encoded, PhotoError> {
    let format = image::guess_format(bytes).map_err(|_| PhotoError::NotAPhoto)?;
    if !matches!(format, ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP) {
        return Err(PhotoError::NotAPhoto);
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_PIXELS * 4 + 64 * 1024 * 1024);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(unreadable)?;
    // The header alone says how large the photo is: refuse before decoding a pixel.
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > MAX_PIXELS || width > MAX_SIDE || height > MAX_SIDE {
        return Err(PhotoError::TooManyPixels { width, height });
    }
    if width == 0 || height == 0 {
        return Err(PhotoError::NotAPhoto);
    }
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut photo = DynamicImage::from_decoder(decoder).map_err(unreadable)?;
    photo.apply_orientation(orientation);

    encode_pixels(photo, &hex(&Sha256::digest(bytes)[..8]))
}

/// Writes an upright photo's files under `key` (16 hex digits; see [`encode`]).
pub fn encode_pixels(mut photo: DynamicImage, key: &str) -> Result<Encoded, PhotoError> {
    let widest = PHOTO_WIDTHS[PHOTO_WIDTHS.len() - 1];
    if photo.width() > widest {
        photo = photo.resize(widest, u32::MAX, FilterType::CatmullRom);
    }
    let photo = DynamicImage::ImageRgba8(photo.into_rgba8());
    let (width, height) = (photo.width(), photo.height());

    let mut files = Vec::new();
    for w in widths_for(width) {
        let h = scaled_height(width, height, w);
        let sized = if w == width { photo.clone() } else { photo.resize_exact(w, h, FilterType::CatmullRom) };
        let rgba = sized.as_rgba8().ok_or_else(|| PhotoError::Encoder("not RGBA".into()))?;
        for format in PhotoFormat::ALL {
            let bytes = match format {
                PhotoFormat::Webp => webp::Encoder::from_rgba(rgba.as_raw(), w, h).encode(WEBP_QUALITY).to_vec(),
                PhotoFormat::Avif => {
                    let mut out = Vec::new();
                    AvifEncoder::new_with_speed_quality(&mut out, AVIF_SPEED, AVIF_QUALITY)
                        .write_image(rgba.as_raw(), w, h, image::ExtendedColorType::Rgba8)
                        .map_err(|e| PhotoError::Encoder(e.to_string()))?;
                    out
                }
            };
            let name = file_name(key, w, format).ok_or_else(|| PhotoError::Encoder("bad key".into()))?;
            files.push(File { name, format, bytes });
        }
    }
    Ok(Encoded { key: key.to_string(), width, height, thumbhash: thumbhash_of(&photo), files })
}

/// ThumbHash wants at most 100 × 100 pixels.
fn thumbhash_of(photo: &DynamicImage) -> String {
    let small = photo.thumbnail(100, 100).into_rgba8();
    let hash = thumbhash::rgba_to_thumb_hash(small.width() as usize, small.height() as usize, small.as_raw());
    base64::engine::general_purpose::STANDARD.encode(hash)
}

fn unreadable(e: image::ImageError) -> PhotoError {
    match e {
        image::ImageError::Limits(_) => PhotoError::TooManyPixels { width: 0, height: 0 },
        image::ImageError::Unsupported(_) => PhotoError::NotAPhoto,
        other => PhotoError::Unreadable(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageBuffer, Rgb};

    fn jpeg(width: u32, height: u32) -> Vec<u8> {
        let img = ImageBuffer::from_fn(width, height, |x, y| Rgb([(x % 256) as u8, (y % 256) as u8, 128]));
        let mut out = Vec::new();
        DynamicImage::ImageRgb8(img).write_to(&mut Cursor::new(&mut out), ImageFormat::Jpeg).expect("jpeg");
        out
    }

    #[test]
    fn a_photo_is_written_at_each_width_it_reaches_in_both_formats() {
        let encoded = encode(&jpeg(1200, 900)).expect("encoded");
        assert_eq!((encoded.width, encoded.height), (1200, 900));
        let names: Vec<_> = encoded.files.iter().map(|f| f.name.clone()).collect();
        assert_eq!(names.len(), 6, "{names:?}");
        assert!(names.iter().any(|n| n.ends_with("-1024.avif")));
        for f in &encoded.files {
            assert_eq!(image::guess_format(&f.bytes).ok(), Some(if f.format == PhotoFormat::Webp { ImageFormat::WebP } else { ImageFormat::Avif }), "{}", f.name);
        }
        assert!(aisle_domain::catalogue::photo::thumbhash_data_url(&encoded.thumbhash).is_some());
    }

    #[test]
    fn a_photo_stands_upright_as_its_exif_says_and_keeps_no_metadata() {
        // A landscape JPEG whose EXIF says "rotate 90° clockwise" (orientation 6),
        // as a phone held upright writes it.
        let plain = jpeg(64, 32);
        let mut tiff = b"Exif\0\0II\x2a\0\x08\0\0\0\x01\0".to_vec();
        tiff.extend_from_slice(&[0x12, 0x01, 0x03, 0x00, 0x01, 0, 0, 0, 0x06, 0, 0, 0, 0, 0, 0, 0]);
        let mut with_exif = plain[..2].to_vec();
        with_exif.extend_from_slice(&[0xFF, 0xE1]);
        with_exif.extend_from_slice(&((tiff.len() + 2) as u16).to_be_bytes());
        with_exif.extend_from_slice(&tiff);
        with_exif.extend_from_slice(&plain[2..]);
        let encoded = encode(&with_exif).expect("encoded");
        assert_eq!((encoded.width, encoded.height), (32, 64));
        for f in &encoded.files {
            assert!(!f.bytes.windows(4).any(|w| w == b"Exif"), "{} keeps EXIF", f.name);
        }
    }

    #[test]
    fn a_huge_png_is_refused_from_its_header() {
        // A PNG header claiming 100,000 × 100,000 pixels, with no pixels behind it.
        let mut png = Vec::new();
        image::codecs::png::PngEncoder::new(&mut png).write_image(&[0; 4], 1, 1, image::ExtendedColorType::Rgba8).expect("png");
        png[16..20].copy_from_slice(&100_000u32.to_be_bytes());
        png[20..24].copy_from_slice(&100_000u32.to_be_bytes());
        let err = encode(&png).err().expect("refused");
        assert!(matches!(err, PhotoError::TooManyPixels { .. } | PhotoError::Unreadable(_)), "{err:?}");
    }

    #[test]
    fn svg_and_text_are_not_photos() {
        assert_eq!(encode(b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>").err(), Some(PhotoError::NotAPhoto));
        assert_eq!(encode(b"hello").err(), Some(PhotoError::NotAPhoto));
        assert_eq!(encode(b"GIF89a\x01\x00\x01\x00").err(), Some(PhotoError::NotAPhoto));
    }
}
