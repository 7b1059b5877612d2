//! The first screen index.html paints before the wasm has arrived (issue 17): an inert copy of
//! the sign-in or PIN screen. The screen that can come first hands over when it renders, in the
//! same task as the app's own nodes are put in, so no frame shows both or neither
//! (style/main.css hides the app's nodes until then).

/// Removes the static first screen, if it is still there. (Chromium's trace, which Lighthouse
/// reads, then times the largest contentful paint at the app's identical screen; hiding it
/// instead was measured and left out, docs/PERFORMANCE.md.)
pub fn hand_over() {
    if let Some(first) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("first-paint"))
    {
        first.remove();
    }
}
