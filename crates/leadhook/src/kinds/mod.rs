//! The payload kinds. Each module states one kind once — its tables, how it is detected, how it
//! is flattened — as a [`KindSpec`]; [`KINDS`] is the registry that validation, detection,
//! `schema(kind)`, the flatten keys and `kinds()` in JavaScript all read.

pub mod facts;
pub mod identity;
pub mod lead_event;
pub mod leadsie;
pub mod leadsquared;
pub mod plan;
pub mod sender;

use std::fmt;

use crate::base::issue::Problem;
use crate::base::json::Value;
use crate::engine::rules::Type;
use crate::flat::Flat;
use crate::kinds::facts::Facts;
use crate::kinds::identity::Identity;
use crate::kinds::sender::Sender;
use crate::{Kind, Options};

/// What the request around a body says against it (see [`KindSpec::request`]).
pub type RequestCheck = fn(&Facts, &Options) -> Option<Problem<'static>>;

/// Everything leadhook knows of one payload kind.
pub struct KindSpec {
    pub kind: Kind,
    /// The name users pass as `kind` and see in reports.
    pub name: &'static str,
    /// The rules of the whole payload.
    pub root: &'static Type,
    /// Whether a body is of this kind, from what the walk saw of it (and the request URL).
    /// Kinds are tried in [`KINDS`] order; the first that says yes is the body's kind.
    pub detect: fn(&Facts, Option<&str>) -> bool,
    /// What identifies one event of the kind, for `eventKey` (`FORMATS.md` §5), given the
    /// event and, when the body holds it as [`Value::write_json`] would write it, its text there.
    pub identity: for<'a> fn(&Value<'a>, Option<&str>, &Options) -> Identity,
    /// One flat record of a valid payload; for a kind whose root is `OneOrMany`, of one of its
    /// records (`flatten` of an array flattens its first record, and adds their `count`).
    pub flatten: for<'a> fn(&Value<'a>, &Options) -> Flat<'a>,
    /// One flat record per asset or record (not yet aligned to the same keys). For a kind whose
    /// root is `OneOrMany`, the rows of an array are the rows of each of its records in turn:
    /// `rows` makes them record by record, as the walk passes each one.
    pub rows: for<'a> fn(&Value<'a>, &Options) -> Vec<Flat<'a>>,
    /// For a kind whose flat keys grow with the nesting (Zapier naming), an upper bound on the
    /// bytes of the flat record or rows of a value, counted before any key is made (see
    /// [`crate::flat::budget`]); `None` for a kind whose output grows only as its body does, which is
    /// measured once made.
    pub flat_cost: Option<fn(&Value, &Options) -> usize>,
    /// What the request around a body of the kind (its `headers`, its `url`) says against it,
    /// as a warning: headers that name another sender than a detected kind's, an undocumented
    /// event code in the URL.
    pub request: Option<RequestCheck>,
    /// What `upgrade` makes of a payload of the kind.
    pub upgrade: Upgrade,
}

/// What `upgrade` makes of a payload of a kind.
#[derive(Clone, Copy)]
pub enum Upgrade {
    /// It is in its vendor's current format already: it is returned as it is.
    Current,
    /// The same event in the current format.
    To(for<'a> fn(Value<'a>, &Options) -> Value<'a>),
    /// The kind has no other format.
    Never,
}

/// What people and build-time tools read of a kind, and the WebAssembly module does not (so
/// none of it is in the `.wasm`): its names for people, its payload type's name, and its
/// sender's manners.
pub struct About {
    /// Its name for people ("LeadSquared"): its JSON Schema's `title`, as the previewer
    /// shows it.
    pub title: &'static str,
    /// A line for people: its JSON Schema's `description`.
    pub description: &'static str,
    /// The TypeScript name of its payload (`LeadSquaredBody`).
    pub type_name: &'static str,
    /// How its sender behaves around a delivery (read by the receiver).
    pub sender: &'static Sender,
}

/// The registry: one line per kind, `Name = its module;`, in detection order (kinds are tried
/// in turn and the first that says yes is the body's kind). Each module holds `SPEC`, what the
/// kind is, and `ABOUT`; the line makes `Kind::Name` the kind's place in [`KINDS`].
macro_rules! registry {
    ($($name:ident = $($module:ident)::+;)*) => {
        #[allow(non_camel_case_types, clippy::enum_variant_names)]
        enum Place { $($name,)* }

        // The kinds read as names, as they did when `Kind` was an enum.
        #[allow(non_upper_case_globals)]
        impl Kind {
            $(pub const $name: Kind = Kind(Place::$name as u8);)*
        }

        const COUNT: usize = [$(Place::$name),*].len();

        /// Every kind, in detection order.
        pub static KINDS: [&KindSpec; COUNT] = [$(&$($module)::+::SPEC),*];

        static ABOUT: [&About; COUNT] = [$(&$($module)::+::ABOUT),*];
    };
}

registry! {
    LeadsieV2 = leadsie::v2;
    LeadsieV1 = leadsie::v1;
    LeadEvent = lead_event;
    LeadEventV2 = lead_event::v2;
    LeadSquared = leadsquared;
}

impl Kind {
    /// The kind's entry in the registry.
    pub fn spec(self) -> &'static KindSpec {
        // Only the registry makes a `Kind`, so its place is in it.
        KINDS.get(self.index()).copied().unwrap_or(KINDS[0])
    }

    /// What people and build-time tools read of the kind (not the WebAssembly module).
    pub fn about(self) -> &'static About {
        ABOUT.get(self.index()).copied().unwrap_or(ABOUT[0])
    }

    /// How the kind's sender behaves around a delivery (read by the receiver, through the
    /// table `cargo xtask senders` writes; not by the WebAssembly module).
    pub fn sender(self) -> &'static Sender {
        self.about().sender
    }

    pub fn as_str(self) -> &'static str {
        self.spec().name
    }

    pub fn from_name(name: &str) -> Option<Kind> {
        KINDS.iter().find(|s| s.name == name).map(|s| s.kind)
    }

    /// Every kind, in detection order.
    pub fn all() -> impl Iterator<Item = Kind> {
        KINDS.iter().map(|s| s.kind)
    }
}

impl fmt::Debug for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl KindSpec {
    /// Whether a body of the kind may be an array of its records (its root is `OneOrMany`):
    /// then each record is an event, and the walk can hand records over one by one.
    pub fn many_records(&self) -> bool {
        matches!(self.root, Type::OneOrMany(_))
    }
}

/// The kind of a body, as detection decides from `facts`.
pub fn detect(facts: &Facts, url: Option<&str>) -> Option<Kind> {
    KINDS
        .iter()
        .find(|spec| (spec.detect)(facts, url))
        .map(|spec| spec.kind)
}

/// `"leadsie.v2", "leadsie.v1", … or "leadsquared"`, for messages.
pub fn names_for_people() -> String {
    let names: Vec<String> = KINDS.iter().map(|s| format!("\"{}\"", s.name)).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => {
            format!("{} or {last}", crate::base::text::join(rest, ", "))
        }
        _ => crate::base::text::join(&names, ""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_registered_once() {
        for (i, spec) in KINDS.iter().enumerate() {
            assert_eq!(spec.kind.index(), i, "{}", spec.name);
            assert!(std::ptr::eq(*spec, spec.kind.spec()), "{}", spec.name);
            assert_eq!(Kind::from_name(spec.name), Some(spec.kind));
        }
    }
}
