//! The argon2id working memory for the next PIN derivation (40 MiB at the current cost), made
//! ready while the PIN screen waits for the cadre to type.
//!
//! Why: a page load starts a fresh wasm instance with little memory, so the first derivation
//! otherwise also grows the instance by 40 MiB and has the browser commit every page of it on
//! first touch. One derivation at the phone's cost in headless Chromium, unthrottled: 444 ms in
//! fresh memory against 62 ms in prepared memory (docs/PERFORMANCE.md).
//! That wait sat between the cadre's "解锁" and the file list, at every cold start.
//!
//! The memory is prepared a slice at a time, one slice per task, so typing never waits on it.
//! A derivation that starts before it is complete finishes the rest at once. The contents do not
//! matter: argon2 writes each block before it reads it.

use argon2::Block;
use std::cell::{Cell, RefCell};
use std::time::Duration;

/// Blocks (1 KiB each) prepared per task: 2 MiB, a few milliseconds on a slow phone.
const SLICE: usize = 2 * 1024;

thread_local! {
    static READY: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
    /// Bumped by each `take` and `prepare`: a slice scheduled for an older round stops.
    static ROUND: Cell<u64> = const { Cell::new(0) };
}

/// Starts preparing memory for a derivation of `m_kib` KiB (argon2's memory cost), unless it is
/// ready or being prepared already.
pub fn prepare(m_kib: u32) {
    let blocks = m_kib as usize;
    if READY.with_borrow(|ready| ready.capacity() >= blocks) {
        return;
    }
    let round = ROUND.with(|r| {
        r.set(r.get() + 1);
        r.get()
    });
    READY.with_borrow_mut(|ready| ready.reserve_exact(blocks - ready.len()));
    next_slice(round, blocks);
}

fn next_slice(round: u64, blocks: usize) {
    crate::later::after(
        Duration::ZERO,
        Box::new(move || {
            if ROUND.with(Cell::get) != round {
                return;
            }
            let done = READY.with_borrow_mut(|ready| {
                let upto = (ready.len() + SLICE).min(blocks);
                ready.resize(upto, Block::default());
                upto == blocks
            });
            if !done {
                next_slice(round, blocks);
            }
        }),
    );
}

/// The memory for one derivation of `blocks` blocks: what was prepared, completed now if a
/// slice is still missing. Preparing stops; the next PIN screen prepares again.
pub fn take(blocks: usize) -> Vec<Block> {
    ROUND.with(|r| r.set(r.get() + 1));
    let mut memory = READY.with_borrow_mut(std::mem::take);
    if memory.len() < blocks {
        memory.resize(blocks, Block::default());
    }
    memory
}

/// Drops what was prepared and stops preparing: no derivation is coming (the data opened).
pub fn release() {
    drop(take(0));
}

/// Blocks ready now (what a derivation starting now would not have to prepare).
pub fn prepared() -> usize {
    READY.with_borrow(Vec::len)
}
