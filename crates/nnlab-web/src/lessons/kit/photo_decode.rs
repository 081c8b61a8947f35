//! A photo file into what the network reads. The browser decodes the file
//! (`createImageBitmap`: JPEG, PNG, WebP, GIF, … upright as the camera held
//! it) and hands over the centre square's pixels a band of rows at a time,
//! 1:1 with no resampling; the core ([`nnlab::photo`]) shrinks them to 32×32
//! by an exact area average — its docs say why not the canvas's own scaling.

use nnlab::photo::{centre_square, rgba_to_planes, AreaAverage, CropRect, CIFAR_SIDE, MAX_PIXELS};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{CanvasRenderingContext2d, File, HtmlCanvasElement, ImageBitmap};

use crate::draw::context_2d;
use crate::error::{WebError, WebResult};
use crate::widgets::dom;

/// Files larger than this are refused before decoding (a phone's photo is a
/// few MB; 50 MB is a raw or panorama file the browser may not cope with).
pub const MAX_FILE_BYTES: f64 = 50e6;
/// The side of the kept picture of the centre square, for display only.
const PREVIEW: u32 = 320;
/// Pixels read from the canvas at a time: about 8 MB of RGBA.
const BAND_PIXELS: usize = 2_000_000;

/// A photo made ready for the network.
pub struct Photo {
    /// The file's name ("image.png" for a pasted picture).
    pub name: String,
    /// The decoded image's width and height in pixels.
    pub size: (usize, usize),
    /// The largest centred square, in the image's pixels.
    pub crop: CropRect,
    /// The centre square scaled by the browser to at most [`PREVIEW`] a side:
    /// a picture for the student, not what the network sees.
    pub preview: HtmlCanvasElement,
    /// The 32×32 area average, RGBA.
    pub small: Vec<u8>,
    /// The same as a CIFAR-10 record: R plane, G plane, B plane (3072 bytes).
    pub planes: Vec<u8>,
}

/// Why a file is not a photo the page can use.
#[derive(Clone, Debug, PartialEq)]
pub enum PhotoError {
    /// The file says it is something else (its MIME type).
    NotAnImage(String),
    /// More than [`MAX_FILE_BYTES`] bytes.
    FileTooLarge(f64),
    /// Decoded, but more than [`MAX_PIXELS`] pixels (width, height).
    TooManyPixels(usize, usize),
    /// The browser could not decode it (damaged, or a format it cannot read).
    Broken,
    /// Decoded, but the page could not read its pixels (the browser's words).
    Unreadable(String),
}

impl From<WebError> for PhotoError {
    fn from(e: WebError) -> Self {
        PhotoError::Unreadable(e.to_string())
    }
}

/// Decodes `file`, crops its centre square and shrinks it to 32×32.
pub async fn decode(file: File) -> Result<Photo, PhotoError> {
    let kind = file.type_();
    // A file without a type (some systems leave HEIC or unknown endings so)
    // is tried; the decoder has the last word.
    if !kind.is_empty() && !kind.starts_with("image/") {
        return Err(PhotoError::NotAnImage(kind));
    }
    if file.size() > MAX_FILE_BYTES {
        return Err(PhotoError::FileTooLarge(file.size()));
    }
    let promise = dom::window()?
        .create_image_bitmap_with_blob(&file)
        .map_err(|_| PhotoError::Broken)?;
    let bitmap: ImageBitmap = JsFuture::from(promise)
        .await
        .map_err(|_| PhotoError::Broken)?
        .dyn_into()
        .map_err(|_| PhotoError::Broken)?;
    let result = read(&bitmap, file.name());
    bitmap.close();
    result
}

