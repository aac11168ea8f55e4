//! Flat records laid out for JavaScript to make objects of without JSON: every value's text in
//! one UTF-8 string, each value's type and length in a word, and the keys once — not at all
//! when they are the ones JavaScript already holds, as a sender's next webhook mostly has them.
//!
//! For a small `flatten`, writing the record's JSON, decoding it and `JSON.parse` of it were
//! two fifths of the call. Here the values are copied as they are (no escaping), decoded by one `TextDecoder`
//! call, and each object is a copy of a template of the keys with its values set.
//!
//! The layout, in 32-bit words (`words`) and bytes (`text`):
//! - `words[..HEADER]`: the text's address (filled in by the binding, which knows it), the shape
//!   (a number for the keys), the bytes of the keys' JSON at the start of the text (0: the same
//!   keys as the shape JavaScript holds), the bytes of the whole text, the number of rows, and
//!   1 when the values' text is ASCII (else 0), which JavaScript may then decode as Latin-1;
//! - then one word per value, row after row: its length in UTF-16 code units (JavaScript's
//!   string indices) times 8, plus its [`Type`];
//! - `text`: the keys as a JSON array when they are sent, then the values' text in order (a
//!   number's JSON text; nothing for `null`, `true` and `false`).

use crate::base::json::{bytes_eq_inline, write_array, write_string, Value};
use crate::flat::{Flat, Scalar};

/// The header's words, in order (see the module's documentation); `api.js` reads them at these
/// places.
/// Where the binding puts the text's address.
pub const TEXT_AT: usize = 0;
const SHAPE_AT: usize = 1;
const KEYS_LEN_AT: usize = 2;
const TEXT_LEN_AT: usize = 3;
const ROWS_AT: usize = 4;
const ASCII_AT: usize = 5;
/// Words before the values' words.
pub const HEADER: usize = 6;

/// A value's type, in the low three bits of its word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u32)]
pub enum Type {
    String = 0,
    Number = 1,
    Null = 2,
    False = 3,
    True = 4,
}

/// The records of the last call, and the keys last sent.
#[derive(Debug, Default)]
pub struct Records {
    pub words: Vec<u32>,
    pub text: Vec<u8>,
    /// The keys of `shape`, each followed by 0xFF (a byte UTF-8 never holds).
    keys: Vec<u8>,
    /// Which keys were last sent: 0 before any, then counting up.
    shape: u32,
}

impl Records {
    pub const fn new() -> Records {
        Records {
            words: Vec::new(),
            text: Vec::new(),
            keys: Vec::new(),
            shape: 0,
        }
    }

