//! One tab at a time: an exclusive lock shared by every tab of the app (the Web Locks API,
//! `navigator.locks`), so two tabs never upload the same outbox at once.

use js_sys::{Function, Promise};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// What came of trying to take the lock.
#[derive(Debug)]
pub enum Taken {
    /// The lock was free (or the browser has no locks): held until the guard is dropped.
    Held(Guard),
    /// Another tab holds it.
    Busy,
}

/// Holds the lock; dropping it lets the lock go. `None` inside: the browser has no locks.
#[derive(Debug)]
pub struct Guard {
    _release: Option<Release>,
}

/// Takes the lock `name` unless another tab holds it. In a browser without the Web Locks API the
/// work goes unguarded: the server's exactly-once rules keep that safe, a second uploading tab
/// only costs data.
pub async fn take(name: &str) -> Taken {
    let Some(locks) = lock_manager() else {
        return Taken::Held(Guard { _release: None });
    };
    let (acquired, granted) = deferred();
    let (release, released) = deferred();
    let callback = Closure::once_into_js(move |lock: JsValue| -> JsValue {
        let got = !lock.is_null() && !lock.is_undefined();
        let _ = granted.call1(&JsValue::UNDEFINED, &JsValue::from_bool(got));
        // The lock is held until the promise returned here settles.
        if got {
            release.into()
        } else {
            JsValue::UNDEFINED
        }
    });
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"ifAvailable".into(), &JsValue::TRUE);
    let requested = js_sys::Reflect::get(&locks, &"request".into())
        .and_then(|f| f.dyn_into::<Function>())
        .and_then(|request| request.call3(&locks, &name.into(), &options, &callback))
        .and_then(|p| p.dyn_into::<Promise>());
    let done = match requested {
        Ok(done) => done,
        Err(e) => {
            web_sys::console::warn_2(&"upload lock unavailable, running without it".into(), &e);
            return Taken::Held(Guard { _release: None });
        }
    };
    let got = JsFuture::from(acquired)
        .await
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(e) = JsFuture::from(done).await {
            web_sys::console::warn_2(&"upload lock request failed".into(), &e);
        }
    });
    if got {
        Taken::Held(Guard {
            _release: Some(Release(released)),
        })
    } else {
        Taken::Busy
    }
}

/// Lets the lock go when dropped, even if the work is abandoned half-way.
#[derive(Debug)]
struct Release(Function);

impl Drop for Release {
    fn drop(&mut self) {
        let _ = self.0.call0(&JsValue::UNDEFINED);
    }
}

/// A promise and the function that resolves it.
fn deferred() -> (Promise, Function) {
    let mut resolve = None;
    let promise = Promise::new(&mut |res: Function, _reject: Function| resolve = Some(res));
    let resolve = resolve.expect("a promise's executor runs at once");
    (promise, resolve)
}

fn lock_manager() -> Option<JsValue> {
    let navigator = web_sys::window()?.navigator();
    let locks = js_sys::Reflect::get(&navigator, &"locks".into()).ok()?;
    let request = js_sys::Reflect::get(&locks, &"request".into()).ok()?;
    request.is_function().then_some(locks)
}
