//! What a browser error says, as text for the app's messages and the console.
//!
//! Written out here rather than with `{:?}`: the release wasm is built with
//! `-Zfmt-debug=none` (xtask/src/bundles.rs), which makes every `{:?}` print nothing, and a
//! device error that reaches a cadre must still say what the browser refused.

use wasm_bindgen::{JsCast, JsValue};

/// `Name: message` for an exception (a `DOMException` such as `QuotaExceededError`, or a
/// JavaScript `Error`), the text itself for a string, and the value's type for anything else.
pub fn text(value: &JsValue) -> String {
    if let Some(dom) = value.dyn_ref::<web_sys::DomException>() {
        return format!("{}: {}", dom.name(), dom.message());
    }
    if let Some(error) = value.dyn_ref::<js_sys::Error>() {
        return format!(
            "{}: {}",
            String::from(error.name()),
            String::from(error.message())
        );
    }
    if let Some(text) = value.as_string() {
        return text;
    }
    value.js_typeof().as_string().unwrap_or_default()
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use super::text;
    use wasm_bindgen::JsValue;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn exceptions_strings_and_other_values_say_what_they_are() {
        let quota =
            web_sys::DomException::new_with_message_and_name("no room", "QuotaExceededError")
                .expect("a DOMException");
        assert_eq!(text(&quota.into()), "QuotaExceededError: no room");
        let error = js_sys::TypeError::new("not a function");
        assert_eq!(text(&error.into()), "TypeError: not a function");
        assert_eq!(text(&JsValue::from_str("refused")), "refused");
        assert_eq!(text(&JsValue::UNDEFINED), "undefined");
        assert_eq!(text(&js_sys::Object::new().into()), "object");
    }
}
