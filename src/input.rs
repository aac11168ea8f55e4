//! From raw body bytes to JSON text: size limit, UTF-8, byte-order mark, form or JSON. Every
//! limit is checked before the work it guards.

use std::borrow::Cow;

use crate::form;
use crate::issue::{Issue, Problem};
use crate::json::{self, ReadError, Value};
use crate::Options;

/// Depth past which `max_depth` is not raised, whatever the caller asks: the reader, the
/// walker and `Drop` recurse once per level, and WebAssembly's stack is small.
pub const DEPTH_CEILING: usize = 512;

/// A body as it is handed over: bytes, whose encoding is to be checked, or text, which is UTF-8
/// already (as the WebAssembly binding knows of a body JavaScript wrote from a string).
#[derive(Debug, Clone, Copy)]
pub enum Body<'a> {
    Bytes(&'a [u8]),
    Text(&'a str),
}

impl<'a> Body<'a> {
    pub fn as_bytes(self) -> &'a [u8] {
        match self {
            Body::Bytes(bytes) => bytes,
            Body::Text(text) => text.as_bytes(),
        }
    }
}

impl<'a, B: AsRef<[u8]> + ?Sized> From<&'a B> for Body<'a> {
    fn from(bytes: &'a B) -> Body<'a> {
        Body::Bytes(bytes.as_ref())
    }
}

/// The body as text: the limit checked, a UTF-8 byte-order mark dropped (as `Response.json()`
/// and `TextDecoder` do), bytes checked to be UTF-8.
pub fn text<'a>(input: Body<'a>, opts: &Options) -> Result<&'a str, Issue> {
    let bytes = input.as_bytes();
    if bytes.len() > opts.max_bytes {
        return Err(too_large(bytes.len(), opts.max_bytes));
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match input {
        // SAFETY: UTF-8 text with a whole character (the mark's three bytes) or none taken off
        // its start is UTF-8.
        Body::Text(_) => Ok(unsafe { std::str::from_utf8_unchecked(body) }),
        Body::Bytes(_) => std::str::from_utf8(body).map_err(|e| {
            Issue::whole(Problem::Encoding {
                offset: e.valid_up_to(),
            })
        }),
    }
}

pub fn too_large(len: usize, max: usize) -> Issue {
    Issue::whole(Problem::TooLarge { len, max })
}

/// Whether the body is to be read as a form rather than JSON: by its content type when it names
/// one of the two, else by its look.
pub fn is_form(text: &str, content_type: Option<&str>) -> bool {
    // The usual body, a JSON object or array with no content type given, is known by its first
    // byte; the rest stays out of line, code a first call need not compile (2.2 KB).
    if content_type.is_none() && matches!(text.as_bytes().first(), Some(b'{' | b'[')) {
        return false;
    }
    by_type_or_look(text, content_type)
}

#[inline(never)]
fn by_type_or_look(text: &str, content_type: Option<&str>) -> bool {
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

/// The body as JSON text: a JSON body as it is, a form body written out as a JSON object.
pub fn json_text<'a>(text: &'a str, opts: &Options) -> Cow<'a, str> {
    if is_form(text, opts.content_type.as_deref()) {
        Cow::Owned(form::to_json(text))
    } else {
        Cow::Borrowed(text)
    }
}

/// The issue of a body the lexer could not read: where it stops being JSON, or nests too deep.
pub fn read_error(text: &str, e: &ReadError, max_depth: usize) -> Issue {
    let (line, column) = json::line_column(text, e.offset());
    Issue::whole(match *e {
        ReadError::Syntax { message, .. } => Problem::Syntax {
            what: message,
            line,
            column,
        },
        ReadError::TooDeep { .. } => Problem::TooDeep {
            max: max_depth,
            line,
            column,
        },
    })
}

/// The body read into a tree, with no rules applied: a form as its pairs, JSON as it is.
pub fn tree<'a>(text: &'a str, opts: &Options) -> Result<Value<'a>, Issue> {
    if is_form(text, opts.content_type.as_deref()) {
        return Ok(form::to_value(text));
    }
    let max_depth = opts.max_depth.min(DEPTH_CEILING);
    json::read(text, max_depth).map_err(|e| read_error(text, &e, max_depth))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_first_byte_says_what_the_whole_check_says() {
        let bodies = [
            "{}",
            "[1]",
            "{a=1",
            "[x=y]",
            " {}",
            "a=1&b=2",
            "",
            "=",
            "{\"a\":\"b=c\"}",
        ];
        let types = [
            None,
            Some("application/json"),
            Some("application/x-www-form-urlencoded"),
            Some("text/plain"),
        ];
        for body in bodies {
            for ct in types {
                assert_eq!(
                    super::is_form(body, ct),
                    super::by_type_or_look(body, ct),
                    "{body:?} {ct:?}"
                );
            }
        }
    }
}
