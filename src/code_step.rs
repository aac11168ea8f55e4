//! `codeStep`: what a user pastes into a Zapier, Make or n8n code step. It takes the step's
//! `inputData` — the payload under `payload`, as a string or an object, or the raw payload
//! itself — and gives the flat record, or, like the seed script, an error object. Never fails.

use crate::issue::Issue;
use crate::json::{write_array, write_string, Value};
use crate::report::{write_issues, Report};
use crate::{flatten, input, parse, parse_value, Options};

/// The flat record as JSON, or `{"error": …, "errors": […], "available_keys": […]}`.
pub fn run(input_data: &[u8], opts: &Options) -> String {
    let loaded = input::text(input_data, opts).and_then(|text| input::document(text, opts));
    let value = match loaded {
        Ok(v) => v,
        Err(issue) => return error_json(&Report::failed(opts.kind, issue), None),
    };
    let payload = match value.get("payload") {
        Some(Value::String(body)) => {
            return match parse(body.as_bytes(), opts) {
                Ok(parsed) => flatten::flatten_parsed(&parsed, opts).to_json(),
                Err(report) => {
                    let doc = input::text(body.as_bytes(), opts)
                        .and_then(|t| input::document(t, opts))
                        .ok();
                    error_json(&report, doc.as_ref())
                }
            };
        }
        Some(inner @ (Value::Object(_) | Value::Array(_))) => inner.clone(),
        _ => value,
    };
    match parse_value(payload.clone(), opts) {
        Ok(parsed) => flatten::flatten_parsed(&parsed, opts).to_json(),
        Err(report) => error_json(&report, Some(&payload)),
    }
}

/// A one-line summary of a failed report: its first error, and how many more there are.
pub fn summary(report: &Report) -> String {
    let Some(first) = report.errors.first() else {
        return "leadhook: the payload is not valid".to_owned();
    };
    match report.errors.len() {
        1 => format!("leadhook: {first}"),
        n => format!("leadhook: {first} (and {} more)", n - 1),
    }
}

/// The error object for a report, with no keys to offer.
pub fn error_for(report: &Report) -> String {
    error_json(report, None)
}

fn error_json(report: &Report, payload: Option<&Value>) -> String {
    let mut out = String::from("{\"error\":");
    write_string(&mut out, &summary(report));
    out.push_str(",\"errors\":");
    let errors: &[Issue] = &report.errors;
    write_issues(&mut out, errors);
    out.push_str(",\"available_keys\":");
    let keys = payload.and_then(Value::as_object).unwrap_or_default();
    write_array(&mut out, keys, |out, (k, _)| write_string(out, k));
    out.push('}');
    out
}
