//! LeadSquared records in Zapier's naming, with the request URL's `entityType`, `entityId` and
//! `eventType` when a URL is given.

use std::borrow::Cow;

use crate::base::json::Value;
use crate::engine::form::query_param;
use crate::flat::{zapier, Flat, Scalar};
use crate::kinds::leadsquared::note;
use crate::Options;

/// One record. (Of a bulk body, `flatten` flattens its first record, and adds their `count`.)
pub fn flatten<'a>(record: &Value<'a>, opts: &Options) -> Flat<'a> {
    let mut out = zapier::flatten(record);
    if let Some(note) = note_of(record) {
        note::add_fields(&mut out, note);
    }
    if let Some(names) = event_of(record).and_then(|e| opts.activity_fields(e)) {
        rename_data_fields(&mut out, names);
    }
    url_fields(&mut out, opts);
    out
}

/// An activity's `ActivityEvent`, a number or a string.
fn event_of<'v>(record: &'v Value) -> Option<&'v str> {
    match record.get("ActivityEvent")? {
        Value::Number(n) | Value::String(n) => Some(n),
        _ => None,
    }
}

/// `Data__mx_Custom_2` (and what is under it) as `Data__StartTime` when `names` (one event's
/// `activityFields`) says so.
fn rename_data_fields(out: &mut Flat<'_>, names: &[(String, String)]) {
    out.rename_keys(|key| {
        let field = key.strip_prefix("Data__")?;
        names.iter().rev().find_map(|(from, to)| {
            let rest = field.strip_prefix(from.as_str())?;
            (rest.is_empty() || rest.starts_with("__") || rest.starts_with("[]"))
                .then(|| format!("Data__{to}{rest}"))
        })
    });
    zapier::finish(out);
}

/// An activity's `Data.Note`, when it is a string.
fn note_of<'v>(record: &'v Value) -> Option<&'v str> {
    match record.get("Data")?.get("Note")? {
        Value::String(note) => Some(note),
        _ => None,
    }
}

/// What flattening `body` may make, at most, in the output budget's measure: Zapier's naming,
/// each activity's decoded note, and the longer keys `activityFields` may give.
pub fn cost(body: &Value, opts: &Options) -> usize {
    let added = |r: &Value| {
        let note = note_of(r).map_or(0, |n| note::cost(n.len()));
        let renamed = event_of(r)
            .and_then(|e| opts.activity_fields(e))
            .and_then(|names| names.iter().map(|(_, to)| to.len()).max())
            .zip(r.get("Data"))
            // Each leaf costs at least an entry's punctuation, and its key grows by at most the
            // longest new name.
            .map_or(0, |(longest, data)| {
                (zapier::cost(data) / crate::flat::record::ENTRY).saturating_mul(longest)
            });
        note.saturating_add(renamed)
    };
    let added = match body {
        Value::Array(records) => records.iter().map(added).fold(0, usize::saturating_add),
        one => added(one),
    };
    zapier::cost(body).saturating_add(added)
}

/// One row per record.
pub fn rows<'a>(body: &Value<'a>, opts: &Options) -> Vec<Flat<'a>> {
    match body {
        Value::Array(records) => records.iter().map(|r| flatten(r, opts)).collect(),
        one => vec![flatten(one, opts)],
    }
}

/// The request URL's LeadSquared parameters, when a URL was given.
pub fn url_fields(out: &mut Flat<'_>, opts: &Options) {
    let Some(url) = opts.url.as_deref() else {
        return;
    };
    for name in ["entityType", "entityId", "eventType"] {
        let value = query_param(url, name)
            .map_or(Scalar::Null, |v| Scalar::String(Cow::Owned(v.into_owned())));
        out.set(name, value);
    }
}
