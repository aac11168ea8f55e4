//! The payload part of `index.d.ts`, written from the kinds' tables, so that the types users
//! compile against are the rules `validate` applies. `scripts/build.sh` puts it where the
//! template says `/* @payload-types */`; `tsc --strict` checks it in the Node tests.
//!
//! Each object table is an interface, each vocabulary an open union (`(string & {})` keeps the
//! documented values as suggestions while any other string still type-checks: an unknown value
//! is only a warning). Optional fields may be absent or `null`. Unknown fields are kept by
//! `parse`, hence the index signatures. A schema chosen by a member (a lead event's `event`) is a
//! union discriminated by that member, so that checking it narrows what the event carries; its
//! unlisted values have a type of their own (`UndocumentedEvent`), since a member typed `string`
//! would be kept by every such check.

use std::fmt::Write as _;

use leadhook::tables::{Choice, Field, ObjectSchema, Others, Presence, Type, Vocabulary};
use leadhook::KINDS;

/// The types of every kind's payload, with `Kind` and `Payload` (kind → payload type).
pub fn payload_types() -> String {
    let mut w = Writer::default();
    let names: Vec<String> = KINDS.iter().map(|s| format!("\"{}\"", s.name)).collect();
    let _ = writeln!(w.out, "/** A payload kind, as `detect` names it. */");
    let _ = writeln!(w.out, "export type Kind = {};\n", names.join(" | "));
    let codes: Vec<String> = leadhook::Code::ALL
        .iter()
        .map(|c| format!("  | \"{}\"", c.as_str()))
        .collect();
    let _ = writeln!(
        w.out,
        "/** What is wrong (docs/api.md's table says what each means). Codes never change meaning; messages may change. */\n\
         export type IssueCode =\n{};\n",
        codes.join("\n")
    );
    w.out.push_str(
        "/** A number, or a string holding one (`\"0\"`, `\"3142\"`, `\"\"`), as LeadSquared sends them. */\n\
         export type LeadSquaredNumeric = number | string;\n\n\
         /** A custom field's value (`mx_*`). */\n\
         export type LeadSquaredScalar = string | number | boolean | null;\n\n",
    );
    for spec in KINDS.iter().rev() {
        let about = spec.kind.about();
        w.root(about.type_name, about.description, spec.root);
    }
    w.out
        .push_str("/** The data of each kind. */\nexport interface Payload {\n");
    for spec in KINDS {
        let _ = writeln!(
            w.out,
            "  \"{}\": {};",
            spec.name,
            spec.kind.about().type_name
        );
    }
    w.out.push_str("}\n");
    w.out
}

#[derive(Default)]
struct Writer {
    out: String,
    /// The names already written.
    done: Vec<&'static str>,
}

impl Writer {
    fn root(&mut self, name: &'static str, title: &str, ty: &'static Type) {
        match ty {
            Type::Object(schema) => {
                self.object(schema);
                if schema.name != name {
                    let _ = writeln!(
                        self.out,
                        "/** {title}. */\nexport type {name} = {};\n",
                        schema.name
                    );
                }
            }
            Type::OneOrMany(schema) => {
                self.object(schema);
                let one = schema.name;
                let _ = writeln!(
                    self.out,
                    "/** {title}. */\nexport type {name} = {one} | {one}[];\n"
                );
            }
            Type::ByMember(choice) => self.choice(name, choice),
            _ => {}
        }
    }

    /// Writes what `ty` refers to (objects, vocabularies) before its user; returns its type.
    fn ts(&mut self, ty: &'static Type) -> String {
        match ty {
            Type::String | Type::IsoDate | Type::LeadSquaredDate | Type::Url => "string".into(),
            Type::Boolean => "boolean".into(),
            Type::Number | Type::NumberEnum(..) => "number".into(),
            Type::IsoDateOrMillis => "string | number".into(),
            Type::Version => "number | \"2\"".into(),
            Type::Numeric => "LeadSquaredNumeric".into(),
            Type::Scalar => "LeadSquaredScalar".into(),
            Type::StringOrStrings => "string | string[]".into(),
            Type::Enum(vocab) => {
                self.vocabulary(vocab);
                vocab.name.into()
            }
            Type::Object(schema) | Type::OneOrMany(schema) => {
                self.object(schema);
                schema.name.into()
            }
            Type::ByMember(choice) => {
                self.object(choice.otherwise);
                choice.otherwise.name.into()
            }
            Type::ArrayOf(item) => {
                let t = self.ts(item);
                if t.contains(' ') {
                    format!("({t})[]")
                } else {
                    format!("{t}[]")
                }
            }
            Type::AnyObject => "{ [key: string]: unknown }".into(),
            Type::Any => "unknown".into(),
        }
    }

