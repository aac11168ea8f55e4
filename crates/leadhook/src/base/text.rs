//! What the crate does with text in one way only, for the size of the `.wasm`:
//!
//! - Substring search, written out rather than taken from std. std's (`str::contains` and
//!   `split_once` with a `&str` pattern) can panic with a message that formats a character
//!   with `{:?}`, and that brings Unicode's printable and grapheme tables into the module; the
//!   separators leadhook looks for are a few ASCII bytes, which a plain scan finds as fast.
//! - [`KeyMap`], the one ordered map keyed by text, and [`join`].

use std::borrow::Cow;
use std::collections::BTreeMap;

/// The one ordered map of the crate, from text (borrowed from the body where it can be) to a
/// place. Every set and index of keys is one of these, so the `.wasm` holds one copy of the
/// B-tree's code; a map with one key type per use had three.
pub type KeyMap<'a> = BTreeMap<Cow<'a, str>, usize>;

/// The digits of [`push_hex`], in lower case and upper case.
pub const LOWER_HEX: &[u8; 16] = b"0123456789abcdef";
pub const UPPER_HEX: &[u8; 16] = b"0123456789ABCDEF";

/// `b` as two hexadecimal `digits`: `write!(out, "{b:02x}")` without the formatter, for JSON's
/// `\u00XX` escapes, event keys and the code step's percent-encoding alike.
pub fn push_hex(out: &mut String, b: u8, digits: &[u8; 16]) {
    for d in [b >> 4, b & 15] {
        out.push(char::from(
            digits.get(usize::from(d)).copied().unwrap_or(b'0'),
        ));
    }
}

/// `parts` with `separator` between them: `[T]::join`, whose code comes once per element type
/// and is large; this loop is small in each.
pub fn join<S: AsRef<str>>(parts: &[S], separator: &str) -> String {
    let len = parts
        .iter()
        .map(|p| p.as_ref().len() + separator.len())
        .sum::<usize>();
    let mut out = String::with_capacity(len.saturating_sub(separator.len()));
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push_str(separator);
        }
        out.push_str(part.as_ref());
    }
    out
}

/// The text before and after the first `separator` in `s`.
pub fn split_once<'a>(s: &'a str, separator: &str) -> Option<(&'a str, &'a str)> {
    if separator.is_empty() {
        return Some(("", s));
    }
    let at = s
        .as_bytes()
        .windows(separator.len())
        .position(|w| w == separator.as_bytes())?;
    Some((s.get(..at)?, s.get(at + separator.len()..)?))
}

/// Whether `separator` is in `s`.
pub fn contains(s: &str, separator: &str) -> bool {
    split_once(s, separator).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_std() {
        let texts = [
            "",
            "a",
            "://",
            "x://y",
            "Lead_Post_Create",
            "_Post_",
            "é_Post_ü",
            "a_Get__Post_b",
        ];
        for s in texts {
            for sep in ["://", "_Post_", "_Get_", "a", "é", ""] {
                assert_eq!(split_once(s, sep), s.split_once(sep), "{s:?} / {sep:?}");
                assert_eq!(contains(s, sep), s.contains(sep), "{s:?} / {sep:?}");
            }
        }
    }
}
