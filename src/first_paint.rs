//! The first screen index.html paints before the wasm has arrived (issue 17): an inert copy of
//! the sign-in or PIN screen. The screen that can come first hands over when it renders, in the
//! same task as the app's own nodes are put in, so no frame shows both or neither
//! (style/main.css hides the app's nodes until then).

/// Hides the static first screen, if it is not hidden yet. It stays in the page, hidden and
/// inert (out of the accessibility tree, nothing in it focusable): Chromium's trace, which
/// Lighthouse reads, drops a removed element from the largest-contentful-paint candidates and
/// would time LCP at the app's identical screen instead, drawn only once the wasm has come
/// (docs/PERFORMANCE.md, "The first screen before the wasm").
pub fn hand_over() {
    if let Some(first) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("first-paint"))
    {
        // `hidden` is a valid attribute name, so this does not fail; were it to, the app's
        // screen must not stay hidden behind the copy, whatever that costs the LCP.
        if first.set_attribute("hidden", "").is_err() {
            first.remove();
        }
    }
}
