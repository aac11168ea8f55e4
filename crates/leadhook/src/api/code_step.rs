//! `codeStep`: what a user pastes into a Zapier, Make or n8n code step. It takes the step's
//! `inputData` — the payload under `payload`, as a string or an object, or the raw payload
//! itself — and gives the flat record, or, like the seed script, an error object. Never fails.
//! Zapier's only channel is `inputData`, so a wrapper's `url` and `contentType` (or
//! `content_type`) are read as those options, and its `line_items` of `"true"` (or the
//! `lineItems` option) adds the payload's rows as Zapier line items. A request as webhook
//! triggers hand it over — n8n's item `{ headers, params, query, body }`, Pipedream's event
//! `{ method, path, query, headers, body }` — is read as one: the payload is its `body`, the
//! content type its `content-type` header, and its `query` stands for the URL's.

use crate::api::{EventsJson, Keys, Session};
use crate::base::issue::{Code, Issue};
use crate::base::json::{write_array, write_string, Value};
use crate::base::text::{push_hex, UPPER_HEX};
use crate::engine::report::{write_issues, Report};
use crate::{engine::input, Body, Options, Scalar};

/// The flat record as JSON, or `{"error": …, "errors": […], "available_keys": […]}`.
///
/// The step's `inputData` is read as JSON or sniffed, never by `contentType`, which is the
/// payload's; and one level of nesting is allowed for the `payload` wrapper.
///
/// The line items, when asked for, are added by `line_items` (see [`LineItems`]).
#[inline(never)]
pub fn run(
    session: &mut Session,
    input_data: &[u8],
    opts: &Options,
    line_items: LineItems,
) -> String {
    let outer = Options {
        kind: None,
        content_type: None,
        // With an `eventType` the URL would make any wrapper look like a LeadSquared body.
        url: None,
        max_depth: opts.max_depth.saturating_add(1),
        ..opts.clone()
    };
    let text = match input::text(input_data.into(), &outer) {
        Ok(text) => text,
        Err(issue) => return error_json(&Report::failed(opts.kind, issue), None),
    };
    let value = match input::tree(text, &outer) {
        Ok(v) => v,
        Err(issue) => return error_json(&Report::failed(opts.kind, issue), None),
    };
    // A payload of a known kind is itself the payload, even one with a `payload` field of its
    // own (a lead event).
    let is_payload = crate::kinds::plan::detect(&input::json_text(text, &outer), &outer)
        .ok()
        .flatten()
        .is_some();
    // The wrapper's own fields, where the options do not say otherwise.
    let from_wrapper = |name: &str| value.get(name).and_then(Value::as_str).map(str::to_owned);
    let request = Request::of(&value);
    let wrapped = Options {
        url: opts
            .url
            .clone()
            .or_else(|| from_wrapper("url"))
            .or_else(|| request.as_ref().and_then(Request::url)),
        content_type: opts
            .content_type
            .clone()
            .or_else(|| from_wrapper("contentType"))
            .or_else(|| from_wrapper("content_type"))
            .or_else(|| request.as_ref().and_then(Request::content_type)),
        line_items: opts.line_items
            || matches!(value.get("line_items"), Some(Value::Bool(true)))
            || from_wrapper("line_items").is_some_and(|v| v.eq_ignore_ascii_case("true")),
        ..opts.clone()
    };
    let opts = if is_payload { opts } else { &wrapped };
    let member = if request.is_some() { "body" } else { "payload" };
    match value.get(member) {
        Some(Value::String(body)) if !is_payload => {
            let keys = input::text(Body::Text(body), opts)
                .and_then(|t| input::tree(t, opts))
                .ok();
            answer(session, Body::Text(body), opts, keys.as_ref(), line_items)
        }
        Some(inner @ (Value::Object(_) | Value::Array(_))) if !is_payload => {
            let body = inner.to_json();
            let as_json = Options {
                content_type: Some("application/json".to_owned()),
                ..opts.clone()
            };
            answer(
                session,
                Body::Text(&body),
                &as_json,
                Some(inner),
                line_items,
            )
        }
        _ => {
            let sniffed = Options {
                content_type: None,
                ..opts.clone()
            };
            answer(
                session,
                input_data.into(),
                &sniffed,
                Some(&value),
                line_items,
            )
        }
    }
}

/// A webhook request as a trigger step hands it over: an object with a `body` and a `headers`
/// or `query` object, and no `payload`.
struct Request<'v, 'a> {
    headers: Option<&'v [(std::borrow::Cow<'a, str>, Value<'a>)]>,
    query: Option<&'v [(std::borrow::Cow<'a, str>, Value<'a>)]>,
}

