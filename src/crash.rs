//! What a cadre sees when the app itself fails (a Rust panic in the wasm). After a panic the
//! wasm instance is unusable: every later call into it traps, so the screen would stay frozen on
//! whatever it showed (正在读取…, a half-drawn form) with no way out but guessing to reload.
//! The hook puts a banner on the page with plain DOM calls (nothing reactive, nothing that can
//! re-enter the broken instance's state) saying that what was saved on the phone is safe, and a
//! button that reopens the app.

use crate::i18n::Msg;
use crate::store::settings;
use wasm_bindgen::prelude::Closure;

/// Logs panics to the console, as before, and shows the banner.
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_banner();
    }));
}

fn show_banner() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    // A second panic (a timer still firing into the broken instance) draws nothing new.
    if document.get_element_by_id("crash").is_some() {
        return;
    }
    // Read straight from localStorage: the language signal lives in the broken instance.
    let lang = settings::lang();
    let build = || -> Result<(), wasm_bindgen::JsValue> {
        let banner = document.create_element("div")?;
        banner.set_id("crash");
        banner.set_class_name("crash");
        banner.set_attribute("role", "alert")?;
        banner.set_attribute("data-testid", "crash")?;
        let text = document.create_element("p")?;
        text.set_text_content(Some(Msg::AppCrashed.text(lang)));
        // A plain form that loads the app again: it needs no script, so it works although the
        // broken instance may trap on any call (and the router's link handling lives in it).
        let form = document.create_element("form")?;
        form.set_attribute("method", "get")?;
        form.set_attribute("action", "/")?;
        let button = document.create_element("button")?;
        button.set_attribute("type", "submit")?;
        button.set_class_name("primary");
        button.set_text_content(Some(Msg::AppReopen.text(lang)));
        form.append_child(&button)?;
        banner.append_child(&text)?;
        banner.append_child(&form)?;
        let body = document.body().ok_or("no body")?;
        body.prepend_with_node_1(&banner)?;
        // A panic before the first screen was handed over must not leave the static one on top.
        crate::first_paint::hand_over();
        Ok(())
    };
    if let Err(e) = build() {
        web_sys::console::error_2(&"crash banner not shown".into(), &e);
    }
}

/// Makes the app panic on purpose, for the browser test that the banner shows: a test cannot
/// otherwise reach a panic without a bug to reach it with.
pub fn expose_trigger() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let trigger = Closure::<dyn Fn()>::new(|| panic!("panic asked for by __xiafang_panic"));
    let _ = js_sys::Reflect::set(&window, &"__xiafang_panic".into(), &trigger.into_js_value());
}
