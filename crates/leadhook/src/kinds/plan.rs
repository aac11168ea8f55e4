//! Which rules a body is walked with: the kind given, or a guess from the start of the body,
//! then, if what the walk saw ([`Facts`]) decides otherwise, a second walk as what the body is.
//! Real payloads put their scalar fields first, so the guess is mostly right and the body is
//! read once. The walker (`walker.rs`) applies the plan it is given and names no kind.

use crate::base::json::ReadError;
use crate::base::options::DEPTH_CEILING;
use crate::engine::rules::Type;
use crate::engine::walker::{self, Plan, Records, Shapes, Walk};
use crate::kinds::facts::Facts;
use crate::{kinds, Issue, Kind, Options, Report};

/// What a walk leaves for the next (see `Session`): the walker's shapes, and where the last
/// guess at a choosing member found its key, for the next to look first.
#[derive(Clone, Copy)]
pub struct Memory {
    shapes: Shapes,
    choice_at: usize,
}

impl Memory {
    pub const fn new() -> Memory {
        Memory {
            shapes: Shapes::new(),
            choice_at: usize::MAX,
        }
    }
}

impl Default for Memory {
    fn default() -> Memory {
        Memory::new()
    }
}

/// Warns of what the request around the body says against its kind, when the report has room
/// (see `KindSpec::request`).
#[inline(never)]
fn request(report: &mut Report, facts: &Facts, opts: &Options) {
    let problem = report
        .kind
        .and_then(|kind| kind.spec().request)
        .and_then(|check| check(facts, opts));
    if let Some(problem) = problem.filter(|_| report.warnings.len() < opts.max_issues) {
        report.warnings.insert(0, Issue::whole(problem));
    }
}

/// The report of a JSON body (`text`: within `max_bytes`, UTF-8).
pub fn validate(memory: &mut Memory, text: &str, opts: &Options) -> Report {
    walk_as_planned(memory, text, opts, false, None).report
}

/// The report of a JSON body and, when it is readable, the body as a tree, built in the same
/// pass (`parse`, `flatten` and `rows` need both).
pub fn read<'a>(memory: &mut Memory, text: &'a str, opts: &Options) -> Walk<'a> {
    walk_as_planned(memory, text, opts, true, None)
}

/// [`read`], handing a body's records to `records` when it is an array of them; the tree is
/// then an empty array.
pub fn read_records<'a>(
    memory: &mut Memory,
    text: &'a str,
    opts: &Options,
    records: &mut dyn Records<'a>,
) -> Walk<'a> {
    walk_as_planned(memory, text, opts, true, Some(records))
}

/// The kind of a JSON body (`text`: within `max_bytes`, UTF-8): `Ok(None)` when it is readable
/// but of no known kind, `Err` when it is not valid JSON within `max_depth`.
pub fn detect(text: &str, opts: &Options) -> Result<Option<Kind>, ReadError> {
    let mut facts = Facts::new(opts.kind.is_none());
    walker::scan(text, opts, &mut facts)?;
    Ok(plan(opts, &facts).kind)
}

/// Walks the body as the kind given or guessed, and again as what it is if the guess was wrong;
/// with `build`, keeps the body as a tree.
fn walk_as_planned<'a>(
    memory: &mut Memory,
    text: &'a str,
    opts: &Options,
    build: bool,
    mut records: Option<&mut dyn Records<'a>>,
) -> Walk<'a> {
    let max_depth = opts.max_depth.min(DEPTH_CEILING);
    let guess = match opts.kind {
        Some(kind) => {
            let event = match kind.spec().root {
                Type::ByMember(choice) => {
                    let (event, at) = Facts::guess_member(text, choice.key, memory.choice_at);
                    memory.choice_at = at;
                    event
                }
                _ => None,
            };
            with_event(Some(kind), event)
        }
        None => plan(opts, &Facts::guess(text, max_depth)),
    };
    let mut facts = Facts::new(opts.kind.is_none());
    let walked = match walker::walk(
        text,
        opts,
        guess,
        &mut facts,
        &mut memory.shapes,
        build,
        reborrow(&mut records),
    ) {
        Ok(walked) => {
            let plan = plan(opts, &facts);
            if plan == guess {
                Ok(walked)
            } else {
                // What the second walk notes is not read: the facts of the first decided.
                let shapes = &mut memory.shapes;
                walker::walk(
                    text,
                    opts,
                    plan,
                    &mut facts,
                    shapes,
                    build,
                    reborrow(&mut records),
                )
            }
        }
        Err(e) => Err(e),
    };
    match walked {
        Ok(mut walked) => {
            request(&mut walked.report, &facts, opts);
            walked
        }
        Err(e) => Walk {
            report: Report::failed(opts.kind, Issue::unreadable(text, &e, max_depth)),
            tree: None,
            json: None,
        },
    }
}

