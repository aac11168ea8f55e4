//! The streaming validator (`stream.rs`, what `validate` and `detect` use for JSON bodies) gives
//! exactly the tree-based report (`validate_tree`, `detect_tree`) — same kind, codes, paths,
//! messages and order — for every fixture with its options, and for tens of thousands of
//! mutated bodies under many option sets:
//! - bytes flipped, cut, repeated, special bytes inserted (as `robustness.rs` does), which mostly
//!   makes bodies that are not JSON, and checks that both readers refuse the same ones;
//! - the JSON tree mutated (values of other types, repeated, renamed, dropped and added members,
//!   wrapped values) and written back with random whitespace and `\u` escapes, which makes valid
//!   JSON of every shape the field tables care about.
//!
//! It also checks that the streaming path answers every readable JSON body itself (it falls back
//! to the tree only for bodies the tree reader refuses), so the speed is not bought by falling
//! back. The generators are seeded: every run is the same.

mod common;

use std::fs;
use std::path::Path;

use common::{mutate, Rng, SPECIAL};
use leadhook::input::{self, DEPTH_CEILING};
use leadhook::json::{self, Value};
use leadhook::{stream, Kind, Options};

/// Tallies of what was compared.
#[derive(Default)]
struct Tally {
    cases: usize,
    streamed: usize,
    refused: usize,
    form_or_input: usize,
    failures: Vec<String>,
}

impl Tally {
    /// Compares the two paths on one body under one set of options.
    fn compare(&mut self, what: &str, body: &[u8], opts: &Options) {
        self.cases += 1;
        let streaming = leadhook::validate(body, opts);
        let tree = leadhook::validate_tree(body, opts);
        let (s, t) = (streaming.to_json(), tree.to_json());
        if s != t {
            self.fail(
                what,
                body,
                opts,
                &format!("validate\n  stream {s}\n  tree   {t}"),
            );
            return;
        }
        let (ds, dt) = (
            leadhook::detect(body, opts),
            leadhook::detect_tree(body, opts),
        );
        if ds != dt {
            self.fail(
                what,
                body,
                opts,
                &format!("detect: stream {ds:?}, tree {dt:?}"),
            );
            return;
        }
        // The streaming path itself answers exactly the bodies the tree reader can read.
        let Ok(text) = input::text(body, opts) else {
            self.form_or_input += 1;
            return;
        };
        if input::is_form(text, opts.content_type.as_deref()) {
            self.form_or_input += 1;
            return;
        }
        let readable = json::read(text, opts.max_depth.min(DEPTH_CEILING)).is_ok();
        let answered = stream::validate(text, opts);
        let detected = stream::detect(text, opts);
        if answered.is_some() != readable || detected.is_some() != readable {
            self.fail(
                what,
                body,
                opts,
                &format!(
                    "the tree reader {} the body, the streaming validate {} and detect {}",
                    if readable { "reads" } else { "refuses" },
                    if answered.is_some() {
                        "answers"
                    } else {
                        "falls back"
                    },
                    if detected.is_some() {
                        "answers"
                    } else {
                        "falls back"
                    },
                ),
            );
            return;
        }
        if answered.is_some_and(|r| r.to_json() != t) {
            self.fail(what, body, opts, "stream::validate differs from the tree");
            return;
        }
        if readable {
            self.streamed += 1;
        } else {
            self.refused += 1;
        }
    }

    fn fail(&mut self, what: &str, body: &[u8], opts: &Options, detail: &str) {
        if self.failures.len() < 20 {
            let shown: String = String::from_utf8_lossy(body).chars().take(600).collect();
            self.failures.push(format!(
                "{what}\n  opts {opts:?}\n  body {shown}\n  {detail}"
            ));
        } else {
            self.failures.push(String::new());
        }
    }

    fn assert_clean(&self) {
        let shown: Vec<&String> = self.failures.iter().filter(|f| !f.is_empty()).collect();
        assert!(
            self.failures.is_empty(),
            "{} of {} cases differ; the first ones:\n{}",
            self.failures.len(),
            self.cases,
            shown
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join("\n\n")
        );
    }
}

/// Every fixture body, with the options of its `.expect.json`.
fn fixtures() -> Vec<(String, Vec<u8>, Options)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut out = Vec::new();
    let mut dirs: Vec<_> = fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    for dir in dirs {
        let mut files: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for path in &files {
            let name = path.file_name().unwrap().to_str().unwrap();
            if name.ends_with(".expect.json") {
                continue;
            }
            let stem = name.split('.').next().unwrap();
            let expect = fs::read_to_string(dir.join(format!("{stem}.expect.json")))
                .unwrap_or_else(|_| "{}".into());
            let expect = json::read(&expect, 64).unwrap();
            let opts = expect
                .get("opts")
                .and_then(|o| Options::from_json(&o.to_json()).ok())
                .unwrap_or_default();
            let label = path.strip_prefix(&root).unwrap().display().to_string();
            out.push((label, fs::read(path).unwrap(), opts));
        }
    }
    out
}

