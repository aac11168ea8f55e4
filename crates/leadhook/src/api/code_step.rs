//! `codeStep`: what a user pastes into a Zapier, Make or n8n code step. It takes the step's
//! `inputData` — the payload under `payload`, as a string or an object, or the raw payload
//! itself — and gives the flat record, or, like the seed script, an error object. Never fails.
//! Zapier's only channel is `inputData`, so a wrapper's `url` and `contentType` (or
//! `content_type`) are read as those options, and its `line_items` of `"true"` (or the
//! `lineItems` option) adds the payload's rows as Zapier line items. A request as webhook
//! triggers hand it over — n8n's item `{ headers, params, query, body }`, Pipedream's event
//! `{ method, path, query, headers, body }` — is read as one: the payload is its `body`, the
//! content type its `content-type` header, and its `query` stands for the URL's.
//!
//! Here, where the payload is and how to read it ([`plan`]); the answer — the flat record, one
//! per event for a delivery of several, the line items, or the error object — is made by the
//! package's JavaScript (`pkg-template/api/code-step.js`) with the public functions.

use std::borrow::Cow;

use crate::base::json::{write_array, write_string, Value};
use crate::base::text::{push_hex, UPPER_HEX};
use crate::engine::report::Report;
use crate::{engine::input, Body, Options};

/// Where a code step's payload is, and the options it is read with.
#[derive(Debug, PartialEq)]
pub struct Plan {
    /// The payload's text: a wrapper's member, a string as it is and an object or array as its
    /// JSON. `None`: the step's `inputData` itself, its type sniffed.
    pub body: Option<String>,
    /// The options that the step changes: a wrapper's or a request's URL and content type
    /// (where the options give none), and whether to add line items.
    pub url: Option<String>,
    pub content_type: Option<String>,
    pub line_items: bool,
    /// The payload's top-level keys, which the error object offers; read only when asked for.
    pub keys: Vec<String>,
}

impl Plan {
    /// `[body, url, contentType, lineItems, [keys…]]`, `null` for what is `None`.
    pub fn write_json(&self, out: &mut String) {
        out.push('[');
        for text in [&self.body, &self.url, &self.content_type] {
            match text {
                Some(text) => write_string(out, text),
                None => out.push_str("null"),
            }
            out.push(',');
        }
        out.push_str(if self.line_items { "true," } else { "false," });
        write_array(out, &self.keys, |out, k| write_string(out, k));
        out.push(']');
    }
}

/// Where the payload of a step's `inputData` is, and how to read it (see [`Plan`]); with
/// `keys`, the payload's top-level keys too. Fails for options or an `inputData` that cannot be
/// read.
///
/// The step's `inputData` is read as JSON or sniffed, never by `contentType`, which is the
/// payload's; and one level of nesting is allowed for the `payload` wrapper.
#[inline(never)]
pub fn plan(input_data: &[u8], opts: &Options, keys: bool) -> Result<Plan, Report> {
    // Only what reading and detecting look at: the options are not cloned (their clone was
    // 1.9 KB of the module). With an `eventType` the URL would make any wrapper look like a
    // LeadSquared body, so there is none.
    let outer = Options {
        max_bytes: opts.max_bytes,
        max_depth: opts.max_depth.saturating_add(1),
        max_issues: opts.max_issues,
        ..Options::DEFAULT
    };
    let failed = |issue| Report::failed(opts.kind, issue);
    let text = input::text(input_data.into(), &outer).map_err(failed)?;
    let value = input::tree(text, &outer).map_err(failed)?;
    // A payload of a known kind is itself the payload, even one with a `payload` field of its
    // own (a lead event).
    let is_payload = crate::kinds::plan::detect(&input::json_text(text, &outer), &outer)
        .ok()
        .flatten()
        .is_some();
    let top_keys = |value: &Value| -> Vec<String> {
        let members = value.as_object().unwrap_or_default();
        members
            .iter()
            .map(|(k, _)| k.clone().into_owned())
            .collect()
    };
    let itself = |url: Option<String>, line_items| Plan {
        body: None,
        url,
        content_type: None,
        line_items,
        keys: if keys { top_keys(&value) } else { Vec::new() },
    };
    if is_payload {
        return Ok(itself(opts.url.clone(), opts.line_items));
    }
    // The wrapper's own fields, where the options do not say otherwise.
    let from_wrapper = |name: &str| value.get(name).and_then(Value::as_str).map(str::to_owned);
    let request = Request::of(&value);
    let url = opts
        .url
        .clone()
        .or_else(|| from_wrapper("url"))
        .or_else(|| request.as_ref().and_then(Request::url));
    let content_type = opts
        .content_type
        .clone()
        .or_else(|| from_wrapper("contentType"))
        .or_else(|| from_wrapper("content_type"))
        .or_else(|| request.as_ref().and_then(Request::content_type));
    let line_items = opts.line_items
        || matches!(value.get("line_items"), Some(Value::Bool(true)))
        || from_wrapper("line_items").is_some_and(|v| v.eq_ignore_ascii_case("true"));
    let member = if request.is_some() { "body" } else { "payload" };
    let (body, content_type, keys) = match value.get(member) {
        Some(Value::String(body)) => {
            let read = Options {
                content_type: content_type.clone(),
                max_depth: opts.max_depth,
                ..outer
            };
            let tree = || input::text(Body::Text(body), &read).and_then(|t| input::tree(t, &read));
            let keys = if keys {
                tree().map_or_else(|_| Vec::new(), |v| top_keys(&v))
            } else {
                Vec::new()
            };
            (Cow::Borrowed(&**body), content_type, keys)
        }
        Some(inner @ (Value::Object(_) | Value::Array(_))) => (
            Cow::Owned(inner.to_json()),
            Some("application/json".to_owned()),
            if keys { top_keys(inner) } else { Vec::new() },
        ),
        _ => return Ok(itself(url, line_items)),
    };
    Ok(Plan {
        body: Some(body.into_owned()),
        url,
        content_type,
        line_items,
        keys,
    })
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
