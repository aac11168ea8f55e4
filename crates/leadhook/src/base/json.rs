//! JSON's tokens (`Lexer`, which the walker reads every body with), its borrowed tree, and the
//! writer for leadhook's outputs.
//!
//! Why not `serde_json::Value`: webhook bodies are small and read once, so the tree borrows
//! every string that has no escape from the input (`Cow::Borrowed`), keeps object members in
//! document order with duplicates intact (so they can be reported, not silently merged), and
//! keeps numbers as their source text (so a number means exactly what `JSON.parse` makes of
//! it). Nesting is bounded by `max_depth` before any deeper value is read, so recursion depth
//! is bounded too.

use std::borrow::Cow;

use crate::base::text::{push_hex, LOWER_HEX};

/// A JSON value whose strings borrow from the input where they can.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Null,
    Bool(bool),
    /// The number's source text, already checked against the JSON grammar.
    Number(Cow<'a, str>),
    String(Cow<'a, str>),
    Array(Vec<Value<'a>>),
    /// Members in document order; a repeated key is kept, for the validator to report.
    Object(Vec<(Cow<'a, str>, Value<'a>)>),
}

impl<'a> Value<'a> {
    /// The member named `key`; with repeated keys the last one wins, as in `JSON.parse`.
    /// Compared by [`same`]: most members are not the one looked for, and differ at an end.
    pub fn get(&self, key: &str) -> Option<&Value<'a>> {
        match self {
            Value::Object(members) => members
                .iter()
                .rev()
                .find(|(k, _)| same(k, key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&[(Cow<'a, str>, Value<'a>)]> {
        match self {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Value<'a>]> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The JSON type's name, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }

    /// Whether the value is a number equal to `n`, as JavaScript's `===` sees it: `2`, `2.0`
    /// and `20e-1` all equal 2.
    pub fn is_number(&self, n: u64) -> bool {
        match self {
            Value::Number(text) => number_equals(text, n),
            _ => false,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// A non-negative number rounded down to a whole one, saturating past `usize::MAX`.
    pub fn as_size(&self) -> Option<usize> {
        match self {
            Value::Number(text) => Decimal::parse(text)?.to_size(),
            _ => None,
        }
    }

    /// Serialises the value as compact JSON.
    pub fn write_json(&self, out: &mut String) {
        match self {
            Value::Null => out.push_str("null"),
            Value::Bool(true) => out.push_str("true"),
            Value::Bool(false) => out.push_str("false"),
            Value::Number(n) => out.push_str(n),
            Value::String(s) => write_string(out, s),
            Value::Array(items) => write_array(out, items, |out, item| item.write_json(out)),
            Value::Object(members) => write_object(
                out,
                members.iter().map(|(k, v)| (k.as_ref(), v)),
                |out, v| v.write_json(out),
            ),
        }
    }

    pub fn to_json(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out);
        out
    }
}

/// A JSON number as exact decimal digits, without floating point (whose parsing and printing
/// code would be most of the `.wasm`): the value is `digits × 10^exponent`, with no leading or
/// trailing zeros in `digits` (zero has none).
#[derive(Debug, PartialEq, Eq)]
struct Decimal {
    negative: bool,
    digits: Vec<u8>,
    exponent: i64,
}

impl Decimal {
    fn parse(text: &str) -> Option<Decimal> {
        let (negative, rest) = match text.as_bytes() {
            [b'-', rest @ ..] => (true, rest),
            rest => (false, rest),
        };
        let (mantissa, exp) = split_once(rest, |b| b == b'e' || b == b'E');
        let (int, frac) = split_once(mantissa, |b| b == b'.');
        let (exp, frac) = (exp.unwrap_or_default(), frac.unwrap_or_default());
        if int.is_empty() || !int.iter().chain(frac).all(u8::is_ascii_digit) {
            return None;
        }
        let (exp_negative, exp_digits) = match exp {
            [b'-', d @ ..] => (true, d),
            [b'+', d @ ..] | d => (false, d),
        };
        if !exp_digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        // Exponents past a billion saturate; no webhook number comes near.
        let mut exponent: i64 = 0;
        for &d in exp_digits {
            exponent = (exponent * 10 + i64::from(d - b'0')).min(1_000_000_000);
        }
        if exp_negative {
            exponent = -exponent;
        }
        let mut digits: Vec<u8> = int
            .iter()
            .chain(frac)
            .copied()
            .skip_while(|&d| d == b'0')
            .collect();
        exponent -= i64::try_from(frac.len()).unwrap_or(i64::MAX);
        while digits.last() == Some(&b'0') {
            digits.pop();
            exponent += 1;
        }
        if digits.is_empty() {
            exponent = 0;
        }
        Some(Decimal {
            negative: negative && !digits.is_empty(),
            digits,
            exponent,
        })
    }

    fn from_u64(n: u64) -> Decimal {
        Decimal::parse(&decimal(n)).unwrap_or(Decimal {
            negative: false,
            digits: Vec::new(),
            exponent: 0,
        })
    }

    fn to_size(&self) -> Option<usize> {
        if self.negative {
            return None;
        }
        let whole_len = i64::try_from(self.digits.len())
            .unwrap_or(i64::MAX)
            .saturating_add(self.exponent);
        if whole_len <= 0 {
            return Some(0);
        }
        if whole_len > 19 {
            return Some(usize::MAX);
        }
        let mut n: u128 = 0;
        for i in 0..usize::try_from(whole_len).unwrap_or(0) {
            let d = self.digits.get(i).map_or(0, |d| d - b'0');
            n = n * 10 + u128::from(d);
        }
        Some(usize::try_from(n).unwrap_or(usize::MAX))
    }
}

/// `s` split around the first byte `at` matches: what comes before it, and after it (`None`
/// when no byte does).
pub fn split_once(s: &[u8], at: impl Fn(u8) -> bool) -> (&[u8], Option<&[u8]>) {
    let mut parts = s.splitn(2, |&b| at(b));
    (parts.next().unwrap_or_default(), parts.next())
}

/// Whether a number's source text is greater than `n`, compared exactly.
pub fn number_above(text: &str, n: u64) -> bool {
    let (Some(d), m) = (Decimal::parse(text), Decimal::from_u64(n)) else {
        return false;
    };
    if d.negative || d.digits.is_empty() {
        return false;
    }
    if m.digits.is_empty() {
        return true;
    }
    // Without leading zeros, the place of the first digit orders the magnitudes; at the same
    // place, the digits compare as text (a longer run that shares a prefix is larger).
    let place = |x: &Decimal| {
        i64::try_from(x.digits.len())
            .unwrap_or(i64::MAX)
            .saturating_add(x.exponent)
    };
    match place(&d).cmp(&place(&m)) {
        std::cmp::Ordering::Equal => d.digits > m.digits,
        order => order == std::cmp::Ordering::Greater,
    }
}

/// Whether a number's source text equals `n`, as JavaScript's `===` sees it.
pub fn number_equals(text: &str, n: u64) -> bool {
    // Plain digits (what `2` is written as) are compared without building decimals.
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        let mut value: u64 = 0;
        for b in text.bytes() {
            match value
                .checked_mul(10)
                .and_then(|v| v.checked_add(u64::from(b - b'0')))
            {
                Some(v) => value = v,
                None => return false,
            }
        }
        return value == n;
    }
    Decimal::parse(text).is_some_and(|d| d == Decimal::from_u64(n))
}

/// Writes `[a,b,…]`, each item by `write`.
pub fn write_array<T>(
    out: &mut String,
    items: impl IntoIterator<Item = T>,
    mut write: impl FnMut(&mut String, T),
) {
    out.push('[');
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write(out, item);
    }
    out.push(']');
}

/// Writes `{"k":v,…}`, each value by `write`.
pub fn write_object<'k, T>(
    out: &mut String,
    members: impl IntoIterator<Item = (&'k str, T)>,
    mut write: impl FnMut(&mut String, T),
) {
    out.push('{');
    for (i, (k, v)) in members.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_string(out, k);
        out.push(':');
        write(out, v);
    }
    out.push('}');
}

/// Writes `s` as a JSON string literal.
pub fn write_string(out: &mut String, s: &str) {
    out.reserve(s.len() + 2);
    out.push('"');
    let bytes = s.as_bytes();
    let mut start = 0;
    loop {
        let i = find_special(bytes, start);
        // `get` rather than an index: `i` is at an ASCII byte or the end, so this is never
        // `None`, and an index would bring std's slicing panic (see `text`).
        out.push_str(s.get(start..i).unwrap_or_default());
        let Some(&b) = bytes.get(i) else { break };
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x08 => out.push_str("\\b"),
            0x0c => out.push_str("\\f"),
            _ => {
                out.push_str("\\u00");
                push_hex(out, b, LOWER_HEX);
            }
        }
        start = i + 1;
    }
    out.push('"');
}

pub(crate) const LO: u64 = 0x0101_0101_0101_0101;
pub(crate) const HI: u64 = 0x8080_8080_8080_8080;

/// The next eight bytes at `i` as one little-endian word, if there are eight.
#[inline]
pub(crate) fn word_at(bytes: &[u8], i: usize) -> Option<u64> {
    let chunk = bytes.get(i..i + 8)?;
    let mut word = [0u8; 8];
    word.copy_from_slice(chunk);
    Some(u64::from_le_bytes(word))
}

/// `n` in decimal digits: `n.to_string()`, without the formatter's code inlined where it is
/// called.
pub fn decimal(n: u64) -> String {
    let mut text = String::new();
    let mut n = n;
    loop {
        text.insert(0, char::from(b'0' + (n % 10) as u8));
        n /= 10;
        if n == 0 {
            break;
        }
    }
    text
}

/// `a == b` for short strings that mostly differ: length and ends first, before comparing all.
#[inline]
pub(crate) fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.first() == b.first() && a.last() == b.last() && bytes_eq(a, b)
}

/// `a == b`, eight bytes at a time: for the short strings of keys, faster than a call to
/// `memcmp`, which in WebAssembly goes byte by byte. One copy for every caller (inlined at each,
/// it was 800 bytes of the gzipped `.wasm`); the lexer's key check, the walker's documented
/// values and the records' key check, the hottest, have their own. A key of the tree and a
/// table's field name are often the very same text (the walker keeps a documented key as its
/// field's name): then the place says it.
#[inline(never)]
pub(crate) fn bytes_eq(a: &[u8], b: &[u8]) -> bool {
    (std::ptr::eq(a.as_ptr(), b.as_ptr()) && a.len() == b.len()) || bytes_eq_inline(a, b)
}

/// [`bytes_eq`] where it is written.
#[inline(always)]
#[allow(clippy::inline_always)] // measured: the key check is 3% of a small call as a call
pub(crate) fn bytes_eq_inline(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if n < 8 {
        return a.iter().zip(b).all(|(x, y)| x == y);
    }
    let mut i = 0;
    while i + 8 < n {
        if word_at(a, i) != word_at(b, i) {
            return false;
        }
        i += 8;
    }
    // The last eight bytes, overlapping the words before if they must.
    word_at(a, n - 8) == word_at(b, n - 8)
}

/// The high bit of each byte of `v` that equals `b` is set. So may be the high bits of bytes
/// above (later than) such a byte, but never below: the lowest bit set marks the first match.
#[inline]
pub(crate) fn bytes_equal(v: u64, b: u8) -> u64 {
    let x = v ^ (LO * u64::from(b));
    x.wrapping_sub(LO) & !x & HI
}

/// The index of the first byte at or after `from` that a JSON string cannot hold as it is — a
/// quote, a backslash or a control character — or `bytes.len()`. Eight bytes at a time.
#[inline]
pub(crate) fn find_special(bytes: &[u8], from: usize) -> usize {
    let mut i = from;
    while let Some(v) = word_at(bytes, i) {
        // A byte below 0x20 keeps its high bit in `v - 0x20…` and not in `v` (and, as in
        // `bytes_equal`, only bytes above a true match can be flagged falsely).
        let found =
            bytes_equal(v, b'"') | bytes_equal(v, b'\\') | (v.wrapping_sub(LO * 0x20) & !v & HI);
        if found != 0 {
            return i + (found.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while let Some(&b) = bytes.get(i) {
        if b == b'"' || b == b'\\' || b < 0x20 {
            return i;
        }
        i += 1;
    }
    bytes.len()
}

/// The index of the first `byte` at or after `from`, or `bytes.len()`. Eight bytes at a time.
pub(crate) fn find_byte(bytes: &[u8], from: usize, byte: u8) -> usize {
    let mut i = from;
    while let Some(v) = word_at(bytes, i) {
        let found = bytes_equal(v, byte);
        if found != 0 {
            return i + (found.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while let Some(&b) = bytes.get(i) {
        if b == byte {
            return i;
        }
        i += 1;
    }
    bytes.len()
}

/// The index of the first quote or bracket (`"`, `[`, `]`, `{`, `}`) at or after `from`, or
/// `bytes.len()`. Eight bytes at a time: what skipping over a value without reading it needs.
pub(crate) fn find_structural(bytes: &[u8], from: usize) -> usize {
    let mut i = from;
    while let Some(v) = word_at(bytes, i) {
        // Setting bit 5 makes `[` a `{` and `]` a `}` (and 0x02 a `"`: checked below).
        let folded = v | (LO * 0x20);
        let found =
            bytes_equal(folded, b'"') | bytes_equal(folded, b'{') | bytes_equal(folded, b'}');
        if found == 0 {
            i += 8;
            continue;
        }
        let at = i + (found.trailing_zeros() / 8) as usize;
        if let Some(b'"' | b'[' | b']' | b'{' | b'}') = bytes.get(at) {
            return at;
        }
        i = at + 1;
    }
    while let Some(&b) = bytes.get(i) {
        if matches!(b, b'"' | b'[' | b']' | b'{' | b'}') {
            return i;
        }
        i += 1;
    }
    bytes.len()
}

/// Why a text is not a JSON document leadhook will read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// Malformed JSON at a byte offset. The message never quotes the input, which may hold a secret.
    Syntax {
        offset: usize,
        message: &'static str,
    },
    /// Nesting deeper than allowed, found at a byte offset.
    TooDeep { offset: usize },
}

impl ReadError {
    pub fn offset(&self) -> usize {
        match self {
            ReadError::Syntax { offset, .. } | ReadError::TooDeep { offset } => *offset,
        }
    }
}

/// Line and column (both 1-based, the column in characters) of a byte offset in `text`.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.as_bytes().get(..offset).unwrap_or_default();
    #[allow(clippy::naive_bytecount)] // once per reported syntax error: no crate for it
    let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    // Count characters, not bytes: UTF-8 continuation bytes do not start a character.
    let column = 1 + before
        .get(line_start..)
        .unwrap_or_default()
        .iter()
        .filter(|&&b| (b & 0xc0) != 0x80)
        .count();
    (line, column)
}

/// The token level of the reader, and the punctuation between tokens: everything about the JSON
/// grammar except what to do with the values, which is the walker's.
#[derive(Debug, Clone)]
pub(crate) struct Lexer<'a> {
    pub text: &'a str,
    pub bytes: &'a [u8],
    pub pos: usize,
    /// Arrays and objects open at `pos`.
    pub depth: usize,
    pub max_depth: usize,
    /// Whether whitespace or an escape was passed since this was last cleared: a value read
    /// without either is written in the body as [`Value::write_json`] writes it.
    pub bent: bool,
}

impl<'a> Lexer<'a> {
    pub fn new(text: &'a str, max_depth: usize) -> Lexer<'a> {
        Lexer {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            depth: 0,
            max_depth,
            bent: false,
        }
    }

    pub fn syntax(&self, message: &'static str) -> ReadError {
        ReadError::Syntax {
            offset: self.pos,
            message,
        }
    }

    #[inline]
    pub fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// The text from `pos` on.
    #[inline]
    pub fn rest(&self) -> &'a [u8] {
        self.bytes.get(self.pos..).unwrap_or_default()
    }

    /// Skips whitespace: inline only the look at the next byte, which in a body sent without
    /// whitespace is all there is to do; a run of whitespace is skipped out of line.
    #[inline(always)]
    #[allow(clippy::inline_always)]
    pub fn skip_ws(&mut self) {
        if let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.skip_ws_run();
        }
    }

    #[inline(never)]
    fn skip_ws_run(&mut self) {
        self.bent = true;
        loop {
            match self.peek() {
                // Indentation: a run of spaces, up to eight at a time.
                Some(b' ') => match word_at(self.bytes, self.pos) {
                    Some(v) => {
                        let others = v ^ (LO * u64::from(b' '));
                        self.pos += if others == 0 {
                            8
                        } else {
                            (others.trailing_zeros() / 8) as usize
                        };
                    }
                    None => self.pos += 1,
                },
                Some(b'\t' | b'\n' | b'\r') => self.pos += 1,
                _ => return,
            }
        }
    }

    /// After the document's value: nothing but whitespace may follow.
    pub fn end(&mut self) -> Result<(), ReadError> {
        self.skip_ws();
        if self.pos < self.bytes.len() {
            return Err(self.syntax("unexpected content after the JSON value"));
        }
        Ok(())
    }

    /// The error for a value that starts with none of the bytes a value starts with.
    pub fn not_a_value(&self) -> ReadError {
        match self.peek() {
            None => self.syntax("unexpected end of input, expected a value"),
            Some(_) => self.syntax("expected a value"),
        }
    }

    /// `true`, `false` or `null` at `pos`.
    #[inline]
    pub fn literal(&mut self, word: &'static str) -> Result<(), ReadError> {
        if self.rest().starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(())
        } else {
            Err(self.syntax("expected a value"))
        }
    }

    /// Opens the array or object at `pos`, refusing one level too many.
    #[inline]
    pub fn enter(&mut self) -> Result<(), ReadError> {
        self.depth += 1;
        if self.depth > self.max_depth {
            return Err(ReadError::TooDeep { offset: self.pos });
        }
        self.pos += 1;
        Ok(())
    }

    /// Just after `[` or `{`: whether the container is empty (then it is closed).
    #[inline]
    pub fn empty(&mut self, close: u8) -> bool {
        self.skip_ws();
        if self.peek() == Some(close) {
            self.pos += 1;
            self.depth -= 1;
            return true;
        }
        false
    }

    /// After an item or member: `true` at `,` (another follows), `false` at the closing `close`
    /// (then the container is closed).
    #[inline]
    pub fn next(&mut self, close: u8) -> Result<bool, ReadError> {
        self.skip_ws();
        match self.peek() {
            Some(b',') => {
                self.pos += 1;
                Ok(true)
            }
            Some(b) if b == close => {
                self.pos += 1;
                self.depth -= 1;
                Ok(false)
            }
            None if close == b']' => {
                Err(self.syntax("unexpected end of input, expected `,` or `]`"))
            }
            None => Err(self.syntax("unexpected end of input, expected `,` or `}`")),
            Some(_) if close == b']' => Err(self.syntax("expected `,` or `]`")),
            Some(_) => Err(self.syntax("expected `,` or `}`")),
        }
    }

    /// A member's key and its `:`, leaving `pos` at the value.
    #[inline]
    pub fn key(&mut self) -> Result<Cow<'a, str>, ReadError> {
        self.skip_ws();
        match self.peek() {
            Some(b'"') => {}
            None => return Err(self.syntax("unexpected end of input, expected a string key")),
            Some(_) => return Err(self.syntax("expected a string key")),
        }
        let key = self.string()?;
        self.colon()?;
        Ok(key)
    }

    /// The `:` after a key, and the whitespace around it. The one space that an indented body
    /// has after it is passed here, without the call that a run of whitespace takes.
    #[inline]
    fn colon(&mut self) -> Result<(), ReadError> {
        self.skip_ws();
        match self.peek() {
            Some(b':') => self.pos += 1,
            None => return Err(self.syntax("unexpected end of input, expected `:`")),
            Some(_) => return Err(self.syntax("expected `:` after the key")),
        }
        if self.peek() == Some(b' ') {
            self.pos += 1;
            self.bent = true;
        }
        self.skip_ws();
        Ok(())
    }

    /// Whether the member at `pos` has the key `name`, written without escapes: if so, reads
    /// it and its `:` as [`Lexer::key`] does, leaving `pos` at the value; if not, stays.
    #[inline]
    pub fn key_is(&mut self, name: &str) -> Result<bool, ReadError> {
        let n = name.len();
        let rest = self.rest();
        let matches = rest.first() == Some(&b'"')
            && rest.get(n + 1) == Some(&b'"')
            && rest
                .get(1..n + 1)
                .is_some_and(|raw| bytes_eq_inline(raw, name.as_bytes()));
        if !matches {
            return Ok(false);
        }
        self.pos += n + 2;
        self.colon()?;
        Ok(true)
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        self.pos - start
    }

    /// A number at `pos`, checked against the grammar: its source text.
    pub fn number(&mut self) -> Result<&'a str, ReadError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => {
                self.pos += 1;
                if let Some(b'0'..=b'9') = self.peek() {
                    return Err(self.syntax("a number may not have a leading zero"));
                }
            }
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(self.syntax("expected a digit")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return Err(self.syntax("expected a digit after the decimal point"));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self.syntax("expected a digit in the exponent"));
            }
        }
        Ok(self.text.get(start..self.pos).unwrap_or_default())
    }

    /// Reads a string literal at `pos` (which holds `"`), borrowing it when it has no escape.
    pub fn string(&mut self) -> Result<Cow<'a, str>, ReadError> {
        self.pos += 1;
        let start = self.pos;
        self.pos = find_special(self.bytes, self.pos);
        match self.peek() {
            None => return Err(self.syntax("unexpected end of input inside a string")),
            Some(b'"') => {
                let s = self.text.get(start..self.pos).unwrap_or_default();
                self.pos += 1;
                return Ok(Cow::Borrowed(s));
            }
            Some(b'\\') => {}
            Some(_) => {
                return Err(self.syntax("control character in a string (it must be escaped)"))
            }
        }
        let mut owned = String::with_capacity(self.pos - start + 16);
        owned.push_str(self.text.get(start..self.pos).unwrap_or_default());
        loop {
            match self.peek() {
                None => return Err(self.syntax("unexpected end of input inside a string")),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(Cow::Owned(owned));
                }
                Some(b'\\') => owned.push(self.escape()?),
                Some(0..=0x1f) => {
                    return Err(self.syntax("control character in a string (it must be escaped)"))
                }
                Some(_) => {
                    // Copy the run of plain characters up to the next quote, backslash or control.
                    let run_start = self.pos;
                    self.pos = find_special(self.bytes, self.pos);
                    owned.push_str(self.text.get(run_start..self.pos).unwrap_or_default());
                }
            }
        }
    }

    /// A member's key and its `:` at `pos`, leaving `pos` at the value; `None` when there is
    /// no key there.
    pub fn member_key(&mut self) -> Option<Cow<'a, str>> {
        let key = self.string_value()?;
        self.skip_ws();
        if self.peek() != Some(b':') {
            return None;
        }
        self.pos += 1;
        self.skip_ws();
        Some(key)
    }

    /// The string at `pos`, read as [`Lexer::string`] reads it; `None` when there is none. Not
    /// inlined: the scans that use it are not hot, and one copy of the reader is enough.
    #[inline(never)]
    pub fn string_value(&mut self) -> Option<Cow<'a, str>> {
        if self.peek() != Some(b'"') {
            return None;
        }
        self.string().ok()
    }

    /// Skips the value at `pos` without checking it (a scan, not a read); `None` at the end of
    /// the text.
    pub fn skip_value(&mut self) -> Option<()> {
        match self.peek()? {
            b'"' => self.skip_unchecked_string(),
            b'{' | b'[' => {
                let mut depth = 0usize;
                loop {
                    self.pos = find_structural(self.bytes, self.pos);
                    match self.peek()? {
                        b'"' => self.skip_unchecked_string()?,
                        b'{' | b'[' => {
                            depth += 1;
                            self.pos += 1;
                        }
                        _ => {
                            depth = depth.saturating_sub(1);
                            self.pos += 1;
                            if depth == 0 {
                                return Some(());
                            }
                        }
                    }
                }
            }
            _ => {
                while let Some(b) = self.peek() {
                    if matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r') {
                        break;
                    }
                    self.pos += 1;
                }
                Some(())
            }
        }
    }

    /// Skips the string at `pos` (which holds `"`) without checking it.
    fn skip_unchecked_string(&mut self) -> Option<()> {
        self.pos += 1;
        loop {
            self.pos = find_special(self.bytes, self.pos);
            match self.peek()? {
                b'"' => {
                    self.pos += 1;
                    return Some(());
                }
                b'\\' => self.pos += 2,
                _ => self.pos += 1,
            }
        }
    }

    /// Checks a string literal at `pos` (which holds `"`) exactly as [`Lexer::string`] reads
    /// it, without keeping its value.
    pub fn skip_string(&mut self) -> Result<(), ReadError> {
        self.pos += 1;
        loop {
            self.pos = find_special(self.bytes, self.pos);
            match self.peek() {
                None => return Err(self.syntax("unexpected end of input inside a string")),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(());
                }
                Some(b'\\') => {
                    self.escape()?;
                }
                Some(_) => {
                    return Err(self.syntax("control character in a string (it must be escaped)"))
                }
            }
        }
    }

    /// Reads the escape at `pos` (which holds `\`).
    fn escape(&mut self) -> Result<char, ReadError> {
        self.bent = true;
        self.pos += 1;
        let c = match self.peek() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.pos += 1;
                return self.unicode_escape();
            }
            _ => return Err(self.syntax("invalid escape in a string")),
        };
        self.pos += 1;
        Ok(c)
    }

    fn hex4(&mut self) -> Result<u32, ReadError> {
        let mut n = 0u32;
        for _ in 0..4 {
            let d = match self.peek() {
                Some(b @ b'0'..=b'9') => b - b'0',
                Some(b @ b'a'..=b'f') => b - b'a' + 10,
                Some(b @ b'A'..=b'F') => b - b'A' + 10,
                _ => return Err(self.syntax("expected four hex digits after `\\u`")),
            };
            n = n * 16 + u32::from(d);
            self.pos += 1;
        }
        Ok(n)
    }

    /// Reads the digits of a `\u` escape (after `\u`), joining a surrogate pair into one char.
    /// A lone surrogate is refused: `JSON.parse` would keep it, but it is no Unicode character,
    /// and keeping it would make leadhook's reading of the body differ from any UTF-8 reader's.
    fn unicode_escape(&mut self) -> Result<char, ReadError> {
        let first = self.hex4()?;
        let code = match first {
            0xd800..=0xdbff => {
                if !self.rest().starts_with(b"\\u") {
                    return Err(self.syntax("unpaired surrogate in a `\\u` escape"));
                }
                self.pos += 2;
                let second = self.hex4()?;
                if !(0xdc00..=0xdfff).contains(&second) {
                    return Err(self.syntax("unpaired surrogate in a `\\u` escape"));
                }
                0x10000 + ((first - 0xd800) << 10) + (second - 0xdc00)
            }
            0xdc00..=0xdfff => return Err(self.syntax("unpaired surrogate in a `\\u` escape")),
            c => c,
        };
        char::from_u32(code).ok_or_else(|| self.syntax("invalid `\\u` escape"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn borrows_plain_strings_and_owns_escaped_ones() {
        let v =
            crate::engine::walker::tree(r#"{"a":"plain","b":"tab\there \u00e9 \ud83d\ude00"}"#, 64)
                .unwrap();
        let members = v.as_object().unwrap();
        assert!(matches!(
            &members[0].1,
            Value::String(Cow::Borrowed("plain"))
        ));
        assert_eq!(members[1].1.as_str(), Some("tab\there é 😀"));
    }

    #[test]
    fn keeps_duplicate_members_and_last_wins() {
        let v = crate::engine::walker::tree(r#"{"a":1,"a":2}"#, 64).unwrap();
        assert_eq!(v.as_object().unwrap().len(), 2);
        assert_eq!(v.get("a"), Some(&Value::Number("2".into())));
    }

    #[test]
    fn depth_is_bounded() {
        assert!(crate::engine::walker::tree("[[[]]]", 3).is_ok());
        assert_eq!(
            crate::engine::walker::tree("[[[[]]]]", 3),
            Err(ReadError::TooDeep { offset: 3 })
        );
    }

    #[test]
    fn numbers_above() {
        for (t, above) in [
            ("3", true),
            ("2.5", true),
            ("2", false),
            ("2.0", false),
            ("20e-1", false),
            ("1.99", false),
            ("0.3e1", true),
            ("-5", false),
            ("0", false),
            ("1e400", true),
            ("25e-1", true),
        ] {
            assert_eq!(number_above(t, 2), above, "{t}");
        }
    }

    #[test]
    fn syntax_errors_have_offsets() {
        let err = crate::engine::walker::tree("{\n  \"a\": tru\n}", 64).unwrap_err();
        assert_eq!(err.offset(), 9);
        assert_eq!(line_column("{\n  \"a\": tru\n}", 9), (2, 8));
        assert!(crate::engine::walker::tree("", 64).is_err());
        assert!(crate::engine::walker::tree("01", 64).is_err());
        assert!(crate::engine::walker::tree("\"\\ud800\"", 64).is_err());
        assert!(crate::engine::walker::tree("[1,]", 64).is_err());
        assert!(crate::engine::walker::tree("{} x", 64).is_err());
    }

    #[test]
    fn numbers_compare_exactly() {
        fn n(t: &str) -> Value<'_> {
            Value::Number(t.into())
        }
        for two in ["2", "2.0", "20e-1", "0.2e1", "2E0", "2.000e+0"] {
            assert!(n(two).is_number(2), "{two}");
        }
        for other in ["3", "-2", "2.5", "0", "200e-3", "2e1"] {
            assert!(!n(other).is_number(2), "{other}");
        }
        assert!(n("0").is_number(0) && n("-0.0").is_number(0));
        assert_eq!(n("1048576").as_size(), Some(1_048_576));
        assert_eq!(n("3.9").as_size(), Some(3));
        assert_eq!(n("1e999").as_size(), Some(usize::MAX));
        assert_eq!(n("-1").as_size(), None);
        assert_eq!(n("5e-3").as_size(), Some(0));
    }

    #[test]
    fn scanning_helpers() {
        let text = b"0123456789abcdef\"[x]{y}";
        assert_eq!(find_special(text, 0), 16);
        assert_eq!(find_special(b"abc\x01defghijk", 0), 3);
        assert_eq!(find_special(b"abcdefghijk", 2), 11);
        assert_eq!(find_structural(b"ab\x02cdefghij[k", 0), 11);
        assert_eq!(find_structural(text, 17), 17);
        assert_eq!(find_structural(text, 18), 19);
        for (a, b, same) in [
            ("", "", true),
            ("connectionStatus", "connectionStatus", true),
            ("connectionStatus", "connectionStatuz", false),
            ("connectionStatus", "donnectionStatus", false),
            ("statusLastCheckedAt", "statusLastCheckedAt", true),
            ("statusLastCheckedAt", "statusLastChecked_t", false),
            ("id", "ix", false),
            ("id", "id ", false),
        ] {
            assert_eq!(bytes_eq(a.as_bytes(), b.as_bytes()), same, "{a} {b}");
        }
        let mut lx = Lexer::new("\n          \t \r\n x", 4);
        lx.skip_ws();
        assert_eq!(lx.peek(), Some(b'x'));
        for (text, two) in [("2", true), ("02", true), ("2.0", true), ("20", false)] {
            assert_eq!(number_equals(text, 2), two, "{text}");
        }
        assert!(!number_equals("99999999999999999999999", 2));
        assert!(number_equals("18446744073709551615", u64::MAX));
    }

    #[test]
    fn find_special_and_find_byte_find_the_first() {
        let naive = |b: &[u8], from: usize| {
            (from..b.len())
                .find(|&i| matches!(b[i], b'"' | b'\\' | 0..=0x1f))
                .unwrap_or(b.len())
        };
        for len in 0..24 {
            for at in 0..=len {
                for special in [b'"', b'\\', 0x00, 0x1f, b'a'] {
                    let mut b = vec![b'x'; len];
                    if let Some(c) = b.get_mut(at) {
                        *c = special;
                    }
                    // A second special byte later, which must not be found first.
                    if len > at + 3 {
                        b[len - 1] = b'"';
                    }
                    for from in 0..=len {
                        assert_eq!(find_special(&b, from), naive(&b, from), "{b:?} from {from}");
                        let quote = (from..len).find(|&i| b[i] == b'"').unwrap_or(len);
                        assert_eq!(find_byte(&b, from, b'"'), quote, "{b:?} from {from}");
                    }
                }
            }
        }
    }

    #[test]
    fn writes_round_trip() {
        let text = r#"{"a":[1,-2.5e3,true,false,null],"b":"q\"\\\n\u0001é"}"#;
        let v = crate::engine::walker::tree(text, 64).unwrap();
        assert_eq!(v.to_json(), text);
    }
}