fn option_sets() -> Vec<Options> {
    let base = Options::default();
    let mut sets = vec![
        base.clone(),
        Options {
            strict: true,
            ..base.clone()
        },
        Options {
            max_depth: 3,
            max_bytes: 300,
            ..base.clone()
        },
        Options {
            max_depth: 2,
            strict: true,
            ..base.clone()
        },
        Options {
            content_type: Some("application/x-www-form-urlencoded".into()),
            url: Some("https://x.example/h?entityType=webhook&eventType=Lead_Post_Create".into()),
            ..base.clone()
        },
        Options {
            content_type: Some("application/json; charset=utf-8".into()),
            url: Some("https://x.example/h?eventType=Lead_Post_Create".into()),
            ..base.clone()
        },
    ];
    for kind in Kind::ALL {
        sets.push(Options {
            kind: Some(kind),
            ..base.clone()
        });
        sets.push(Options {
            kind: Some(kind),
            strict: true,
            ..base.clone()
        });
    }
    sets
}

/// An owned JSON tree, easy to mutate.
#[derive(Clone)]
enum J {
    Null,
    Bool(bool),
    Num(String),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

fn own(v: &Value) -> J {
    match v {
        Value::Null => J::Null,
        Value::Bool(b) => J::Bool(*b),
        Value::Number(n) => J::Num(n.to_string()),
        Value::String(s) => J::Str(s.to_string()),
        Value::Array(items) => J::Arr(items.iter().map(own).collect()),
        Value::Object(members) => J::Obj(
            members
                .iter()
                .map(|(k, v)| (k.to_string(), own(v)))
                .collect(),
        ),
    }
}

/// Keys that mean something to some kind, and some that need escaping in a pointer.
const KEYS: &[&str] = &[
    "id",
    "name",
    "type",
    "user",
    "status",
    "notes",
    "time",
    "secret",
    "event",
    "payload",
    "id_space",
    "apiVersion",
    "requestUrl",
    "requestName",
    "connectionAssets",
    "connectionStatus",
    "isSuccess",
    "message",
    "linkToAsset",
    "assignedUsers",
    "connectedAccount",
    "platformPermissionsGranted",
    "accessLevel",
    "clientSummaryUrl",
    "created_at",
    "custom_fields",
    "email_bounce_score",
    "order",
    "ProspectID",
    "ProspectAutoId",
    "RelatedProspectId",
    "ProspectActivityId",
    "CreatedOn",
    "Score",
    "DoNotEmail",
    "Data",
    "Current",
    "Owner",
    "Before",
    "After",
    "AdditionalData",
    "mx_Custom_1",
    "mx_",
    "x",
    "a/b",
    "~0",
    "é",
    "",
];

/// Strings that mean something to some field: vocabulary, dates, URLs, numbers.
const STRINGS: &[&str] = &[
    "",
    " ",
    "x",
    "3142",
    "-1.5",
    "2e3",
    "abc",
    "Page",
    "Facebook Page",
    "Connected",
    "Not Connected",
    "SUCCESS",
    "admin",
    "Manage",
    "lead.create",
    "lead.update",
    "lead.delete",
    "lead.track",
    "campaign.create",
    "2024-03-01T10:00:00.000Z",
    "2024-02-30",
    "2024-03-01 10:00:00",
    "2024-03-01 10:00:00.1234567",
    "https://a.example/b?c=d",
    "http://[::1]:8080/",
    "ftp://a.example",
    "https://",
    "a\"quote",
    "line\nbreak",
    "tab\t\u{1}",
    "é😀",
];

const NUMBERS: &[&str] = &[
    "0", "-0", "1", "2", "2.0", "20e-1", "0.2e1", "3", "-2", "1e999", "1.5", "2E0",
];

fn random_value(rng: &mut Rng, depth: usize) -> J {
    match rng.below(if depth > 2 { 5 } else { 8 }) {
        0 => J::Null,
        1 => J::Bool(rng.chance(50)),
        2 => J::Num(rng.pick(NUMBERS).to_string()),
        3 | 4 => J::Str(rng.pick(STRINGS).to_string()),
        5 => J::Arr(
            (0..rng.below(3))
                .map(|_| random_value(rng, depth + 1))
                .collect(),
        ),
        _ => J::Obj(
            (0..rng.below(4))
                .map(|_| (rng.pick(KEYS).to_string(), random_value(rng, depth + 1)))
                .collect(),
        ),
    }
}

/// Counts the arrays and objects in `j`, to pick one.
fn containers(j: &J) -> usize {
    match j {
        J::Arr(items) => 1 + items.iter().map(containers).sum::<usize>(),
        J::Obj(members) => 1 + members.iter().map(|(_, v)| containers(v)).sum::<usize>(),
        _ => 0,
    }
}

/// The `n`th container of `j` in document order.
fn nth_container<'j>(j: &'j mut J, n: &mut usize) -> Option<&'j mut J> {
    if !matches!(j, J::Arr(_) | J::Obj(_)) {
        return None;
    }
    if *n == 0 {
        return Some(j);
    }
    *n -= 1;
    match j {
        J::Arr(items) => items.iter_mut().find_map(|v| nth_container(v, n)),
        J::Obj(members) => members.iter_mut().find_map(|(_, v)| nth_container(v, n)),
        _ => None,
    }
}

