//! Field tables and the one walk that checks a payload against them.
//!
//! Each payload kind describes its objects as static [`ObjectSchema`]s (see `kinds/`); this
//! module checks a parsed [`Value`] against them, collecting every issue in document order:
//! for each object, its missing required fields first, then its members as they appear.

use std::borrow::Cow;

use crate::formats;
use crate::issue::{pointer, Code, Issue, Step};
use crate::json::Value;

/// What a field's value must be.
#[derive(Debug)]
pub enum Type {
    String,
    Boolean,
    Number,
    /// A number, or a string holding one, or `""` (LeadSquared sends numbers as strings).
    Numeric,
    /// A string, number, boolean or null: a custom field of unknown type.
    Scalar,
    /// A string that is an ISO-8601 date or date-time.
    IsoDate,
    /// A string `YYYY-MM-DD HH:MM:SS[.fff]`, as LeadSquared writes dates.
    LeadSquaredDate,
    /// A string that is an absolute http(s) URL.
    Url,
    /// A string from a vocabulary that may grow: another string is a `field.enum` warning.
    Enum(&'static Vocabulary),
    /// A number from a known set: another number is a `field.enum` warning.
    NumberEnum(&'static [u64], &'static str),
    /// A string or an array of strings.
    StringOrStrings,
    Object(&'static ObjectSchema),
    ArrayOf(&'static Type),
    /// Any object, not checked further.
    AnyObject,
    /// Anything.
    Any,
}

/// A documented set of strings: `what` names it in messages ("asset type", "status").
#[derive(Debug)]
pub struct Vocabulary {
    pub what: &'static str,
    pub values: &'static [&'static str],
}

impl Vocabulary {
    pub fn contains(&self, s: &str) -> bool {
        self.values.contains(&s)
    }
}

#[derive(Debug)]
pub struct Field {
    pub name: &'static str,
    pub ty: Type,
    pub required: bool,
    /// A v1-only field seen in a v2 payload: a `field.deprecated` warning.
    pub deprecated: bool,
}

impl Field {
    pub const fn required(name: &'static str, ty: Type) -> Field {
        Field {
            name,
            ty,
            required: true,
            deprecated: false,
        }
    }

    pub const fn optional(name: &'static str, ty: Type) -> Field {
        Field {
            name,
            ty,
            required: false,
            deprecated: false,
        }
    }

    pub const fn deprecated(name: &'static str, ty: Type) -> Field {
        Field {
            name,
            ty,
            required: false,
            deprecated: true,
        }
    }
}

/// What an object may hold besides its listed fields.
#[derive(Debug)]
pub enum Others {
    /// Nothing else is documented: in strict mode each other field is a `field.unknown` warning.
    Undocumented,
    /// Fields whose names start with this prefix are documented (custom fields) and of this type.
    Prefixed(&'static str, &'static Type),
    /// Any other field is documented and may hold anything.
    Open,
}

#[derive(Debug)]
pub struct ObjectSchema {
    /// Groups of fields, so that kinds can share tables (a LeadSquared record is a lead's fields
    /// plus an activity's).
    pub fields: &'static [&'static [Field]],
    pub others: Others,
}

impl ObjectSchema {
    pub fn field(&self, name: &str) -> Option<&'static Field> {
        self.fields
            .iter()
            .flat_map(|g| g.iter())
            .find(|f| f.name == name)
    }

    pub fn all_fields(&self) -> impl Iterator<Item = &'static Field> {
        self.fields.iter().flat_map(|g| g.iter())
    }
}

/// Collects issues while walking a payload. The path is kept as a stack of borrowed steps and
/// written out as a JSON Pointer only when an issue needs it, so a valid payload costs no
/// pointer building at all.
pub struct Checker<'v> {
    pub strict: bool,
    pub errors: Vec<Issue>,
    pub warnings: Vec<Issue>,
    /// Whether any object in the document repeats a key; when none does, subtrees that no
    /// schema describes are not walked at all.
    pub duplicates_possible: bool,
    path: Vec<Step<'v>>,
}

