//! Flat records laid out for JavaScript to make objects of without JSON: each value's type and
//! length in a word and where its text is in another, and the keys once — not at all when they
//! are the ones JavaScript already holds, as a sender's next webhook mostly has them.
//!
//! For a small `flatten`, writing the record's JSON, decoding it and `JSON.parse` of it were
//! two fifths of the call. Here a value is its text in the body, where JavaScript holds it
//! already, or copied as it is (no escaping); the copies are decoded by one `TextDecoder` call,
//! and each object is a copy of a template of the keys with its values set.
//!
//! A value refers to the body when the body is ASCII (so that its byte offsets are JavaScript's
//! string indices) and the value's text is the body's own (not unescaped, not made): a bulk
//! body's rows then take a few words each beyond the body, where copies took most of its size
//! again.
//!
//! The layout, in 32-bit words (`words`) and bytes (`text`):
//! - `words[..HEADER]`: the text's address (filled in by the binding, which knows it), the shape
//!   (a number for the keys), the bytes of the keys' JSON at the end of the text (0: the same
//!   keys as the shape JavaScript holds), the bytes of the whole text, the number of rows,
//!   1 when the values' text is ASCII (else 0), which JavaScript may then decode as Latin-1,
//!   where the widths are and how many (0 and 0: every row has every column), and 1 when a
//!   value refers to the body (else 0: JavaScript need not read the body as a string);
//! - then two words per value, row after row: its length in UTF-16 code units (JavaScript's
//!   string indices) times 8, plus its [`Type`]; and where its text starts, in the text, or in
//!   the body plus [`IN_BODY`]. A row laid out before a column first came
//!   lacks it (it comes last: see [`Columns`]): its value is `null`. Such rows are told by the
//!   widths: after the values, a pair of words `(row, columns)` for the first row and for each
//!   row from which the rows have more columns, which JavaScript pads the rows by;
//! - `text`: the copied values' text in order (a number's JSON text; nothing for `null`, `true`
//!   and `false`), then the keys as a JSON array when they are sent (last: a bulk body's rows
//!   are laid out as its records are read, before all their keys are known).

use crate::base::issue::Issue;
use crate::base::json::{bytes_eq_inline, write_string, Value};
use crate::flat::{Columns, Flat, Scalar};
use std::ops::Range;

/// The header's words, in order (see the module's documentation); `api.js` reads them at these
/// places.
/// Where the binding puts the text's address.
pub const TEXT_AT: usize = 0;
const SHAPE_AT: usize = 1;
const KEYS_LEN_AT: usize = 2;
const TEXT_LEN_AT: usize = 3;
const ROWS_AT: usize = 4;
const ASCII_AT: usize = 5;
const WIDTHS_AT: usize = 6;
const WIDTHS_LEN_AT: usize = 7;
/// 1 when a value refers to the body, else 0.
pub const REFERS_AT: usize = 8;
/// Words before the values' words.
pub const HEADER: usize = 9;
/// Added to where a value's text starts when it is in the body (a string of JavaScript is
/// shorter than 2³¹ units, and so is the text).
const IN_BODY: u32 = 1 << 31;

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
    /// Where in a row each of its cells is, as a row is laid out (see [`Columns::take`]).
    cells: Vec<u32>,
    /// The keys of `shape`, each followed by 0xFF (a byte UTF-8 never holds).
    keys: Vec<u8>,
    /// Which keys were last sent: 0 before any, then counting up.
    shape: u32,
    /// The addresses of the body the next layout's values may refer to (see
    /// [`Records::refer_to`]).
    body: Range<usize>,
}

impl Records {
    pub const fn new() -> Records {
        Records {
            words: Vec::new(),
            text: Vec::new(),
            cells: Vec::new(),
            keys: Vec::new(),
            shape: 0,
            body: 0..0,
        }
    }

    /// Lets the values of the records laid out next (by the next layout alone) refer to `body`,
    /// the text of JavaScript's input, which must be ASCII (JavaScript knows that of a string as
    /// it writes it): where a value's text is in it, rather than a copy of it.
    pub fn refer_to(&mut self, body: &[u8]) {
        let start = body.as_ptr() as usize;
        self.body = start..start + body.len();
    }