    fn first_time(&mut self, name: &'static str) -> bool {
        if self.done.contains(&name) {
            return false;
        }
        self.done.push(name);
        true
    }

    fn vocabulary(&mut self, vocab: &'static Vocabulary) {
        if !self.first_time(vocab.name) {
            return;
        }
        let _ = write!(
            self.out,
            "/** {} */\nexport type {} =\n",
            vocab.doc, vocab.name
        );
        for v in vocab.values {
            let _ = writeln!(self.out, "  | \"{v}\"");
        }
        self.out.push_str("  | (string & {});\n\n");
    }

    /// The members of `schema`, as lines, with `key`'s type replaced by `over` when given.
    fn members(
        &mut self,
        schema: &'static ObjectSchema,
        over: &dyn Fn(&Field) -> Option<String>,
    ) -> String {
        let mut body = String::new();
        for field in schema.all_fields() {
            let ty = match over(field) {
                Some(t) => t,
                None => self.ts(&field.ty),
            };
            let doc = match (field.doc, &field.ty) {
                ("", Type::IsoDate) => "ISO-8601 date.",
                ("", Type::IsoDateOrMillis) => "ISO-8601 date, or Unix milliseconds.",
                ("", Type::Url) => "Absolute http(s) URL.",
                (doc, _) => doc,
            };
            match (field.presence, doc) {
                (Presence::Deprecated, doc) => {
                    let _ = writeln!(body, "  /** @deprecated A v1 field that v2 no longer sends (a `field.deprecated` warning). {doc} */");
                }
                (_, "") => {}
                (_, doc) => {
                    let _ = writeln!(body, "  /** {doc} */");
                }
            }
            let _ = match field.presence {
                Presence::Required => writeln!(body, "  {}: {ty};", field.name),
                Presence::Expected => writeln!(body, "  {}?: {ty};", field.name),
                Presence::Optional | Presence::Deprecated => {
                    writeln!(body, "  {}?: {ty} | null;", field.name)
                }
            };
        }
        if let Others::Prefixed(prefix, ty) = &schema.others {
            let t = self.ts(ty);
            let _ = writeln!(
                body,
                "  /** Custom fields. */\n  [key: `{prefix}${{string}}`]: {t} | undefined;"
            );
        }
        body.push_str("  [key: string]: unknown;\n");
        body
    }

    fn object(&mut self, schema: &'static ObjectSchema) {
        if !self.first_time(schema.name) {
            return;
        }
        let body = self.members(schema, &|_| None);
        let _ = write!(
            self.out,
            "/** {} */\nexport interface {} {{\n{body}}}\n\n",
            schema.doc, schema.name
        );
    }

    /// A union discriminated by the member that chooses the schema: `LeadEvent<E>`, one member
    /// per listed value of `E` (`LeadEventOf<E, D>`, whose `payload` is a lead when `E` is a
    /// lead event), so that checking the member narrows what the event carries.
    fn choice(&mut self, name: &'static str, choice: &'static Choice) {
        if !self.first_time(name) {
            return;
        }
        let key = choice.key;
        let key_vocab = match choice.otherwise.field(key).map(|f| &f.ty) {
            Some(Type::Enum(vocab)) => {
                self.vocabulary(vocab);
                vocab.name
            }
            _ => "string",
        };
        self.undocumented(key);
        let varying = self.varying(choice);
        let param = |i: usize| {
            if varying.len() == 1 {
                "D".to_owned()
            } else {
                format!("D{}", i + 1)
            }
        };
        // The types of the varying fields in a shape, in `varying`'s order.
        let types_of = |w: &mut Self, schema: &'static ObjectSchema| -> Vec<String> {
            varying
                .iter()
                .map(|n| {
                    schema
                        .field(n)
                        .map_or("unknown".to_owned(), |f| w.ts(&f.ty))
                })
                .collect()
        };
        let said = |types: &[String]| -> String {
            let parts: Vec<String> = varying
                .iter()
                .zip(types)
                .map(|(n, t)| format!("`{n}` is a `{t}`"))
                .collect();
            parts.join(" and ")
        };
        let mut arms = Vec::new();
        for case in choice.cases {
            let types = types_of(self, case.schema);
            let values: Vec<String> = case.values.iter().map(|v| format!("\"{v}\"")).collect();
            let _ = write!(
                self.out,
                "/** The `{key}` values of `{name}` whose {}. */\nexport type {} = {};\n\n",
                said(&types),
                case.name,
                values.join(" | ")
            );
            arms.push(format!(
                "E extends {} ? {name}Of<E, {}>",
                case.name,
                types.join(", ")
            ));
        }
        let otherwise = types_of(self, choice.otherwise).join(", ");
        arms.push(format!(
            "string extends E ? {name}Of<{UNDOCUMENTED}, {otherwise}>"
        ));
        arms.push(format!("{name}Of<E, {otherwise}>"));