/// Changes one container somewhere in `j`.
fn mutate_tree(rng: &mut Rng, j: &mut J) {
    let count = containers(j);
    if count == 0 {
        *j = random_value(rng, 0);
        return;
    }
    let mut n = rng.below(count);
    let Some(target) = nth_container(j, &mut n) else {
        return;
    };
    match target {
        J::Obj(members) => {
            let len = members.len();
            let i = rng.below(len);
            match rng.below(8) {
                0 if len > 0 => members[i].1 = random_value(rng, 1),
                1 if len > 0 => {
                    // The same key again, with the same or another value.
                    let mut copy = members[i].clone();
                    if rng.chance(50) {
                        copy.1 = random_value(rng, 1);
                    }
                    let at = rng.below(len + 1);
                    members.insert(at, copy);
                }
                2 if len > 0 => {
                    members.remove(i);
                }
                3 if len > 0 => members[i].0 = rng.pick(KEYS).to_string(),
                4 if len > 0 => {
                    let v = std::mem::replace(&mut members[i].1, J::Null);
                    members[i].1 = if rng.chance(50) {
                        J::Arr(vec![v])
                    } else {
                        J::Obj(vec![(rng.pick(KEYS).to_string(), v)])
                    };
                }
                5 if len > 1 => {
                    let j2 = rng.below(len);
                    members.swap(i, j2);
                }
                6 => {
                    // Many members, some repeated: past the linear limit of the repeat check.
                    for _ in 0..rng.below(24) {
                        let key = if rng.chance(30) {
                            rng.pick(KEYS).to_string()
                        } else {
                            format!("k{}", rng.below(30))
                        };
                        members.push((key, random_value(rng, 2)));
                    }
                }
                _ => {
                    let at = rng.below(len + 1);
                    members.insert(at, (rng.pick(KEYS).to_string(), random_value(rng, 1)));
                }
            }
        }
        J::Arr(items) => {
            let len = items.len();
            match rng.below(4) {
                0 if len > 0 => {
                    let i = rng.below(len);
                    items[i] = random_value(rng, 1);
                }
                1 if len > 0 => {
                    let i = rng.below(len);
                    let copy = items[i].clone();
                    items.insert(i, copy);
                }
                2 if len > 0 => {
                    items.remove(rng.below(len));
                }
                _ => items.push(random_value(rng, 1)),
            }
        }
        _ => {}
    }
}

/// Writes `j` as JSON with random whitespace and, now and then, letters as `\u` escapes.
fn write(rng: &mut Rng, j: &J, pretty: bool, escapes: bool, out: &mut String) {
    let ws = |rng: &mut Rng, out: &mut String| {
        if pretty {
            out.push_str(["", " ", "\n  ", "\t", "\r\n        "][rng.below(5)]);
        }
    };
    match j {
        J::Null => out.push_str("null"),
        J::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        J::Num(n) => out.push_str(n),
        J::Str(s) => write_str(rng, s, escapes, out),
        J::Arr(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                ws(rng, out);
                write(rng, item, pretty, escapes, out);
            }
            ws(rng, out);
            out.push(']');
        }
        J::Obj(members) => {
            out.push('{');
            for (i, (k, v)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                ws(rng, out);
                write_str(rng, k, escapes, out);
                ws(rng, out);
                out.push(':');
                ws(rng, out);
                write(rng, v, pretty, escapes, out);
            }
            ws(rng, out);
            out.push('}');
        }
    }
}