    /// Lays out one record, `flatten`'s (see [`Layout`]); `held` is the shape JavaScript holds.
    pub fn lay_out(&mut self, record: Flat<'_>, held: u32) {
        let mut layout = self.layout(usize::MAX);
        layout.push(record);
        // No budget to pass: `max` is `usize::MAX`.
        let _ = layout.finish(held);
    }

    /// A layout of rows that come one by one, refused once aligned they would hold more than
    /// `max` bytes (see [`Columns::within`]).
    pub fn layout<'a>(&mut self, max: usize) -> Layout<'_, 'a> {
        // A big output's buffers go, rather than stay as big for every later call.
        const KEEP: usize = 64 * 1024;
        if self.text.capacity() > KEEP {
            self.text = Vec::new();
            self.words = Vec::new();
        }
        self.text.clear();
        self.words.clear();
        self.words.extend_from_slice(&[0; HEADER]);
        Layout {
            body: std::mem::take(&mut self.body),
            records: self,
            columns: Columns::new(),
            max,
            refused: false,
            reach: 0,
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

/// Rows laid out as they come (a bulk body's, as the walk reads its records), aligned as
/// [`crate::flat::align`] aligns them (see [`Columns`]), so that no row is held once laid out:
/// only the first, whose keys are the first columns.
pub struct Layout<'r, 'a> {
    records: &'r mut Records,
    columns: Columns<'a>,
    max: usize,
    /// Whether the rows are refused (see [`Columns::within`]): no more are laid out.
    refused: bool,
    /// The addresses of the body values may refer to, and how far into it those that do reach
    /// (0: none does).
    body: Range<usize>,
    reach: usize,
}

impl<'a> Layout<'_, 'a> {
    /// Lays out `row`, whose keys are unique (as every flattener leaves them).
    pub fn push(&mut self, row: Flat<'a>) {
        if self.refused {
            return;
        }
        let Records {
            words, text, cells, ..
        } = &mut *self.records;
        let body = &self.body;
        cells.clear();
        let row = self.columns.take(row, cells);
        let Some(row) = row.as_ref().or(self.columns.first()) else {
            return;
        };
        if words.capacity() - words.len() < 2 * cells.len() {
            grow(words, 2 * cells.len(), self.reach, body.len());
        }
        for &at in cells.iter() {
            // A cell the row lacks is `null`.
            let (ty, value) = row.value(at as usize).map_or((Type::Null, ""), typed);
            let place = value.as_ptr() as usize;
            let start = if body.contains(&place) && place + value.len() <= body.end {
                self.reach = self.reach.max(place + value.len() - body.start);
                word(place - body.start) | IN_BODY
            } else {
                let start = word(text.len());
                text.extend_from_slice(value.as_bytes());
                start
            };
            words.extend_from_slice(&[word(value.len()).saturating_mul(8) | ty as u32, start]);
        }
        self.refused = self.columns.within(self.max).is_err();
    }

    /// Whether `row` has the keys of the first row, in its order (or is the first).
    pub fn has_first_keys(&self, row: &Flat) -> bool {
        self.columns.first().map_or(true, |first| {
            first.len() == row.len() && first.keys().eq(row.keys())
        })
    }

    /// Starts again with no rows (a body walked again, as another kind).
    pub fn clear(&mut self) {
        self.columns = Columns::new();
        self.refused = false;
        self.reach = 0;
        self.records.text.clear();
        self.records.words.truncate(HEADER);
    }

    /// Ends the layout: each row given `null` for the columns that came after it, the keys
    /// after the values unless they are the shape JavaScript holds (`held`), and the header.
    pub fn finish(self, held: u32) -> Result<(), Issue> {
        let Layout {
            records,
            columns,
            max,
            reach,
            ..
        } = self;
        // Refused rows stopped at the row that passed `max`: the same answer again.
        columns.within(max)?;
        let rows = columns.rows();
        // The lengths went in as bytes, which they are in ASCII, the usual text: the text is
        // checked once, rather than each value; else each is counted again in UTF-16 units.
        // Values in the body are ASCII: only copies are counted again, and where each starts.
        let Records { words, text, .. } = &mut *records;
        let ascii = text.is_ascii();
        if !ascii {
            let mut at = 0;
            for value in words
                .get_mut(HEADER..)
                .unwrap_or_default()
                .chunks_exact_mut(2)
            {
                let [w, start] = value else { continue };
                if *start & IN_BODY == 0 {
                    let bytes = text.get(*start as usize..).unwrap_or_default();
                    let len = utf16_len(bytes.get(..(*w >> 3) as usize).unwrap_or_default());
                    *w = word(len).saturating_mul(8) | (*w & 7);
                    *start = word(at);
                    at += len;
                }
            }
        }
        let mut header = [0; HEADER];
        header[WIDTHS_AT] = word(words.len());
        columns.widths(words);
        header[WIDTHS_LEN_AT] = word(words.len()) - header[WIDTHS_AT];
        let values = text.len();
        let keys = columns.keys().map(AsRef::as_ref);
        if held == 0 || held != records.shape || !records.has_keys(keys.clone()) {
            records.shape = records.shape.wrapping_add(1).max(1);
            records.keys.clear();
            let mut json = String::from("[");
            for (i, key) in keys.enumerate() {
                records.keys.extend_from_slice(key.as_bytes());
                records.keys.push(0xFF);
                if i > 0 {
                    json.push(',');
                }
                write_string(&mut json, key);
            }
            json.push(']');
            records.text.extend_from_slice(json.as_bytes());
        }
        header[SHAPE_AT] = records.shape;
        header[KEYS_LEN_AT] = word(records.text.len() - values);
        header[TEXT_LEN_AT] = word(records.text.len());
        header[ROWS_AT] = word(rows);
        header[ASCII_AT] = u32::from(ascii);
        header[REFERS_AT] = u32::from(reach > 0);
        if let Some(at) = records.words.get_mut(..HEADER) {
            at.copy_from_slice(&header);
        }
        Ok(())
    }
}

/// A value as [`Records::read_back`] gives it: its type, and its text (empty for `null`, `true`
/// and `false`).
pub type ReadValue = (Type, String);

/// A row as [`Records::read_back`] gives it: each key with its value.
pub type ReadRow = Vec<(String, ReadValue)>;

/// Room in `words` for `more`: as much as the rows will take when they go on as they have so far
/// through the body (`reach` of its `len` bytes), rather than twice as much as they took, as a
/// `Vec` grows. A bulk body's rows are alike: the words are mostly moved once, not every time
/// they double, and fit in little more than they need (WebAssembly memory grows to hold both
/// the old words and their move). No more than a word for every four bytes of the body is
/// foreseen so (the words as large as the body); past that, or with no values in the body, or
/// when the rows take more than foreseen, the `Vec` grows as usual.
#[inline(never)]
fn grow(words: &mut Vec<u32>, more: usize, reach: usize, len: usize) {
    let now = words.len();
    let foreseen = match reach {
        0 => 0,
        reach => (now as u64 * len as u64 / reach as u64 + now as u64 / 8).min(len as u64 / 4),
    };
    let room = usize::try_from(foreseen).map_or(0, |f| f.saturating_sub(now));
    words.reserve_exact(if room > more { room } else { more.max(now) });
}

/// What [`Records::read_back`] gives for `rows` laid out (for tests and the fuzzer).
pub fn read_rows(rows: &[Flat]) -> Vec<ReadRow> {
    let read = |(key, value): (&str, &Scalar)| {
        let (ty, text) = typed(value);
        (key.to_owned(), (ty, text.to_owned()))
    };
    rows.iter()
        .map(|row| row.iter().map(read).collect())
        .collect()
}

/// A value's type and the text laid out for it (a number's JSON text; nothing for `null`,
/// `true` and `false`).
fn typed<'v>(value: &'v Scalar) -> (Type, &'v str) {
    match value {
        Scalar::String(s) => (Type::String, s),
        Scalar::Number(n) => (Type::Number, n),
        Scalar::Null => (Type::Null, ""),
        Scalar::Bool(false) => (Type::False, ""),
        Scalar::Bool(true) => (Type::True, ""),
    }
}

