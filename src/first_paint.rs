//! The first screen index.html paints before the wasm has arrived (issue 17: the largest
//! contentful paint no longer waits for the wasm): an inert copy of the sign-in or PIN screen.
//! The screen that can come first hands over when it renders, in the same task as the app's own
//! nodes are put in, so no frame shows both or neither (style/main.css hides the app's nodes
//! until then).

/// Hides the static first screen for good. Hidden, not removed: Chromium's trace (which
/// Lighthouse reads) drops a removed element from the largest contentful paint and would time it
/// at the app's identical screen, painted after the wasm, though the user saw it at first paint.
pub fn hand_over() {
    if let Some(first) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("first-paint"))
    {
        first.set_class_name("over");
    }
}
