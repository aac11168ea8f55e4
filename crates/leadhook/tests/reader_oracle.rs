//! The hand-written JSON reader (`json::read`: the walker, with no kind), checked against
//! `serde_json` (as jiter is): on the
//! JSONTestSuite files, every fixture body and tens of thousands of mutated bodies, both accept
//! the same texts, and read the same structure, strings and integers. The one difference, by
//! design: a number past f64's range (`1e999`) is grammatical JSON that `JSON.parse` reads (as
//! Infinity) and leadhook keeps as text, where serde_json refuses it ("number out of range").
//!
//! The tree the walker builds while it validates as a kind (`parse`, `flatten`, `rows`) is
//! checked against the plain read of the same texts, as each kind and as none: the same tree,
//! exactly, whatever rules were applied on the way.

mod common;

use common::{fixture_bodies, mutate, Rng, SPECIAL};
use leadhook::json::Value;
use leadhook::{Kind, Options};

/// Nesting deeper than serde_json's recursion limit (128) is left out of the comparison.
fn nesting(text: &str) -> usize {
    let (mut depth, mut max, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    for b in text.bytes() {
        match (in_string, escaped, b) {
            (true, true, _) => escaped = false,
            (true, false, b'\\') => escaped = true,
            (true, false, b'"') => in_string = false,
            (false, _, b'"') => in_string = true,
            (false, _, b'[' | b'{') => {
                depth += 1;
                max = max.max(depth);
            }
            (false, _, b']' | b'}') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

/// Whether the two readings mean the same: objects as `JSON.parse` sees them (the last of a
/// repeated key wins), strings exactly, integers that fit in 64 bits exactly, other numbers as
/// numbers.
fn same(ours: &Value, theirs: &serde_json::Value) -> bool {
    use serde_json::Value as S;
    match (ours, theirs) {
        (Value::Null, S::Null) => true,
        (Value::Bool(a), S::Bool(b)) => a == b,
        (Value::String(a), S::String(b)) => a == b,
        (Value::Number(text), S::Number(n)) => match (text.parse::<i64>(), n.as_i64()) {
            (Ok(a), Some(b)) => a == b,
            _ => true,
        },
        (Value::Array(a), S::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y))
        }
        (Value::Object(members), S::Object(map)) => {
            let mut last: Vec<(&str, &Value)> = Vec::new();
            for (k, v) in members {
                last.retain(|(key, _)| key != k);
                last.push((k, v));
            }
            last.len() == map.len()
                && last
                    .iter()
                    .all(|(k, v)| map.get(*k).is_some_and(|t| same(v, t)))
        }
        _ => false,
    }
}

fn compare(what: &str, bytes: &[u8], failures: &mut Vec<String>) -> bool {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return false;
    };
    if nesting(text) > 120 {
        return false;
    }
    let ours = leadhook::json::tree(text, 512);
    walked_tree_is_read_tree(what, text, ours.as_ref().ok(), failures);
    let theirs = serde_json::from_str::<serde_json::Value>(text);
    match (&ours, &theirs) {
        (Ok(a), Ok(b)) if !same(a, b) => {
            failures.push(format!("{what}: read differently: {text:?}"));
        }
        (Ok(_), Err(e)) if e.to_string().starts_with("number out of range") => {}
        (Ok(_), Err(e)) => failures.push(format!("{what}: only leadhook accepts ({e}): {text:?}")),
        (Err(e), Ok(_)) => {
            failures.push(format!("{what}: only serde_json accepts ({e:?}): {text:?}"));
        }
        _ => {}
    }
    true
}

/// The walker's tree of `text`, as each kind and as none, is `read` (the reader's tree), or
/// there is none when the reader refuses the text.
fn walked_tree_is_read_tree(
    what: &str,
    text: &str,
    read: Option<&Value>,
    failures: &mut Vec<String>,
) {
    let kinds = Kind::all().map(Some).chain([None]);
    for kind in kinds {
        let opts = Options {
            kind,
            max_depth: 512,
            ..Options::default()
        };
        let (_, walked) = leadhook::internals::read(text, &opts);
        if walked.as_ref() != read {
            failures.push(format!(
                "{what}: the walk as {kind:?} built another tree: {text:?}"
            ));
        }
    }
}

#[test]
fn the_reader_agrees_with_serde_json() {
    let mut failures = Vec::new();
    let mut compared = 0;
    let suite = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .join("../shared/jsontestsuite/test_parsing");
    let mut files: Vec<_> = std::fs::read_dir(&suite)
        .map(|d| d.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    files.sort();
    for path in &files {
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        if compare(&name, &std::fs::read(path).unwrap(), &mut failures) {
            compared += 1;
        }
    }
    let mut rng = Rng(0x0a5c_1e55);
    let bodies = fixture_bodies();
    for (name, body, _) in &bodies {
        if compare(name, body, &mut failures) {
            compared += 1;
        }
        for _ in 0..200 {
            let mutant = mutate(&mut rng, body, SPECIAL);
            if compare(&format!("{name} (mutated)"), &mutant, &mut failures) {
                compared += 1;
            }
        }
    }
    println!(
        "{compared} texts compared with serde_json ({} suite files)",
        files.len()
    );
    assert!(compared > 10_000, "only {compared}");
    assert!(
        failures.is_empty(),
        "{} disagree:\n{}",
        failures.len(),
        failures[..failures.len().min(20)].join("\n")
    );
}