    /// Lays out `rows`, which all have the first row's keys (as `rows` gives them). `held` is
    /// the shape JavaScript holds: the keys are sent unless they are that shape's.
    pub fn lay_out(&mut self, rows: &[Flat<'_>], held: u32) {
        // A big output's buffers go, rather than stay as big for every later call.
        const KEEP: usize = 64 * 1024;
        if self.text.capacity() > KEEP {
            *self = Records {
                keys: std::mem::take(&mut self.keys),
                ..Records::new()
            };
        }
        self.text.clear();
        let keys = rows.first().map(Flat::keys).into_iter().flatten();
        if held == 0 || held != self.shape || !self.has_keys(keys.clone()) {
            self.shape = self.shape.wrapping_add(1).max(1);
            self.keys.clear();
            for key in keys.clone() {
                self.keys.extend_from_slice(key.as_bytes());
                self.keys.push(0xFF);
            }
            let mut json = String::new();
            write_array(&mut json, keys, write_string);
            self.text.extend_from_slice(json.as_bytes());
        }
        self.words.clear();
        // Many rows are sized first: grown by doubling, a bulk body's text would take up to
        // twice its room. One row fits in what the calls before left.
        if rows.len() > 1 {
            let (mut count, mut text) = (0, 0);
            for row in rows {
                count += row.len();
                text += row.iter().map(|(_, v)| v.text().len()).sum::<usize>();
            }
            self.text.reserve(text);
            self.words.reserve(HEADER + count);
        }
        let mut header = [0; HEADER];
        header[SHAPE_AT] = self.shape;
        header[KEYS_LEN_AT] = word(self.text.len());
        header[ROWS_AT] = word(rows.len());
        self.words.extend_from_slice(&header);
        let values_at = self.text.len();
        for row in rows {
            for (_, value) in row.iter() {
                let (ty, text) = match value {
                    Scalar::String(s) => (Type::String, s.as_ref()),
                    Scalar::Number(n) => (Type::Number, n.as_ref()),
                    Scalar::Null => (Type::Null, ""),
                    Scalar::Bool(false) => (Type::False, ""),
                    Scalar::Bool(true) => (Type::True, ""),
                };
                self.text.extend_from_slice(text.as_bytes());
                self.words
                    .push(word(text.len()).saturating_mul(8) | ty as u32);
            }
        }
        // The lengths went in as bytes, which they are in ASCII, the usual text: the text is
        // checked once, rather than each value; else each is counted again in UTF-16 units.
        let Records { words, text, .. } = self;
        let values = text.get(values_at..).unwrap_or_default();
        let ascii = values.is_ascii();
        if !ascii {
            let mut at = 0;
            for w in words.get_mut(HEADER..).unwrap_or_default() {
                let len = (*w >> 3) as usize;
                *w = word(utf16_len(values.get(at..at + len).unwrap_or_default()))
                    .saturating_mul(8)
                    | (*w & 7);
                at += len;
            }
        }
        if let Some(total) = self.words.get_mut(TEXT_LEN_AT) {
            *total = word(self.text.len());
        }
        if let Some(flag) = self.words.get_mut(ASCII_AT) {
            *flag = u32::from(ascii);
        }
    }

    /// Whether `keys` are the ones last sent.
    fn has_keys<'k>(&self, keys: impl Iterator<Item = &'k str>) -> bool {
        let mut rest = self.keys.as_slice();
        for key in keys {
            let Some((k, after)) = rest.split_at_checked(key.len()) else {
                return false;
            };
            if after.first() != Some(&0xFF) || !bytes_eq_inline(k, key.as_bytes()) {
                return false;
            }
            rest = after.get(1..).unwrap_or_default();
        }
        rest.is_empty()
    }
}

/// A value as [`Records::read_back`] gives it: its type, and its text (empty for `null`, `true`
/// and `false`).
pub type ReadValue = (Type, String);

impl Records {
    /// What JavaScript makes of the records (`records` in `api.js`), for tests and the fuzzer:
    /// each row's keys and values, read by the words' UTF-16 lengths. `None` when the layout is
    /// not whole, or carries no keys (it was laid out for a shape already held).
    pub fn read_back(&self) -> Option<Vec<Vec<(String, ReadValue)>>> {
        let header: &[u32; HEADER] = self.words.get(..HEADER)?.try_into().ok()?;
        let (keys_len, text_len, count) = (
            header[KEYS_LEN_AT] as usize,
            header[TEXT_LEN_AT] as usize,
            header[ROWS_AT] as usize,
        );
        let ascii = self.text.get(keys_len..)?.is_ascii();
        if keys_len == 0 || text_len != self.text.len() || header[ASCII_AT] != u32::from(ascii) {
            return None;
        }
        let keys_json = std::str::from_utf8(self.text.get(..keys_len)?).ok()?;
        let keys = crate::engine::walker::tree(keys_json, 2).ok()?;
        let keys: Vec<&str> = keys
            .as_array()?
            .iter()
            .map(Value::as_str)
            .collect::<Option<_>>()?;
        let text: Vec<u16> = std::str::from_utf8(self.text.get(keys_len..)?)
            .ok()?
            .encode_utf16()
            .collect();
        let mut values = self.words.get(HEADER..)?.iter();
        let mut at = 0;
        let mut rows = Vec::new();
        for _ in 0..count {
            let mut row = Vec::new();
            for key in &keys {
                let word = *values.next()?;
                let ty = [
                    Type::String,
                    Type::Number,
                    Type::Null,
                    Type::False,
                    Type::True,
                ]
                .into_iter()
                .find(|t| *t as u32 == word & 7)?;
                let end = at + (word >> 3) as usize;
                let value = String::from_utf16(text.get(at..end)?).ok()?;
                at = end;
                row.push(((*key).to_owned(), (ty, value)));
            }
            rows.push(row);
        }
        (values.next().is_none() && at == text.len()).then_some(rows)
    }
}