fn write_str(rng: &mut Rng, s: &str, escapes: bool, out: &mut String) {
    if !escapes || !rng.chance(20) {
        json::write_string(out, s);
        return;
    }
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 || rng.chance(25) => {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{:04x}", u));
                }
            }
            '/' if rng.chance(50) => out.push_str("\\/"),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[test]
fn streaming_reports_equal_tree_reports() {
    let fixtures = fixtures();
    assert!(fixtures.len() > 100, "fixtures not found");
    let sets = option_sets();
    let mut tally = Tally::default();

    // Every fixture with its own options, then under every option set.
    for (name, body, opts) in &fixtures {
        tally.compare(name, body, opts);
        for set in &sets {
            tally.compare(name, body, set);
        }
    }
    let fixture_cases = tally.cases;

    // Byte-level mutations: mostly bodies that are not JSON, or not within the limits.
    let mut rng = Rng(0x5eed_1ead_b00c);
    let mut bodies = 0;
    for (name, body, opts) in &fixtures {
        for _ in 0..70 {
            let mutated = mutate(&mut rng, body, SPECIAL);
            bodies += 1;
            tally.compare(name, &mutated, opts);
            for _ in 0..3 {
                let set = rng.pick(&sets).clone();
                tally.compare(name, &mutated, &set);
            }
        }
    }

    // Tree-level mutations: valid JSON of every shape the tables care about.
    let trees: Vec<(&String, J, &Options)> = fixtures
        .iter()
        .filter_map(|(name, body, opts)| {
            let text = std::str::from_utf8(body).ok()?;
            let text = text.strip_prefix('\u{feff}').unwrap_or(text);
            Some((name, own(&json::read(text, 64).ok()?), opts))
        })
        .collect();
    assert!(trees.len() > 60, "too few fixtures read as JSON");
    for round in 0..100 {
        for (name, tree, opts) in &trees {
            let mut j = tree.clone();
            for _ in 0..1 + rng.below(4) {
                mutate_tree(&mut rng, &mut j);
            }
            let mut text = String::new();
            let (pretty, escapes) = (round % 2 == 0, rng.chance(30));
            write(&mut rng, &j, pretty, escapes, &mut text);
            bodies += 1;
            tally.compare(name, text.as_bytes(), opts);
            for _ in 0..3 {
                let set = rng.pick(&sets).clone();
                tally.compare(name, text.as_bytes(), &set);
            }
        }
    }
    tally.assert_clean();
    println!(
        "{} cases ({fixture_cases} fixture cases, {bodies} mutated bodies): {} answered by the \
         streaming walk, {} refused by both readers, {} form bodies or refused before reading",
        tally.cases, tally.streamed, tally.refused, tally.form_or_input
    );
    // Most of the valid-JSON share comes from the tree mutations; make sure it is there.
    assert!(tally.streamed > tally.cases / 3);
}

#[test]
fn hostile_shapes_agree() {
    let opts = Options::default();
    let mut tally = Tally::default();
    let mut cases: Vec<String> = Vec::new();
    // One object, 100,000 members with the same key: one duplicate error each, n log n.
    let mut many = String::from("{\"ProspectID\":\"x\"");
    for _ in 0..100_000 {
        many.push_str(",\"a\":1");
    }
    many.push('}');
    cases.push(many);
    // Many distinct keys, then repeats of all of them, in an untyped subtree.
    let mut wide =
        String::from("{\"id_space\":\"s\",\"event\":\"x\",\"secret\":\"s\",\"payload\":{");
    for round in 0..2 {
        for i in 0..20_000 {
            if round + i > 0 {
                wide.push(',');
            }
            wide.push_str(&format!("\"k{i}\":{{\"k\":{i},\"k\":0}}"));
        }
    }
    wide.push_str("}}");
    cases.push(wide);
    // Deep nesting, at the ceiling and past it, in typed and untyped places.
    let deep = |n: usize, open: &str, close: &str| format!("{}{}", open.repeat(n), close.repeat(n));
    cases.push(deep(64, "[", "]"));
    cases.push(deep(65, "[", "]"));
    cases.push(format!(
        "{{\"ProspectID\":\"x\",\"Before\":{}}}",
        deep(62, "{\"Before\":", "}").replacen("}", "{}", 1)
    ));
    cases.push(format!("{{\"connectionAssets\":{}}}", deep(63, "[", "]")));
    for case in &cases {
        tally.compare("hostile", case.as_bytes(), &opts);
        tally.compare(
            "hostile",
            case.as_bytes(),
            &Options {
                max_depth: usize::MAX,
                strict: true,
                ..opts.clone()
            },
        );
    }
    tally.assert_clean();
    let report = leadhook::validate(cases[0].as_bytes(), &opts);
    assert_eq!(report.errors.len(), 99_999);
}
