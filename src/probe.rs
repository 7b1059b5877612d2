//! Counts the live subscribers of the app's long-lived signals (the language and the data-change
//! signals), so a browser test can see that a dropped view let go of them: a view that
//! stays subscribed after it left the screen makes the count grow with every navigation.
//!
//! Two counts per source. **Live**: Leptos keeps a signal's subscriber list private, so each
//! long-lived handle notes here who read it (the current observer, held weakly); a subscriber
//! counts while it is alive. **Held**: what the signals' own subscriber sets hold, dropped
//! subscribers included (`HeldSubscribers`, from the patched reactive graph: upstream kept every
//! dropped view's effects in them, and each navigation got slower; patches/reactive_graph).

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
/// Per source, what its signals' subscriber sets hold.
type Held = Vec<(Source, Box<dyn Fn() -> usize>)>;

thread_local! {
    static SEEN: RefCell<(Seen, usize)> = RefCell::new((HashMap::new(), 64));
    static HELD: RefCell<Held> = RefCell::new(Vec::new());
}

/// Registers how to count what `source`'s signals hold; called once by the handle's install.
pub fn held_by(source: Source, count: impl Fn() -> usize + 'static) {
    HELD.with_borrow_mut(|held| held.push((source, Box::new(count))));
}

/// Entries held in the subscriber sets of each source's signals, dead or alive.
pub fn held() -> Vec<(&'static str, usize)> {
    HELD.with_borrow(|held| {
        Source::ALL
            .iter()
            .map(|&source| {
                let n = held
                    .iter()
                    .filter(|(s, _)| *s == source)
                    .map(|(_, count)| count())
                    .sum();
                (source.key(), n)
            })
            .collect()
    })
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

/// Exposes the counts to tests as `window.__xiafang_reactive()`:
/// `{ live: { source: n, … }, held: { source: n, … } }`.
pub fn expose() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let counts = Closure::<dyn Fn() -> JsValue>::new(|| {
        let object = js_sys::Object::new();
        // Setting a plain property on a fresh object cannot fail.
        let _ = js_sys::Reflect::set(&object, &"live".into(), &counts_object(live()));
        let _ = js_sys::Reflect::set(&object, &"held".into(), &counts_object(held()));
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

fn counts_object(counts: Vec<(&'static str, usize)>) -> JsValue {
    let object = js_sys::Object::new();
    for (key, n) in counts {
        let _ = js_sys::Reflect::set(&object, &key.into(), &(n as u32).into());
    }
    object.into()
}
