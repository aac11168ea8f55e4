//! The one error type: an [`Issue`] is a code, a JSON Pointer and a message.

use std::borrow::Cow;
use std::fmt;

use crate::base::json::{self, write_string, ReadError};

/// What is wrong. The codes are part of the public interface: they never change meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Code {
    /// The input is not a string, bytes, object or array.
    InputType,
    /// The bytes are not valid UTF-8.
    InputEncoding,
    /// The input is larger than `max_bytes`.
    InputTooLarge,
    /// The input nests deeper than `max_depth`.
    InputTooDeep,
    /// Malformed JSON.
    JsonSyntax,
    /// An object has the same key twice.
    JsonDuplicateKey,
    /// No kind was detected and none was given.
    KindUnknown,
    /// A required field is absent.
    FieldMissing,
    /// A field has the wrong JSON type.
    FieldType,
    /// A string that must be a date or an absolute http(s) URL is not.
    FieldFormat,
    /// A string outside the documented vocabulary.
    FieldEnum,
    /// A field the format does not document (reported only in strict mode).
    FieldUnknown,
    /// A v1-only field in a v2 payload.
    FieldDeprecated,
    /// More issues than `max_issues`: the last entry of a list, counting the rest.
    ReportTruncated,
    /// The body's Content-Type disagrees with what it holds (JSON labelled form-encoded).
    InputContentType,
    /// The body carries several events (a LeadSquared array); `flatten` keeps the first.
    ReportBatch,
    /// An output would pass `max_output_bytes`.
    OutputTooLarge,
    /// The request's headers name another sender than the detected kind's (FORMATS rev 3, item
    /// 14): the body has the kind's shape, but may be another vendor's.
    KindUnconfirmed,
    /// The WebAssembly module trapped during the call (made in JavaScript, named here so that
    /// every code is listed once).
    InternalTrap,
}

impl Code {
    pub const ALL: [Code; 19] = [
        Code::InputType,
        Code::InputEncoding,
        Code::InputTooLarge,
        Code::InputTooDeep,
        Code::JsonSyntax,
        Code::JsonDuplicateKey,
        Code::KindUnknown,
        Code::FieldMissing,
        Code::FieldType,
        Code::FieldFormat,
        Code::FieldEnum,
        Code::FieldUnknown,
        Code::FieldDeprecated,
        Code::ReportTruncated,
        Code::InputContentType,
        Code::ReportBatch,
        Code::OutputTooLarge,
        Code::KindUnconfirmed,
        Code::InternalTrap,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Code::InputType => "input.type",
            Code::InputEncoding => "input.encoding",
            Code::InputTooLarge => "input.too_large",
            Code::InputTooDeep => "input.too_deep",
            Code::JsonSyntax => "json.syntax",
            Code::JsonDuplicateKey => "json.duplicate_key",
            Code::KindUnknown => "kind.unknown",
            Code::FieldMissing => "field.missing",
            Code::FieldType => "field.type",
            Code::FieldFormat => "field.format",
            Code::FieldEnum => "field.enum",
            Code::FieldUnknown => "field.unknown",
            Code::FieldDeprecated => "field.deprecated",
            Code::ReportTruncated => "report.truncated",
            Code::InputContentType => "input.content_type",
            Code::ReportBatch => "report.batch",
            Code::OutputTooLarge => "output.too_large",
            Code::KindUnconfirmed => "kind.unconfirmed",
            Code::InternalTrap => "internal.trap",
        }
    }

    pub fn from_name(code: &str) -> Option<Code> {
        Code::ALL.into_iter().find(|c| c.as_str() == code)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One thing wrong with a payload, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub code: Code,
    /// An RFC 6901 JSON Pointer into the payload; `""` is the whole payload.
    pub path: String,
    /// For people; it may change between versions, the code and path will not.
    pub message: String,
}

