//! From raw body bytes to a parsed document: size limit, UTF-8, form or JSON, depth limit.
//! Every limit is checked before the work it guards.

use crate::form;
use crate::issue::{Code, Issue};
use crate::json::{self, ReadError, Value};
use crate::Options;

/// Depth past which `max_depth` is not raised, whatever the caller asks: the reader, the
/// checks and `Drop` recurse once per level, and WebAssembly's stack is small.
pub const DEPTH_CEILING: usize = 512;

/// The body as text: the limit checked, a UTF-8 byte-order mark dropped (as `Response.json()`
/// and `TextDecoder` do), the bytes checked to be UTF-8.
pub fn text<'a>(input: &'a [u8], opts: &Options) -> Result<&'a str, Issue> {
    if input.len() > opts.max_bytes {
        return Err(too_large(input.len(), opts.max_bytes));
    }
    let body = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    std::str::from_utf8(body).map_err(|e| {
        Issue::new(
            Code::InputEncoding,
            "",
            format!(
                "the body is not valid UTF-8 (invalid byte at offset {})",
                e.valid_up_to()
            ),
        )
    })
}

pub fn too_large(len: usize, max: usize) -> Issue {
    Issue::new(
        Code::InputTooLarge,
        "",
        format!("the body is {len} bytes, over the limit of {max} bytes (maxBytes)"),
    )
}

/// Whether the body is to be read as a form rather than JSON: by its content type when it names
/// one of the two, else by its look.
pub fn is_form(text: &str, content_type: Option<&str>) -> bool {
    let mime = content_type
        .map(|ct| {
            ct.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default();
    match mime.as_str() {
        "application/x-www-form-urlencoded" => true,
        m if m == "application/json" || m.ends_with("+json") => false,
        _ => form::looks_form_encoded(text),
    }
}

/// Parses the body text as a form or as JSON.
pub fn document<'a>(text: &'a str, opts: &Options) -> Result<Value<'a>, Issue> {
    if is_form(text, opts.content_type.as_deref()) {
        return Ok(form::to_value(text));
    }
    let max_depth = opts.max_depth.min(DEPTH_CEILING);
    json::read(text, max_depth).map_err(|e| match e {
        ReadError::Syntax { offset, message } => {
            let (line, column) = json::line_column(text, offset);
            Issue::new(
                Code::JsonSyntax,
                "",
                format!("{message} at line {line} column {column}"),
            )
        }
        ReadError::TooDeep { offset } => {
            let (line, column) = json::line_column(text, offset);
            Issue::new(
                Code::InputTooDeep,
                "",
                format!(
                    "nesting deeper than {max_depth} levels (maxDepth) at line {line} column {column}"
                ),
            )
        }
    })
}
