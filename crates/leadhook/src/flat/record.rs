//! A flat record: ordered keys with scalar values, as `flatten` and `rows` return.

use std::borrow::Cow;
use std::collections::btree_map::Entry;

use crate::base::issue::{Issue, OutputGrowth};
use crate::base::json::{same, write_object, write_string, Value};
use crate::base::text::KeyMap;
use crate::flat::budget;

/// A value of a flat record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scalar<'a> {
    Null,
    Bool(bool),
    /// The number's JSON text.
    Number(Cow<'a, str>),
    String(Cow<'a, str>),
}

impl<'a> Scalar<'a> {
    /// The scalar a JSON value gives, or `None` for arrays and objects.
    pub fn from_value(v: &Value<'a>) -> Option<Scalar<'a>> {
        Some(match v {
            Value::Null => Scalar::Null,
            Value::Bool(b) => Scalar::Bool(*b),
            Value::Number(n) => Scalar::Number(n.clone()),
            Value::String(s) => Scalar::String(s.clone()),
            Value::Array(_) | Value::Object(_) => return None,
        })
    }

    /// The scalar a JSON value gives, borrowing its text: no copy of a string that the body
    /// had escaped (which the value owns).
    pub(crate) fn borrowed<'v>(v: &'v Value<'_>) -> Option<Scalar<'v>> {
        Some(match v {
            Value::Null => Scalar::Null,
            Value::Bool(b) => Scalar::Bool(*b),
            Value::Number(n) => Scalar::Number(Cow::Borrowed(n)),
            Value::String(s) => Scalar::String(Cow::Borrowed(s)),
            Value::Array(_) | Value::Object(_) => return None,
        })
    }

    pub fn str(s: impl Into<Cow<'a, str>>) -> Scalar<'a> {
        Scalar::String(s.into())
    }

    pub fn write_json(&self, out: &mut String) {
        match self {
            Scalar::Null => out.push_str("null"),
            Scalar::Bool(true) => out.push_str("true"),
            Scalar::Bool(false) => out.push_str("false"),
            Scalar::Number(n) => out.push_str(n),
            Scalar::String(s) => write_string(out, s),
        }
    }

    /// The text of the value as JavaScript's `String(x)` gives it (`null` → `""`), for joining
    /// and for CSV cells.
    pub fn text(&self) -> Cow<'_, str> {
        match self {
            Scalar::Null => Cow::Borrowed(""),
            Scalar::Bool(true) => Cow::Borrowed("true"),
            Scalar::Bool(false) => Cow::Borrowed("false"),
            Scalar::Number(n) => Cow::Borrowed(n),
            Scalar::String(s) => Cow::Borrowed(s),
        }
    }

    /// The length of the value's JSON when nothing in it needs escaping.
    pub fn json_len(&self) -> usize {
        match self {
            Scalar::Null => 4,
            Scalar::String(s) => s.len() + 2,
            other => other.text().len(),
        }
    }

    /// The text Python's `str(x)` gives (`None`, `True`, `False`): what the seed script joins.
    pub fn python_text(&self) -> Cow<'_, str> {
        match self {
            Scalar::Null => Cow::Borrowed("None"),
            Scalar::Bool(true) => Cow::Borrowed("True"),
            Scalar::Bool(false) => Cow::Borrowed("False"),
            other => other.text(),
        }
    }
}

/// Ordered keys with scalar values.
///
/// Built by [`Flat::push`] without looking for the key, then [`Flat::resolve`]d once: a key
/// pushed again keeps its first place and its values are merged, as setting a key that exists
/// does in a Python dict or a JavaScript object. That keeps building a record of n keys at
/// n log n with no index to maintain. [`Flat::set`] looks first, for the few fixed keys.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Flat<'a> {
    entries: Vec<(Cow<'a, str>, Scalar<'a>)>,
}