/// The plan for a body of which a walk noted `facts`.
fn plan(opts: &Options, facts: &Facts) -> Plan {
    let kind = opts
        .kind
        .or_else(|| kinds::detect(facts, opts.url.as_deref()));
    with_event(kind, facts.event.as_deref())
}

/// The plan for `kind` with a top-level `event` of `event` (`None`: absent or no string).
fn with_event(kind: Option<Kind>, event: Option<&str>) -> Plan {
    let root = kind.map(|k| k.spec().root);
    let choice = match root {
        Some(Type::ByMember(choice)) => Some(choice.pick(event)),
        _ => None,
    };
    Plan { kind, root, choice }
}

/// `records` for one walk, leaving it for the next.
fn reborrow<'s, 'a>(
    records: &'s mut Option<&mut dyn Records<'a>>,
) -> Option<&'s mut dyn Records<'a>> {
    match records {
        Some(r) => {
            let r: &'s mut dyn Records<'a> = &mut **r;
            Some(r)
        }
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::rules::Type;

    fn kind_of(text: &str) -> Option<Kind> {
        detect(text, &Options::default()).unwrap()
    }

    #[test]
    fn facts_decide_like_the_tree() {
        assert_eq!(
            kind_of(r#"{"connectionAssets":[{"a":"]}"}],"apiVersion":2.0}"#),
            Some(Kind::LeadsieV2)
        );
        assert_eq!(
            kind_of(r#"{"apiVersion":2,"connectionAssets":[],"apiVersion":1}"#),
            Some(Kind::LeadsieV1)
        );
        assert_eq!(
            kind_of(r#"{"payload":{},"event":"x","id_space":1}"#),
            Some(Kind::LeadEvent)
        );
        assert_eq!(
            kind_of(r#"{"payload":{},"event":"x","id_space":1,"event":null}"#),
            None
        );
        assert_eq!(
            kind_of(r#"{"x":1,"Before":{"After":{"mx_a":1}}}"#),
            Some(Kind::LeadSquared)
        );
        assert_eq!(
            kind_of(r#"[{"a":1},{"Prospect\u0049D":"x"}]"#),
            Some(Kind::LeadSquared)
        );
        assert_eq!(kind_of(r#"[{"ProspectID":"x"},1]"#), None);
        assert_eq!(kind_of("[]"), None);
    }

    /// A member that chooses a schema is the top-level `event`: what `Facts` notes, the walk
    /// notes with the kind given, and [`plan`] picks by.
    #[test]
    fn every_choosing_member_is_event() {
        for spec in kinds::KINDS {
            if let Type::ByMember(choice) = spec.root {
                assert_eq!(choice.key, "event", "{}", spec.name);
            }
        }
    }

    /// With the kind given, a lead event's schema is chosen from a quick guess at `event`;
    /// a wrong guess walks again, so the report is the one the detected kind gets.
    #[test]
    fn a_wrong_guess_at_the_event_walks_again() {
        // Each body has one issue its own schema finds at `path`, and the wrong guess's
        // schema would not.
        let cases = [
            (
                r#"{"data":{"name":5,"fields":{"event":"note.created"}},"event":"record.created","eventId":"e","timestamp":"2026-03-19T12:00:00Z","workspaceId":"w"}"#,
                "/data/name",
            ),
            (
                r#"{"eventId":"e","timestamp":"2026-03-19T12:00:00Z","workspaceId":"w","event":"record\u002ecreated","data":{"id":1}}"#,
                "/data/id",
            ),
            (
                r#"{"eventId":"e","timestamp":"2026-03-19T12:00:00Z","workspaceId":"w","name":{"event":"x"},"event":"note.created","data":{"title":2}}"#,
                "/data/title",
            ),
        ];
        for (text, path) in cases {
            let given = Options {
                kind: Some(Kind::LeadEventV2),
                ..Options::default()
            };
            let report = crate::validate(text.as_bytes(), &given);
            let issues = report.errors.iter().chain(&report.warnings);
            let paths: Vec<&str> = issues.map(|e| e.path.as_str()).collect();
            assert_eq!(paths, [path], "{text}");
            assert_eq!(
                report,
                crate::validate(text.as_bytes(), &Options::default()),
                "{text}"
            );
        }
    }
}
