//! `flatten` is a drop-in for the Python code step Leadsie gives its users for Zapier (the "seed
//! script", `tests/seed/seed_script.py`, verbatim): for every Leadsie v1 payload that validates,
//! every key the seed outputs is in `flatten`'s output with the identical value — its `", "`
//! joining, its `.strip(', ')`, Python's `True` / `False` / `None`, and a later asset type
//! overwriting an earlier key (`"User"` assets and `user_id`).
//!
//! `tests/seed/generate.py` makes the payloads (seeded, so every run checks the same ones) and
//! runs the seed script on each; this test needs `python3` on the PATH. To explore beyond the
//! fixed set: `SEED_PARITY_SEED=7 SEED_PARITY_COUNT=20000 cargo test --test seed_parity`.
#![allow(clippy::too_many_lines, clippy::unreadable_literal)] // one test that reads as a script; seeds are opaque

use std::path::Path;
use std::process::Command;

use leadhook::json::Value;
use leadhook::{Options, Scalar};

const COUNT: usize = 1500;
const SEED: u64 = 20261122;
/// At least this many of the `COUNT` payloads must be compared, not skipped (scaled for other counts).
const MIN_COMPARED: usize = 1000;
const SHOWN: usize = 10;

struct Mismatch {
    payload: String,
    key: String,
    seed: String,
    leadhook: String,
}

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    match std::env::var(name) {
        Ok(v) => v
            .parse()
            .unwrap_or_else(|_| panic!("{name}={v:?} is not a valid number")),
        Err(_) => default,
    }
}

fn generate(count: usize, seed: u64) -> String {
    let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."));
    let output = Command::new("python3")
        .arg(root.join("tests/seed/generate.py"))
        .args(["--count", &count.to_string(), "--seed", &seed.to_string()])
        .current_dir(root)
        .output()
        .expect("could not run python3 tests/seed/generate.py (is python3 installed?)");
    assert!(
        output.status.success(),
        "tests/seed/generate.py failed ({}):\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("generate.py printed invalid UTF-8")
}

/// A seed output value as the test expects to see it in `flatten`'s output.
fn seed_text(v: &Value) -> String {
    match v {
        Value::String(s) => format!("{s:?}"),
        Value::Null => "None (null)".to_owned(),
        other => format!("{} {}", other.type_name(), other.to_json()),
    }
}

fn same(seed: &Value, ours: &Scalar) -> bool {
    match (seed, ours) {
        (Value::String(a), Scalar::String(b)) => a.as_ref() == b.as_ref(),
        (Value::Null, Scalar::Null) => true,
        _ => false,
    }
}

#[test]
fn flatten_matches_the_seed_script() {
    let count = env_or("SEED_PARITY_COUNT", COUNT);
    let seed = env_or("SEED_PARITY_SEED", SEED);
    let lines = generate(count, seed);
    assert_eq!(
        lines.lines().count(),
        count,
        "generate.py printed the wrong number of lines"
    );
    let opts = Options::default();
    let (mut compared, mut skipped) = (0usize, 0usize);
    let mut invalid: Vec<String> = Vec::new();
    let mut mismatches: Vec<Mismatch> = Vec::new();

    for (n, line) in lines.lines().enumerate() {
        let record = leadhook::json::tree(line, 64)
            .unwrap_or_else(|e| panic!("generate.py line {}: not JSON ({e:?}): {line}", n + 1));
        let payload = record
            .get("payload")
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("generate.py line {}: no string `payload`", n + 1));
        let seed = record
            .get("seed_output")
            .and_then(Value::as_object)
            .unwrap_or_else(|| panic!("generate.py line {}: no object `seed_output`", n + 1));

        if seed.iter().any(|(k, _)| k == "error") {
            skipped += 1;
            continue;
        }

        let report = leadhook::validate(payload.as_bytes(), &opts);
        if !report.ok() {
            let errors: Vec<String> = report
                .errors
                .iter()
                .map(std::string::ToString::to_string)
                .collect();
            invalid.push(format!(
                "payload: {payload}\n  errors: {}",
                errors.join("; ")
            ));
            continue;
        }
        compared += 1;

        let flat = match leadhook::flatten(payload.as_bytes(), &opts) {
            Ok(flat) => flat,
            Err(report) => {
                let errors: Vec<String> = report
                    .errors
                    .iter()
                    .map(std::string::ToString::to_string)
                    .collect();
                mismatches.push(Mismatch {
                    payload: payload.to_owned(),
                    key: "(whole payload)".to_owned(),
                    seed: "an output".to_owned(),
                    leadhook: format!("Err: {}", errors.join("; ")),
                });
                continue;
            }
        };
        for (key, seed_value) in seed {
            let ours = flat.get(key);
            if !ours.is_some_and(|ours| same(seed_value, ours)) {
                mismatches.push(Mismatch {
                    payload: payload.to_owned(),
                    key: key.to_string(),
                    seed: seed_text(seed_value),
                    leadhook: ours.map_or_else(|| "(key absent)".to_owned(), |s| format!("{s:?}")),
                });
            }
        }
    }

    println!("seed parity: {compared} compared, {skipped} skipped (--count {count} --seed {seed})");

    assert!(
        invalid.is_empty(),
        "generate.py made {} payload(s) that leadhook does not validate (a generator bug, or a \
         validator one); the first:\n{}",
        invalid.len(),
        invalid
            .iter()
            .take(3)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );

    if !mismatches.is_empty() {
        let mut payloads: Vec<&str> = mismatches.iter().map(|m| m.payload.as_str()).collect();
        payloads.dedup();
        let shown: Vec<String> = mismatches
            .iter()
            .take(SHOWN)
            .map(|m| {
                format!(
                    "payload: {}\n  key: {:?}\n  seed:     {}\n  leadhook: {}",
                    m.payload, m.key, m.seed, m.leadhook
                )
            })
            .collect();
        panic!(
            "flatten differs from the seed script: {} mismatching key(s) in {} of {compared} \
             payload(s); the first {}:\n\n{}",
            mismatches.len(),
            payloads.len(),
            shown.len(),
            shown.join("\n\n")
        );
    }

    let min_compared = MIN_COMPARED * count / COUNT;
    assert!(
        compared >= min_compared,
        "only {compared} payloads compared ({skipped} skipped); expected at least {min_compared}"
    );
}