impl<'a> Flat<'a> {
    pub fn new() -> Flat<'a> {
        Flat::default()
    }

    /// Room for `additional` more entries.
    pub fn reserve(&mut self, additional: usize) {
        self.entries.reserve(additional);
    }

    pub fn get(&self, key: &str) -> Option<&Scalar<'a>> {
        self.entries
            .iter()
            .find(|(k, _)| same(k, key))
            .map(|(_, v)| v)
    }

    /// Sets `key`, keeping its place if it is there.
    pub fn set(&mut self, key: impl Into<Cow<'a, str>> + AsRef<str>, value: Scalar<'a>) {
        match self.entries.iter_mut().find(|(k, _)| same(k, key.as_ref())) {
            Some((_, v)) => *v = value,
            None => self.entries.push((key.into(), value)),
        }
    }

    /// A copy with room for `additional` more entries: one allocation for a record that is
    /// copied and then added to.
    #[must_use]
    pub fn copy_with_room(&self, additional: usize) -> Flat<'a> {
        let mut entries = Vec::with_capacity(self.entries.len() + additional);
        entries.extend(self.entries.iter().cloned());
        Flat { entries }
    }

    /// Appends `key` without looking for it; [`Flat::resolve`] settles repeats.
    pub fn push(&mut self, key: impl Into<Cow<'a, str>>, value: Scalar<'a>) {
        self.entries.push((key.into(), value));
    }

    /// Renames each key `rename` gives a new name for, in its place, without looking for the
    /// new names: [`Flat::resolve`] settles repeats.
    pub fn rename_keys(&mut self, mut rename: impl FnMut(&str) -> Option<String>) {
        for (k, _) in &mut self.entries {
            if let Some(new) = rename(k) {
                *k = Cow::Owned(new);
            }
        }
    }

    /// Puts `entries` right after `key` (at the end when it is not there), without looking for
    /// their keys: [`Flat::resolve`] settles repeats.
    pub fn insert_after(&mut self, key: &str, entries: Flat<'a>) {
        let at = self
            .entries
            .iter()
            .position(|(k, _)| same(k, key))
            .map_or(self.entries.len(), |i| i + 1);
        let after = self.entries.split_off(at);
        self.entries.extend(entries.entries);
        self.entries.extend(after);
    }

    /// Settles keys pushed more than once: the first place is kept, and each later value is
    /// merged into it in order by `merge(earlier, later)`.
    pub fn resolve(&mut self, mut merge: impl FnMut(&mut Scalar<'a>, Scalar<'a>)) {
        let Some(first_of) = self.first_occurrences() else {
            return;
        };
        let entries = std::mem::take(&mut self.entries);
        // Where each first occurrence went in the settled entries.
        let mut slot: Vec<usize> = vec![usize::MAX; entries.len()];
        for ((i, (k, v)), first) in entries.into_iter().enumerate().zip(first_of) {
            if first == i {
                if let Some(s) = slot.get_mut(i) {
                    *s = self.entries.len();
                }
                self.entries.push((k, v));
            } else if let Some(entry) = slot.get(first).and_then(|&s| self.entries.get_mut(s)) {
                merge(&mut entry.1, v);
            }
        }
    }

    /// For each entry, the index of the first entry with its key; `None` when no key repeats.
    /// A record of up to [`FEW_KEYS`] entries finds them in a small hash table; a larger one in
    /// an ordered map, so that no choice of keys makes it quadratic.
    fn first_occurrences(&self) -> Option<Vec<usize>> {
        let n = self.entries.len();
        if n < 2 {
            return None;
        }
        let key = |i: usize| self.entries.get(i).map_or("", |(k, _)| k.as_ref());
        let mut first_of: Vec<usize> = (0..n).collect();
        let mut repeated = false;
        if n <= FEW_KEYS {
            // An open-addressed table of entry indices, hashed on what tells keys apart cheaply
            // (length and a few bytes). At worst every key collides and this is the pairwise
            // comparison, which at this size is still cheap.
            let mask = (2 * n).next_power_of_two() - 1;
            let mut table = vec![usize::MAX; mask + 1];
            for (b, slot) in first_of.iter_mut().enumerate() {
                let k = key(b).as_bytes();
                let byte = |i: usize| usize::from(k.get(i).copied().unwrap_or(0));
                let mut h = k.len().wrapping_mul(31)
                    ^ byte(k.len().wrapping_sub(1)).wrapping_mul(7)
                    ^ byte(k.len().wrapping_sub(2)).wrapping_mul(131)
                    ^ byte(k.len() / 2).wrapping_mul(1031);
                loop {
                    h &= mask;
                    match table.get(h).copied() {
                        Some(a) if a != usize::MAX => {
                            if same(key(a), key(b)) {
                                *slot = a;
                                repeated = true;
                                break;
                            }
                            h += 1;
                        }
                        _ => {
                            if let Some(t) = table.get_mut(h) {
                                *t = b;
                            }
                            break;
                        }
                    }
                }
            }
        } else {
            // A KeyMap rather than a sort: no sort is compiled into the module.
            let mut first = KeyMap::new();
            for (b, slot) in first_of.iter_mut().enumerate() {
                match first.entry(Cow::Borrowed(key(b))) {
                    Entry::Occupied(a) => {
                        *slot = *a.get();
                        repeated = true;
                    }
                    Entry::Vacant(v) => {
                        v.insert(b);
                    }
                }
            }
        }
        repeated.then_some(first_of)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// The value of the entry at `i`.
    pub fn value(&self, i: usize) -> Option<&Scalar<'a>> {
        self.entries.get(i).map(|(_, v)| v)
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &Scalar<'a>)> + Clone {
        self.entries.iter().map(|(k, v)| (k.as_ref(), v))
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> + Clone {
        self.entries.iter().map(|(k, _)| k.as_ref())
    }

    pub fn write_json(&self, out: &mut String) {
        write_object(out, self.iter(), |out, v| v.write_json(out));
    }

    /// The length of the record's JSON, its escapes aside: what the output budget counts (see
    /// [`crate::flat::budget`]), and the room its text is written into, since growing the string step
    /// by step costs more than writing it.
    pub fn json_len(&self) -> usize {
        self.json_lens().0
    }

    /// [`Flat::json_len`], and the length of its values' JSON alone, in one pass.
    pub fn json_lens(&self) -> (usize, usize) {
        self.entries.iter().fold((2, 0), |(json, values), (k, v)| {
            let value = v.json_len();
            (json + k.len() + value + ENTRY, values + value)
        })
    }

    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(self.json_len());
        self.write_json(&mut out);
        out
    }
}

