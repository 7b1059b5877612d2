//! Counts the live subscribers of the app's long-lived signals (the language and the data-change
//! signals), so a browser test can see that a dropped view let go of them: a view that
//! stays subscribed after it left the screen makes the count grow with every navigation.
//!
//! Leptos keeps a signal's subscriber list private, so each long-lived handle notes here who read
//! it (the current observer, held weakly); a subscriber counts while it is alive.

use leptos::reactive::graph::{AnySubscriber, Observer, Subscriber};
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Weak;
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::Closure;

/// A long-lived source views subscribe to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    Lang,
    /// Any of the data-change signals (`Changes`): everything, the file list, one file.
    Changes,
}

impl Source {
    const ALL: [Source; 2] = [Source::Lang, Source::Changes];

    fn key(self) -> &'static str {
        match self {
            Source::Lang => "lang",
            Source::Changes => "changes",
        }
    }
}

type Seen = HashMap<(Source, usize), Weak<dyn Subscriber + Send + Sync>>;

thread_local! {
    static SEEN: RefCell<(Seen, usize)> = RefCell::new((HashMap::new(), 64));
}

/// Notes that the current observer (if any) read `source`. Called by the handle's tracked reads.
pub fn tracked(source: Source) {
    let Some(AnySubscriber(id, subscriber)) = Observer::get() else {
        return;
    };
    SEEN.with_borrow_mut(|(seen, prune_at)| {
        seen.insert((source, id), subscriber);
        // Dead entries are dropped now and then, so the map stays the size of what is alive.
        if seen.len() > *prune_at {
            seen.retain(|_, s| s.strong_count() > 0);
            *prune_at = (seen.len() * 2).max(64);
        }
    });
}

/// Live subscribers per source.
pub fn live() -> Vec<(&'static str, usize)> {
    SEEN.with_borrow(|(seen, _)| {
        Source::ALL
            .iter()
            .map(|&source| {
                let n = seen
                    .iter()
                    .filter(|((s, _), sub)| *s == source && sub.strong_count() > 0)
                    .count();
                (source.key(), n)
            })
            .collect()
    })
}

/// Exposes `live` to tests as `window.__xiafang_reactive()`, an object of counts.
pub fn expose() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let counts = Closure::<dyn Fn() -> JsValue>::new(|| {
        let object = js_sys::Object::new();
        for (key, n) in live() {
            // Setting a plain property on a fresh object cannot fail.
            let _ = js_sys::Reflect::set(&object, &key.into(), &(n as u32).into());
        }
        object.into()
    });
    if let Err(e) = js_sys::Reflect::set(
        &window,
        &"__xiafang_reactive".into(),
        &counts.into_js_value(),
    ) {
        web_sys::console::warn_2(&"reactive counts not exposed".into(), &e);
    }
}
