//! A camera photo made small enough for a village link: decoded by the browser, drawn onto a
//! canvas with its long side at most 1600 px (enough to read a receipt), and re-encoded as JPEG
//! at quality 0.8. A phone's 4000 px photo of several megabytes becomes a few hundred kilobytes.

use js_sys::{Function, Promise, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, CanvasRenderingContext2d, HtmlCanvasElement, ImageBitmap};

const LONG_SIDE: f64 = 1600.0;
const QUALITY: f64 = 0.8;
pub(super) const MIME: &str = "image/jpeg";

/// The photo `file`, scaled down and re-encoded as JPEG.
pub(super) async fn compress(file: &Blob) -> Result<Vec<u8>, JsValue> {
    let window = web_sys::window().ok_or("no window")?;
    let bitmap: ImageBitmap = JsFuture::from(window.create_image_bitmap_with_blob(file)?)
        .await?
        .dyn_into()?;
    let (width, height) = (f64::from(bitmap.width()), f64::from(bitmap.height()));
    let scale = (LONG_SIDE / width.max(height).max(1.0)).min(1.0);
    let (w, h) = (
        (width * scale).round().max(1.0),
        (height * scale).round().max(1.0),
    );
    let canvas: HtmlCanvasElement = window
        .document()
        .ok_or("no document")?
        .create_element("canvas")?
        .dyn_into()?;
    canvas.set_width(w as u32);
    canvas.set_height(h as u32);
    let ctx: CanvasRenderingContext2d = canvas
        .get_context("2d")?
        .ok_or("no 2d context")?
        .dyn_into()?;
    ctx.draw_image_with_image_bitmap_and_dw_and_dh(&bitmap, 0.0, 0.0, w, h)?;
    // The decoded photo is tens of megabytes; free it now rather than at the next collection.
    bitmap.close();
    let blob = encoded(&canvas).await?;
    let buffer = JsFuture::from(blob.array_buffer()).await?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

/// The canvas as a JPEG blob (`toBlob` answers through a callback, here a promise).
async fn encoded(canvas: &HtmlCanvasElement) -> Result<Blob, JsValue> {
    let mut failed = None;
    let promise = Promise::new(&mut |resolve: Function, reject: Function| {
        let done = Closure::once_into_js(move |blob: JsValue| {
            let outcome = if blob.is_null() {
                reject.call1(
                    &JsValue::UNDEFINED,
                    &"the photo could not be encoded".into(),
                )
            } else {
                resolve.call1(&JsValue::UNDEFINED, &blob)
            };
            if let Err(e) = outcome {
                web_sys::console::error_1(&e);
            }
        });
        if let Err(e) = canvas.to_blob_with_type_and_encoder_options(
            done.unchecked_ref(),
            MIME,
            &JsValue::from_f64(QUALITY),
        ) {
            failed = Some(e);
        }
    });
    if let Some(e) = failed {
        return Err(e);
    }
    JsFuture::from(promise).await?.dyn_into()
}
