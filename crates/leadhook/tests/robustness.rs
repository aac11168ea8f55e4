//! No input makes any function panic (a panic in WebAssembly is a trap). Every fixture body is
//! mutated many times — bytes flipped, cut, repeated, special bytes inserted — and run through
//! every entry point under several option sets. The generator is seeded: the run is the same
//! every time.

mod common;

use std::fs;
use std::path::Path;

use common::{mutate, Rng, SPECIAL};
use leadhook::{Kind, Options};
use std::fmt::Write as _;

fn option_sets() -> Vec<Options> {
    let mut sets = vec![Options::default()];
    sets.push(Options {
        strict: true,
        ..Options::default()
    });
    sets.push(Options {
        max_depth: 3,
        max_bytes: 300,
        ..Options::default()
    });
    sets.push(Options {
        content_type: Some("application/x-www-form-urlencoded".into()),
        url: Some("https://x.example/h?entityType=webhook&eventType=Lead_Post_Create".into()),
        ..Options::default()
    });
    for kind in Kind::all() {
        sets.push(Options {
            kind: Some(kind),
            ..Options::default()
        });
    }
    sets
}

fn run_everything(body: &[u8], opts: &Options) {
    let _ = leadhook::detect(body, opts);
    let report = leadhook::validate(body, opts);
    let _ = report.to_json();
    let parsed = leadhook::parse(body, opts);
    assert_eq!(parsed.is_ok(), report.ok());
    if let Ok(flat) = leadhook::flatten(body, opts) {
        let _ = flat.to_json();
    }
    let _ = leadhook::rows(body, opts);
    let _ = leadhook::to_csv(body, opts);
    let _ = leadhook::upgrade(body, opts);
    let _ = leadhook::verify_secret(body, "wh_a46f35f22d9723a", opts);
    let _ = leadhook::code_step::plan(body, opts, true);
    if let Ok(text) = std::str::from_utf8(body) {
        let _ = Options::from_json(text);
    }
}

fn bodies() -> Vec<Vec<u8>> {
    let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).join("tests/fixtures");
    let mut out = Vec::new();
    for dir in fs::read_dir(root).unwrap() {
        for f in fs::read_dir(dir.unwrap().path()).unwrap() {
            let p = f.unwrap().path();
            if !p.to_str().unwrap().ends_with(".expect.json") {
                out.push(fs::read(p).unwrap());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn no_input_panics() {
    let sets = option_sets();
    let mut rng = Rng(0x5eed_1ead_b00c);
    let mut runs = 0;
    for body in bodies() {
        for opts in &sets {
            run_everything(&body, opts);
            runs += 1;
        }
        for _ in 0..60 {
            let mutated = mutate(&mut rng, &body, SPECIAL);
            run_everything(&mutated, &sets[rng.below(sets.len())]);
            runs += 1;
        }
    }
    println!("{runs} runs without a panic");
}

#[test]
fn hostile_shapes_finish() {
    let opts = Options::default();
    // Deep nesting, at and past the limits, and past the ceiling whatever maxDepth says.
    let deep = |n: usize| [vec![b'['; n], vec![b']'; n]].concat();
    let at_limit = leadhook::validate(
        &deep(64),
        &Options {
            kind: Some(Kind::LeadSquared),
            ..opts.clone()
        },
    );
    assert!(at_limit
        .errors
        .iter()
        .all(|e| e.code.as_str() != "input.too_deep"));
    let over = leadhook::validate(&deep(65), &opts);
    assert_eq!(over.errors[0].code.as_str(), "input.too_deep");
    let huge_depth = Options {
        max_depth: usize::MAX,
        ..opts.clone()
    };
    let report = leadhook::validate(&deep(100_000), &huge_depth);
    assert_eq!(report.errors[0].code.as_str(), "input.too_deep");
    // Many keys in one object, all the same: n log n, not n².
    let mut many = String::from("{\"ProspectID\":\"x\"");
    for _ in 0..100_000 {
        many.push_str(",\"a\":1");
    }
    many.push('}');
    let report = leadhook::validate(many.as_bytes(), &opts);
    // 99,999 repeats: maxIssues (100) listed, the rest counted in one last entry.
    assert_eq!(report.errors.len(), 101);
    let last = &report.errors[100];
    assert_eq!(last.code.as_str(), "report.truncated");
    assert!(
        last.message.starts_with("99899 more errors"),
        "{}",
        last.message
    );
    // Many distinct asset types: the flat record's index keeps flattening n log n.
    let mut assets = String::from("{\"status\":\"SUCCESS\",\"requestUrl\":\"https://a.b/\",\"requestName\":\"n\",\"connectionAssets\":[");
    for i in 0..20_000 {
        if i > 0 {
            assets.push(',');
        }
        let _ = write!(
            assets,
            "{{\"type\":\"T{i}\",\"name\":\"n\",\"id\":\"{i}\",\"isSuccess\":true}}"
        );
    }
    assets.push_str("]}");
    let flat = leadhook::flatten(assets.as_bytes(), &opts).unwrap();
    assert_eq!(flat.len(), 8 + 4 * 20_000);
}
