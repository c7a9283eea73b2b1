//! Product images as a yonetici uploads them: only JPEG, PNG or WebP (read from the file's own
//! first bytes, never from its name or the browser's word), at most [`MAX_UPLOAD_BYTES`] and
//! [`MAX_SOURCE_SIDE`] pixels a side, decoded under memory limits, resized on the server to fit
//! [`SHOP_SIZE`] and stored as JPEG in the database under its SHA-256. Kept in the database,
//! every server process serves them (`/gorsel/{sha256}.jpg`) without a shared disk, and an
//! image's address never changes, so browsers keep it for a year.

use std::io::Cursor;

use image::imageops::FilterType;
use image::{DynamicImage, ImageFormat, ImageReader, Limits};
use sha2::{Digest, Sha256};

use super::super::{hex, time, Db};
use super::audit::{self, Actor};

/// The largest file accepted (a phone's photo is 2–6 MB).
pub const MAX_UPLOAD_BYTES: usize = 8 * 1024 * 1024;
/// The most pixels a side, and in all, a source image may have: a bomb of few bytes and many
/// pixels is refused from its header, before anything is decoded (24 MP covers a phone's photo).
pub const MAX_SOURCE_SIDE: u32 = 8_000;
pub const MAX_SOURCE_PIXELS: u64 = 24_000_000;
/// What the shop shows: product images are drawn at 600 × 800, this is twice that for sharp
/// screens. Smaller images are kept at their size.
pub const SHOP_SIZE: (u32, u32) = (1_200, 1_600);
/// JPEG quality of the stored image.
const QUALITY: u8 = 82;
/// Where stored images are served.
pub const IMAGE_PATH_PREFIX: &str = "/gorsel/";

/// Why an upload was not taken.
#[derive(Debug, thiserror::Error)]
pub enum ImageRefusal {
    #[error("not a JPEG, PNG or WebP image")]
    NotAnImage,
    #[error("more than {MAX_SOURCE_SIDE} pixels a side, or too large to decode")]
    TooLarge,
    #[error("no such product")]
    NotFound,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// An upload made ready for the shop.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PreparedImage {
    pub sha256: String,
    pub jpeg: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// The image format of `bytes` by their signature, if it is one the shop takes.
fn sniff(bytes: &[u8]) -> Option<ImageFormat> {
    match bytes {
        [0xFF, 0xD8, 0xFF, ..] => Some(ImageFormat::Jpeg),
        [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => Some(ImageFormat::Png),
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => Some(ImageFormat::WebP),
        _ => None,
    }
}

/// Checks, decodes, resizes and re-encodes an uploaded file. Runs on a blocking thread's worth
/// of CPU: callers use `spawn_blocking`.
pub fn prepare(bytes: &[u8]) -> Result<PreparedImage, ImageRefusal> {
    let format = sniff(bytes).ok_or(ImageRefusal::NotAnImage)?;
    let refused = |error: image::ImageError| match error {
        image::ImageError::Limits(_) => ImageRefusal::TooLarge,
        _ => ImageRefusal::NotAnImage,
    };
    let (width, height) = ImageReader::with_format(Cursor::new(bytes), format)
        .into_dimensions()
        .map_err(refused)?;
    if width > MAX_SOURCE_SIDE
        || height > MAX_SOURCE_SIDE
        || u64::from(width) * u64::from(height) > MAX_SOURCE_PIXELS
    {
        return Err(ImageRefusal::TooLarge);
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SOURCE_SIDE);
    limits.max_image_height = Some(MAX_SOURCE_SIDE);
    // 24 MP at 16 bits a channel with alpha fits; anything needing more is refused.
    limits.max_alloc = Some(256 * 1024 * 1024);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(refused)?;
    // A phone stores which way up the photo is apart from its pixels; the stored JPEG carries
    // no such note, so the turn is made now.
    let orientation = image::ImageDecoder::orientation(&mut decoder).map_err(refused)?;
    let mut decoded = DynamicImage::from_decoder(decoder).map_err(refused)?;
    decoded.apply_orientation(orientation);
    let (max_width, max_height) = SHOP_SIZE;
    let fitted = if decoded.width() > max_width || decoded.height() > max_height {
        // Triangle: for shrinking, as sharp to the eye as Lanczos at a fraction of its memory.
        decoded.resize(max_width, max_height, FilterType::Triangle)
    } else {
        decoded
    };
    let rgb = flatten_on_white(fitted);
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, QUALITY)
        .encode_image(&rgb)
        .map_err(|_| ImageRefusal::NotAnImage)?;
    Ok(PreparedImage {
        sha256: hex(&Sha256::digest(&jpeg)),
        width: rgb.width(),
        height: rgb.height(),
        jpeg,
    })
}

/// JPEG has no transparency: a transparent background becomes the page's white.
fn flatten_on_white(image: DynamicImage) -> image::RgbImage {
    let rgba = image.into_rgba8();
    let mut rgb = image::RgbImage::new(rgba.width(), rgba.height());
    for (x, y, pixel) in rgba.enumerate_pixels() {
        let [r, g, b, a] = pixel.0;
        let over_white = |channel: u8| {
            ((u16::from(channel) * u16::from(a) + 255 * (255 - u16::from(a))) / 255) as u8
        };
        rgb.put_pixel(
            x,
            y,
            image::Rgb([over_white(r), over_white(g), over_white(b)]),
        );
    }
    rgb
}

/// Stores `prepared` (once, whatever product uses it) and adds it as product `slug`'s last
/// image, with its descriptions for screen readers (empty: the product's name); the path the
/// shop shows it at.
pub async fn add_to_product(
    db: &Db,
    slug: &str,
    prepared: &PreparedImage,
    alt: [&str; 2],
    by: &Actor,
) -> Result<String, ImageRefusal> {
    let mut tx = db.begin_write().await?;
    // Two uploads at once take the next position in turn: the product's row is the queue on
    // PostgreSQL (SQLite's writers take turns anyway).
    let lock = match db.dialect() {
        crate::backend::Dialect::Postgres => " FOR UPDATE",
        crate::backend::Dialect::Sqlite => "",
    };
    let product: Option<(i64, String, String)> = sqlx::query_as(&format!(
        "SELECT id, name_tr, name_en FROM products WHERE slug = $1{lock}"
    ))
    .bind(slug)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((product, name_tr, name_en)) = product else {
        tx.rollback().await?;
        return Err(ImageRefusal::NotFound);
    };
    // Without a description, a screen reader says the product's name.
    let alt_tr = if alt[0].is_empty() {
        name_tr.as_str()
    } else {
        alt[0]
    };
    let alt_en = if alt[1].is_empty() {
        name_en.as_str()
    } else {
        alt[1]
    };
    sqlx::query(
        "INSERT INTO image_files (sha256, content_type, width, height, bytes, created_at) \
         VALUES ($1, 'image/jpeg', $2, $3, $4, $5) ON CONFLICT (sha256) DO NOTHING",
    )
    .bind(&prepared.sha256)
    .bind(i64::from(prepared.width))
    .bind(i64::from(prepared.height))
    .bind(prepared.jpeg.as_slice())
    .bind(time::iso_utc(time::now_seconds()))
    .execute(&mut *tx)
    .await?;
    let path = format!("{IMAGE_PATH_PREFIX}{}.jpg", prepared.sha256);
    sqlx::query(
        "INSERT INTO product_images (product_id, path, alt_tr, alt_en, position) VALUES ($1, $2, \
         $3, $4, (SELECT COALESCE(MAX(position), -1) + 1 FROM product_images WHERE product_id = $1))",
    )
    .bind(product)
    .bind(&path)
    .bind(alt_tr)
    .bind(alt_en)
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        by,
        "image.add",
        &format!("product:{slug}"),
        &format!("{path} ({} × {})", prepared.width, prepared.height),
    )
    .await?;
    tx.commit().await?;
    Ok(path)
}