impl<'v, 'a> Request<'v, 'a> {
    fn of(value: &'v Value<'a>) -> Option<Request<'v, 'a>> {
        let headers = value.get("headers").and_then(Value::as_object);
        let query = value.get("query").and_then(Value::as_object);
        let shaped = value.get("body").is_some() && value.get("payload").is_none();
        (shaped && (headers.is_some() || query.is_some())).then_some(Request { headers, query })
    }

    /// The `content-type` header (its name in any ASCII case).
    fn content_type(&self) -> Option<String> {
        let (_, v) = self
            .headers?
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))?;
        v.as_str().map(str::to_owned)
    }

    /// The query's string parameters as a URL's query (`?eventType=…`), which is where the
    /// options read LeadSquared's `eventType` from.
    fn url(&self) -> Option<String> {
        let mut url = String::new();
        for (k, v) in self.query? {
            let Some(v) = v.as_str() else { continue };
            url.push(if url.is_empty() { '?' } else { '&' });
            percent_encode(&mut url, k);
            url.push('=');
            percent_encode(&mut url, v);
        }
        (!url.is_empty()).then_some(url)
    }
}

/// `s` with every byte but the unreserved ones of RFC 3986 written as `%XX`.
fn percent_encode(out: &mut String, s: &str) {
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            push_hex(out, b, UPPER_HEX);
        }
    }
}

/// What adds a payload's rows to its flat record's JSON, `out`, as its `line_items`: as JSON
/// ([`line_items_json`], the crate's [`crate::code_step`]), or laid out for JavaScript to add
/// (the binding's, which has no other use for rows as JSON). Refused as [`crate::rows`] is.
pub type LineItems<'f> =
    &'f mut dyn FnMut(&mut Session, Body, &Options, &mut String) -> Result<(), Report>;

/// The rows of `body` written into its flat record's JSON `out` as its `line_items`.
pub fn line_items_json(
    session: &mut Session,
    body: Body,
    opts: &Options,
    out: &mut String,
) -> Result<(), Report> {
    let rows = session.rows(body, opts)?;
    out.pop();
    if out.len() > 1 {
        out.push(',');
    }
    out.push_str("\"line_items\":");
    write_array(out, &rows, |out, row| row.write_json(out));
    out.push('}');
    Ok(())
}

/// The flat record of `body` (with its rows as `line_items` when asked), or the error object
/// with the keys `payload` offers.
fn answer(
    session: &mut Session,
    body: Body,
    opts: &Options,
    payload: Option<&Value>,
    line_items: LineItems,
) -> String {
    let flat = match session.flatten(body, opts) {
        Ok(flat) => flat,
        Err(report) => return error_json(&report, payload),
    };
    // A delivery of several events (a LeadSquared array, whose flat record counts them) gives
    // one record per event, which Zapier runs the next steps for one by one: unless line items
    // were asked for, which keep them in one record.
    let batch = matches!(flat.get("count"), Some(Scalar::Number(n)) if n.parse::<usize>().is_ok_and(|c| c > 1));
    if batch && !opts.line_items {
        let mut out = String::from("[");
        let mut records = EventsJson::new(&mut out, false, Keys::Omitted);
        if session.events_into(body, opts, false, &mut records).is_ok() {
            if out.ends_with(',') {
                out.pop();
            }
            out.push(']');
            return out;
        }
    }
    let mut out = flat.to_json();
    if opts.line_items && out.ends_with('}') {
        // The record alone would be presented as whole: the rows' refusal is the answer.
        if let Err(report) = line_items(session, body, opts, &mut out) {
            return error_json(&report, payload);
        }
    }
    out
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
#[inline(never)]
pub fn error_for(report: &Report) -> String {
    error_json(report, None)
}

fn error_json(report: &Report, payload: Option<&Value>) -> String {
    let keys = payload.and_then(Value::as_object).unwrap_or_default();
    let mut error = summary(report);
    // Nothing known was found: the keys it got say what it was (the first ten).
    let unknown = report
        .errors
        .first()
        .is_some_and(|e| e.code == Code::KindUnknown);
    if unknown {
        for (i, (key, _)) in keys.iter().take(11).enumerate() {
            error.push_str(if i == 0 { "; its keys: " } else { ", " });
            error.push_str(if i == 10 { "…" } else { key });
        }
    }
    let mut out = String::from("{\"error\":");
    write_string(&mut out, &error);
    out.push_str(",\"errors\":");
    let errors: &[Issue] = &report.errors;
    write_issues(&mut out, errors);
    out.push_str(",\"available_keys\":");
    write_array(&mut out, keys, |out, (k, _)| write_string(out, k));
    out.push('}');
    out
}
