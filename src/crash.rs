//! What a cadre sees when the app itself fails: a trap in the wasm (a Rust panic, which the
//! release build turns straight into one, or anything else that traps). After a trap the
//! instance cannot be trusted, so the screen would stay frozen on whatever it showed (正在读取…,
//! a half-drawn form) with no way out but guessing to reload.
//!
//! The banner saying that what was saved on the phone is safe, with a button that reopens the
//! app, is a template in index.html (`#crash-banner`). The start-up script (public/start.js)
//! puts it in the page when a `WebAssembly.RuntimeError` reaches it, so nothing of it runs in the
//! broken instance, and a release build needs no panic hook or panic messages
//! (docs/PERFORMANCE.md "The standard library built for size"). The app only writes the banner's texts from the
//! translation tables, in the user's language, whenever that is set.

use crate::i18n::Msg;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use xiafang_core::Lang;

/// Puts the banner's texts in `lang`. Before the app has started, index.html's Chinese stands.
pub fn say_in(lang: Lang) {
    let Some(template) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("crash-banner"))
        .and_then(|t| t.dyn_into::<web_sys::HtmlTemplateElement>().ok())
    else {
        return;
    };
    let banner = template.content();
    for (selector, msg) in [("p", Msg::AppCrashed), ("button", Msg::AppReopen)] {
        if let Ok(Some(element)) = banner.query_selector(selector) {
            element.set_text_content(Some(msg.text(lang)));
        }
    }
}

/// Makes the app trap on purpose, for the browser test that the banner shows: a test cannot
/// otherwise reach one without a bug to reach it with. It traps in a task of its own, as a real
/// failure does (an event handler, a finished read), not inside the test's call.
pub fn expose_trigger() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let trigger = Closure::<dyn Fn()>::new(|| {
        crate::later::after(
            std::time::Duration::ZERO,
            Box::new(|| panic!("panic asked for by __xiafang_panic")),
        );
    });
    let _ = js_sys::Reflect::set(&window, &"__xiafang_panic".into(), &trigger.into_js_value());
}