impl Issue {
    /// The issue of a body the lexer could not read: where it stops being JSON, or nests too
    /// deep.
    pub fn unreadable(text: &str, e: &ReadError, max_depth: usize) -> Issue {
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

    pub fn new(code: Code, path: impl Into<String>, message: impl Into<String>) -> Issue {
        Issue {
            code,
            path: path.into(),
            message: message.into(),
        }
    }

    /// The issue of `problem` at `path`.
    pub fn of(path: impl Into<String>, problem: Problem) -> Issue {
        Issue::new(problem.code(), path, problem.message())
    }

    /// The issue of `problem` about the whole payload.
    pub fn whole(problem: Problem) -> Issue {
        Issue::of(String::new(), problem)
    }

    pub fn write_json(&self, out: &mut String) {
        out.push_str("{\"path\":");
        write_string(out, &self.path);
        out.push_str(",\"code\":\"");
        out.push_str(self.code.as_str());
        out.push_str("\",\"message\":");
        write_string(out, &self.message);
        out.push('}');
    }
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}: {}", self.code, self.message)
        } else {
            write!(f, "{} at {}: {}", self.code, self.path, self.message)
        }
    }
}

impl std::error::Error for Issue {}

/// How many characters of a value a message quotes at the most.
pub const QUOTE_LIMIT: usize = 200;

/// Everything leadhook can find wrong, as structured data. [`Problem::code`] and
/// [`Problem::message`] are the one place each issue is worded.
#[derive(Debug, Clone, Copy)]
pub enum Problem<'a> {
    /// The input or an option is not of a type leadhook reads.
    InputType(&'a str),
    /// An option that does not exist, and the known one it was probably meant to be.
    UnknownOption {
        name: &'a str,
        suggestion: Option<&'static str>,
    },
    /// An option with a value of the wrong type.
    BadOption {
        name: &'a str,
        expected: &'static str,
    },
    /// `kind` names no kind; `kinds` lists them.
    BadKindOption {
        kinds: &'a str,
    },
    /// The bytes stop being UTF-8 at this offset.
    Encoding {
        offset: usize,
    },
    TooLarge {
        len: usize,
        max: usize,
    },
    TooDeep {
        max: usize,
        line: usize,
        column: usize,
    },
    Syntax {
        what: &'static str,
        line: usize,
        column: usize,
    },
    /// No kind detected and none given.
    KindUnknown,
    /// A function that reads one family of kinds was given another.
    WrongKind {
        function: &'static str,
        wants: &'static str,
        got: &'a str,
    },
    Missing {
        field: &'a str,
    },
    WrongType {
        expected: &'static str,
        found: &'static str,
    },
    NotNumeric,
    NotIsoDate,
    NotLeadSquaredDate,
    NotHttpUrl,
    /// A string outside a vocabulary; `value` is `None` when the field's value must not be quoted.
    UnknownString {
        value: Option<&'a str>,
        what: &'static str,
    },
    /// A number outside a known set.
    UnknownNumber {
        value: &'a str,
        what: &'static str,
    },
    /// A Leadsie `apiVersion` above 2, read as v2.
    NewerVersion {
        value: &'a str,
    },
    /// A Leadsie `apiVersion` written as a string.
    VersionAsString,
    UnknownField {
        field: &'a str,
    },
    Deprecated {
        field: &'a str,
    },
    DuplicateKey {
        key: &'a str,
    },
    /// An output of at least `size` bytes, over `max` (`max_output_bytes`), grown as `why` says.
    OutputTooLarge {
        size: usize,
        max: usize,
        why: OutputGrowth,
    },
    /// A body labelled form-encoded that is JSON, and is read as JSON.
    ContentType,
    /// A body of `count` events.
    Batch {
        count: usize,
    },
    /// The request's `header` names another sender than the detected kind's.
    Unconfirmed {
        header: &'static str,
    },
    /// `count` more issues than the list holds; `limit` is `max_issues`.
    Truncated {
        count: usize,
        limit: usize,
        errors: bool,
    },
}

