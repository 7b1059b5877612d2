//! Types that hold the set of sources or subscribers affiliated with a reactive node.
//!
//! At the moment, these are implemented as linear maps built on a `Vec<_>`. This is for the sake
//! of minimizing binary size as much as possible, and on the assumption that the M:N relationship
//! between sources and subscribers usually consists of fairly small numbers, such that the cost of
//! a linear search is not significantly more expensive than a hash and lookup.

use super::{AnySource, AnySubscriber, Source};
use indexmap::IndexSet;
use rustc_hash::FxHasher;
use std::{hash::BuildHasherDefault, mem};

type FxIndexSet<T> = IndexSet<T, BuildHasherDefault<FxHasher>>;

#[derive(Default, Clone, Debug)]
pub struct SourceSet(FxIndexSet<AnySource>);

impl SourceSet {
    pub fn new() -> Self {
        Self(Default::default())
    }

    pub fn insert(&mut self, source: AnySource) {
        self.0.insert(source);
    }

    pub fn remove(&mut self, source: &AnySource) {
        self.0.shift_remove(source);
    }

    pub fn take(&mut self) -> FxIndexSet<AnySource> {
        mem::take(&mut self.0)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn clear_sources(&mut self, subscriber: &AnySubscriber) {
        for source in self.take() {
            source.remove_subscriber(subscriber);
        }
    }
}

impl IntoIterator for SourceSet {
    type Item = AnySource;
    type IntoIter = <FxIndexSet<AnySource> as IntoIterator>::IntoIter;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a SourceSet {
    type Item = &'a AnySource;
    type IntoIter = <&'a FxIndexSet<AnySource> as IntoIterator>::IntoIter;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}
/// The subscribers of one source, in the order they subscribed.
///
/// Patched (see `PATCHED.md` at the crate root): upstream 0.2.16 removes a subscriber only when
/// the subscriber clears its own sources, which it does before it reruns. A subscriber dropped
/// without rerunning (every render effect and memo of a view that left the screen) stayed in the
/// set for as long as the source lived, with its allocation pinned by the `Weak` it holds; each
/// notification clones the set and each removal shifts it, so a long-lived signal (the router's
/// location, an app-wide setting) got slower with every page shown. Dead entries are swept
/// whenever the set has doubled since the last sweep: amortised O(1) per subscription, and the
/// live subscribers keep their order (nested effects depend on it).
#[derive(Debug, Default, Clone)]
pub struct SubscriberSet {
    subscribers: FxIndexSet<AnySubscriber>,
    /// The length at which the next sweep runs.
    sweep_at: usize,
}

/// The smallest set that is swept: below it a sweep costs more than the dead entries do.
const MIN_SWEEP: usize = 16;

impl SubscriberSet {
    pub fn new() -> Self {
        Self {
            subscribers: FxIndexSet::with_capacity_and_hasher(
                2,
                Default::default(),
            ),
            sweep_at: MIN_SWEEP,
        }
    }

    pub fn subscribe(&mut self, subscriber: AnySubscriber) {
        self.subscribers.insert(subscriber);
        if self.subscribers.len() >= self.sweep_at.max(MIN_SWEEP) {
            // A subscriber whose last strong reference is gone can never be notified again.
            self.subscribers.retain(|s| s.1.strong_count() > 0);
            self.sweep_at = (self.subscribers.len() * 2).max(MIN_SWEEP);
        }
    }

    pub fn unsubscribe(&mut self, subscriber: &AnySubscriber) {
        // note: do not use `.swap_remove()` here.
        // using `.remove()` is slower because it shifts other items
        // but it maintains the order of the subscribers, which is important
        // to correctness when you're using this to drive something like a UI,
        // which can have nested effects, where the inner one assumes the outer
        // has already run (for example, an outer effect that checks .is_some(),
        // and an inner effect that unwraps)
        self.subscribers.shift_remove(subscriber);
    }

    pub fn take(&mut self) -> FxIndexSet<AnySubscriber> {
        mem::take(&mut self.subscribers)
    }

    pub fn len(&self) -> usize {
        self.subscribers.len()
    }
}

impl IntoIterator for SubscriberSet {
    type Item = AnySubscriber;
    type IntoIter = <FxIndexSet<AnySubscriber> as IntoIterator>::IntoIter;

    fn into_iter(self) -> Self::IntoIter {
        self.subscribers.into_iter()
    }
}

impl<'a> IntoIterator for &'a SubscriberSet {
    type Item = &'a AnySubscriber;
    type IntoIter = <&'a FxIndexSet<AnySubscriber> as IntoIterator>::IntoIter;

    fn into_iter(self) -> Self::IntoIter {
        self.subscribers.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{ReactiveNode, Subscriber};
    use std::sync::{Arc, Weak};

    struct Node;

    impl ReactiveNode for Node {
        fn mark_dirty(&self) {}
        fn mark_check(&self) {}
        fn mark_subscribers_check(&self) {}
        fn update_if_necessary(&self) -> bool {
            false
        }
    }

    impl Subscriber for Node {
        fn add_source(&self, _: AnySource) {}
        fn clear_sources(&self, _: &AnySubscriber) {}
    }

    fn subscriber(node: &Arc<Node>) -> AnySubscriber {
        AnySubscriber(
            Arc::as_ptr(node) as usize,
            Arc::downgrade(node) as Weak<dyn Subscriber + Send + Sync>,
        )
    }

    #[test]
    fn subscribers_dropped_without_unsubscribing_do_not_pile_up() {
        let mut set = SubscriberSet::new();
        let live: Vec<Arc<Node>> = (0..10).map(|_| Arc::new(Node)).collect();
        for node in &live {
            set.subscribe(subscriber(node));
        }
        // Ten thousand views come and go, none of them rerunning before it is dropped.
        for _ in 0..10_000 {
            let gone = Arc::new(Node);
            set.subscribe(subscriber(&gone));
        }
        assert!(set.len() < 2 * MIN_SWEEP + live.len(), "{} entries", set.len());
        // The live ones are all still there, in the order they subscribed.
        let kept: Vec<usize> = set.subscribers.iter().map(|s| s.0).filter(|p| live.iter().any(|n| Arc::as_ptr(n) as usize == *p)).collect();
        let expected: Vec<usize> = live.iter().map(|n| Arc::as_ptr(n) as usize).collect();
        assert_eq!(kept, expected);
    }

    #[test]
    fn a_long_lived_signal_lets_go_of_dropped_memos() {
        use crate::computed::ArcMemo;
        use crate::signal::{ArcRwSignal, HeldSubscribers};
        use crate::traits::{Get, Set};

        let location = ArcRwSignal::new(0);
        let watched = ArcMemo::new({
            let location = location.clone();
            move |_| location.get()
        });
        assert_eq!(watched.get(), 0);
        // A page's memos read the location and are dropped with the page, never rerun.
        for _ in 0..10_000 {
            let page = ArcMemo::new({
                let location = location.clone();
                move |_| location.get() + 1
            });
            assert_eq!(page.get(), 1);
        }
        let held = location.held_subscribers();
        assert!(held < 2 * MIN_SWEEP, "{held} subscribers held");
        // The one still alive still hears of a change.
        location.set(5);
        assert_eq!(watched.get(), 5);
    }
}