impl<'v> Checker<'v> {
    pub fn new(strict: bool) -> Checker<'v> {
        Checker {
            strict,
            errors: Vec::new(),
            warnings: Vec::new(),
            duplicates_possible: true,
            path: Vec::new(),
        }
    }

    fn pointer(&self) -> String {
        pointer(&self.path)
    }

    pub fn error(&mut self, code: Code, message: impl Into<String>) {
        let issue = Issue::new(code, self.pointer(), message);
        self.errors.push(issue);
    }

    pub fn warning(&mut self, code: Code, message: impl Into<String>) {
        let issue = Issue::new(code, self.pointer(), message);
        self.warnings.push(issue);
    }

    /// A `field.enum` issue: a warning, or an error in strict mode.
    pub fn unknown_value(&mut self, message: String) {
        if self.strict {
            self.error(Code::FieldEnum, message);
        } else {
            self.warning(Code::FieldEnum, message);
        }
    }

    /// Runs `f` with `key` appended to the path.
    pub fn at<R>(&mut self, key: &'v str, f: impl FnOnce(&mut Checker<'v>) -> R) -> R {
        self.path.push(Step::Key(Cow::Borrowed(key)));
        let r = f(self);
        self.path.pop();
        r
    }

    pub fn at_index<R>(&mut self, i: usize, f: impl FnOnce(&mut Checker<'v>) -> R) -> R {
        self.path.push(Step::Index(i));
        let r = f(self);
        self.path.pop();
        r
    }

    fn type_error(&mut self, expected: &str, found: &'v Value) {
        self.error(
            Code::FieldType,
            format!("expected {expected}, found {}", found.type_name()),
        );
        // A value of the wrong type may still repeat keys inside; that is its own issue.
        self.scan_duplicates(found);
    }

    /// Checks `value` against `ty` at the current path.
    pub fn check(&mut self, value: &'v Value, ty: &Type) {
        match (ty, value) {
            (Type::Any, v) => self.scan_duplicates(v),
            (Type::String, Value::String(_)) => {}
            (Type::String, v) => self.type_error("a string", v),
            (Type::Boolean, Value::Bool(_)) => {}
            (Type::Boolean, v) => self.type_error("a boolean", v),
            (Type::Number, Value::Number(_)) => {}
            (Type::Number, v) => self.type_error("a number", v),
            (Type::Numeric, Value::Number(_)) => {}
            (Type::Numeric, Value::String(s)) => {
                if !is_numeric_string(s) {
                    self.error(
                        Code::FieldType,
                        "expected a number or a string holding a number",
                    );
                }
            }
            (Type::Numeric, v) => self.type_error("a number or a numeric string", v),
            (Type::Scalar, Value::Array(_) | Value::Object(_)) => {
                self.type_error("a string, number, boolean or null", value)
            }
            (Type::Scalar, _) => {}
            (Type::IsoDate, Value::String(s)) => {
                if !formats::is_iso8601(s) {
                    self.error(
                        Code::FieldFormat,
                        "expected an ISO-8601 date such as 2024-03-01T10:00:00.000Z",
                    );
                }
            }
            (Type::LeadSquaredDate, Value::String(s)) => {
                if !formats::is_leadsquared_datetime(s) {
                    self.error(
                        Code::FieldFormat,
                        "expected a date as YYYY-MM-DD HH:MM:SS[.fff]",
                    );
                }
            }
            (Type::Url, Value::String(s)) => {
                if !formats::is_http_url(s) {
                    self.error(Code::FieldFormat, "expected an absolute http(s) URL");
                }
            }
            (Type::IsoDate | Type::LeadSquaredDate | Type::Url, v) => {
                self.type_error("a string", v)
            }
            (Type::Enum(vocab), Value::String(s)) => {
                if !vocab.contains(s) {
                    self.unknown_value(format!(
                        "\"{}\" is not a documented {}",
                        s.as_ref(),
                        vocab.what
                    ));
                }
            }
            (Type::Enum(_), v) => self.type_error("a string", v),
            (Type::NumberEnum(known, what), Value::Number(n)) => {
                if !known.iter().any(|&k| value.is_number(k)) {
                    self.unknown_value(format!("{n} is not a known {what}"));
                }
            }
            (Type::NumberEnum(..), v) => self.type_error("a number", v),
            (Type::StringOrStrings, Value::String(_)) => {}
            (Type::StringOrStrings, Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    self.at_index(i, |c| c.check(item, &Type::String));
                }
            }
            (Type::StringOrStrings, v) => self.type_error("a string or an array of strings", v),
            (Type::Object(schema), Value::Object(_)) => self.object(value, schema),
            (Type::AnyObject, Value::Object(_)) => self.scan_duplicates(value),
            (Type::Object(_) | Type::AnyObject, v) => self.type_error("an object", v),
            (Type::ArrayOf(item_ty), Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    self.at_index(i, |c| c.check(item, item_ty));
                }
            }
            (Type::ArrayOf(_), v) => self.type_error("an array", v),
        }
    }

    /// Checks an object against `schema`: missing required fields, then each member in order.
    pub fn object(&mut self, value: &'v Value, schema: &ObjectSchema) {
        let Value::Object(members) = value else {
            self.type_error("an object", value);
            return;
        };
        for field in schema.all_fields().filter(|f| f.required) {
            if value.get(field.name).is_none() {
                self.at(field.name, |c| {
                    c.error(
                        Code::FieldMissing,
                        format!("required field `{}` is missing", field.name),
                    )
                });
            }
        }
        let repeated = self.repeated_keys(members);
        for (i, (key, v)) in members.iter().enumerate() {
            self.at(key, |c| {
                if repeated.get(i).copied().unwrap_or(false) {
                    c.duplicate(key);
                }
                match schema.field(key) {
                    Some(field) => {
                        if v.is_null() && !field.required {
                            return;
                        }
                        if field.deprecated {
                            c.warning(
                                Code::FieldDeprecated,
                                format!("`{key}` is a v1 field that v2 no longer sends"),
                            );
                        }
                        if !field.required && is_empty_string(v) && is_format(&field.ty) {
                            return;
                        }
                        c.check(v, &field.ty);
                    }
                    None => match &schema.others {
                        Others::Prefixed(prefix, ty) if key.starts_with(prefix) => c.check(v, ty),
                        Others::Open => c.scan_duplicates(v),
                        _ => {
                            if c.strict {
                                c.warning(
                                    Code::FieldUnknown,
                                    format!("`{key}` is not a documented field"),
                                );
                            }
                            c.scan_duplicates(v);
                        }
                    },
                }
            });
        }
    }

    fn duplicate(&mut self, key: &str) {
        self.error(
            Code::JsonDuplicateKey,
            format!("the key \"{key}\" appears more than once in this object; JSON parsers disagree on which value wins"),
        );
    }

    /// Marks each member whose key already appeared earlier in the same object.
    fn repeated_keys(&self, members: &[(std::borrow::Cow<str>, Value)]) -> Vec<bool> {
        if !self.duplicates_possible || members.len() < 2 {
            return Vec::new();
        }
        let mut repeated = vec![false; members.len()];
        if members.len() <= 16 {
            for i in 1..members.len() {
                repeated[i] = members[..i].iter().any(|(k, _)| *k == members[i].0);
            }
        } else {
            // Sorting keeps a hostile object with many keys at n log n.
            let mut order: Vec<usize> = (0..members.len()).collect();
            order.sort_by(|&a, &b| members[a].0.cmp(&members[b].0).then(a.cmp(&b)));
            for w in order.windows(2) {
                if members[w[0]].0 == members[w[1]].0 {
                    repeated[w[1]] = true;
                }
            }
        }
        repeated
    }

    /// Reports repeated keys inside a value no schema describes.
    pub fn scan_duplicates(&mut self, value: &'v Value) {
        if !self.duplicates_possible {
            return;
        }
        match value {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    if matches!(item, Value::Array(_) | Value::Object(_)) {
                        self.at_index(i, |c| c.scan_duplicates(item));
                    }
                }
            }
            Value::Object(members) => {
                let repeated = self.repeated_keys(members);
                for (i, (key, v)) in members.iter().enumerate() {
                    let dup = repeated.get(i).copied().unwrap_or(false);
                    if dup || matches!(v, Value::Array(_) | Value::Object(_)) {
                        self.at(key, |c| {
                            if dup {
                                c.duplicate(key);
                            }
                            c.scan_duplicates(v);
                        });
                    }
                }
            }
            _ => {}
        }
    }
}

