//! An activity's `Data.Note`, which LeadSquared writes as `Key{=}Value{next}Key{=}Value…`, its
//! keys repeated where a form was saved more than once (FORMATS.md revision 3, item 7): read
//! into `Data__Note__<Key>` fields, the last non-empty value of each key winning.
//!
//! One pass over the note: a piece without `{=}` or with an empty key is left out, and a note
//! with no pair adds nothing (a plain-text note stays as it is, in `Data__Note`).

use std::borrow::Cow;

use std::collections::btree_map::Entry;

use crate::base::text::{split_once, KeyMap};
use crate::flat::{zapier, Flat, Scalar};

const NEXT: &str = "{next}";
const IS: &str = "{=}";
/// The flat key of the raw note, and the prefix of the decoded fields.
const NOTE: &str = "Data__Note";

/// The decoded fields of `note`, in the order their keys first came.
pub fn decode(note: &str) -> Flat<'static> {
    // Each key once, at its first place, with its last non-empty value.
    let mut place = KeyMap::new();
    let mut pairs: Vec<(&str, &str)> = Vec::new();
    let mut rest = Some(note);
    while let Some(text) = rest {
        let piece = if let Some((piece, after)) = split_once(text, NEXT) {
            rest = Some(after);
            piece
        } else {
            rest = None;
            text
        };
        let Some((key, value)) = split_once(piece, IS).filter(|(key, _)| !key.is_empty()) else {
            continue;
        };
        match place.entry(Cow::Borrowed(key)) {
            Entry::Occupied(at) => {
                if let Some(pair) = pairs.get_mut(*at.get()).filter(|_| !value.is_empty()) {
                    pair.1 = value;
                }
            }
            Entry::Vacant(at) => {
                at.insert(pairs.len());
                pairs.push((key, value));
            }
        }
    }
    let mut fields = Flat::new();
    fields.reserve(pairs.len());
    for (key, value) in pairs {
        fields.push(
            Cow::Owned(format!("{NOTE}__{key}")),
            Scalar::String(Cow::Owned(value.to_owned())),
        );
    }
    fields
}

/// Adds the decoded fields of a record's `Data.Note` after its `Data__Note` (a record flattened
/// in Zapier's naming), settling any key the record already had.
pub fn add_fields(out: &mut Flat<'_>, note: &str) {
    let fields = decode(note);
    if fields.is_empty() {
        return;
    }
    out.insert_after(NOTE, fields);
    zapier::finish(out);
}

/// What [`add_fields`] may add for a note of `len` bytes, at most, in the output budget's
/// measure (`crate::flat::budget`): each pair takes at least four bytes of the note (`{=}` and
/// a key's byte), and its entry repeats the key and the value beside the prefix.
pub fn cost(len: usize) -> usize {
    let pairs = len / 4 + 1;
    len.saturating_add(pairs.saturating_mul(NOTE.len() + 2 + crate::flat::record::ENTRY))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(note: &str) -> Vec<(String, String)> {
        decode(note)
            .iter()
            .map(|(k, v)| (k.to_owned(), v.text().into_owned()))
            .collect()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (format!("Data__Note__{k}"), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn reads_pairs_and_keeps_the_last_non_empty_value() {
        assert_eq!(
            fields("Status{=}Open{next}Outcome{=}{next}Status{=}Won{next}Outcome{=}Call back{next}Status{=}"),
            pairs(&[("Status", "Won"), ("Outcome", "Call back")])
        );
    }

    #[test]
    fn leaves_out_what_is_not_a_pair() {
        assert!(fields("Called, will call back").is_empty());
        assert!(fields("").is_empty());
        assert!(fields("{next}{next}{=}x{next}{=}").is_empty());
        assert_eq!(fields("a{=}b{=}c{next}d"), pairs(&[("a", "b{=}c")]));
        assert_eq!(fields("a{=}{next"), pairs(&[("a", "{next")]));
    }

    #[test]
    fn a_million_markers_take_one_pass() {
        let note = "{=}{next}".repeat(1_000_000);
        assert!(fields(&note).is_empty());
        let note = "k{=}v{next}".repeat(100_000);
        assert_eq!(fields(&note), pairs(&[("k", "v")]));
    }

    #[test]
    fn cost_bounds_what_is_added() {
        for note in [
            "a{=}b",
            "a{=}{next}b{=}{next}c{=}",
            "x{=}y{next}x{=}z",
            "ab{=}cd{next}e{=}",
        ] {
            let added: usize = decode(note)
                .iter()
                .map(|(k, v)| k.len() + v.json_len() + crate::flat::record::ENTRY)
                .sum();
            assert!(
                added <= cost(note.len()),
                "{note}: {added} > {}",
                cost(note.len())
            );
        }
    }
}
