//! `flatten` (one flat record per payload) and `rows` (one per asset or record).

pub mod flat;
pub mod leadsie;
pub mod zapier;

use std::borrow::Cow;

pub use flat::{align, Flat, Scalar};

use crate::form::query_param;
use crate::json::Value;
use crate::{Kind, Options, Parsed};

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

/// A lead event without its `secret`, which no flat output may carry.
fn lead_event<'a>(payload: &Value<'a>) -> Flat<'a> {
    let mut out = Flat::new();
    if let Value::Object(members) = payload {
        for (k, v) in members.iter().filter(|(k, _)| k != "secret") {
            zapier::flatten_into(&mut out, k.clone(), v);
        }
    }
    zapier::finish(&mut out);
    out
}

fn leadsquared_record<'a>(record: &Value<'a>, opts: &Options) -> Flat<'a> {
    let mut out = zapier::flatten(record);
    url_fields(&mut out, opts);
    out
}

/// One flat record of a parsed payload. A bulk LeadSquared body gives its first record and
/// `count`, the number of records.
pub fn flatten_parsed<'a>(parsed: &Parsed<'a>, opts: &Options) -> Flat<'a> {
    let data = &parsed.data;
    match parsed.kind {
        Kind::LeadsieV1 | Kind::LeadsieV2 => leadsie::flatten(parsed.kind, data),
        Kind::LeadEvent => lead_event(data),
        Kind::LeadSquared => match data {
            Value::Array(records) => {
                let mut out = records
                    .first()
                    .map_or_else(Flat::new, |r| leadsquared_record(r, opts));
                out.set(
                    "count",
                    Scalar::Number(Cow::Owned(records.len().to_string())),
                );
                out
            }
            record => leadsquared_record(record, opts),
        },
    }
}

/// One flat record per Leadsie asset or LeadSquared record, or one for a lead event; every
/// row has the same keys in the same order.
pub fn rows_parsed<'a>(parsed: &Parsed<'a>, opts: &Options) -> Vec<Flat<'a>> {
    let data = &parsed.data;
    let rows = match parsed.kind {
        Kind::LeadsieV1 | Kind::LeadsieV2 => leadsie::rows(parsed.kind, data),
        Kind::LeadEvent => vec![lead_event(data)],
        Kind::LeadSquared => match data {
            Value::Array(records) => records
                .iter()
                .map(|r| leadsquared_record(r, opts))
                .collect(),
            record => vec![leadsquared_record(record, opts)],
        },
    };
    align(rows)
}
