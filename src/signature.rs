//! Signed deliveries: an HMAC-SHA256 signature over the raw body, checked in constant time,
//! with a timestamp inside a tolerance so a captured request cannot be replayed later.
//!
//! - `lead-event.v2`: `X-Webhook-Signature: sha256=<hex>` over `"{X-Webhook-Timestamp}.{body}"`,
//!   keyed by the signing secret as it is shown;
//! - `standard` (Standard Webhooks): `webhook-signature` holds space-separated `v1,<base64>`
//!   entries (any may match: senders sign with old and new secrets while rotating) over
//!   `"{webhook-id}.{webhook-timestamp}.{body}"`, keyed by the base64 after `whsec_`.
//!
//! Any missing or malformed piece gives `false`; nothing here fails or panics.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::options::header;
use crate::Options;

/// How a delivery is signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    LeadEventV2,
    Standard,
}

impl Scheme {
    pub fn from_name(name: &str) -> Option<Scheme> {
        match name {
            "lead-event.v2" => Some(Scheme::LeadEventV2),
            "standard" => Some(Scheme::Standard),
            _ => None,
        }
    }
}

/// What to check a delivery against: the secrets (any may match), the time now and the
/// tolerance, in Unix seconds.
pub struct Check<'a> {
    pub scheme: Scheme,
    pub secrets: &'a [String],
    pub now: i64,
    pub tolerance: u64,
}

/// Whether `body`, with the request headers in `opts.headers`, is signed as `check` says.
#[inline(never)]
pub fn verify(body: &[u8], opts: &Options, check: &Check) -> bool {
    let get = |name: &str| header(&opts.headers, name).map(str::trim);
    match check.scheme {
        Scheme::LeadEventV2 => {
            let (Some(signature), Some(timestamp)) =
                (get("x-webhook-signature"), get("x-webhook-timestamp"))
            else {
                return false;
            };
            let Some(given) = signature.strip_prefix("sha256=").and_then(hex32) else {
                return false;
            };
            fresh(timestamp, check)
                && any_secret(check, |secret| {
                    let mac = mac(secret.as_bytes(), &[timestamp.as_bytes(), b".", body]);
                    mac.is_some_and(|m| bool::from(m.ct_eq(&given)))
                })
        }
        Scheme::Standard => {
            let (Some(id), Some(timestamp), Some(signatures)) = (
                get("webhook-id"),
                get("webhook-timestamp"),
                get("webhook-signature"),
            ) else {
                return false;
            };
            if id.is_empty() || !fresh(timestamp, check) {
                return false;
            }
            let given: Vec<Vec<u8>> = signatures
                .split(' ')
                .filter_map(|entry| entry.strip_prefix("v1,"))
                .filter_map(base64)
                .collect();
            any_secret(check, |secret| {
                let key = base64(secret.strip_prefix("whsec_").unwrap_or(secret));
                let mac = key.and_then(|k| {
                    mac(&k, &[id.as_bytes(), b".", timestamp.as_bytes(), b".", body])
                });
                mac.is_some_and(|m| {
                    given
                        .iter()
                        .fold(false, |hit, g| hit | bool::from(m.as_slice().ct_eq(g)))
                })
            })
        }
    }
}

/// Whether any non-empty secret passes `matches`; every secret is tried, whichever matches.
fn any_secret(check: &Check, matches: impl Fn(&str) -> bool) -> bool {
    check
        .secrets
        .iter()
        .filter(|s| !s.is_empty())
        .fold(false, |hit, s| hit | matches(s))
}

/// HMAC-SHA256 of the parts, one after another.
fn mac(key: &[u8], parts: &[&[u8]]) -> Option<[u8; 32]> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).ok()?;
    for part in parts {
        mac.update(part);
    }
    Some(mac.finalize().into_bytes().into())
}

/// A timestamp in Unix seconds (plain digits) within the tolerance of now.
fn fresh(timestamp: &str, check: &Check) -> bool {
    if timestamp.is_empty()
        || timestamp.len() > 15
        || !timestamp.bytes().all(|b| b.is_ascii_digit())
    {
        return false;
    }
    timestamp
        .parse::<i64>()
        .is_ok_and(|t| t.abs_diff(check.now) <= check.tolerance)
}

/// 64 hex digits (either case) as 32 bytes.
fn hex32(s: &str) -> Option<[u8; 32]> {
    let digits = s.as_bytes();
    if digits.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (byte, pair) in out.iter_mut().zip(digits.chunks_exact(2)) {
        let value = |c: u8| char::from(c).to_digit(16);
        let (hi, lo) = (value(*pair.first()?)?, value(*pair.get(1)?)?);
        *byte = u8::try_from(hi * 16 + lo).ok()?;
    }
    Some(out)
}

/// Standard base64 (`+/`, `=` padding optional) decoded; `None` for anything else.
fn base64(s: &str) -> Option<Vec<u8>> {
    let s = s.trim_end_matches('=');
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((acc >> bits) & 0xff).ok()?);
        }
    }
    // Left-over bits must be zero padding, and a lone sixth of a byte is no encoding.
    (bits < 6 && acc & ((1 << bits) - 1) == 0).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes() {
        assert_eq!(base64("aGVsbG8=").as_deref(), Some(&b"hello"[..]));
        assert_eq!(base64("aGVsbG8").as_deref(), Some(&b"hello"[..]));
        assert_eq!(base64("aGVsbG9="), None); // stray bits
        assert_eq!(base64("a"), None);
        assert_eq!(base64("a-b_"), None);
        assert!(hex32(&"aB".repeat(32)).is_some());
        assert!(hex32(&"g0".repeat(32)).is_none());
        assert!(hex32("00").is_none());
    }
}
