//! The rules of a payload kind, as data: what each field's value must be, which fields are
//! required, what else an object may hold. Each kind states its tables once (`kinds/`);
//! [`crate::engine::walker`] is the one interpreter that applies them, [`crate::api::json_schema`] turns them
//! into JSON Schema and [`crate::flatten`] derives its keys from them.

use crate::base::json::same;

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
    /// An ISO-8601 string, or a number of Unix milliseconds (the signed lead events' REST API
    /// sends the same fields that way).
    IsoDateOrMillis,
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
    /// Leadsie v2's `apiVersion`: the number 2. A larger number is read as v2 with a
    /// `field.enum` warning, the string `"2"` with a `field.type` warning.
    Version,
    /// An object of this schema, or an array of them (a LeadSquared body, one record or bulk).
    OneOrMany(&'static ObjectSchema),
    /// An object whose schema depends on one of its string members (a lead event's `event`).
    /// Only a payload's top level is of this type: detection reads that member first.
    ByMember(&'static Choice),
    Object(&'static ObjectSchema),
    ArrayOf(&'static Type),
    /// Any object, not checked further.
    AnyObject,
    /// Anything.
    Any,
}

impl Type {
    /// What a value of this type must be, as a message says it ("a string").
    pub fn description(&self) -> &'static str {
        match self {
            Type::String | Type::IsoDate | Type::LeadSquaredDate | Type::Url | Type::Enum(_) => {
                "a string"
            }
            Type::Boolean => "a boolean",
            Type::IsoDateOrMillis => "an ISO-8601 date or a number of milliseconds",
            Type::Number | Type::NumberEnum(..) | Type::Version => "a number",
            Type::Numeric => "a number or a numeric string",
            Type::Scalar => "a string, number, boolean or null",
            Type::StringOrStrings => "a string or an array of strings",
            Type::Object(_) | Type::AnyObject | Type::ByMember(_) => "an object",
            Type::OneOrMany(_) => "an object or an array of objects",
            Type::ArrayOf(_) => "an array",
            Type::Any => "any value",
        }
    }
}

/// A table's line for people, which only the generated TypeScript types show
/// (`typescript.rs`): kept in native builds, left out of the `.wasm`.
#[cfg(not(target_arch = "wasm32"))]
pub type Doc = &'static str;
#[cfg(target_arch = "wasm32")]
pub type Doc = ();

/// A [`Doc`] of `text`.
#[cfg(not(target_arch = "wasm32"))]
pub const fn doc(text: &'static str) -> Doc {
    text
}
#[cfg(target_arch = "wasm32")]
pub const fn doc(_text: &'static str) -> Doc {}

/// A name in the TypeScript types (`LeadsieV2Asset`): like a [`Doc`], read by build-time tools
/// only, so not in the `.wasm`.
#[cfg(not(target_arch = "wasm32"))]
pub type TypeName = &'static str;
#[cfg(target_arch = "wasm32")]
pub type TypeName = ();

/// A [`TypeName`] of `name`.
#[cfg(not(target_arch = "wasm32"))]
pub const fn type_name(name: &'static str) -> TypeName {
    name
}
#[cfg(target_arch = "wasm32")]
pub const fn type_name(_name: &'static str) -> TypeName {}

/// A documented set of strings: `what` names it in messages ("asset type", "status").
#[derive(Debug)]
pub struct Vocabulary {
    pub what: &'static str,
    pub values: &'static [&'static str],
    /// Its name in the TypeScript types (`ConnectionStatus`), and a line for people.
    pub name: TypeName,
    pub doc: Doc,
}

impl Vocabulary {
    pub fn contains(&self, s: &str) -> bool {
        self.values.contains(&s)
    }
}

/// Whether a field must be there, and how much its value matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// Absent or `null`: an error. A wrong type or format: an error.
    Required,
    /// Documented as always sent, but vendors drop it: absent is a `field.missing` warning;
    /// otherwise as `Required`.
    Expected,
    /// May be absent; `null` (and `""` for a date or URL) counts as absent. A wrong type or
    /// format: a warning, an error under `strict`.
    Optional,
    /// A v1-only field seen in a v2 payload: a `field.deprecated` warning, else as `Optional`.
    Deprecated,
}

#[derive(Debug)]
pub struct Field {
    pub name: &'static str,
    pub ty: Type,
    pub presence: Presence,
    /// A line for people, in the TypeScript types (a date or URL says so by itself).
    pub doc: Doc,
}

impl Field {
    pub const fn required(name: &'static str, ty: Type) -> Field {
        Field {
            name,
            ty,
            presence: Presence::Required,
            doc: doc(""),
        }
    }

    pub const fn expected(name: &'static str, ty: Type) -> Field {
        Field {
            name,
            ty,
            presence: Presence::Expected,
            doc: doc(""),
        }
    }

    pub const fn optional(name: &'static str, ty: Type) -> Field {
        Field {
            name,
            ty,
            presence: Presence::Optional,
            doc: doc(""),
        }
    }

    pub const fn deprecated(name: &'static str, ty: Type) -> Field {
        Field {
            name,
            ty,
            presence: Presence::Deprecated,
            doc: doc(""),
        }
    }

    /// The field with a line for people.
    #[must_use]
    pub const fn doc(self, text: &'static str) -> Field {
        Field {
            doc: doc(text),
            ..self
        }
    }

    /// Whether an object without it is incomplete (`Required` or `Expected`).
    pub fn is_required(&self) -> bool {
        matches!(self.presence, Presence::Required | Presence::Expected)
    }
}

/// The schema of an object, chosen by one of its string members, `key`: the first case that
/// lists its value, else `otherwise`.
#[derive(Debug)]
pub struct Choice {
    pub key: &'static str,
    pub cases: &'static [Case],
    pub otherwise: &'static ObjectSchema,
}

/// The values of the choosing member that select `schema`, and their TypeScript name
/// (`LeadPayloadEventName`).
#[derive(Debug)]
pub struct Case {
    pub values: &'static [&'static str],
    pub name: TypeName,
    pub schema: &'static ObjectSchema,
}

impl Choice {
    /// The schema for a member `key` holding `value` (`None`: absent or not a string).
    pub fn pick(&self, value: Option<&str>) -> &'static ObjectSchema {
        value
            .and_then(|v| self.cases.iter().find(|c| c.values.contains(&v)))
            .map_or(self.otherwise, |c| c.schema)
    }

    /// Every schema it may choose.
    pub fn schemas(&self) -> impl Iterator<Item = &'static ObjectSchema> + '_ {
        self.cases.iter().map(|c| c.schema).chain([self.otherwise])
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
    /// Its name in the TypeScript types (`LeadsieV2Asset`), and a line for people.
    pub name: TypeName,
    pub doc: Doc,
    /// Groups of fields, so that kinds can share tables (a LeadSquared record is a lead's fields
    /// plus an activity's).
    pub fields: &'static [&'static [Field]],
    pub others: Others,
}