/// The punctuation of one entry of a JSON object: `"":` around the key, `""` around a string
/// value and a comma.
pub const ENTRY: usize = 6;

/// How many entries a record may have for its repeated keys to be found in a small hash table
/// (see `Flat::first_occurrences`).
const FEW_KEYS: usize = 64;

/// Gives every row the same keys in the same order: all keys, in the order first seen, with
/// `null` where a row lacks one (see [`Columns`]). Refused as soon as the rows so far, aligned,
/// would hold more than `max` bytes (see [`crate::flat::budget`]), before they are widened: rows
/// of distinct keys would otherwise give an output of rows × columns cells.
pub fn align(rows: Vec<Flat<'_>>, max: usize) -> Result<Vec<Flat<'_>>, Issue> {
    let mut columns = Columns::new();
    let mut cells = Vec::new();
    // Every row but the first, which `columns` keeps.
    let mut rest = Vec::with_capacity(rows.len().saturating_sub(1));
    for row in rows {
        rest.extend(columns.take(row, &mut cells));
        columns.within(max)?;
    }
    if columns.alike {
        // Rows of one record's keys, the usual rows, are aligned already.
        return Ok(columns.first.take().into_iter().chain(rest).collect());
    }
    let keys: Vec<Cow<'_, str>> = columns.keys().cloned().collect();
    let rows = columns.first.take().into_iter().chain(rest);
    let mut cells = cells.into_iter();
    let mut aligned = Vec::new();
    for (r, mut row) in rows.enumerate() {
        let width = columns.width(r);
        let entries = keys
            .iter()
            .enumerate()
            .map(|(c, k)| {
                let at = if c < width { cells.next() } else { None };
                let value = at
                    .and_then(|at| row.entries.get_mut(at as usize))
                    .map(|(_, v)| std::mem::replace(v, Scalar::Null));
                (k.clone(), value.unwrap_or(Scalar::Null))
            })
            .collect();
        aligned.push(Flat { entries });
    }
    Ok(aligned)
}

/// `a == b` for two rows' keys, which are mostly the very same text (a table's name, or one
/// slice of the body in every row): the same place first, then [`same`].
fn same_key(a: &str, b: &str) -> bool {
    (std::ptr::eq(a.as_ptr(), b.as_ptr()) && a.len() == b.len()) || same(a, b)
}

/// The columns of rows aligned one row at a time, as they are made: every key in the order
/// first seen, each row's values given in that order as it comes (a key first seen in a row
/// comes last, so the rows before it lack only columns at the end: `null` each), and the size
/// of the aligned rows so far. One truth for [`align`] and for the rows laid out for
/// JavaScript as a bulk body's records are read (`api/records.rs`).
#[derive(Debug)]
pub struct Columns<'a> {
    /// The first row, kept whole: its keys are the first columns (a flat record's keys, and
    /// a bulk body's first row's, are then never moved or copied).
    first: Option<Flat<'a>>,
    /// The columns first seen in later rows.
    later: Vec<Cow<'a, str>>,
    /// What each row's entries cost without their values: `2` and each column's
    /// ([`column_cost`]).
    per_row: usize,
    rows: usize,
    /// Whether every row so far had the first one's keys, in order.
    alike: bool,
    /// The rows' JSON so far, `[` `]` included, while they are alike.
    alike_size: usize,
    /// The values' JSON so far.
    values: usize,
    /// How many columns the first row gave, and each later row from which the rows had more:
    /// `(row, columns)`.
    first_width: usize,
    widths: Vec<(usize, usize)>,
}

