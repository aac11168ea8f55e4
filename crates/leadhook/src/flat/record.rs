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
        let entries: usize = self
            .entries
            .iter()
            .map(|(k, v)| k.len() + v.json_len() + ENTRY)
            .sum();
        entries + 2
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

/// Up to how many keys [`all_keys`] looks for a row's keys among them in order.
const FEW_COLUMNS: usize = 256;

/// How many entries a record may have for its repeated keys to be found in a small hash table
/// (see `Flat::first_occurrences`).
const FEW_KEYS: usize = 64;

/// Gives every row the same keys in the same order: all keys, in the order first seen, with
/// `null` where a row lacks one. Refused, before any row is widened, when the aligned rows would
/// hold more than `max` bytes (see [`crate::flat::budget`]): rows of distinct keys would otherwise
/// give an output of rows × columns cells.
pub fn align(rows: Vec<Flat<'_>>, max: usize) -> Result<Vec<Flat<'_>>, Issue> {
    let Some(first) = rows.first() else {
        return Ok(rows);
    };
    if rows
        .iter()
        .all(|r| r.len() == first.len() && r.keys().zip(first.keys()).all(|(a, b)| same_key(a, b)))
    {
        let size = rows
            .iter()
            .fold(2, |sum: usize, row| sum.saturating_add(row.json_len()));
        if size > max {
            return Err(budget::too_large(size, max, OutputGrowth::Records));
        }
        return Ok(rows);
    }
    let keys = all_keys(&rows);
    // Each row holds every key, its own values, and `null` (4 bytes) for the rest.
    let per_row = keys
        .iter()
        .fold(2, |sum: usize, k| sum.saturating_add(k.len() + ENTRY + 4));
    let values = rows
        .iter()
        .flat_map(Flat::iter)
        .fold(0, |sum: usize, (_, v)| sum.saturating_add(v.json_len()));
    let size = per_row.saturating_mul(rows.len()).saturating_add(values);
    if size > max {
        return Err(budget::too_large(size, max, OutputGrowth::Columns));
    }
    Ok(rows.into_iter().map(|row| row.aligned(&keys)).collect())
}

/// `a == b` for two rows' keys, which are mostly the very same text (a table's name, or one
/// slice of the body in every row): the same place first, then [`same`].
fn same_key(a: &str, b: &str) -> bool {
    (std::ptr::eq(a.as_ptr(), b.as_ptr()) && a.len() == b.len()) || same(a, b)
}

/// Every key of `rows`, in the order first seen.
fn all_keys<'a>(rows: &[Flat<'a>]) -> Vec<Cow<'a, str>> {
    let mut keys: Vec<Cow<'a, str>> = Vec::new();
    let mut seen = KeyMap::new();
    for row in rows {
        // Records of one kind mostly come with the keys seen so far, in their order, or some of
        // them: such a row adds none, and telling so by a walk along the keys beats a lookup
        // per entry. While the keys are few: many keys would make the walk rows × columns.
        if keys.len() <= FEW_COLUMNS && in_order_among(row.keys(), &keys) {
            continue;
        }
        for (k, _) in &row.entries {
            if seen.insert(Cow::Borrowed(k.as_ref()), 0).is_none() {
                keys.push(k.clone());
            }
        }
    }
    keys
}

/// Whether `row` lists some of `keys`, in their order.
fn in_order_among<'k>(row: impl Iterator<Item = &'k str>, keys: &[Cow<'_, str>]) -> bool {
    let mut rest = keys.iter();
    let mut row = row;
    row.all(|k| rest.any(|key| same(key, k)))
}

impl<'a> Flat<'a> {
    /// The row with exactly `keys`, in their order (`null` for those it lacks); `keys` holds
    /// all of its own.
    fn aligned(self, keys: &[Cow<'a, str>]) -> Flat<'a> {
        if in_order_among(self.keys(), keys) {
            // One pass: each entry moves into its place, and the missing ones are null.
            let mut mine = self.entries.into_iter().peekable();
            let entries = keys
                .iter()
                .map(|k| match mine.next_if(|(own, _)| same(own, k)) {
                    Some(entry) => entry,
                    None => (k.clone(), Scalar::Null),
                })
                .collect();
            return Flat { entries };
        }
        // Each key's first entry.
        let mut first = KeyMap::new();
        for (i, (k, _)) in self.entries.iter().enumerate() {
            first.entry(Cow::Borrowed(k.as_ref())).or_insert(i);
        }
        let entries = keys
            .iter()
            .map(|k| {
                let value = first
                    .get(k.as_ref())
                    .and_then(|&i| self.entries.get(i))
                    .map_or(Scalar::Null, |(_, v)| v.clone());
                (k.clone(), value)
            })
            .collect();
        Flat { entries }
    }
}
