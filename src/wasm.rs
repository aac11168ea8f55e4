//! The WebAssembly binding: bytes and an options JSON in, one JSON string out. It converts and
//! calls the core, nothing more; the JavaScript entry points in `pkg-template/` build the
//! public API on these functions.

use wasm_bindgen::prelude::*;

use crate::report::Report;
use crate::signature::{Check, Scheme};
use crate::Options;

fn options(opts: &str) -> Result<Options, Report> {
    Options::from_json(opts).map_err(|issue| Report::failed(None, issue))
}

/// The kind's name, or `undefined`.
#[wasm_bindgen]
pub fn detect(input: &[u8], opts: &str) -> Option<String> {
    let opts = options(opts).ok()?;
    crate::detect(input, &opts).map(|k| k.as_str().to_owned())
}

/// A `Report` as JSON.
#[wasm_bindgen]
pub fn validate(input: &[u8], opts: &str) -> String {
    match options(opts) {
        Ok(opts) => crate::validate(input, &opts).to_json(),
        Err(report) => report.to_json(),
    }
}

/// `{"ok":true,"kind":…,"data":…,"warnings":[…]}`, or a failed `Report` as JSON.
#[wasm_bindgen]
pub fn parse(input: &[u8], opts: &str) -> String {
    let opts = match options(opts) {
        Ok(opts) => opts,
        Err(report) => return report.to_json(),
    };
    match crate::parse(input, &opts) {
        Ok(parsed) => parsed.to_json(),
        Err(report) => report.to_json(),
    }
}

/// `{"ok":true,"value":…}` around a result's JSON, or the failed `Report` as JSON.
fn envelope(result: Result<String, Report>) -> String {
    match result {
        Ok(json) => format!("{{\"ok\":true,\"value\":{json}}}"),
        Err(report) => report.to_json(),
    }
}

fn with_options(opts: &str, f: impl FnOnce(&Options) -> Result<String, Report>) -> String {
    envelope(options(opts).and_then(|o| f(&o)))
}

#[wasm_bindgen]
pub fn flatten(input: &[u8], opts: &str) -> String {
    with_options(opts, |o| crate::flatten(input, o).map(|f| f.to_json()))
}

#[wasm_bindgen]
pub fn rows(input: &[u8], opts: &str) -> String {
    with_options(opts, |o| {
        crate::rows(input, o).map(|rows| {
            let mut out = String::new();
            crate::json::write_array(&mut out, &rows, |out, row| row.write_json(out));
            out
        })
    })
}

#[wasm_bindgen(js_name = toCsv)]
pub fn to_csv(input: &[u8], opts: &str) -> String {
    with_options(opts, |o| {
        crate::to_csv(input, o).map(|csv| {
            let mut out = String::new();
            crate::json::write_string(&mut out, &csv);
            out
        })
    })
}

#[wasm_bindgen]
pub fn upgrade(input: &[u8], opts: &str) -> String {
    with_options(opts, |o| crate::upgrade(input, o).map(|v| v.to_json()))
}

#[wasm_bindgen(js_name = verifySecret)]
pub fn verify_secret(input: &[u8], expected: &str, opts: &str) -> bool {
    options(opts).is_ok_and(|o| crate::verify_secret(input, expected, &o))
}

#[wasm_bindgen(js_name = secretsEqual)]
pub fn secrets_equal(given: &[u8], expected: &[u8]) -> bool {
    crate::verify::secrets_equal(given, expected)
}

#[wasm_bindgen(js_name = parseEventType)]
pub fn parse_event_type(event_type_or_url: &str) -> String {
    crate::event_type::parse(event_type_or_url).to_json()
}

#[wasm_bindgen(js_name = codeStep)]
pub fn code_step(input_data: &[u8], opts: &str) -> String {
    match options(opts) {
        Ok(o) => crate::code_step::run(input_data, &o),
        Err(report) => crate::code_step::error_for(&report),
    }
}

/// Whether a delivery is signed as `scheme` says, by one of `secrets` (a JSON array); the
/// headers come in `opts`, `now` and `tolerance` in seconds.
#[wasm_bindgen(js_name = verifySignature)]
pub fn verify_signature(
    body: &[u8],
    opts: &str,
    secrets: &str,
    scheme: &str,
    now: f64,
    tolerance: f64,
) -> bool {
    let (Ok(opts), Some(scheme)) = (Options::from_json(opts), Scheme::from_name(scheme)) else {
        return false;
    };
    let Ok(secrets) = crate::json::read(secrets, 2) else {
        return false;
    };
    let Some(secrets) = secrets.as_array().and_then(|list| {
        list.iter()
            .map(|s| s.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>()
    }) else {
        return false;
    };
    // Whole seconds, as the headers carry them (the JS passes floored, finite numbers).
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let check = Check {
        scheme,
        secrets: &secrets,
        now: now as i64,
        tolerance: tolerance.max(0.0) as u64,
    };
    crate::signature::verify(body, &opts, &check)
}

/// The event's idempotency key, or `undefined` when the body is not a valid payload.
#[wasm_bindgen(js_name = eventKey)]
pub fn event_key(input: &[u8], opts: &str) -> Option<String> {
    crate::event_key::of(input, &options(opts).ok()?)
}

/// Every kind's name, in detection order, as a JSON array.
#[wasm_bindgen]
pub fn kinds() -> String {
    let mut out = String::new();
    crate::json::write_array(&mut out, crate::KINDS, |out, spec| {
        crate::json::write_string(out, spec.name);
    });
    out
}

/// The JSON Schema of a kind, or `undefined` for a name that is not a kind.
#[wasm_bindgen]
pub fn schema(kind: &str) -> Option<String> {
    crate::Kind::from_name(kind).map(crate::json_schema::of)
}
