//! The bottom layer: values every other module speaks in, with no domain rules of their own.

#[macro_use]
pub mod labeled;
pub mod cipher;
pub mod dates;
pub mod hlc;
pub mod ids;
pub mod lang;
pub mod money;
pub mod pin;
pub mod problem;
pub mod tagged;