        let params: Vec<String> = (0..varying.len()).map(param).collect();
        let body = self.members(choice.otherwise, &|f| {
            if f.name == key {
                return Some("E".to_owned());
            }
            varying.iter().position(|n| *n == f.name).map(param)
        });
        let shape = choice.otherwise.doc.trim_end_matches('.');
        let fields: Vec<String> = varying.iter().map(|n| format!("`{n}`")).collect();
        let _ = write!(
            self.out,
            "/** {shape} whose `{key}` is `E` and whose {} typed by `{}`: one member of `{name}`. */\nexport interface {name}Of<E extends string, {}> {{\n{body}}}\n\n",
            if varying.len() == 1 { format!("{} is", fields.join("")) } else { format!("{} are", fields.join(" and ")) },
            params.join("`, `"),
            params.join(", "),
        );
        let first = choice
            .cases
            .first()
            .and_then(|c| c.values.first())
            .copied()
            .unwrap_or("…");
        let _ = write!(
            self.out,
            "/**\n * {shape}: a union discriminated by `{key}`, so that checking `{key}` against a listed value narrows\n * {} (`{name}<\"{first}\">` is one event's type; an unlisted one's `{key}` is `{UNDOCUMENTED}`).\n */\nexport type {name}<E extends string = {key_vocab}> =\n  {};\n\n",
            fields.join(" and "),
            arms.join("\n  : ")
        );
    }

    /// The type of a choosing member's value that the tables do not list (written once).
    fn undocumented(&mut self, key: &str) {
        if self.first_time(UNDOCUMENTED) {
            let _ = write!(
                self.out,
                "/**\n * An event's `{key}` that the kind's tables do not list (a `field.enum` warning; an error with\n * `strict`): any string. Its pattern matches no listed value, so that checking `{key}` against one\n * narrows the event; read it as a `string` to compare it with a value of your own.\n */\nexport type {UNDOCUMENTED} = `${{string}} (undocumented)`;\n\n"
            );
        }
    }

    /// The fields whose type differs between the shapes of `choice`: the generic parameters of
    /// its `…Of` interface.
    fn varying(&mut self, choice: &'static Choice) -> Vec<&'static str> {
        let mut varying: Vec<&'static str> = Vec::new();
        for field in choice.otherwise.all_fields() {
            let otherwise = self.ts(&field.ty);
            for case in choice.cases {
                if let Some(f) = case.schema.field(field.name) {
                    if self.ts(&f.ty) != otherwise && !varying.contains(&field.name) {
                        varying.push(field.name);
                    }
                }
            }
        }
        varying
    }
}

/// The type of an unlisted value of a choosing member.
const UNDOCUMENTED: &str = "UndocumentedEvent";

#[cfg(test)]
mod tests {
    #[test]
    fn every_kind_has_its_type() {
        let ts = super::payload_types();
        for spec in leadhook::KINDS {
            assert!(
                ts.contains(&format!(
                    "\"{}\": {};",
                    spec.name,
                    spec.kind.about().type_name
                )),
                "{}",
                spec.name
            );
        }
        assert!(ts.contains("export type LeadEvent<E extends string = LeadEventName> =\n  E extends LeadPayloadEventName ? LeadEventOf<E, LeadEventPayload>\n"));
        assert!(ts.contains("export interface LeadEventOf<E extends string, D> {"));
        assert!(ts.contains("  payload: D;\n"));
        assert!(ts.contains(
            "string extends E ? LeadEventV2Of<UndocumentedEvent, { [key: string]: unknown }>"
        ));
    }
}