/// A count as a word; the module's memory is 32-bit, so nothing it holds is longer.
fn word(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The length of UTF-8 text in UTF-16 code units: one per character (each byte but a
/// continuation byte starts one), two for a character of four bytes (its first byte is 0xF0 or
/// above).
fn utf16_len(utf8: &[u8]) -> usize {
    utf8.iter()
        .map(|&b| usize::from(b & 0xC0 != 0x80) + usize::from(b >= 0xF0))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(pairs: &[(&'static str, Scalar<'static>)]) -> Flat<'static> {
        let mut flat = Flat::new();
        for (k, v) in pairs {
            flat.push(*k, v.clone());
        }
        flat
    }

    #[test]
    fn keys_are_sent_once_for_the_shape_held() {
        let mut records = Records::new();
        let row = record(&[("a", Scalar::str("x")), ("b", Scalar::Null)]);
        records.lay_out(std::slice::from_ref(&row), 0);
        let shape = records.words[SHAPE_AT];
        assert_eq!(records.words[KEYS_LEN_AT], 9);
        assert_eq!(&records.text[..9], b"[\"a\",\"b\"]");
        records.lay_out(std::slice::from_ref(&row), shape);
        assert_eq!(
            (records.words[SHAPE_AT], records.words[KEYS_LEN_AT]),
            (shape, 0)
        );
        // A JavaScript that holds another shape (or none) is sent the keys again.
        records.lay_out(std::slice::from_ref(&row), shape + 1);
        assert_eq!(records.words[KEYS_LEN_AT], 9);
        // Other keys, even a prefix of the last ones, are a new shape.
        let shorter = record(&[("a", Scalar::str("x"))]);
        let held = records.words[SHAPE_AT];
        records.lay_out(std::slice::from_ref(&shorter), held);
        assert_ne!(records.words[SHAPE_AT], held);
        assert_eq!(&records.text[..5], b"[\"a\"]");
    }

    #[test]
    fn values_are_their_text_with_type_and_utf16_length() {
        let mut records = Records::new();
        let row = record(&[
            ("é", Scalar::str("é😀\"\\")),
            ("\"n\"", Scalar::Number("-1.5e3".into())),
            ("z", Scalar::Null),
            ("f", Scalar::Bool(false)),
            ("t", Scalar::Bool(true)),
            ("e", Scalar::str("")),
        ]);
        records.lay_out(&[row.clone(), row], 0);
        let keys = records.words[KEYS_LEN_AT] as usize;
        assert_eq!(records.words[TEXT_LEN_AT] as usize, records.text.len());
        assert_eq!(records.words[ROWS_AT], 2);
        let values = &records.words[HEADER..];
        let one = [5 * 8, 6 * 8 + 1, 2, 3, 4, 0];
        assert_eq!(values, [one, one].concat());
        let text = "é😀\"\\-1.5e3";
        assert_eq!(&records.text[keys..], [text, text].concat().as_bytes());
        // Read back as JavaScript reads it: the keys from their JSON, the values by length.
        let read = |k: &str, ty, v: &str| (k.to_owned(), (ty, v.to_owned()));
        let one = vec![
            read("é", Type::String, "é😀\"\\"),
            read("\"n\"", Type::Number, "-1.5e3"),
            read("z", Type::Null, ""),
            read("f", Type::False, ""),
            read("t", Type::True, ""),
            read("e", Type::String, ""),
        ];
        assert_eq!(records.read_back(), Some(vec![one.clone(), one]));
    }

    #[test]
    fn no_rows_have_no_keys() {
        let mut records = Records::new();
        records.lay_out(&[], 0);
        assert_eq!(&records.text, b"[]");
        assert_eq!(records.words[ROWS_AT], 0);
        assert_eq!(records.words.len(), HEADER);
    }
}
