//! `eventKey`: a stable idempotency key. A redelivery of an event gets the same key, another
//! event another key (`FORMATS.md` §5). A kind whose deliveries carry an id says so; the others
//! name the fields that identify an event, and the key is a hex SHA-256 of them, with the kind.

use sha2::{Digest, Sha256};

use crate::json::{write_array, write_string, Value};
use crate::{parse, Body, Options};

/// What identifies one event of a kind.
pub enum Identity {
    /// The sender's own id for it.
    Given(String),
    /// The identifying values, each as JSON text (`null` when absent).
    Fields(Vec<String>),
}

/// The JSON text of a value, `null` when absent: an identifying field as the key hashes it.
// Not inlined: every kind's identity calls it for each of its fields, and each inlined copy of
// the JSON writer was code in the `.wasm`.
#[inline(never)]
pub fn field(v: Option<&Value>) -> String {
    v.map_or_else(|| "null".to_owned(), Value::to_json)
}

/// The key of a valid payload; `None` when it is not one.
pub fn of<'a>(input: impl Into<Body<'a>>, opts: &Options) -> Option<String> {
    let parsed = parse(input, opts).ok()?;
    let spec = parsed.kind.spec();
    match (spec.identity)(&parsed.data, opts) {
        Identity::Given(id) => Some(id),
        Identity::Fields(fields) => {
            let mut text = String::from("[");
            write_string(&mut text, spec.name);
            text.push(',');
            write_array(&mut text, &fields, |out, f| out.push_str(f));
            text.push(']');
            let digest = Sha256::digest(text.as_bytes());
            Some(digest.iter().fold(String::with_capacity(64), |mut hex, b| {
                use std::fmt::Write as _;
                let _ = write!(hex, "{b:02x}");
                hex
            }))
        }
    }
}
