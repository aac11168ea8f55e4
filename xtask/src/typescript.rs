//! The payload part of `index.d.ts`, written from the kinds' tables, so that the types users
//! compile against are the rules `validate` applies. `scripts/build.sh` puts it where the
//! template says `/* @payload-types */`; `tsc --strict` checks it in the Node tests.
//!
//! Each object table is an interface, each vocabulary an open union (`(string & {})` keeps the
//! documented values as suggestions while any other string still type-checks: an unknown value
//! is only a warning). Optional fields may be absent or `null`. Unknown fields are kept by
//! `parse`, hence the index signatures.

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

    /// An interface generic in the member that chooses the schema: `LeadEvent<E>`, whose
    /// `payload` is a lead when `E` is a lead event.
    fn choice(&mut self, name: &'static str, choice: &'static Choice) {
        if !self.first_time(name) {
            return;
        }
        let key_vocab = match choice.otherwise.field(choice.key).map(|f| &f.ty) {
            Some(Type::Enum(vocab)) => {
                self.vocabulary(vocab);
                vocab.name
            }
            _ => "string",
        };
        for case in choice.cases {
            let values: Vec<String> = case.values.iter().map(|v| format!("\"{v}\"")).collect();
            let _ = write!(
                self.out,
                "/** The `{}` values of {name} whose shape is `{}`. */\nexport type {} = {};\n\n",
                choice.key,
                case.schema.name,
                case.name,
                values.join(" | ")
            );
        }
        // A field whose type differs between the shapes becomes a conditional type on `E`.
        let mut conditional: Vec<(&'static str, String)> = Vec::new();
        for field in choice.otherwise.all_fields() {
            let otherwise = self.ts(&field.ty);
            let mut ty = String::new();
            for case in choice.cases {
                if let Some(f) = case.schema.field(field.name) {
                    let t = self.ts(&f.ty);
                    if t != otherwise {
                        let _ = write!(ty, "E extends {} ? {t} : ", case.name);
                    }
                }
            }
            if !ty.is_empty() {
                conditional.push((field.name, format!("{ty}{otherwise}")));
            }
        }
        let key = choice.key;
        let body = self.members(choice.otherwise, &|f| {
            if f.name == key {
                return Some("E".to_owned());
            }
            conditional
                .iter()
                .find(|(n, _)| *n == f.name)
                .map(|(_, t)| t.clone())
        });
        let _ = write!(
            self.out,
            "/**\n * {} `E` narrows the `{key}`, and with it the shape of what the event carries.\n */\nexport interface {name}<E extends string = {key_vocab}> {{\n{body}}}\n\n",
            choice.otherwise.doc,
        );
    }
}

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
        assert!(ts.contains("export interface LeadEvent<E extends string = LeadEventName>"));
        assert!(ts.contains("payload: E extends LeadPayloadEventName ? LeadEventPayload : { [key: string]: unknown };"));
    }
}