fn read(bitmap: &ImageBitmap, name: String) -> Result<Photo, PhotoError> {
    let (width, height) = (bitmap.width() as usize, bitmap.height() as usize);
    if width as u64 * height as u64 > MAX_PIXELS {
        return Err(PhotoError::TooManyPixels(width, height));
    }
    let crop = centre_square(width, height).map_err(|_| PhotoError::Broken)?;
    let small = shrink(bitmap, crop)?;
    let planes = rgba_to_planes(&small, CIFAR_SIDE, CIFAR_SIDE).map_err(WebError::from)?;
    Ok(Photo {
        name,
        size: (width, height),
        crop,
        preview: preview(bitmap, crop)?,
        small,
        planes,
    })
}

/// Asks `context` for its best smoothing when it scales a picture (web-sys
/// has no binding for `imageSmoothingQuality`; a browser without it smooths
/// as it always does).
pub fn smooth_high(context: &CanvasRenderingContext2d) {
    let _ = js_sys::Reflect::set(context, &"imageSmoothingQuality".into(), &"high".into());
}

/// A canvas of `width × height` and its context, for reading pixels back.
fn scratch(
    width: usize,
    height: usize,
) -> WebResult<(HtmlCanvasElement, CanvasRenderingContext2d)> {
    let canvas: HtmlCanvasElement = dom::create("canvas", "")?;
    canvas.set_width(width as u32);
    canvas.set_height(height as u32);
    // Read back band after band: keep the pixels on the CPU side.
    let options = js_sys::Object::new();
    js_sys::Reflect::set(&options, &"willReadFrequently".into(), &true.into())?;
    let context = canvas
        .get_context_with_context_options("2d", &options)?
        .ok_or(WebError::MissingElement("2-D canvas context"))?
        .dyn_into::<CanvasRenderingContext2d>()
        .map_err(|_| WebError::MissingElement("2-D canvas context"))?;
    Ok((canvas, context))
}

/// The crop's pixels, band by band, into the core's area average. Each band
/// is drawn 1:1 (no scaling, no smoothing) on white, so transparent parts of
/// a PNG count as white.
fn shrink(bitmap: &ImageBitmap, crop: CropRect) -> WebResult<Vec<u8>> {
    let side = crop.side;
    let band = (BAND_PIXELS / side).clamp(1, side);
    let (_canvas, context) = scratch(side, band)?;
    context.set_image_smoothing_enabled(false);
    context.set_fill_style_str("#ffffff");
    let mut average = AreaAverage::new(side, side, CIFAR_SIDE, CIFAR_SIDE)?;
    let mut first = 0;
    while first < side {
        let rows = band.min(side - first);
        let (w, h) = (side as f64, rows as f64);
        context.fill_rect(0.0, 0.0, w, h);
        context.draw_image_with_image_bitmap_and_sw_and_sh_and_dx_and_dy_and_dw_and_dh(
            bitmap,
            crop.x as f64,
            (crop.y + first) as f64,
            w,
            h,
            0.0,
            0.0,
            w,
            h,
        )?;
        let pixels = context.get_image_data(0.0, 0.0, w, h)?.data();
        average.add_rows(first, &pixels)?;
        first += rows;
    }
    Ok(average.finish()?)
}

/// The centre square scaled down by the browser for display.
fn preview(bitmap: &ImageBitmap, crop: CropRect) -> WebResult<HtmlCanvasElement> {
    let side = (crop.side as u32).min(PREVIEW);
    let canvas: HtmlCanvasElement = dom::create("canvas", "")?;
    canvas.set_width(side);
    canvas.set_height(side);
    let context = context_2d(&canvas)?;
    smooth_high(&context);
    context.set_fill_style_str("#ffffff");
    context.fill_rect(0.0, 0.0, f64::from(side), f64::from(side));
    let s = crop.side as f64;
    context.draw_image_with_image_bitmap_and_sw_and_sh_and_dx_and_dy_and_dw_and_dh(
        bitmap,
        crop.x as f64,
        crop.y as f64,
        s,
        s,
        0.0,
        0.0,
        f64::from(side),
        f64::from(side),
    )?;
    Ok(canvas)
}