impl Problem<'_> {
    pub fn code(&self) -> Code {
        match self {
            Problem::InputType(_) | Problem::UnknownOption { .. } | Problem::BadOption { .. } => {
                Code::InputType
            }
            Problem::Encoding { .. } => Code::InputEncoding,
            Problem::TooLarge { .. } => Code::InputTooLarge,
            Problem::TooDeep { .. } => Code::InputTooDeep,
            Problem::Syntax { .. } => Code::JsonSyntax,
            Problem::DuplicateKey { .. } => Code::JsonDuplicateKey,
            Problem::KindUnknown | Problem::BadKindOption { .. } | Problem::WrongKind { .. } => {
                Code::KindUnknown
            }
            Problem::Missing { .. } => Code::FieldMissing,
            Problem::WrongType { .. } | Problem::NotNumeric | Problem::VersionAsString => {
                Code::FieldType
            }
            Problem::NotIsoDate | Problem::NotLeadSquaredDate | Problem::NotHttpUrl => {
                Code::FieldFormat
            }
            Problem::UnknownString { .. }
            | Problem::UnknownNumber { .. }
            | Problem::NewerVersion { .. } => Code::FieldEnum,
            Problem::UnknownField { .. } => Code::FieldUnknown,
            Problem::Deprecated { .. } => Code::FieldDeprecated,
            Problem::Truncated { .. } => Code::ReportTruncated,
            Problem::OutputTooLarge { .. } => Code::OutputTooLarge,
            Problem::ContentType => Code::InputContentType,
            Problem::Batch { .. } => Code::ReportBatch,
            Problem::Unconfirmed { .. } => Code::KindUnconfirmed,
        }
    }

    pub fn message(&self) -> String {
        match *self {
            Problem::InputType(what) => what.to_owned(),
            Problem::UnknownOption { name, suggestion } => match suggestion {
                Some(known) => format!("unknown option `{}`; did you mean `{known}`?", quote(name)),
                None => format!("unknown option `{}`", quote(name)),
            },
            Problem::BadOption { name, expected } => format!("option `{name}` must be {expected}"),
            Problem::BadKindOption { kinds } => format!("option `kind` must be {kinds}"),
            Problem::Encoding { offset } => {
                format!("the body is not valid UTF-8 (invalid byte at offset {offset})")
            }
            Problem::TooLarge { len, max } => {
                format!("the body is {len} bytes, over the limit of {max} bytes (maxBytes)")
            }
            Problem::TooDeep { max, line, column } => format!(
                "nesting deeper than {max} levels (maxDepth) at line {line} column {column}"
            ),
            Problem::Syntax { what, line, column } => {
                format!("{what} at line {line} column {column}")
            }
            Problem::KindUnknown => {
                "not a Leadsie, LeadSquared or lead-event payload; pass `kind` to read it as one"
                    .to_owned()
            }
            Problem::WrongKind {
                function,
                wants,
                got,
            } => format!("{function} takes {wants}, not {got}"),
            Problem::Missing { field } => format!("required field `{field}` is missing"),
            Problem::WrongType { expected, found } => format!("expected {expected}, found {found}"),
            Problem::NotNumeric => "expected a number or a string holding a number".to_owned(),
            Problem::NotIsoDate => {
                "expected an ISO-8601 date such as 2024-03-01T10:00:00.000Z".to_owned()
            }
            Problem::NotLeadSquaredDate => {
                "expected a date as YYYY-MM-DD HH:MM:SS[.fff]".to_owned()
            }
            Problem::NotHttpUrl => "expected an absolute http(s) URL".to_owned(),
            Problem::UnknownString { value, what } => match value {
                Some(v) => format!("\"{}\" is not a documented {what}", quote(v)),
                None => format!("the value is not a documented {what}"),
            },
            Problem::UnknownNumber { value, what } => {
                format!("{} is not a known {what}", quote(value))
            }
            Problem::NewerVersion { value } => {
                format!("apiVersion {} is newer than leadhook knows; read as v2", quote(value))
            }
            Problem::VersionAsString => {
                "apiVersion should be the number 2, not a string; read as v2".to_owned()
            }
            Problem::UnknownField { field } => format!("`{}` is not a documented field", quote(field)),
            Problem::Deprecated { field } => {
                format!("`{field}` is a v1 field that v2 no longer sends")
            }
            Problem::DuplicateKey { key } => format!(
                "the key \"{}\" appears more than once in this object; JSON parsers disagree on which value wins",
                quote(key)
            ),
            Problem::Unconfirmed { header } => format!(
                "the `{header}` header is another sender's: the body only has this kind's shape"
            ),
            Problem::Batch { count } => format!(
                "this delivery carries {count} events; flatten keeps the first: use rows or events"
            ),
            Problem::OutputTooLarge { size, max, why } => format!(
                "the output would hold at least {size} bytes, over the limit of {max} bytes \
                 (maxOutputBytes): {}; read the body with parse(), or raise maxOutputBytes",
                why.explain()
            ),
            Problem::ContentType => "the body is JSON but its Content-Type is \
                 application/x-www-form-urlencoded (curl's -d sends that); read as JSON"
                .to_owned(),
            Problem::Truncated {
                count,
                limit,
                errors,
            } => format!(
                "{count} more {} not listed (at most {limit} are, maxIssues)",
                match (errors, count) {
                    (true, 1) => "error",
                    (true, _) => "errors",
                    (false, 1) => "warning",
                    (false, _) => "warnings",
                }
            ),
        }
    }
}

