//! What a file's records add up to when read in order: which records count, the case's state
//! and deadlines, reviews waiting, signatures' standing, the legal team on it, search.

pub mod calendar;
pub mod case;
pub mod chain;
pub mod deadlines;
pub mod held_chain;
pub mod ledger;
pub mod repeats;
pub mod review;
pub mod roots;
pub mod screenings;
pub mod search;
pub mod signatures;
pub mod tasks;
pub mod team;
pub mod todo;
pub mod warnings;
