//! The one error type: an [`Issue`] is a code, a JSON Pointer and a message.

use std::borrow::Cow;
use std::fmt;

use crate::json::write_string;

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
}

impl Code {
    pub const ALL: [Code; 13] = [
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
    pub fn new(code: Code, path: impl Into<String>, message: impl Into<String>) -> Issue {
        Issue {
            code,
            path: path.into(),
            message: message.into(),
        }
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

/// `pointer` with an array index appended.
pub fn index(pointer: &str, i: usize) -> String {
    format!("{pointer}/{i}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_tokens_are_escaped() {
        assert_eq!(child("", "a/b~c"), "/a~1b~0c");
        assert_eq!(child("/x", ""), "/x/");
        assert_eq!(index("/x", 3), "/x/3");
    }

    #[test]
    fn codes_round_trip() {
        for code in Code::ALL {
            assert_eq!(Code::from_name(code.as_str()), Some(code));
        }
    }
}
