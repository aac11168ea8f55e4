//! leadhook: parse, validate and flatten the webhook payloads that lead-generation and CRM tools
//! send — Leadsie v1 and v2, LeadSquared, and lead events — and say exactly what is wrong, where.
//!
//! The core is plain Rust: every function takes the raw body bytes and [`Options`], and no
//! input makes it panic. `wasm.rs` is the thin WebAssembly binding over it.

pub mod code_step;
pub mod csv;
pub mod detect;
pub mod event_type;
pub mod flatten;
pub mod form;
pub mod formats;
pub mod input;
pub mod issue;
pub mod json;
pub mod json_schema;
pub mod kinds;
pub mod options;
pub mod report;
pub mod schema;
pub mod stream;
pub mod upgrade;
pub mod verify;

#[cfg(target_arch = "wasm32")]
mod wasm;

use std::fmt;

pub use flatten::{Flat, Scalar};
pub use issue::{Code, Issue};
pub use json::Value;
pub use options::Options;
pub use report::Report;

/// The four payload kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    LeadsieV1,
    LeadsieV2,
    LeadSquared,
    LeadEvent,
}

impl Kind {
    pub const ALL: [Kind; 4] = [
        Kind::LeadsieV1,
        Kind::LeadsieV2,
        Kind::LeadSquared,
        Kind::LeadEvent,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::LeadsieV1 => "leadsie.v1",
            Kind::LeadsieV2 => "leadsie.v2",
            Kind::LeadSquared => "leadsquared",
            Kind::LeadEvent => "lead-event",
        }
    }

    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A payload that validated: its kind, its data and the warnings it raised.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed<'a> {
    pub kind: Kind,
    pub data: Value<'a>,
    pub warnings: Vec<Issue>,
}

impl Parsed<'_> {
    /// `{"ok":true,"kind":…,"data":…,"warnings":[…]}`.
    pub fn to_json(&self) -> String {
        let mut out = String::from("{\"ok\":true,\"kind\":\"");
        out.push_str(self.kind.as_str());
        out.push_str("\",\"data\":");
        self.data.write_json(&mut out);
        out.push_str(",\"warnings\":");
        report::write_issues(&mut out, &self.warnings);
        out.push('}');
        out
    }
}

/// A body read into a tree, with its kind when one was given or detected.
struct Document<'a> {
    value: Value<'a>,
    kind: Option<Kind>,
}

fn load<'a>(input: &'a [u8], opts: &Options) -> Result<Document<'a>, Issue> {
    let text = input::text(input, opts)?;
    let value = input::document(text, opts)?;
    let kind = opts
        .kind
        .or_else(|| detect::kind(&value, opts.url.as_deref()));
    Ok(Document { value, kind })
}

/// The kind of a body, or `None` when it is unreadable or of no known kind. Never fails.
///
/// A JSON body is read without building a tree ([`stream::detect`]); a form body, or one that
/// is not valid JSON, as [`detect_tree`] reads it.
pub fn detect(input: &[u8], opts: &Options) -> Option<Kind> {
    if let Ok(text) = input::text(input, opts) {
        if !input::is_form(text, opts.content_type.as_deref()) {
            if let Some(kind) = stream::detect(text, opts) {
                return kind;
            }
        }
    }
    detect_tree(input, opts)
}

/// [`detect()`] by reading the body into a tree first.
pub fn detect_tree(input: &[u8], opts: &Options) -> Option<Kind> {
    load(input, opts).ok().and_then(|d| d.kind)
}

/// Every issue with a body, in document order. Never fails.
///
/// A JSON body is checked in one pass over its bytes, without building a tree
/// ([`stream::validate`]); a form body, or one that is not valid JSON (whose report is where
/// it stops being JSON), as [`validate_tree`] checks it. Both give the same report.
pub fn validate(input: &[u8], opts: &Options) -> Report {
    if let Ok(text) = input::text(input, opts) {
        if !input::is_form(text, opts.content_type.as_deref()) {
            if let Some(report) = stream::validate(text, opts) {
                return report;
            }
        }
    }
    validate_tree(input, opts)
}

/// [`validate`] by reading the body into a tree and checking the tree.
pub fn validate_tree(input: &[u8], opts: &Options) -> Report {
    match load(input, opts) {
        Ok(doc) => check(&doc, opts),
        Err(issue) => Report::failed(opts.kind, issue),
    }
}

