//! LeadSquared records in Zapier's naming, with the request URL's `entityType`, `entityId` and
//! `eventType` when a URL is given.

use std::borrow::Cow;

use crate::base::json::Value;
use crate::engine::form::query_param;
use crate::flat::{zapier, Flat, Scalar};
use crate::Options;

fn record<'a>(record: &Value<'a>, opts: &Options) -> Flat<'a> {
    let mut out = zapier::flatten(record);
    url_fields(&mut out, opts);
    out
}

/// One record; a bulk body gives its first record and `count`, the number of records.
pub fn flatten<'a>(body: &Value<'a>, opts: &Options) -> Flat<'a> {
    match body {
        Value::Array(records) => {
            let mut out = records.first().map_or_else(Flat::new, |r| record(r, opts));
            out.set(
                "count",
                Scalar::Number(Cow::Owned(records.len().to_string())),
            );
            out
        }
        one => record(one, opts),
    }
}

/// One row per record.
pub fn rows<'a>(body: &Value<'a>, opts: &Options) -> Vec<Flat<'a>> {
    match body {
        Value::Array(records) => records.iter().map(|r| record(r, opts)).collect(),
        one => vec![record(one, opts)],
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
