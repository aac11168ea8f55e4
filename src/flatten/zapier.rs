//! Zapier's naming for nested data, as a Catch Hook shows it: `parent__child` for an object's
//! field, `list[]field` for a field of an array of objects (values joined with `","`), and an
//! array of scalars joined with `","`. LeadSquared records and lead events flatten this way.

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::flat::{Flat, Scalar};
use crate::json::Value;

/// Adds the leaves of `value` to `out` under `prefix` (`""` at the top).
pub fn flatten_into<'a>(out: &mut Flat<'a>, prefix: &str, value: &Value<'a>) {
    match value {
        Value::Object(members) => {
            for (k, v) in members {
                flatten_into(out, &nested_key(prefix, k), v);
            }
        }
        Value::Array(items) => array_into(out, prefix, items),
        scalar => {
            if let Some(s) = Scalar::from_value(scalar) {
                out.set(prefix, s);
            }
        }
    }
}

fn nested_key(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_owned()
    } else {
        format!("{prefix}__{key}")
    }
}

fn array_into<'a>(out: &mut Flat<'a>, prefix: &str, items: &[Value<'a>]) {
    let mut scalars: Vec<String> = Vec::new();
    // Each field of the objects in the array, in order first seen, with its values.
    let mut fields: Vec<(String, Vec<String>)> = Vec::new();
    let mut slots: BTreeMap<String, usize> = BTreeMap::new();
    for item in items {
        match item {
            Value::Object(_) => {
                let mut leaves = Flat::new();
                flatten_into(&mut leaves, "", item);
                for (k, v) in leaves.iter() {
                    let slot = *slots.entry(k.to_owned()).or_insert_with(|| {
                        fields.push((k.to_owned(), Vec::new()));
                        fields.len() - 1
                    });
                    fields[slot].1.push(v.text().into_owned());
                }
            }
            Value::Array(inner) => {
                let mut nested = Flat::new();
                array_into(&mut nested, "", inner);
                if let Some(s) = nested.get("") {
                    scalars.push(s.text().into_owned());
                }
            }
            v => {
                if let Some(s) = Scalar::from_value(v) {
                    scalars.push(s.text().into_owned());
                }
            }
        }
    }
    if !scalars.is_empty() || fields.is_empty() {
        out.set(prefix, Scalar::String(Cow::Owned(scalars.join(","))));
    }
    for (k, list) in fields {
        out.set(
            format!("{prefix}[]{k}"),
            Scalar::String(Cow::Owned(list.join(","))),
        );
    }
}

pub fn flatten<'a>(value: &Value<'a>) -> Flat<'a> {
    let mut out = Flat::new();
    flatten_into(&mut out, "", value);
    out
}