/// The body as data, or the report of why it is not a valid payload.
pub fn parse<'a>(input: &'a [u8], opts: &Options) -> Result<Parsed<'a>, Report> {
    let doc = load(input, opts).map_err(|issue| Report::failed(opts.kind, issue))?;
    finish(doc, opts)
}

/// [`parse`] of a payload that is already a tree.
pub fn parse_value<'a>(value: Value<'a>, opts: &Options) -> Result<Parsed<'a>, Report> {
    let kind = opts
        .kind
        .or_else(|| detect::kind(&value, opts.url.as_deref()));
    finish(Document { value, kind }, opts)
}

fn finish<'a>(doc: Document<'a>, opts: &Options) -> Result<Parsed<'a>, Report> {
    let report = check(&doc, opts);
    match (report.ok(), doc.kind) {
        (true, Some(kind)) => Ok(Parsed {
            kind,
            data: doc.value,
            warnings: report.warnings,
        }),
        _ => Err(report),
    }
}

fn check(doc: &Document, opts: &Options) -> Report {
    let mut checker = schema::Checker::new(opts.strict);
    checker.duplicates_possible = schema::has_duplicate_keys(&doc.value);
    let Some(kind) = doc.kind else {
        checker
            .errors
            .push(Issue::new(Code::KindUnknown, "", stream::KIND_UNKNOWN));
        // Repeated keys are wrong whatever the kind, and may be why none was recognised.
        checker.scan_duplicates(&doc.value);
        return Report {
            kind: None,
            errors: checker.errors,
            warnings: checker.warnings,
        };
    };
    kinds::check(kind, &doc.value, &mut checker);
    Report {
        kind: Some(kind),
        errors: checker.errors,
        warnings: checker.warnings,
    }
}

/// The payload as one flat record of scalars.
pub fn flatten<'a>(input: &'a [u8], opts: &Options) -> Result<Flat<'a>, Report> {
    parse(input, opts).map(|p| flatten::flatten_parsed(&p, opts))
}

/// The payload as flat records: one per Leadsie asset or LeadSquared record, one for a lead
/// event; all with the same keys in the same order.
pub fn rows<'a>(input: &'a [u8], opts: &Options) -> Result<Vec<Flat<'a>>, Report> {
    parse(input, opts).map(|p| flatten::rows_parsed(&p, opts))
}

/// RFC 4180 CSV: of a payload's [`rows`], or of rows given as an array of flat objects.
pub fn to_csv(input: &[u8], opts: &Options) -> Result<String, Report> {
    let doc = load(input, opts).map_err(|issue| Report::failed(opts.kind, issue))?;
    if opts.kind.is_none() && matches!(&doc.value, Value::Array(items) if items.is_empty()) {
        return Ok(String::new());
    }
    if opts.kind.is_none() && csv::is_rows(&doc.value) {
        let mut rows =
            csv::rows_from_value(&doc.value).map_err(|issue| Report::failed(None, issue))?;
        // Flat LeadSquared records read as rows still get the request URL's fields.
        if doc.kind == Some(Kind::LeadSquared) {
            rows.iter_mut()
                .for_each(|row| flatten::url_fields(row, opts));
        }
        return Ok(csv::write(rows));
    }
    let parsed = finish(doc, opts)?;
    Ok(csv::write(flatten::rows_parsed(&parsed, opts)))
}

/// A Leadsie v1 payload in the v2 shape; a v2 payload as it is.
pub fn upgrade<'a>(input: &'a [u8], opts: &Options) -> Result<Value<'a>, Report> {
    let parsed = parse(input, opts)?;
    match parsed.kind {
        Kind::LeadsieV1 => Ok(upgrade::v1_to_v2(parsed.data)),
        Kind::LeadsieV2 => Ok(parsed.data),
        other => Err(Report::failed(
            Some(other),
            Issue::new(
                Code::KindUnknown,
                "",
                format!("upgrade takes a Leadsie payload, not {other}"),
            ),
        )),
    }
}

/// Whether a lead event's `secret` equals `expected`, compared in constant time; `false` when
/// the body is unreadable or has no `secret`.
pub fn verify_secret(input: &[u8], expected: &str, opts: &Options) -> bool {
    load(input, opts).is_ok_and(|doc| verify::lead_event_secret(&doc.value, expected))
}