/// What made an output outgrow its budget, and what to do about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputGrowth {
    /// Zapier naming writes every ancestor's key into each leaf's key.
    NestedKeys,
    /// Aligned rows give every row every column.
    Columns,
    /// The records themselves are that large.
    Records,
}

impl OutputGrowth {
    fn explain(self) -> &'static str {
        match self {
            OutputGrowth::NestedKeys => "each nested key repeats its long ancestors' keys",
            OutputGrowth::Columns => "every row gets every column of every other row",
            OutputGrowth::Records => "the records are that large",
        }
    }
}

/// At most [`QUOTE_LIMIT`] characters of `s`, with `…` where it was cut.
pub fn quote(s: &str) -> std::borrow::Cow<'_, str> {
    match s.char_indices().nth(QUOTE_LIMIT) {
        None => std::borrow::Cow::Borrowed(s),
        Some((end, _)) => std::borrow::Cow::Owned(format!("{}…", s.get(..end).unwrap_or(""))),
    }
}

/// One step of the path to a value, kept on a stack while a walk descends and written out as a
/// JSON Pointer only when an issue needs one, so a valid payload costs no pointer building.
#[derive(Debug, Clone)]
pub enum Step<'a> {
    Key(Cow<'a, str>),
    Index(usize),
}

/// The JSON Pointer of a path.
pub fn pointer(steps: &[Step]) -> String {
    use std::fmt::Write;
    let mut p = String::new();
    for step in steps {
        match step {
            Step::Key(k) => push_token(&mut p, k),
            Step::Index(i) => {
                let _ = write!(p, "/{i}");
            }
        }
    }
    p
}

/// Appends one reference token to a JSON Pointer, escaping `~` as `~0` and `/` as `~1`.
pub fn push_token(pointer: &mut String, token: &str) {
    pointer.push('/');
    for c in token.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
}

/// `pointer` with one more reference token.
pub fn child(pointer: &str, token: &str) -> String {
    let mut p = String::with_capacity(pointer.len() + token.len() + 1);
    p.push_str(pointer);
    push_token(&mut p, token);
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_tokens_are_escaped() {
        assert_eq!(child("", "a/b~c"), "/a~1b~0c");
        assert_eq!(child("/x", ""), "/x/");
    }

    #[test]
    fn codes_round_trip() {
        for code in Code::ALL {
            assert_eq!(Code::from_name(code.as_str()), Some(code));
        }
    }
}
