//! Running something later, through one function that is not generic. Code in the office chunk
//! (`pages::office`) must schedule through it: a wasm-bindgen closure instantiated inside the
//! chunk breaks at run time ("function signature mismatch", leptos-rs/leptos#4347), since
//! wasm-bindgen rewrites only the main module. The upload engine's timers use it too, so the
//! splitter keeps it, and its one closure type, in the main module.

use leptos::prelude::set_timeout;
use std::time::Duration;

/// Calls `then` after `delay`, outside any reactive owner (like `set_timeout`).
pub fn after(delay: Duration, then: Box<dyn FnOnce()>) {
    set_timeout(then, delay);
}
