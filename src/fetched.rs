//! A value read asynchronously (from the phone's storage or the server) and read again whenever
//! what its source closure looked at changes — what the screens used `LocalResource` for.
//!
//! Why not `LocalResource`: each one instantiated Leptos's whole async-derived machinery for its
//! value type and its future (`ArcAsyncDerived`, `ScopedFuture`), ≈ 100 KB of the field wasm for
//! 18 of them (docs/PERFORMANCE.md). Here the typed part is only a signal holding the value and a
//! boxed closure starting the read; following the sources, ordering the reads and dropping stale
//! results is one function that is not generic (`follow`).
//!
//! Semantics kept from `LocalResource`: `get` is `None` until the first read finishes; a later
//! read keeps the previous value shown until it finishes; only the newest read's result is kept
//! (a slow read for the previous file never overwrites the current one). Signals read in the
//! closure before its future are tracked; reads inside the future are not.

use leptos::prelude::*;
use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

type Started = Pin<Box<dyn Future<Output = ()>>>;

pub struct Fetched<T: 'static> {
    value: RwSignal<Option<T>, LocalStorage>,
    again: Trigger,
}

impl<T: 'static> Clone for Fetched<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: 'static> Copy for Fetched<T> {}

impl<T: 'static> Fetched<T> {
    /// Starts the first read at once, under the current owner; stops following when it is
    /// disposed (a result arriving after that is dropped).
    pub fn new<F>(fetch: impl Fn() -> F + 'static) -> Self
    where
        F: Future<Output = T> + 'static,
    {
        let value = RwSignal::new_local(None);
        let again = Trigger::new();
        follow(
            again,
            Box::new(move |newest: Newest| {
                let read = fetch();
                Box::pin(async move {
                    let got = read.await;
                    if newest.still() {
                        // The owner may be gone (the user left the screen): nothing to show.
                        let _ = value.try_set(Some(got));
                    }
                })
            }),
        );
        Self { value, again }
    }

    /// Reads again now, keeping the current value shown meanwhile.
    pub fn refetch(&self) {
        self.again.notify();
    }

    /// The latest value, if a read has finished; tracked.
    pub fn get(&self) -> Option<T>
    where
        T: Clone,
    {
        self.value.try_get().flatten()
    }

    /// Looks at the latest value without cloning it; tracked.
    pub fn with<R>(&self, f: impl FnOnce(&Option<T>) -> R) -> R {
        self.value.with(f)
    }
}

/// Whether a read is still the newest one started.
struct Newest {
    started: Rc<Cell<u64>>,
    mine: u64,
}

impl Newest {
    fn still(&self) -> bool {
        self.started.get() == self.mine
    }
}

/// Runs `start` now and again whenever a signal it read (or `again`) changes, each read as a
/// task of its own. Not generic, so the effect and the task are compiled once for every
/// `Fetched`.
fn follow(again: Trigger, start: Box<dyn Fn(Newest) -> Started>) {
    let started = Rc::new(Cell::new(0u64));
    let effect = RenderEffect::new(move |_| {
        again.track();
        let mine = started.get() + 1;
        started.set(mine);
        let read = start(Newest {
            started: Rc::clone(&started),
            mine,
        });
        leptos::task::spawn_local(read);
    });
    // A render effect stops when dropped: keep it as long as the owner lives.
    StoredValue::new_local(effect);
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    //! In headless Chromium with the app's executor, reads finishing in the order a test picks.

    use super::Fetched;
    use futures::channel::oneshot;
    use leptos::prelude::*;
    use std::cell::RefCell;
    use std::rc::Rc;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    /// Reads that finish when the test says: each read of `source`'s value `n` waits for `n`'s
    /// sender, kept in `pending`.
    type Pending = Rc<RefCell<Vec<(u32, oneshot::Sender<()>)>>>;

    fn reading(source: RwSignal<u32>, pending: Pending) -> Fetched<u32> {
        Fetched::new(move || {
            let n = source.get();
            let (tx, rx) = oneshot::channel();
            pending.borrow_mut().push((n, tx));
            async move {
                let _ = rx.await;
                n
            }
        })
    }

    fn finish(pending: &Pending, n: u32) {
        let at = pending
            .borrow()
            .iter()
            .position(|(m, _)| *m == n)
            .expect("a read of n");
        let (_, tx) = pending.borrow_mut().remove(at);
        tx.send(()).expect("the read still waits");
    }

    /// The app's executor and a reactive owner, as the mounted app has, and no reads yet.
    fn start() -> (Owner, Pending) {
        let _ = any_spawner::Executor::init_wasm_bindgen();
        let owner = Owner::new();
        owner.set();
        (owner, Pending::default())
    }

    /// Lets the spawned reads and the effect run.
    async fn settle() {
        for _ in 0..8 {
            let resolved = js_sys::Promise::resolve(&wasm_bindgen::JsValue::NULL);
            wasm_bindgen_futures::JsFuture::from(resolved)
                .await
                .expect("resolved");
        }
    }

    #[wasm_bindgen_test]
    async fn a_slow_read_of_the_previous_source_never_overwrites_the_newest() {
        let (_owner, pending) = start();
        let source = RwSignal::new(1);
        let value = reading(source, pending.clone());
        settle().await;
        assert_eq!(value.get(), None, "nothing before the first read finishes");

        source.set(2);
        settle().await;
        finish(&pending, 2);
        settle().await;
        assert_eq!(value.get(), Some(2));
        finish(&pending, 1);
        settle().await;
        assert_eq!(
            value.get(),
            Some(2),
            "the older read finished last and was dropped"
        );
    }

    #[wasm_bindgen_test]
    async fn reading_again_keeps_the_value_shown_until_the_new_one_arrives() {
        let (_owner, pending) = start();
        let source = RwSignal::new(7);
        let value = reading(source, pending.clone());
        settle().await;
        finish(&pending, 7);
        settle().await;
        assert_eq!(value.get(), Some(7));

        source.set(8);
        settle().await;
        assert_eq!(
            value.get(),
            Some(7),
            "the previous value while the read runs"
        );
        finish(&pending, 8);
        settle().await;
        assert_eq!(value.get(), Some(8));

        value.refetch();
        settle().await;
        assert_eq!(pending.borrow().len(), 1, "refetch started one read");
        finish(&pending, 8);
        settle().await;
        assert_eq!(value.get(), Some(8));
    }

    #[wasm_bindgen_test]
    async fn a_left_screen_reads_no_more() {
        let (_owner, pending) = start();
        let source = RwSignal::new(3);
        let screen = Owner::new();
        let value = screen.with(|| reading(source, pending.clone()));
        settle().await;
        screen.cleanup();
        finish(&pending, 3);
        settle().await;
        source.set(4);
        settle().await;
        assert_eq!(
            pending.borrow().len(),
            0,
            "a left screen starts no more reads"
        );
        assert_eq!(value.get(), None, "a left screen's value reads as nothing");
    }
}
