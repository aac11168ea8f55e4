//! Runs every file of JSONTestSuite's `test_parsing/` (in `../shared/jsontestsuite/`) through
//! leadhook's own reading of a body: `input::text` (size, byte-order mark, UTF-8) and then
//! `json::read`.
//!
//! - `y_*` must be accepted (read with a depth of 512, so only the grammar is tested);
//! - `n_*` must be rejected, by `input::text` (`input.encoding`) or by `json::read`;
//! - `i_*` may go either way: what leadhook does is pinned in `I_DECISIONS` below, so that a
//!   change in behaviour is a deliberate one.
//!
//! Each file is also run through the public `validate` path (content type `application/json`,
//! `maxDepth` 512), to check that it agrees with the two building blocks: a `y_` body is never
//! refused with an `input.*` or `json.syntax` error, and an `n_` body always is.
//!
//! The suite lives outside the crate; in a checkout without `shared/` the test prints a note and
//! passes.

use std::fs;
use std::path::{Path, PathBuf};

use leadhook::Options;
use leadhook::{internals as input, DEPTH_CEILING};

/// Depth for the grammar checks: the reader's ceiling (`DEPTH_CEILING`).
const DEPTH: usize = 512;

// `i_structure_500_nested_arrays` is pinned as accepted: that holds only while the ceiling
// stays at 500 or more.
const _: () = assert!(DEPTH_CEILING >= 500 && DEPTH <= DEPTH_CEILING);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// Read as a JSON value.
    Accepted,
    /// Refused before parsing: the bytes are not UTF-8 (`input.encoding`).
    Encoding,
    /// Refused by the JSON reader (`json.syntax`).
    Syntax,
}

use Outcome::*;

/// What leadhook does with each `i_` file, and why.
///
/// | file(s)                                   | outcome  | why |
/// |-------------------------------------------|----------|-----|
/// | `i_number_*` (10 files: huge exponents, overflow, underflow, integers past 2^53) | accepted | they follow the JSON grammar; leadhook keeps a number as its source text, and `JSON.parse` accepts them too (as ±Infinity, 0 or a rounded value) |
/// | `i_object_key_lone_2nd_surrogate`, `i_string_1st_surrogate_but_2nd_missing`, `i_string_1st_valid_surrogate_2nd_invalid`, `i_string_incomplete_surrogate_and_escape_valid`, `i_string_incomplete_surrogate_pair`, `i_string_incomplete_surrogates_escape_valid`, `i_string_invalid_lonely_surrogate`, `i_string_invalid_surrogate`, `i_string_inverted_surrogates_U+1D11E`, `i_string_lone_second_surrogate` | syntax | a `\u` escape of an unpaired surrogate is no Unicode character; `JSON.parse` keeps it, but it cannot be held in UTF-8 text, so leadhook refuses it (`json.syntax`) rather than read the body differently from every UTF-8 consumer |
/// | `i_string_UTF-8_invalid_sequence`, `i_string_UTF8_surrogate_U+D800`, `i_string_invalid_utf-8`, `i_string_iso_latin_1`, `i_string_lone_utf8_continuation_byte`, `i_string_not_in_unicode_range`, `i_string_overlong_sequence_2_bytes`, `i_string_overlong_sequence_6_bytes`, `i_string_overlong_sequence_6_bytes_null`, `i_string_truncated-utf-8` | encoding | the bytes are not valid UTF-8: `input.encoding`, before any parsing (`TextDecoder` would substitute U+FFFD; leadhook reports instead) |
/// | `i_string_UTF-16LE_with_BOM`, `i_string_utf16BE_no_BOM`, `i_string_utf16LE_no_BOM` | encoding | UTF-16 is not UTF-8; API.md reads bytes as UTF-8 only |
/// | `i_structure_500_nested_arrays`            | accepted | 500 levels is under the reader's ceiling of 512 (`DEPTH_CEILING`); through `validate` with the default `maxDepth` of 64 it is `input.too_deep` (checked below) |
/// | `i_structure_UTF-8_BOM_empty_object`       | accepted | a leading UTF-8 byte-order mark is skipped, as `TextDecoder` and `Response.json()` do |
const I_DECISIONS: &[(&str, Outcome)] = &[
    ("i_number_double_huge_neg_exp.json", Accepted),
    ("i_number_huge_exp.json", Accepted),
    ("i_number_neg_int_huge_exp.json", Accepted),
    ("i_number_pos_double_huge_exp.json", Accepted),
    ("i_number_real_neg_overflow.json", Accepted),
    ("i_number_real_pos_overflow.json", Accepted),
    ("i_number_real_underflow.json", Accepted),
    ("i_number_too_big_neg_int.json", Accepted),
    ("i_number_too_big_pos_int.json", Accepted),
    ("i_number_very_big_negative_int.json", Accepted),
    ("i_object_key_lone_2nd_surrogate.json", Syntax),
    ("i_string_1st_surrogate_but_2nd_missing.json", Syntax),
    ("i_string_1st_valid_surrogate_2nd_invalid.json", Syntax),
    ("i_string_UTF-16LE_with_BOM.json", Encoding),
    ("i_string_UTF-8_invalid_sequence.json", Encoding),
    ("i_string_UTF8_surrogate_U+D800.json", Encoding),
    (
        "i_string_incomplete_surrogate_and_escape_valid.json",
        Syntax,
    ),
    ("i_string_incomplete_surrogate_pair.json", Syntax),
    ("i_string_incomplete_surrogates_escape_valid.json", Syntax),
    ("i_string_invalid_lonely_surrogate.json", Syntax),
    ("i_string_invalid_surrogate.json", Syntax),
    ("i_string_invalid_utf-8.json", Encoding),
    ("i_string_inverted_surrogates_U+1D11E.json", Syntax),
    ("i_string_iso_latin_1.json", Encoding),
    ("i_string_lone_second_surrogate.json", Syntax),
    ("i_string_lone_utf8_continuation_byte.json", Encoding),
    ("i_string_not_in_unicode_range.json", Encoding),
    ("i_string_overlong_sequence_2_bytes.json", Encoding),
    ("i_string_overlong_sequence_6_bytes.json", Encoding),
    ("i_string_overlong_sequence_6_bytes_null.json", Encoding),
    ("i_string_truncated-utf-8.json", Encoding),
    ("i_string_utf16BE_no_BOM.json", Encoding),
    ("i_string_utf16LE_no_BOM.json", Encoding),
    ("i_structure_500_nested_arrays.json", Accepted),
    ("i_structure_UTF-8_BOM_empty_object.json", Accepted),
];