/// Whether any object in `value` repeats a key (so that the walk knows to look).
pub fn has_duplicate_keys(value: &Value) -> bool {
    match value {
        Value::Array(items) => items.iter().any(has_duplicate_keys),
        Value::Object(members) => {
            let repeated = if members.len() <= 16 {
                (1..members.len()).any(|i| members[..i].iter().any(|(k, _)| *k == members[i].0))
            } else {
                let mut keys: Vec<&str> = members.iter().map(|(k, _)| k.as_ref()).collect();
                keys.sort_unstable();
                keys.windows(2).any(|w| w[0] == w[1])
            };
            repeated || members.iter().any(|(_, v)| has_duplicate_keys(v))
        }
        _ => false,
    }
}

fn is_format(ty: &Type) -> bool {
    matches!(ty, Type::IsoDate | Type::LeadSquaredDate | Type::Url)
}

fn is_empty_string(v: &Value) -> bool {
    matches!(v, Value::String(s) if s.is_empty())
}

/// `""`, or a decimal number as LeadSquared writes them in strings: `"3"`, `"-1.5"`, `"2e3"`.
pub fn is_numeric_string(s: &str) -> bool {
    let t = s.trim();
    t.is_empty()
        || (t
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'))
            && t.bytes().any(|b| b.is_ascii_digit())
            && is_decimal(t))
}

/// `[+-]digits[.digits][e[+-]digits]`, where either side of the point may be empty but not both.
fn is_decimal(t: &str) -> bool {
    let b = t.strip_prefix(['+', '-']).unwrap_or(t).as_bytes();
    let (mantissa, exp) = match b.iter().position(|&c| c == b'e' || c == b'E') {
        Some(i) => (&b[..i], Some(&b[i + 1..])),
        None => (b, None),
    };
    let (int, frac) = match mantissa.iter().position(|&c| c == b'.') {
        Some(i) => (&mantissa[..i], &mantissa[i + 1..]),
        None => (mantissa, &b""[..]),
    };
    let digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    let exp_ok = match exp {
        None => true,
        Some(e) => {
            let e = e
                .strip_prefix(b"+")
                .or_else(|| e.strip_prefix(b"-"))
                .unwrap_or(e);
            !e.is_empty() && digits(e)
        }
    };
    (!int.is_empty() || !frac.is_empty()) && digits(int) && digits(frac) && exp_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_strings() {
        for ok in ["", "0", "3142", "-1.5", "2e3", " 7 "] {
            assert!(is_numeric_string(ok), "{ok}");
        }
        for bad in ["abc", "inf", "NaN", "1,5", "-", "."] {
            assert!(!is_numeric_string(bad), "{bad}");
        }
    }
}
