//! Shared-secret checks in constant time: a lead event's `secret`, or a header's value.

use sha2::{Digest, Sha256};
use subtle::{Choice, ConstantTimeEq};

use std::borrow::Cow;

use crate::api::redact::SECRET;
use crate::base::json::{Lexer, Value};

/// Whether `given` equals `expected`, taking the same time wherever they differ, and whether
/// or not their lengths do: both are hashed to SHA-256 digests, which always have 32 bytes, and
/// the digests compared in constant time (a length check first would answer a wrong length at
/// once, and so tell the secret's length). Each side is hashed whole, so the time grows with
/// each one's own length only. An empty `expected` matches nothing: an unset secret must not
/// let every request through.
#[inline(never)]
pub fn secrets_equal(given: &[u8], expected: &[u8]) -> bool {
    let same = Sha256::digest(given).ct_eq(&Sha256::digest(expected));
    bool::from(same & !Choice::from(u8::from(expected.is_empty())))
}

/// Whether a lead event's top-level `secret` equals `expected`; `false` when there is none, or
/// more than one (parsers disagree on which one wins, so neither can be trusted).
pub fn lead_event_secret(payload: &Value, expected: &str) -> bool {
    let members = payload.as_object().unwrap_or_default();
    let mut secrets = members.iter().filter(|(k, _)| k == SECRET);
    match (secrets.next(), secrets.next()) {
        (Some((_, Value::String(secret))), None) => {
            secrets_equal(secret.as_bytes(), expected.as_bytes())
        }
        _ => false,
    }
}

/// The value of the first top-level `secret` of a JSON object, found by a scan that skips every
/// other member without reading it: `None` when there is none before the scan stops (at the
/// object's end, or anything it does not expect). A filter before the full read, which alone
/// decides (a second `secret`, a body that is not JSON): a body without the secret costs a
/// receiver one pass over its bytes, however it is built.
pub fn top_level_secret(text: &str) -> Option<Cow<'_, str>> {
    let mut lx = Lexer::new(text, 0);
    lx.skip_ws();
    (lx.peek()? == b'{').then_some(())?;
    lx.pos += 1;
    loop {
        lx.skip_ws();
        if lx.member_key()? == SECRET {
            return lx.string_value();
        }
        lx.skip_value()?;
        lx.skip_ws();
        (lx.peek()? == b',').then_some(())?;
        lx.pos += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_top_level_secret_by_a_scan() {
        let secret = |t| top_level_secret(t).map(Cow::into_owned);
        assert_eq!(
            secret(r#"{"payload":{"secret":"n"},"secret":"s"}"#).as_deref(),
            Some("s")
        );
        assert_eq!(
            secret(r#" {"a":[1,{"b":"}"}], "secr\u0065t" : "s\"x"}"#).as_deref(),
            Some("s\"x")
        );
        assert_eq!(secret(r#"{"secret":1}"#), None);
        assert_eq!(secret(r#"{"x":1}"#), None);
        assert_eq!(secret(r#"{"secret":"a""#).as_deref(), Some("a")); // the full read refuses it
        assert_eq!(secret(r#"{"x":1 "secret":"a"}"#), None);
        assert_eq!(secret("[]"), None);
    }

    #[test]
    fn compares() {
        assert!(secrets_equal(b"wh_a46f35f22d9723a", b"wh_a46f35f22d9723a"));
        assert!(!secrets_equal(b"wh_a46f35f22d9723b", b"wh_a46f35f22d9723a"));
        assert!(!secrets_equal(b"wh_a46", b"wh_a46f35f22d9723a"));
        assert!(!secrets_equal(b"", b""));
        assert!(!secrets_equal(b"x", b""));
        assert!(!secrets_equal(b"", b"x"));
        assert!(!secrets_equal(
            b"wh_a46f35f22d9723a\0",
            b"wh_a46f35f22d9723a"
        ));
    }
}