fn suite_dir() -> Option<PathBuf> {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .join("../shared/jsontestsuite/test_parsing");
    dir.is_dir().then_some(dir)
}

/// What `input::text` then `json::read` make of a file's bytes.
fn outcome(bytes: &[u8]) -> Outcome {
    let opts = Options::default();
    match input::text(bytes.into(), &opts) {
        Err(issue) => {
            assert_eq!(
                issue.code.as_str(),
                "input.encoding",
                "input::text refused a small file for something other than its encoding"
            );
            Encoding
        }
        Ok(text) => match leadhook::json::tree(text, DEPTH) {
            Ok(_) => Accepted,
            Err(_) => Syntax,
        },
    }
}

/// The first error code `validate` reports for a file read as `application/json`.
fn validate_first_error(bytes: &[u8], max_depth: usize) -> Option<String> {
    let opts = Options {
        content_type: Some("application/json".to_owned()),
        max_depth,
        ..Options::default()
    };
    leadhook::validate(bytes, &opts)
        .errors
        .first()
        .map(|i| i.code.as_str().to_owned())
}

fn is_read_error(code: &str) -> bool {
    code.starts_with("input.") || code == "json.syntax"
}

#[test]
fn jsontestsuite_parsing() {
    let Some(dir) = suite_dir() else {
        println!(
            "note: ../shared/jsontestsuite/test_parsing not found next to the crate; JSONTestSuite skipped"
        );
        return;
    };
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();

    let mut failures = Vec::new();
    let (mut y, mut n, mut i) = (0, 0, 0);
    let mut seen_i = Vec::new();
    for path in &files {
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        let bytes = fs::read(path).unwrap();
        let got = outcome(&bytes);
        let via_validate = validate_first_error(&bytes, DEPTH);
        match name.as_bytes()[0] {
            b'y' => {
                y += 1;
                if got != Accepted {
                    failures.push(format!("{name}: must be accepted, got {got:?}"));
                }
                if let Some(code) = via_validate.filter(|c| is_read_error(c)) {
                    failures.push(format!("{name}: validate refused it with {code}"));
                }
            }
            b'n' => {
                n += 1;
                if got == Accepted {
                    failures.push(format!("{name}: must be rejected, was accepted"));
                }
                match via_validate {
                    Some(code) if is_read_error(&code) => {}
                    other => failures.push(format!(
                        "{name}: validate must refuse it as unreadable, got {other:?}"
                    )),
                }
            }
            b'i' => {
                i += 1;
                seen_i.push(name.clone());
                match I_DECISIONS.iter().find(|(f, _)| *f == name) {
                    None => failures.push(format!(
                        "{name}: not in I_DECISIONS (leadhook gives {got:?}); add it with a reason"
                    )),
                    Some((_, want)) if *want != got => failures.push(format!(
                        "{name}: I_DECISIONS says {want:?}, leadhook now gives {got:?}"
                    )),
                    Some(_) => {}
                }
                // validate agrees with the building blocks on i_ files too.
                let agrees = match got {
                    Accepted => !via_validate.as_deref().is_some_and(is_read_error),
                    Encoding => via_validate.as_deref() == Some("input.encoding"),
                    Syntax => via_validate.as_deref() == Some("json.syntax"),
                };
                if !agrees {
                    failures.push(format!(
                        "{name}: validate gives {via_validate:?}, the reader {got:?}"
                    ));
                }
            }
            _ => {}
        }
    }
    for (name, _) in I_DECISIONS {
        if !seen_i.iter().any(|s| s == name) {
            failures.push(format!("{name}: in I_DECISIONS but not in the suite"));
        }
    }

    // The 500-deep arrays: within the ceiling, but over the default maxDepth of 64.
    let deep = dir.join("i_structure_500_nested_arrays.json");
    if deep.is_file() {
        let bytes = fs::read(&deep).unwrap();
        let report = leadhook::validate(&bytes, &Options::default());
        let codes: Vec<&str> = report.errors.iter().map(|e| e.code.as_str()).collect();
        if codes != ["input.too_deep"] {
            failures.push(format!(
                "i_structure_500_nested_arrays.json with default options: want [input.too_deep], got {codes:?}"
            ));
        }
    }

    assert!(
        y > 0 && n > 0 && i > 0,
        "JSONTestSuite looks incomplete: {y} y_, {n} n_, {i} i_ files"
    );
    assert!(
        failures.is_empty(),
        "{} of {} JSONTestSuite files differ:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
    println!("JSONTestSuite: {y} y_, {n} n_, {i} i_ files as expected");
}