impl<'a> Columns<'a> {
    pub fn new() -> Columns<'a> {
        Columns {
            first: None,
            later: Vec::new(),
            per_row: 2,
            rows: 0,
            alike: true,
            alike_size: 2,
            values: 0,
            first_width: 0,
            widths: Vec::new(),
        }
    }

    /// The first row's entries (its keys are the first columns).
    fn head(&self) -> &[(Cow<'a, str>, Scalar<'a>)] {
        self.first.as_ref().map_or(&[], |f| f.entries.as_slice())
    }

    /// The key of column `c`.
    fn key(&self, c: usize) -> &str {
        let head = self.head();
        match head.get(c) {
            Some((k, _)) => k,
            None => self.later.get(c - head.len()).map_or("", AsRef::as_ref),
        }
    }

    /// The keys, in their order.
    pub fn keys(&self) -> impl Iterator<Item = &Cow<'a, str>> + Clone {
        self.head().iter().map(|(k, _)| k).chain(&self.later)
    }

    /// How many columns there are.
    pub fn len(&self) -> usize {
        self.head().len() + self.later.len()
    }

    /// How many rows were taken.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// The first row taken, which the columns keep (see [`Columns::take`]).
    pub fn first(&self) -> Option<&Flat<'a>> {
        self.first.as_ref()
    }

    /// The first row's width and each later row's from which the rows had more columns, as
    /// pairs of words `(row, columns)`; nothing when every row has every column.
    pub fn widths(&self, out: &mut Vec<u32>) {
        if self.widths.is_empty() {
            return;
        }
        out.extend_from_slice(&[0, cell(self.first_width)]);
        for &(row, width) in &self.widths {
            out.extend_from_slice(&[cell(row), cell(width)]);
        }
    }

    /// How many columns `row` was given a value for (the rest are `null`).
    pub fn width(&self, row: usize) -> usize {
        self.widths
            .iter()
            .rev()
            .find(|(from, _)| *from <= row)
            .map_or(self.first_width, |(_, width)| *width)
    }

    /// Refuses the rows taken so far once they hold more than `max` bytes aligned: each of the
    /// keys in every row (a `null` costs 4), and every value.
    pub fn within(&self, max: usize) -> Result<(), Issue> {
        let (size, why) = if self.alike {
            (self.alike_size, OutputGrowth::Records)
        } else {
            (
                self.per_row
                    .saturating_mul(self.rows)
                    .saturating_add(self.values),
                OutputGrowth::Columns,
            )
        };
        if size > max {
            return Err(budget::too_large(size, max, why));
        }
        Ok(())
    }

    /// Takes `row`, whose keys are unique (as every flattener leaves them): appends to `cells`
    /// the place in `row` of its value of each column in order ([`NO_CELL`] for a column it
    /// lacks: `null`), then of each of its keys no row had before, which become the last
    /// columns. Gives the row back, for its values; but the first, which the columns keep
    /// (see [`Columns::first`]).
    pub fn take(&mut self, mut row: Flat<'a>, cells: &mut Vec<u32>) -> Option<Flat<'a>> {
        let (json, values) = row.json_lens();
        self.alike_size = self.alike_size.saturating_add(json);
        self.values = self.values.saturating_add(values);
        self.rows += 1;
        if self.first.is_none() {
            cells.extend((0..row.len()).map(cell));
            self.per_row = row
                .keys()
                .fold(self.per_row, |sum, k| sum.saturating_add(column_cost(k)));
            self.first_width = row.len();
            self.first = Some(row);
            return None;
        }
        // Each column's entry of the row: one walk when the row has some of the columns in
        // their order (all of them, the usual row; or a field or two fewer), else by key.
        let width = self.len();
        let start = cells.len();
        cells.resize(start + width, NO_CELL);
        let place = cells.get_mut(start..).unwrap_or_default();
        let mut next = 0;
        for (c, p) in place.iter_mut().enumerate() {
            if row
                .entries
                .get(next)
                .is_some_and(|(k, _)| same_key(k, self.key(c)))
            {
                *p = cell(next);
                next += 1;
            }
        }
        let alike = next == row.len() && next == width;
        self.alike &= alike;
        if alike {
            return Some(row);
        }
        if next < row.len() {
            let mut first = KeyMap::new();
            for (i, (k, _)) in row.entries.iter().enumerate() {
                first.insert(Cow::Borrowed(k.as_ref()), i);
            }
            for (c, p) in place.iter_mut().enumerate() {
                *p = first.get(self.key(c)).map_or(NO_CELL, |&i| cell(i));
            }
        }
        // The entries no column took: the row's new keys.
        let mut placed = vec![false; row.len()];
        for &p in place.iter() {
            if let Some(placed) = placed.get_mut(p as usize) {
                *placed = true;
            }
        }
        for (i, ((k, _), placed)) in row.entries.iter_mut().zip(placed).enumerate() {
            if !placed {
                cells.push(cell(i));
                self.per_row = self.per_row.saturating_add(column_cost(k));
                self.later.push(std::mem::take(k));
            }
        }
        if self.len() > width {
            self.widths.push((self.rows - 1, self.len()));
        }
        Some(row)
    }
}

