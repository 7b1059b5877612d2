//! A record's canonical form: the one byte string its hash covers (`folds::chain`), defined
//! here once for the server, the phone and anyone who checks a chain with other tools.
//!
//! The canonical form is the record's JSON as it travels (the serde shape in `record.rs`),
//! written compactly with:
//! - object members sorted by the UTF-8 bytes of their names, no whitespace anywhere;
//! - strings in UTF-8 as they are, escaping only `"` `\` and the control characters below
//!   U+0020 (`\b \f \n \r \t`, the others as `\u00xx` in lowercase hex);
//! - integers in decimal; the two numbers that are not integers (a position's `lat` and `lon`)
//!   as the shortest decimal that reads back to the same `f64` (`30.0`, `120.123456`);
//! - absent optional fields absent (the record's own `skip_serializing_if`), never `null`.
//!
//! Why not the record's ordinary JSON: serde writes members in declaration order and a build
//! may switch serde_json's map to insertion order; a hash must not depend on either. A field
//! added to a record later must be skipped when absent, or every chain written before it would
//! stop matching (`core/tests/chain.rs` pins test vectors).

use crate::records::record::Record;
use serde_json::Value;

/// The canonical bytes of `record`.
pub fn canonical(record: &Record) -> Vec<u8> {
    // A record always serialises: its fields are strings, numbers, dates and enums.
    canonical_json(&serde_json::to_value(record).unwrap_or(Value::Null))
}

/// The canonical bytes of a record's JSON as stored (the server checks what it holds without
/// reading it into a `Record`, so a row that no longer is one is still hashed and found).
pub fn canonical_json(value: &Value) -> Vec<u8> {
    let mut out = Vec::with_capacity(512);
    write(value, &mut out);
    out
}

fn write(value: &Value, out: &mut Vec<u8>) {
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Value::Number(n) => out.extend_from_slice(n.to_string().as_bytes()),
        Value::String(s) => string(s, out),
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write(item, out);
            }
            out.push(b']');
        }
        Value::Object(members) => {
            let mut sorted: Vec<(&String, &Value)> = members.iter().collect();
            sorted.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            out.push(b'{');
            for (i, (name, member)) in sorted.into_iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                string(name, out);
                out.push(b':');
                write(member, out);
            }
            out.push(b'}');
        }
    }
}

fn string(s: &str, out: &mut Vec<u8>) {
    out.push(b'"');
    for c in s.chars() {
        match c {
            '"' => out.extend_from_slice(b"\\\""),
            '\\' => out.extend_from_slice(b"\\\\"),
            '\u{08}' => out.extend_from_slice(b"\\b"),
            '\u{0c}' => out.extend_from_slice(b"\\f"),
            '\n' => out.extend_from_slice(b"\\n"),
            '\r' => out.extend_from_slice(b"\\r"),
            '\t' => out.extend_from_slice(b"\\t"),
            c if (c as u32) < 0x20 => {
                out.extend_from_slice(format!("\\u{:04x}", c as u32).as_bytes())
            }
            c => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    out.push(b'"');
}
