//! Runs every case in `tests/fixtures/`: a body file and `NAME.expect.json` beside it, holding
//! the options and the expected report (codes and paths, in order). `tests/node/` runs the same
//! cases through the built npm package.

mod common;

use leadhook::json::{self, Value};
use leadhook::{Body, Kind, Options};

use common::Fixture as Case;

/// `[[code, path], …]` of an expected issue list.
fn expected_issues(list: Option<&Value>) -> Vec<(String, String)> {
    list.and_then(Value::as_array)
        .unwrap_or_default()
        .iter()
        .map(|i| {
            (
                i.get("code").and_then(Value::as_str).unwrap().to_owned(),
                i.get("path").and_then(Value::as_str).unwrap().to_owned(),
            )
        })
        .collect()
}

fn actual_issues(list: &[leadhook::Issue]) -> Vec<(String, String)> {
    list.iter()
        .map(|i| (i.code.as_str().to_owned(), i.path.clone()))
        .collect()
}

/// The optional golden outputs of a case: `flatten`, `rows`, `csv` and `upgrade`, compared with
/// key order (rows and CSV columns depend on it).
fn check_outputs(case: &Case, expect: &Value, opts: &Options, failures: &mut Vec<String>) {
    let mut compare = |what: &str, want: Option<&Value>, got: Result<String, leadhook::Report>| {
        let Some(want) = want else { return };
        let got_json = match got {
            Ok(json) => json,
            Err(report) => {
                failures.push(format!(
                    "{}: {what} failed: {}",
                    case.name,
                    report.to_json()
                ));
                return;
            }
        };
        let got_value = leadhook::json::tree(&got_json, 64).unwrap();
        if &got_value != want {
            failures.push(format!(
                "{}: {what}\n  want {}\n  got  {}",
                case.name,
                want.to_json(),
                got_json
            ));
        }
    };
    compare(
        "flatten",
        expect.get("flatten"),
        leadhook::flatten(&case.body, opts).map(|f| f.to_json()),
    );
    compare(
        "rows",
        expect.get("rows"),
        leadhook::rows(&case.body, opts).map(|rows| {
            let items: Vec<String> = rows.iter().map(leadhook::Flat::to_json).collect();
            format!("[{}]", items.join(","))
        }),
    );
    compare(
        "csv",
        expect.get("csv"),
        leadhook::to_csv(&case.body, opts).map(|csv| {
            let mut out = String::new();
            json::write_string(&mut out, &csv);
            out
        }),
    );
    compare(
        "upgrade",
        expect.get("upgrade"),
        leadhook::upgrade(&case.body, opts).map(|v| v.to_json()),
    );
    if expect.get("upgrade").is_some() {
        // What upgrade makes of a v1 payload validates as v2.
        if let Ok(upgraded) = leadhook::upgrade(&case.body, opts) {
            let text = upgraded.to_json();
            let report = leadhook::validate(text.as_bytes(), &Options::default());
            if !report.ok() || report.kind != Some(Kind::LeadsieV2) {
                failures.push(format!(
                    "{}: upgrade output does not validate as v2: {}",
                    case.name,
                    report.to_json()
                ));
            }
        }
    }
}

/// Runs one case: its report, detect, parse, and its golden outputs. The failures, if any.
fn run(case: &Case) -> Vec<String> {
    let mut failures = Vec::new();
    let expect = match leadhook::json::tree(&case.expect, 64) {
        Ok(v) => v,
        Err(e) => return vec![format!("the expect file is not JSON: {e:?}")],
    };
    // Options the core refuses (input.type) give a failed report, as the binding returns.
    let (opts, report) = match expect.get("opts").map(|o| Options::from_json(&o.to_json())) {
        None => (Options::default(), None),
        Some(Ok(opts)) => (opts, None),
        Some(Err(issue)) => (
            Options::default(),
            Some(leadhook::Report::failed(None, issue)),
        ),
    };
    let bad_options = report.is_some();
    let report = report.unwrap_or_else(|| leadhook::validate(&case.body, &opts));
    let want_kind = expect
        .get("kind")
        .and_then(Value::as_str)
        .and_then(Kind::from_name);
    let want_ok = matches!(expect.get("ok"), Some(Value::Bool(true)));
    let want_errors = expected_issues(expect.get("errors"));
    let want_warnings = expected_issues(expect.get("warnings"));
    let got_errors = actual_issues(&report.errors);
    let got_warnings = actual_issues(&report.warnings);
    if report.kind != want_kind
        || report.ok() != want_ok
        || got_errors != want_errors
        || got_warnings != want_warnings
    {
        failures.push(format!(
            "want kind {:?} ok {} errors {:?} warnings {:?}\n  got  kind {:?} ok {} errors {:?} warnings {:?}",
            want_kind, want_ok, want_errors, want_warnings, report.kind, report.ok(), got_errors, got_warnings
        ));
    }
    // As text known to be UTF-8 (a string JavaScript wrote), the body reads as its bytes do.
    if let (false, Ok(text)) = (bad_options, std::str::from_utf8(&case.body)) {
        let as_text = leadhook::validate(Body::Text(text), &opts);
        if as_text != report
            || leadhook::flatten(Body::Text(text), &opts) != leadhook::flatten(&case.body, &opts)
        {
            failures.push(format!(
                "read as text, it gives another answer: {:?}",
                as_text.errors
            ));
        }
    }
    // detect agrees with validate's kind whenever the body could be read.
    let readable = !report
        .errors
        .iter()
        .any(|e| e.code.as_str().starts_with("input.") || e.code.as_str() == "json.syntax");
    if opts.kind.is_none() && readable {
        let detected = leadhook::detect(&case.body, &opts);
        if detected != report.kind {
            failures.push(format!(
                "detect says {detected:?}, validate {:?}",
                report.kind
            ));
        }
    }
    if bad_options {
        return failures;
    }
    check_outputs(case, &expect, &opts, &mut failures);
    // parse succeeds exactly when the report is ok.
    if leadhook::parse(&case.body, &opts).is_ok() != report.ok() {
        failures.push("parse and validate disagree".to_owned());
    }
    failures
}

/// One named test per fixture (`cargo test --test fixtures -- leadsquared/`), as the JSON
/// Schema test suite's runners do.
fn main() {
    let args = libtest_mimic::Arguments::from_args();
    let cases = common::fixtures();
    assert!(cases.len() >= 100, "only {} fixtures found", cases.len());
    let trials = cases
        .into_iter()
        .map(|case| {
            libtest_mimic::Trial::test(case.name.clone(), move || {
                let failures = run(&case);
                if failures.is_empty() {
                    Ok(())
                } else {
                    Err(failures.join("\n").into())
                }
            })
        })
        .collect();
    libtest_mimic::run(&args, trials).exit();
}
