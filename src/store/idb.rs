//! A thin async layer over the browser's IndexedDB: requests and transactions as futures.
//!
//! Writes issue all their requests synchronously and then await the transaction's `complete`
//! event, so a write is durable and atomic before anything is shown as saved.

use super::StoreError;
use js_sys::{Function, Promise};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbRequest, IdbTransaction, IdbTransactionMode};

/// Resolves with the request's result once it succeeds.
pub async fn request(req: &IdbRequest) -> Result<JsValue, StoreError> {
    let outcome = settled(req);
    JsFuture::from(outcome.promise.clone())
        .await
        .map_err(StoreError::from_js)
}

/// Resolves with every request's result, in order, once all succeeded. The requests are issued
/// before anything is awaited, so reads inside a read-write transaction keep it alive.
pub async fn all(reqs: &[IdbRequest]) -> Result<Vec<JsValue>, StoreError> {
    let outcomes: Vec<Outcome> = reqs.iter().map(settled).collect();
    let promises: js_sys::Array = outcomes.iter().map(|o| o.promise.clone()).collect();
    let results = JsFuture::from(Promise::all(&promises))
        .await
        .map_err(StoreError::from_js)?;
    Ok(js_sys::Array::from(&results).iter().collect())
}

type Handler = Closure<dyn FnMut(web_sys::Event)>;

/// A promise of an IndexedDB request's or transaction's outcome, and the event handlers that
/// settle it. Dropping it unsets the handlers and frees them: a handler that never fires (the
/// error one, after a success) would otherwise keep its closure, the request and its result
/// alive, and its listener counted, for as long as the page lives.
struct Outcome {
    promise: Promise,
    _handlers: Vec<Handler>,
    detach: Box<dyn Fn()>,
}

impl Drop for Outcome {
    fn drop(&mut self) {
        (self.detach)();
    }
}

/// A promise of the request's outcome. Its handlers are attached at once (not when first
/// polled, as an `async fn` would), so no success event can fire before they listen.
fn settled(req: &IdbRequest) -> Outcome {
    let mut handlers = Vec::new();
    let promise = Promise::new(&mut |resolve: Function, reject: Function| {
        let ok = req.clone();
        let on_success = Handler::new(move |_: web_sys::Event| {
            let _ = resolve.call1(
                &JsValue::UNDEFINED,
                &ok.result().unwrap_or(JsValue::UNDEFINED),
            );
        });
        let failed = req.clone();
        let on_error = Handler::new(move |_: web_sys::Event| {
            let _ = reject.call1(&JsValue::UNDEFINED, &error_of_request(&failed));
        });
        req.set_onsuccess(Some(on_success.as_ref().unchecked_ref()));
        req.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        handlers = vec![on_success, on_error];
    });
    let target = req.clone();
    Outcome {
        promise,
        _handlers: handlers,
        detach: Box::new(move || {
            target.set_onsuccess(None);
            target.set_onerror(None);
        }),
    }
}

/// Resolves when the transaction has committed; fails if it aborted (quota, constraint, …).
pub async fn committed(tx: &IdbTransaction) -> Result<(), StoreError> {
    let mut handlers = Vec::new();
    let promise = Promise::new(&mut |resolve: Function, reject: Function| {
        let on_complete = Handler::new(move |_: web_sys::Event| {
            let _ = resolve.call0(&JsValue::UNDEFINED);
        });
        let aborted = tx.clone();
        let reject_abort = reject.clone();
        let on_abort = Handler::new(move |_: web_sys::Event| {
            let _ = reject_abort.call1(&JsValue::UNDEFINED, &error_of_tx(&aborted));
        });
        let failed = tx.clone();
        let on_error = Handler::new(move |event: web_sys::Event| {
            // A failed request's error bubbles here before the transaction records it as its
            // own, so the request's error is the one that says why (quota, constraint).
            let error = event
                .target()
                .and_then(|t| t.dyn_into::<IdbRequest>().ok())
                .map(|r| error_of_request(&r))
                .unwrap_or_else(|| error_of_tx(&failed));
            let _ = reject.call1(&JsValue::UNDEFINED, &error);
        });
        tx.set_oncomplete(Some(on_complete.as_ref().unchecked_ref()));
        tx.set_onabort(Some(on_abort.as_ref().unchecked_ref()));
        tx.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        handlers = vec![on_complete, on_abort, on_error];
    });
    let target = tx.clone();
    let outcome = Outcome {
        promise,
        _handlers: handlers,
        detach: Box::new(move || {
            target.set_oncomplete(None);
            target.set_onabort(None);
            target.set_onerror(None);
        }),
    };
    JsFuture::from(outcome.promise.clone())
        .await
        .map(|_| ())
        .map_err(StoreError::from_js)
}

pub fn transaction(
    db: &IdbDatabase,
    stores: &[&str],
    mode: IdbTransactionMode,
) -> Result<IdbTransaction, StoreError> {
    let names = js_sys::Array::new();
    for s in stores {
        names.push(&JsValue::from_str(s));
    }
    db.transaction_with_str_sequence_and_mode(&names, mode)
        .map_err(StoreError::from_js)
}

fn error_of_request(req: &IdbRequest) -> JsValue {
    req.error()
        .ok()
        .flatten()
        .map(JsValue::from)
        .unwrap_or_else(|| JsValue::from_str("IndexedDB request failed"))
}

fn error_of_tx(tx: &IdbTransaction) -> JsValue {
    tx.error()
        .map(JsValue::from)
        .unwrap_or_else(|| JsValue::from_str("IndexedDB transaction aborted"))
}

/// A plain JS object with string-keyed fields, the shape IndexedDB stores and indexes.
pub fn object(fields: &[(&str, JsValue)]) -> JsValue {
    let obj = js_sys::Object::new();
    for (k, v) in fields {
        let _ = js_sys::Reflect::set(&obj, &JsValue::from_str(k), v);
    }
    obj.into()
}

pub fn field_str(obj: &JsValue, key: &str) -> Option<String> {
    js_sys::Reflect::get(obj, &JsValue::from_str(key))
        .ok()
        .and_then(|v| v.as_string())
}

pub fn field_f64(obj: &JsValue, key: &str) -> Option<f64> {
    js_sys::Reflect::get(obj, &JsValue::from_str(key))
        .ok()
        .and_then(|v| v.as_f64())
}