impl ObjectSchema {
    pub fn field(&self, name: &str) -> Option<&'static Field> {
        self.place(name).map(|(_, f)| f)
    }

    /// The field named `key`, with its place among all the schema's fields (the first, if a
    /// name is listed twice).
    pub fn place(&self, key: &str) -> Option<(usize, &'static Field)> {
        let mut base = 0;
        for group in self.fields {
            if let Some(i) = group.iter().position(|f| same(f.name, key)) {
                return group.get(i).map(|f| (base + i, f));
            }
            base += group.len();
        }
        None
    }

    /// The field at place `i` among all the schema's fields.
    pub fn field_at(&self, mut i: usize) -> Option<&'static Field> {
        for group in self.fields {
            if let Some(f) = group.get(i) {
                return Some(f);
            }
            i -= group.len();
        }
        None
    }

    pub fn all_fields(&self) -> impl Iterator<Item = &'static Field> {
        self.fields.iter().flat_map(|g| g.iter())
    }
}

pub fn is_format(ty: &Type) -> bool {
    matches!(
        ty,
        Type::IsoDate | Type::IsoDateOrMillis | Type::LeadSquaredDate | Type::Url
    )
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
    let (mantissa, exp) = crate::base::json::split_once(b, |c| c == b'e' || c == b'E');
    let (int, frac) = crate::base::json::split_once(mantissa, |c| c == b'.');
    let frac = frac.unwrap_or_default();
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
