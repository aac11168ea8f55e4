//! A flat record: ordered keys with scalar values, as `flatten` and `rows` return.

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::json::{write_object, write_string, Value};

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

/// Ordered keys with scalar values. Setting a key that exists keeps its place, as a Python
/// dict and a JavaScript object do.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Flat<'a> {
    entries: Vec<(String, Scalar<'a>)>,
    index: BTreeMap<String, usize>,
}

impl<'a> Flat<'a> {
    pub fn new() -> Flat<'a> {
        Flat::default()
    }

    pub fn get(&self, key: &str) -> Option<&Scalar<'a>> {
        self.index.get(key).map(|&i| &self.entries[i].1)
    }

    pub fn set(&mut self, key: impl Into<String> + AsRef<str>, value: Scalar<'a>) {
        match self.index.get(key.as_ref()) {
            Some(&i) => self.entries[i].1 = value,
            None => {
                let key = key.into();
                self.index.insert(key.clone(), self.entries.len());
                self.entries.push((key, value));
            }
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &Scalar<'a>)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v))
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|(k, _)| k.as_str())
    }

    pub fn write_json(&self, out: &mut String) {
        write_object(out, self.iter(), |out, v| v.write_json(out));
    }

    pub fn to_json(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out);
        out
    }
}

/// Gives every row the same keys in the same order: all keys, in the order first seen, with
/// `null` where a row lacks one.
pub fn align<'a>(rows: Vec<Flat<'a>>) -> Vec<Flat<'a>> {
    let mut keys: Flat = Flat::new();
    for row in &rows {
        for k in row.keys() {
            if keys.get(k).is_none() {
                keys.set(k, Scalar::Null);
            }
        }
    }
    if rows
        .iter()
        .all(|r| r.len() == keys.len() && r.keys().eq(keys.keys()))
    {
        return rows;
    }
    rows.into_iter()
        .map(|row| {
            let mut aligned = Flat::new();
            for k in keys.keys() {
                aligned.set(k, row.get(k).cloned().unwrap_or(Scalar::Null));
            }
            aligned
        })
        .collect()
}
