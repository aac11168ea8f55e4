//! Signed deliveries: an HMAC-SHA256 signature over the raw body, checked in constant time,
//! with a timestamp inside a tolerance so a captured request cannot be replayed later.
//!
//! - `lead-event.v2`: `X-Webhook-Signature: sha256=<hex>` over `"{X-Webhook-Timestamp}.{body}"`,
//!   keyed by the signing secret as it is shown;
//! - `standard` (Standard Webhooks): `webhook-signature` holds space-separated `v1,<base64>`
//!   entries (any may match: senders sign with old and new secrets while rotating) over
//!   `"{webhook-id}.{webhook-timestamp}.{body}"`, keyed by the base64 after `whsec_`.
//!
//! Any missing or malformed piece is a [`Failure`] that says which; nothing here panics.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::base::options::header;
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

/// Why a signature does not hold (API rev 3 `checkSignature` names each one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// A header the scheme needs is absent: the one [`Scheme::headers`] lists at that index.
    HeaderMissing(u8),
    /// A header is there but not of the scheme's form (the same index).
    HeaderMalformed(u8),
    /// The timestamp is older than the tolerance allows.
    TimestampStale,
    /// The timestamp is further ahead than the tolerance allows.
    TimestampFuture,
    SignatureMismatch,
    /// The secret cannot be of this scheme: a `standard` secret that is not base64 (after `whsec_`),
    /// or a `whsec_` secret that did not sign a `lead-event.v2` delivery.
    SecretFormat,
}

impl Failure {
    /// The reason as one number for the binding: the kind in the low byte, the header's index
    /// above it.
    pub fn code(self) -> u32 {
        match self {
            Failure::HeaderMissing(h) => 1 | u32::from(h) << 8,
            Failure::HeaderMalformed(h) => 2 | u32::from(h) << 8,
            Failure::TimestampStale => 3,
            Failure::TimestampFuture => 4,
            Failure::SignatureMismatch => 5,
            Failure::SecretFormat => 6,
        }
    }
}

impl Scheme {
    /// The headers the scheme reads, in the order [`Failure`] indexes them.
    pub fn headers(self) -> &'static [&'static str] {
        match self {
            Scheme::LeadEventV2 => &["x-webhook-signature", "x-webhook-timestamp"],
            Scheme::Standard => &["webhook-signature", "webhook-timestamp", "webhook-id"],
        }
    }
}

/// Whether `body`, with the request headers in `opts.headers`, is signed as `check` says.
#[inline(never)]
pub fn verify(body: &[u8], opts: &Options, check: &Check) -> bool {
    self::check(body, opts, check).is_ok()
}

/// Whether `body` is signed as `check` says, and if not, why. Every secret is tried, so the time
/// does not depend on which one matches or on their bytes.
#[inline(never)]
pub fn check(body: &[u8], opts: &Options, check: &Check) -> Result<(), Failure> {
    let standard = check.scheme == Scheme::Standard;
    let mut values = [""; 3];
    for (i, (name, value)) in (0u8..).zip(check.scheme.headers().iter().zip(&mut values)) {
        *value = header(&opts.headers, name)
            .map(str::trim)
            .ok_or(Failure::HeaderMissing(i))?;
    }
    let [signature, timestamp, id] = values;
    // What was signed, before the body; and the signatures given, any of which may match.
    let (signed, given): (&[&[u8]], Vec<Vec<u8>>) = if standard {
        (
            &[id.as_bytes(), b".", timestamp.as_bytes(), b"."],
            signatures(signature).collect(),
        )
    } else {
        let hex = signature.strip_prefix("sha256=").and_then(hex32);
        (
            &[timestamp.as_bytes(), b"."],
            hex.iter().map(|h| h.to_vec()).collect(),
        )
    };
    if given.is_empty() {
        return Err(Failure::HeaderMalformed(0));
    }
    if standard && id.is_empty() {
        return Err(Failure::HeaderMalformed(2));
    }
    fresh(timestamp, check)?;
    let (mut hit, mut unusable, mut other_scheme) = (false, false, false);
    for secret in check.secrets {
        let key = if standard {
            base64(secret.strip_prefix("whsec_").unwrap_or(secret))
        } else {
            other_scheme |= secret.starts_with("whsec_");
            Some(secret.as_bytes().to_vec())
        };
        unusable |= key.is_none();
        if let Some(m) = key.and_then(|k| mac(&k, signed, body)) {
            hit |= given
                .iter()
                .fold(false, |h, g| h | bool::from(m.as_slice().ct_eq(g)));
        }
    }
    match (hit, unusable || other_scheme) {
        (true, _) => Ok(()),
        (false, true) => Err(Failure::SecretFormat),
        (false, false) => Err(Failure::SignatureMismatch),
    }
}

/// The `v1,<base64>` entries of a `webhook-signature` header, decoded.
fn signatures(header: &str) -> impl Iterator<Item = Vec<u8>> + '_ {
    header
        .split(' ')
        .filter_map(|entry| entry.strip_prefix("v1,"))
        .filter_map(base64)
}

/// HMAC-SHA256 of the parts, then the body.
fn mac(key: &[u8], parts: &[&[u8]], body: &[u8]) -> Option<[u8; 32]> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).ok()?;
    for part in parts {
        mac.update(part);
    }
    mac.update(body);
    Some(mac.finalize().into_bytes().into())
}

/// A timestamp in Unix seconds (plain digits) within the tolerance of now.
fn fresh(timestamp: &str, check: &Check) -> Result<(), Failure> {
    let digits = !timestamp.is_empty()
        && timestamp.len() <= 15
        && timestamp.bytes().all(|b| b.is_ascii_digit());
    let t = timestamp
        .parse::<i64>()
        .ok()
        .filter(|_| digits)
        .ok_or(Failure::HeaderMalformed(1))?;
    match t.abs_diff(check.now) <= check.tolerance {
        true => Ok(()),
        false if t < check.now => Err(Failure::TimestampStale),
        false => Err(Failure::TimestampFuture),
    }
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