impl Records {
    /// What JavaScript makes of the records (`records` in `api.js`), for tests and the fuzzer:
    /// each row's keys and values, read by the words' UTF-16 lengths, from the text or from
    /// `body`, the input they were laid out from. `None` when the layout is not whole, or
    /// carries no keys (it was laid out for a shape already held).
    pub fn read_back(&self, body: &[u8]) -> Option<Vec<ReadRow>> {
        let header: &[u32; HEADER] = self.words.get(..HEADER)?.try_into().ok()?;
        let (keys_len, text_len, count) = (
            header[KEYS_LEN_AT] as usize,
            header[TEXT_LEN_AT] as usize,
            header[ROWS_AT] as usize,
        );
        let values_len = text_len.checked_sub(keys_len)?;
        let ascii = self.text.get(..values_len)?.is_ascii();
        if keys_len == 0 || text_len != self.text.len() || header[ASCII_AT] != u32::from(ascii) {
            return None;
        }
        let keys_json = std::str::from_utf8(self.text.get(values_len..)?).ok()?;
        let keys = crate::engine::walker::tree(keys_json, 2).ok()?;
        let keys: Vec<&str> = keys
            .as_array()?
            .iter()
            .map(Value::as_str)
            .collect::<Option<_>>()?;
        let utf16 = |bytes: &[u8]| -> Option<Vec<u16>> {
            Some(std::str::from_utf8(bytes).ok()?.encode_utf16().collect())
        };
        let text = utf16(self.text.get(..values_len)?)?;
        // The rows as JavaScript pads them: `null` for the columns that came after a row.
        let widths: Vec<(usize, usize)> = match header[WIDTHS_LEN_AT] as usize {
            0 => vec![(0, keys.len())],
            n => {
                let at = header[WIDTHS_AT] as usize;
                let pairs = self.words.get(at..at + n)?;
                pairs
                    .chunks(2)
                    .map(|p| {
                        (
                            p.first().copied().unwrap_or(0) as usize,
                            p.get(1).copied().unwrap_or(0) as usize,
                        )
                    })
                    .collect()
            }
        };
        let width = |row: usize| {
            widths
                .iter()
                .rev()
                .find(|(from, _)| *from <= row)
                .map_or(0, |w| w.1)
        };
        let mut values = self.words.get(HEADER..)?.chunks(2);
        let mut padded = Vec::new();
        let mut refers = false;
        for row in 0..count {
            for c in 0..keys.len() {
                padded.push(if c < width(row) {
                    let value = values.next()?;
                    refers |= value.get(1)? & IN_BODY != 0;
                    [*value.first()?, *value.get(1)?]
                } else {
                    [Type::Null as u32, 0]
                });
            }
        }
        // The widths' words come after the values', two by two.
        if header[WIDTHS_LEN_AT] != 0 {
            values.nth(header[WIDTHS_LEN_AT] as usize / 2 - 1)?;
        }
        if values.next().is_some() || header[REFERS_AT] != u32::from(refers) {
            return None;
        }
        // Values refer to a body only when it is ASCII.
        let body = if refers { utf16(body)? } else { Vec::new() };
        // The copies are the text, in order.
        let mut copied = 0;
        let mut values = padded.iter();
        let mut rows = Vec::new();
        for _ in 0..count {
            let mut row = Vec::new();
            for key in &keys {
                let [word, start] = *values.next()?;
                let ty = [
                    Type::String,
                    Type::Number,
                    Type::Null,
                    Type::False,
                    Type::True,
                ]
                .into_iter()
                .find(|t| *t as u32 == word & 7)?;
                let len = (word >> 3) as usize;
                let from = if start & IN_BODY == 0 {
                    if len > 0 && start as usize != copied {
                        return None;
                    }
                    copied += len;
                    &text
                } else {
                    &body
                };
                let start = (start & !IN_BODY) as usize;
                let value = String::from_utf16(from.get(start..start + len)?).ok()?;
                row.push(((*key).to_owned(), (ty, value)));
            }
            rows.push(row);
        }
        (copied == text.len()).then_some(rows)
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

    fn record<'a>(pairs: &[(&'static str, Scalar<'a>)]) -> Flat<'a> {
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
        records.lay_out(row.clone(), 0);
        let shape = records.words[SHAPE_AT];
        assert_eq!(records.words[KEYS_LEN_AT], 9);
        assert_eq!(&records.text[1..], b"[\"a\",\"b\"]");
        records.lay_out(row.clone(), shape);
        assert_eq!(
            (records.words[SHAPE_AT], records.words[KEYS_LEN_AT]),
            (shape, 0)
        );
        // A JavaScript that holds another shape (or none) is sent the keys again.
        records.lay_out(row.clone(), shape + 1);
        assert_eq!(records.words[KEYS_LEN_AT], 9);
        // Other keys, even a prefix of the last ones, are a new shape.
        let shorter = record(&[("a", Scalar::str("x"))]);
        let held = records.words[SHAPE_AT];
        records.lay_out(shorter, held);
        assert_ne!(records.words[SHAPE_AT], held);
        assert_eq!(&records.text[1..], b"[\"a\"]");
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
        let mut layout = records.layout(usize::MAX);
        layout.push(row.clone());
        layout.push(row);
        layout.finish(0).unwrap();
        let keys = records.words[KEYS_LEN_AT] as usize;
        assert_eq!(records.words[TEXT_LEN_AT] as usize, records.text.len());
        assert_eq!(records.words[ROWS_AT], 2);
        let values = &records.words[HEADER..];
        // Each value's word, and where its text starts (the copies one after another).
        let starts = |at: u32| [at, at + 5, at + 11, at + 11, at + 11, at + 11];
        let one = [5 * 8, 6 * 8 + 1, 2, 3, 4, 0];
        let pairs = |at| one.into_iter().zip(starts(at)).flat_map(<[u32; 2]>::from);
        assert_eq!(values, pairs(0).chain(pairs(11)).collect::<Vec<_>>());
        let text = "é😀\"\\-1.5e3";
        let values = records.text.len() - keys;
        assert_eq!(&records.text[..values], [text, text].concat().as_bytes());
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
        assert_eq!(records.read_back(b""), Some(vec![one.clone(), one]));
    }

    #[test]
    fn values_in_an_ascii_body_refer_to_it() {
        let body = r#"{"a":"x\ty","b":"plain","n":12}"#;
        let at = |s: &str| body.find(s).unwrap();
        let row = record(&[
            ("a", Scalar::str("x\ty")),
            ("b", Scalar::String(body[at("plain")..][..5].into())),
            ("n", Scalar::Number(body[at("12")..][..2].into())),
        ]);
        let mut records = Records::new();
        records.refer_to(body.as_bytes());
        records.lay_out(row.clone(), 0);
        let values = &records.words[HEADER..];
        let from_body = |s| u32::try_from(at(s)).unwrap() | IN_BODY;
        assert_eq!(
            values,
            [
                3 * 8,
                0,
                5 * 8,
                from_body("plain"),
                2 * 8 + 1,
                from_body("12")
            ]
        );
        assert_eq!(records.words[REFERS_AT], 1);
        assert_eq!(
            records.read_back(body.as_bytes()),
            Some(read_rows(std::slice::from_ref(&row)))
        );
        // The next layout, not told of a body (JavaScript does not hold it as ASCII), copies.
        let row = record(&[("b", Scalar::String(body[at("plain")..][..5].into()))]);
        records.lay_out(row.clone(), 0);
        assert_eq!(records.words[HEADER..], [5 * 8, 0]);
        assert_eq!(records.words[REFERS_AT], 0);
        assert_eq!(records.read_back(body.as_bytes()), Some(read_rows(&[row])));
    }

    #[test]
    fn rows_before_a_new_column_are_told_by_their_widths() {
        let mut records = Records::new();
        let mut layout = records.layout(usize::MAX);
        let rows = [
            record(&[("a", Scalar::str("1"))]),
            record(&[("a", Scalar::str("2"))]),
            record(&[("b", Scalar::Bool(true)), ("a", Scalar::str("3"))]),
            record(&[("c", Scalar::Null)]),
        ];
        for row in rows.clone() {
            layout.push(row);
        }
        layout.finish(0).unwrap();
        // The values unpadded, then the widths: 1 column from row 0, 2 from row 2, 3 from row 3.
        let pairs = [0, 1, 2, 2, 3, 3];
        let at = records.words[WIDTHS_AT] as usize;
        assert_eq!(records.words[WIDTHS_LEN_AT], 6);
        assert_eq!(&records.words[at..], pairs);
        let aligned = crate::flat::align(rows.to_vec(), usize::MAX).unwrap();
        assert_eq!(records.read_back(b""), Some(read_rows(&aligned)));
    }

    #[test]
    fn no_rows_have_no_keys() {
        let mut records = Records::new();
        records.layout(usize::MAX).finish(0).unwrap();
        assert_eq!(&records.text, b"[]");
        assert_eq!(records.words[ROWS_AT], 0);
        assert_eq!(records.words.len(), HEADER);
    }
}
