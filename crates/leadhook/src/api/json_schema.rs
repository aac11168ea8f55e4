//! `schema(kind)`: a JSON Schema (draft 2020-12) of each kind, generated from the same field
//! tables the validator checks, so the two cannot drift apart.
//!
//! The schema describes what validates with default options: vocabularies are `examples`
//! (an unknown value is only a warning), undocumented fields are allowed, optional fields may
//! be `null`, and an optional date or URL may be `""`. Date and URL checks are patterns that
//! approximate leadhook's own (which also checks, say, the day of the month).

use std::fmt::Write as _;

use crate::base::json::{write_array, write_string};
use crate::engine::rules::{Field, ObjectSchema, Others, Presence, Type};
use crate::Kind;

const ISO_DATE: &str =
    r"^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?([Zz]|[+-]\d{2}(:?\d{2})?)?)?$";
const LEADSQUARED_DATE: &str = r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,9})?$";
const HTTP_URL: &str = r"^[Hh][Tt][Tt][Pp][Ss]?://[^\s/?#@]*@?[^\s/?#]+([/?#]\S*)?$";
const NUMERIC_STRING: &str = r"^\s*([+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)?\s*$";

/// The JSON Schema of `kind`, as JSON text.
#[inline(never)]
pub fn of(kind: Kind) -> String {
    let spec = kind.spec();
    let mut out =
        String::from("{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"title\":");
    let about = spec.kind.about();
    write_string(&mut out, about.title);
    out.push_str(",\"description\":");
    write_string(&mut out, about.description);
    let body = type_schema(spec.root, false);
    // Merge the body's members into the outer object.
    let inner = body.strip_prefix('{').unwrap_or(&body);
    out.push(',');
    out.push_str(inner);
    out
}

fn string_list(out: &mut String, items: &[&str]) {
    write_array(out, items, |out, s| write_string(out, s));
}

fn object(schema: &ObjectSchema) -> String {
    let mut out = String::from("{\"type\":\"object\",\"properties\":{");
    for (i, field) in schema.all_fields().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_string(&mut out, field.name);
        out.push(':');
        out.push_str(&field_schema(field));
    }
    out.push('}');
    let required: Vec<&str> = schema
        .all_fields()
        .filter(|f| f.presence == Presence::Required)
        .map(|f| f.name)
        .collect();
    if !required.is_empty() {
        out.push_str(",\"required\":");
        string_list(&mut out, &required);
    }
    if let Others::Prefixed(prefix, ty) = &schema.others {
        out.push_str(",\"patternProperties\":{");
        write_string(&mut out, &format!("^{prefix}"));
        out.push(':');
        out.push_str(&type_schema(ty, false));
        out.push('}');
    }
    out.push('}');
    out
}

fn field_schema(field: &Field) -> String {
    let s = type_schema(&field.ty, !field.is_required());
    if field.presence == Presence::Deprecated {
        format!(
            "{},\"deprecated\":true}}",
            s.strip_suffix('}').unwrap_or(&s)
        )
    } else {
        s
    }
}

/// The schema of one type; `optional` lets `null` through (and `""` for dates and URLs).
fn type_schema(ty: &Type, optional: bool) -> String {
    let null = if optional { ",\"null\"" } else { "" };
    let pattern = |p: &str| {
        let mut s = format!("{{\"type\":[\"string\"{null}],\"pattern\":");
        if optional {
            write_string(&mut s, &format!("^$|{p}"));
        } else {
            write_string(&mut s, p);
        }
        s.push('}');
        s
    };
    match ty {
        Type::String => format!("{{\"type\":[\"string\"{null}]}}"),
        Type::Boolean => format!("{{\"type\":[\"boolean\"{null}]}}"),
        Type::Number => format!("{{\"type\":[\"number\"{null}]}}"),
        Type::Numeric => {
            let mut s = format!("{{\"type\":[\"number\",\"string\"{null}],\"pattern\":");
            write_string(&mut s, NUMERIC_STRING);
            s.push('}');
            s
        }
        Type::Scalar => "{\"type\":[\"string\",\"number\",\"boolean\",\"null\"]}".to_owned(),
        Type::IsoDate => pattern(ISO_DATE),
        Type::IsoDateOrMillis => {
            let date = pattern(ISO_DATE);
            format!("{{\"anyOf\":[{date},{{\"type\":\"number\"}}]}}")
        }
        Type::LeadSquaredDate => pattern(LEADSQUARED_DATE),
        Type::Url => pattern(HTTP_URL),
        Type::Enum(vocab) => {
            let mut s = format!("{{\"type\":[\"string\"{null}],\"examples\":");
            string_list(&mut s, vocab.values);
            s.push('}');
            s
        }
        Type::NumberEnum(values, _) => {
            let list: Vec<String> = values.iter().map(|v| format!("{v}")).collect();
            format!(
                "{{\"type\":[\"number\"{null}],\"examples\":[{}]}}",
                crate::base::text::join(&list, ",")
            )
        }
        Type::StringOrStrings => {
            format!("{{\"type\":[\"string\",\"array\"{null}],\"items\":{{\"type\":\"string\"}}}}")
        }
        Type::Object(schema) => with_null(object(schema), optional),
        Type::OneOrMany(schema) => {
            let one = object(schema);
            format!("{{\"anyOf\":[{one},{{\"type\":\"array\",\"items\":{one}}}]}}")
        }
        Type::ByMember(choice) => {
            // The object as `otherwise` describes it, and for each case an if/then: every
            // case's `then` is checked whenever its `if` holds (cases list distinct values).
            let key = choice.key;
            let otherwise = object(choice.otherwise);
            let mut out = otherwise.strip_suffix('}').unwrap_or(&otherwise).to_owned();
            out.push_str(",\"allOf\":[");
            for (i, case) in choice.cases.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                let mut values = String::new();
                string_list(&mut values, case.values);
                let then = object(case.schema);
                let _ = write!(
                    out,
                    "{{\"if\":{{\"properties\":{{\"{key}\":{{\"enum\":{values}}}}},\"required\":[\"{key}\"]}},\"then\":{then}}}"
                );
            }
            out.push_str("]}");
            out
        }
        Type::Version => {
            "{\"anyOf\":[{\"type\":\"number\"},{\"const\":\"2\"}],\"examples\":[2]}".to_owned()
        }
        Type::ArrayOf(item) => with_null(
            format!(
                "{{\"type\":\"array\",\"items\":{}}}",
                type_schema(item, false)
            ),
            optional,
        ),
        Type::AnyObject => format!("{{\"type\":[\"object\"{null}]}}"),
        Type::Any => "true".to_owned(),
    }
}

fn with_null(schema: String, optional: bool) -> String {
    if optional {
        format!("{{\"anyOf\":[{{\"type\":\"null\"}},{schema}]}}")
    } else {
        schema
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_gives_valid_json() {
        for kind in Kind::all() {
            let text = of(kind);
            let v = crate::engine::walker::tree(&text, 64)
                .unwrap_or_else(|e| panic!("{kind}: {e:?}\n{text}"));
            assert!(v.get("$schema").is_some(), "{kind}");
        }
    }
}