/// The stored image named `file` (`{sha256}.jpg`): its bytes, if there is one.
pub async fn stored(db: &Db, file: &str) -> Result<Option<Vec<u8>>, sqlx::Error> {
    let Some(sha256) = file.strip_suffix(".jpg") else {
        return Ok(None);
    };
    if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    sqlx::query_scalar("SELECT bytes FROM image_files WHERE sha256 = $1")
        .bind(sha256)
        .fetch_optional(db.pool())
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let image = image::RgbaImage::from_pixel(width, height, image::Rgba([200, 30, 30, 0]));
        let mut bytes = Vec::new();
        DynamicImage::ImageRgba8(image)
            .write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png)
            .unwrap();
        bytes
    }

    #[test]
    fn a_large_image_is_fitted_to_the_shop_s_size_and_stored_as_jpeg_on_white() {
        let prepared = prepare(&png(1_600, 1_600)).unwrap();
        assert_eq!((prepared.width, prepared.height), (1_200, 1_200));
        assert_eq!(sniff(&prepared.jpeg), Some(ImageFormat::Jpeg));
        let back = image::load_from_memory(&prepared.jpeg).unwrap().into_rgb8();
        // Fully transparent red over white is white.
        assert!(back.get_pixel(600, 600).0.iter().all(|c| *c > 245));
        // A small one keeps its size.
        let small = prepare(&png(300, 400)).unwrap();
        assert_eq!((small.width, small.height), (300, 400));
    }

    #[test]
    fn only_real_images_of_a_sane_size_are_taken() {
        assert!(matches!(
            prepare(b"GIF89a not taken"),
            Err(ImageRefusal::NotAnImage)
        ));
        // A PNG signature with nothing behind it.
        assert!(matches!(
            prepare(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0]),
            Err(ImageRefusal::NotAnImage)
        ));
        assert!(matches!(
            prepare(&png(MAX_SOURCE_SIDE + 1, 2)),
            Err(ImageRefusal::TooLarge)
        ));
        // Within each side, too many in all: refused from the header.
        assert!(matches!(
            prepare(&png(6_000, 4_001)),
            Err(ImageRefusal::TooLarge)
        ));
    }
}