impl Default for Columns<'_> {
    fn default() -> Self {
        Columns::new()
    }
}

/// What a column costs each row of aligned rows without its value: its key, the entry's
/// punctuation, and `null`'s 4 bytes where the row lacks it.
fn column_cost(key: &str) -> usize {
    key.len() + ENTRY + 4
}

/// A column a row lacks (see [`Columns::take`]).
pub const NO_CELL: u32 = u32::MAX;

/// An entry's place as a cell of [`Columns::take`]; the module's memory is 32-bit, so no row
/// is longer.
fn cell(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(NO_CELL)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(keys: &str) -> Flat<'static> {
        let mut flat = Flat::new();
        for (i, k) in keys.split(',').filter(|k| !k.is_empty()).enumerate() {
            flat.push(k.to_owned(), Scalar::Number(i.to_string().into()));
        }
        flat
    }

    #[test]
    fn unlike_rows_get_every_key_in_the_order_first_seen() {
        let rows = vec![row("a,b"), row("b"), row("a,c"), row("c,a,d"), row("")];
        let aligned = align(rows, usize::MAX).unwrap();
        let text: Vec<String> = aligned.iter().map(Flat::to_json).collect();
        assert_eq!(
            text,
            [
                r#"{"a":0,"b":1,"c":null,"d":null}"#,
                r#"{"a":null,"b":0,"c":null,"d":null}"#,
                r#"{"a":0,"b":null,"c":1,"d":null}"#,
                r#"{"a":1,"b":null,"c":0,"d":2}"#,
                r#"{"a":null,"b":null,"c":null,"d":null}"#,
            ]
        );
    }

    #[test]
    fn columns_give_each_row_its_width_and_the_size_so_far() {
        let mut columns = Columns::new();
        let mut cells = Vec::new();
        for r in [row("a"), row("a"), row("b,a")] {
            columns.take(r, &mut cells);
        }
        assert_eq!(cells, [0, 0, 1, 0]);
        assert_eq!(columns.keys().collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(
            (columns.width(0), columns.width(1), columns.width(2)),
            (1, 1, 2)
        );
        // Three rows of two keys ("a" and "b", 1 + 6 + 4 bytes each, and 2), and the values.
        let size = 3 * (2 + 2 * 11) + 4;
        assert!(columns.within(size).is_ok());
        assert!(columns.within(size - 1).is_err());
    }
}
