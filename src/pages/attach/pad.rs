//! The signature pad: a canvas drawn on with pointer events (finger, stylus or mouse), exported
//! as a PNG. The canvas takes the pointer while a stroke lasts and the page does not scroll under
//! it (`touch-action: none` in the style sheet), so signing never drags the screen.

use crate::i18n::{Msg, use_i18n};
use base64::Engine;
use leptos::html::Canvas;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, PointerEvent};

/// The canvas's own pixels; the style sheet scales it to the screen's width.
const WIDTH: u32 = 720;
const HEIGHT: u32 = 300;

fn context(canvas: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    canvas.get_context("2d").ok()??.dyn_into().ok()
}

/// Paints the pad white (a PNG with a transparent background shows black on some viewers) and
/// sets the pen.
pub(super) fn clear(canvas: &HtmlCanvasElement) {
    let Some(ctx) = context(canvas) else {
        return;
    };
    ctx.set_fill_style_str("#fff");
    ctx.fill_rect(0.0, 0.0, f64::from(WIDTH), f64::from(HEIGHT));
    ctx.set_stroke_style_str("#111");
    ctx.set_fill_style_str("#111");
    ctx.set_line_width(4.0);
    ctx.set_line_cap("round");
    ctx.set_line_join("round");
}

/// Where the pointer is, in the canvas's own pixels.
fn point(canvas: &HtmlCanvasElement, ev: &PointerEvent) -> (f64, f64) {
    let rect = canvas.get_bounding_client_rect();
    let scale_x = f64::from(canvas.width()) / rect.width().max(1.0);
    let scale_y = f64::from(canvas.height()) / rect.height().max(1.0);
    (
        (f64::from(ev.client_x()) - rect.left()) * scale_x,
        (f64::from(ev.client_y()) - rect.top()) * scale_y,
    )
}

/// The pad; `strokes` counts what was drawn since the last clearing (0: empty).
#[component]
pub(super) fn SignaturePad(canvas: NodeRef<Canvas>, strokes: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let last = StoredValue::new(None::<(f64, f64)>);
    canvas.on_load(|c| clear(&c));
    let down = move |ev: PointerEvent| {
        let Some(c) = canvas.get_untracked() else {
            return;
        };
        ev.prevent_default();
        if let Err(e) = c.set_pointer_capture(ev.pointer_id()) {
            web_sys::console::warn_1(&e);
        }
        let (x, y) = point(&c, &ev);
        // A dot, so a tap leaves a mark like a pen would.
        if let Some(ctx) = context(&c) {
            ctx.begin_path();
            // Fails only for a negative radius.
            if ctx.arc(x, y, 2.0, 0.0, std::f64::consts::TAU).is_ok() {
                ctx.fill();
            }
        }
        last.set_value(Some((x, y)));
        strokes.update(|n| *n += 1);
    };
    let moved = move |ev: PointerEvent| {
        let (Some(c), Some((x0, y0))) = (canvas.get_untracked(), last.get_value()) else {
            return;
        };
        let (x, y) = point(&c, &ev);
        if let Some(ctx) = context(&c) {
            ctx.begin_path();
            ctx.move_to(x0, y0);
            ctx.line_to(x, y);
            ctx.stroke();
        }
        last.set_value(Some((x, y)));
    };
    let lifted = move |_: PointerEvent| last.set_value(None);
    let wipe = move |_| {
        if let Some(c) = canvas.get_untracked() {
            clear(&c);
        }
        strokes.set(0);
    };
    view! {
        <div class="signature-pad">
            <span class="label">{move || i18n.t(Msg::SignHere)}</span>
            <canvas
                node_ref=canvas
                width=WIDTH
                height=HEIGHT
                data-testid="signature-pad"
                data-strokes=move || strokes.get().to_string()
                on:pointerdown=down
                on:pointermove=moved
                on:pointerup=lifted
                on:pointercancel=lifted
            ></canvas>
            <button type="button" on:click=wipe>{move || i18n.t(Msg::ClearPad)}</button>
        </div>
    }
}

/// The pad's drawing as PNG bytes.
pub(super) fn png(canvas: &HtmlCanvasElement) -> Result<Vec<u8>, String> {
    let url = canvas
        .to_data_url_with_type("image/png")
        .map_err(|e| crate::js_error::text(&e))?;
    let data = url
        .strip_prefix("data:image/png;base64,")
        .ok_or("the canvas did not give a PNG")?;
    base64::engine::general_purpose::STANDARD
        .decode(data)
        .map_err(|e| e.to_string())
}
