//! Hash maps and sets whose iteration order depends only on what was put in them.
//!
//! PATCHED (Xiafang, patches/wasm_split_cli_support/PATCHED.md): upstream uses std's
//! `RandomState`, seeded afresh in every process, and iterates these maps while it numbers
//! functions, orders the table and writes the modules; two runs on the same input then give
//! different bytes (WorldSEnder/wasm-split-prototype#46). SipHash with fixed keys keeps the
//! same data structures and makes the output a function of the input.

use std::hash::{BuildHasherDefault, DefaultHasher};

pub type FixedState = BuildHasherDefault<DefaultHasher>;
pub type HashMap<K, V> = std::collections::HashMap<K, V, FixedState>;
pub type HashSet<T> = std::collections::HashSet<T, FixedState>;
