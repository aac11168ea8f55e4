//! `eventKey`: a stable idempotency key. A redelivery of an event gets the same key, another
//! event another key (`FORMATS.md` §5). A kind whose deliveries carry an id says so; the others
//! name the fields that identify an event, and the key is a hex SHA-256 of them, with the kind.

use sha2::{Digest, Sha256};

use crate::base::json::{write_array, write_string, Value};
use crate::base::text::{push_hex, LOWER_HEX};
use crate::{Kind, Options};

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

/// The JSON text of a whole event: `json`, its text in the body when that is written as
/// [`Value::write_json`] writes it (see [`crate::engine::walker::Records::record`]), else
/// written anew.
#[inline(never)]
pub fn whole(event: &Value, json: Option<&str>) -> String {
    json.map_or_else(|| field(Some(event)), str::to_owned)
}

/// What the key of one event is made of: the sender's id for it, taken as it is (never empty:
/// a kind reads an empty id as none), or the text whose hex SHA-256 is the key. Apart from the
/// key, so that a runtime with a faster SHA-256 than the module's (Node's `node:crypto`) can
/// finish it.
pub enum KeyText {
    Given(String),
    Hashed(String),
}

impl KeyText {
    /// The key: the given id, or the hex SHA-256 of the text.
    #[inline(never)]
    pub fn into_key(self) -> String {
        let text = match self {
            KeyText::Given(id) => return id,
            KeyText::Hashed(text) => text,
        };
        let digest = Sha256::digest(text.as_bytes());
        let mut hex = String::with_capacity(64);
        for &b in &digest {
            push_hex(&mut hex, b, LOWER_HEX);
        }
        hex
    }
}

/// The key of one event of `kind`: the sender's id for it, or the hex SHA-256 of the kind and
/// what identifies it (see [`text`]).
pub fn key(kind: Kind, event: &Value, opts: &Options) -> String {
    text(kind, event, None, opts).into_key()
}

/// What the key of one event of `kind` is made of: the sender's id for it, or the kind and
/// what identifies it, as a JSON array; `json` is the event's text in the body, when that is
/// written as [`Value::write_json`] writes it.
///
/// With `redact` given, a given id is not returned as itself (it may be a redacted value, a
/// `lead-event.v2` `eventId` with `redact: ["eventId"]`): the key is then the hex SHA-256 over
/// the kind and the id, which dedupes redeliveries as the id would. Identifying fields are read
/// from the payload as sent, so that keys still tell events apart, and reach the key only
/// through SHA-256.
#[inline(never)]
pub fn text(kind: Kind, event: &Value, json: Option<&str>, opts: &Options) -> KeyText {
    let spec = kind.spec();
    let fields = match (spec.identity)(event, json, opts) {
        Identity::Given(id) if opts.redact.is_empty() => return KeyText::Given(id),
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
    KeyText::Hashed(text)
}

#[cfg(test)]
mod tests {
    use crate::event_key;
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
        let plain = event_key(body("evt_hidden_1").as_bytes(), &Options::default());
        assert_eq!(plain.as_deref(), Some("evt_hidden_1"));

        let opts = redacting(&["eventId"]);
        let key = event_key(body("evt_hidden_1").as_bytes(), &opts).unwrap();
        assert!(!key.contains("evt_hidden_1"), "{key}");
        assert_eq!(key.len(), 64);
        assert!(key.bytes().all(|b| b.is_ascii_hexdigit()), "{key}");
        // Still a key: the same for a redelivery, another for another event.
        assert_eq!(
            event_key(body("evt_hidden_1").as_bytes(), &opts),
            Some(key.clone())
        );
        assert_ne!(event_key(body("evt_hidden_2").as_bytes(), &opts), Some(key));
    }

    #[test]
    fn an_empty_event_id_is_none_the_event_is_keyed_by_its_content() {
        let a = event_key(body("").as_bytes(), &Options::default()).unwrap();
        assert_eq!(a.len(), 64, "{a}");
        let other = body("").replace("rec_1", "rec_2");
        let b = event_key(other.as_bytes(), &Options::default()).unwrap();
        assert_ne!(a, b, "two events with an empty eventId are two events");
        assert_eq!(event_key(body("").as_bytes(), &Options::default()), Some(a));
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
        let key = event_key(body("evt_hidden_1").as_bytes(), &opts).unwrap();
        assert!(!key.contains("evt_hidden_1"), "{key}");
    }
}
