//! Zapier's naming for nested data, as a Catch Hook shows it: `parent__child` for an object's
//! field, `list[]field` for a field of an array of objects (values joined with `","`), and an
//! array of scalars joined with `","`. LeadSquared records and lead events flatten this way.

use std::borrow::Cow;

use super::record::{Flat, Scalar};
use crate::base::json::Value;
use crate::base::text::KeyMap;

/// Adds the leaves of `value` to `out` under `key` (`""` at the top). Keys are pushed, not
/// looked up: call [`finish`] when done.
pub fn flatten_into<'a>(out: &mut Flat<'a>, key: Cow<'a, str>, value: &Value<'a>) {
    match value {
        Value::Object(members) => {
            for (k, v) in members {
                let child = if key.is_empty() {
                    k.clone()
                } else {
                    let mut child = String::with_capacity(key.len() + 2 + k.len());
                    child.push_str(&key);
                    child.push_str("__");
                    child.push_str(k);
                    Cow::Owned(child)
                };
                // A scalar member is pushed here rather than in a call of its own.
                match Scalar::from_value(v) {
                    Some(scalar) => out.push(child, scalar),
                    None => flatten_into(out, child, v),
                }
            }
        }
        Value::Array(items) => array_into(out, key, items),
        scalar => {
            if let Some(s) = Scalar::from_value(scalar) {
                out.push(key, s);
            }
        }
    }
}

/// Settles repeated keys (a literal `a__b` beside a nested `a.b`): the last value wins, in the
/// first one's place, as when the same key is set twice on a JavaScript object.
pub fn finish(out: &mut Flat) {
    out.resolve(|earlier, later| *earlier = later);
}

fn array_into<'a>(out: &mut Flat<'a>, key: Cow<'a, str>, items: &[Value<'a>]) {
    let mut scalars: Vec<String> = Vec::new();
    // Each field of the objects in the array, in order first seen, with its values.
    let mut fields: Vec<(String, Vec<String>)> = Vec::new();
    let mut slots = KeyMap::new();
    for item in items {
        match item {
            Value::Object(_) => {
                let mut leaves = Flat::new();
                flatten_into(&mut leaves, Cow::Borrowed(""), item);
                finish(&mut leaves);
                for (k, v) in leaves.iter() {
                    let slot = *slots.entry(Cow::Owned(k.to_owned())).or_insert_with(|| {
                        fields.push((k.to_owned(), Vec::new()));
                        fields.len() - 1
                    });
                    if let Some((_, list)) = fields.get_mut(slot) {
                        list.push(v.text().into_owned());
                    }
                }
            }
            Value::Array(inner) => {
                let mut nested = Flat::new();
                array_into(&mut nested, Cow::Borrowed(""), inner);
                if let Some(s) = nested.get("") {
                    scalars.push(s.text().into_owned());
                }
            }
            v => {
                if let Some(s) = Scalar::borrowed(v) {
                    scalars.push(s.text().into_owned());
                }
            }
        }
    }
    let items_key = |field: &str| Cow::Owned(format!("{key}[]{field}"));
    let named: Vec<(Cow<'a, str>, Scalar<'a>)> = fields
        .into_iter()
        .map(|(field, list)| {
            (
                items_key(&field),
                Scalar::String(Cow::Owned(crate::base::text::join(&list, ","))),
            )
        })
        .collect();
    if !scalars.is_empty() || named.is_empty() {
        out.push(
            key,
            Scalar::String(Cow::Owned(crate::base::text::join(&scalars, ","))),
        );
    }
    for (k, v) in named {
        out.push(k, v);
    }
}

/// An upper bound on the bytes (see [`crate::flat::budget`]) of what [`flatten_into`] adds for `value`
/// at the top, and so on the work of making it, counted without making a key: an object's
/// child key is its parent's, `__` and its own, and each field of an array's objects is counted
/// once per object under `key[]` (the record merges repeats, so this errs high, never low).
/// Linear in the value.
pub fn cost(value: &Value) -> usize {
    cost_under(0, value)
}

/// [`cost`] of a whole payload, whatever the options (a kind's `flat_cost`).
pub fn cost_of_payload(payload: &Value, _opts: &crate::Options) -> usize {
    cost(payload)
}

/// [`cost`] of `value` under a key of `key` bytes (0: at the top).
fn cost_under(key: usize, value: &Value) -> usize {
    use super::record::ENTRY;
    match value {
        Value::Object(members) => members.iter().fold(0, |sum: usize, (k, v)| {
            let child = if key == 0 {
                k.len()
            } else {
                key.saturating_add(2 + k.len())
            };
            // A scalar member counted here rather than in a call of its own, as
            // `flatten_into` pushes it.
            sum.saturating_add(match scalar_len(v) {
                Some(len) => leaf_cost(child, len),
                None => cost_under(child, v),
            })
        }),
        Value::Array(items) => items.iter().fold(key + ENTRY, |sum: usize, item| {
            sum.saturating_add(match item {
                Value::Object(_) => cost_under(key.saturating_add(2), item),
                Value::Array(_) => cost_under(0, item),
                scalar => scalar_len(scalar).unwrap_or(0) + 1,
            })
        }),
        scalar => leaf_cost(key, scalar_len(scalar).unwrap_or(0)),
    }
}

/// What one entry costs: a key of `key` bytes and a scalar of `len`.
fn leaf_cost(key: usize, len: usize) -> usize {
    key.saturating_add(len + super::record::ENTRY)
}

/// The length of a scalar's JSON (its escapes aside); `None` for an array or an object.
fn scalar_len(value: &Value) -> Option<usize> {
    Scalar::borrowed(value).map(|s| s.json_len())
}

/// The Zapier-named flat record of a value.
pub fn flatten<'a>(value: &Value<'a>) -> Flat<'a> {
    flatten_with_room(value, 0)
}

/// [`flatten`] into a record with room for `room` leaves.
fn flatten_with_room<'a>(value: &Value<'a>, room: usize) -> Flat<'a> {
    let mut out = Flat::new();
    out.reserve(room);
    flatten_into(&mut out, Cow::Borrowed(""), value);
    finish(&mut out);
    out
}

/// A whole payload in Zapier's naming (a lead event: `id_space`, `event`, `payload__…`).
pub fn flatten_payload<'a>(payload: &Value<'a>, _opts: &crate::Options) -> Flat<'a> {
    // Room for a lead event's few dozen leaves (the vendor's sample has 37): grown from
    // nothing, the record was copied at each doubling. (Not for LeadSquared's records, which a
    // bulk body has thousands of.)
    flatten_with_room(payload, 48)
}

/// One row: the payload flattened.
pub fn rows_payload<'a>(payload: &Value<'a>, opts: &crate::Options) -> Vec<Flat<'a>> {
    vec![flatten_payload(payload, opts)]
}
