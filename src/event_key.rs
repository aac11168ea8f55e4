//! `eventKey`: a stable idempotency key. A redelivery of an event gets the same key, another
//! event another key (`FORMATS.md` §5). A kind whose deliveries carry an id says so; the others
//! name the fields that identify an event, and the key is a hex SHA-256 of them, with the kind.

use sha2::{Digest, Sha256};

use crate::json::{write_array, write_string, Value};
use crate::redact::SECRET;
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
///
/// `redact` (and a top-level `secret`, which no output carries): a key must still tell events
/// apart, so the identity is read from the payload as sent, and a redacted value reaches the key
/// only through SHA-256, never as itself. A given id that is such a value (a `lead-event.v2`
/// `eventId` with `redact: ["eventId"]`, or a delivery-id header equal to one) is not returned:
/// the key is then the hex SHA-256 over the kind and that id, which dedupes redeliveries as the
/// id would and does not show it. Fields that include redacted ones are hashed as always.
pub fn of<'a>(input: impl Into<Body<'a>>, opts: &Options) -> Option<String> {
    let parsed = parse(input, opts).ok()?;
    let spec = parsed.kind.spec();
    let fields = match (spec.identity)(&parsed.data, opts) {
        Identity::Given(id) if !hidden(&parsed.data, &opts.redact, true, &id) => return Some(id),
        Identity::Given(id) => {
            let mut text = String::new();
            write_string(&mut text, &id);
            vec![text]
        }
        Identity::Fields(fields) => fields,
    };
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

/// Whether `id` is a value that [`crate::redact::strip`] takes out of `value`: a string or number
/// at or under a member named in `names` (at any depth), or under a top-level `secret` (`top`:
/// of the body, or of a record of a top-level array, as `strip` reads it).
fn hidden(value: &Value, names: &[String], top: bool, id: &str) -> bool {
    match value {
        Value::Object(members) => members.iter().any(|(k, v)| {
            if (top && k == SECRET) || names.iter().any(|n| n == k) {
                holds(v, id)
            } else {
                hidden(v, names, false, id)
            }
        }),
        Value::Array(items) => items
            .iter()
            .any(|item| hidden(item, names, top && matches!(item, Value::Object(_)), id)),
        _ => false,
    }
}

/// Whether `value` is, or holds at any depth, the string or number `id`.
fn holds(value: &Value, id: &str) -> bool {
    match value {
        Value::String(s) | Value::Number(s) => s == id,
        Value::Array(items) => items.iter().any(|item| holds(item, id)),
        Value::Object(members) => members.iter().any(|(_, v)| holds(v, id)),
        Value::Null | Value::Bool(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::of;
    use crate::Options;

    fn body(event_id: &str) -> String {
        format!(
            r#"{{"eventId":"{event_id}","timestamp":"2026-03-19T12:00:00.000Z","workspaceId":"ws_42",
            "event":"call.linked","data":{{"recordId":"rec_1","callId":"call_7"}}}}"#
        )
    }

    fn redacting(names: &[&str]) -> Options {
        Options {
            redact: names.iter().map(|&n| n.to_owned()).collect(),
            ..Options::default()
        }
    }

    #[test]
    fn a_redacted_given_id_is_hashed_not_returned() {
        let plain = of(body("evt_hidden_1").as_bytes(), &Options::default());
        assert_eq!(plain.as_deref(), Some("evt_hidden_1"));

        let opts = redacting(&["eventId"]);
        let key = of(body("evt_hidden_1").as_bytes(), &opts).unwrap();
        assert!(!key.contains("evt_hidden_1"), "{key}");
        assert_eq!(key.len(), 64);
        assert!(key.bytes().all(|b| b.is_ascii_hexdigit()), "{key}");
        // Still a key: the same for a redelivery, another for another event.
        assert_eq!(
            of(body("evt_hidden_1").as_bytes(), &opts),
            Some(key.clone())
        );
        assert_ne!(of(body("evt_hidden_2").as_bytes(), &opts), Some(key));
    }

    #[test]
    fn a_delivery_id_equal_to_a_redacted_value_is_hashed_too() {
        let opts = Options {
            headers: vec![(
                "X-Webhook-Delivery-Id".to_owned(),
                "evt_hidden_1".to_owned(),
            )],
            ..redacting(&["eventId"])
        };
        let key = of(body("evt_hidden_1").as_bytes(), &opts).unwrap();
        assert!(!key.contains("evt_hidden_1"), "{key}");
    }

    #[test]
    fn redacting_another_field_keeps_the_given_id() {
        let opts = redacting(&["recordId", "callId"]);
        assert_eq!(
            of(body("evt_shown").as_bytes(), &opts).as_deref(),
            Some("evt_shown")
        );
    }
}
