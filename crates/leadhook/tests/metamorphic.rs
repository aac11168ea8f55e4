//! Metamorphic tests: the same payload written another way gets the same report. Every fixture
//! body that is valid JSON (with its options) is re-serialised
//! - with every key and every string value `\u`-escaped (enum values included, so the walker's
//!   raw-byte matching of keys and vocabularies must agree with its decoding path);
//! - with other whitespace between every token;
//! - with the members of every object in another order (issues compared as a set: their order
//!   follows the document's);
//! - for a flat object of strings, as a form body;
//!
//! and, for each, the kind, the codes, the paths and the messages must be the same.

mod common;

use common::{fixture_bodies, Rng};
use leadhook::json::{write_string, Value};
use leadhook::{Options, Report};
use std::fmt::Write as _;

/// How to write a value back out.
struct Style<'r> {
    escape: bool,
    rng: Option<&'r mut Rng>,
    reverse: bool,
}

fn ws(style: &mut Style, out: &mut String) {
    if let Some(rng) = style.rng.as_deref_mut() {
        for _ in 0..rng.below(3) {
            out.push(*rng.pick(&[' ', '\n', '\t', '\r']));
        }
    }
}

fn string(style: &Style, out: &mut String, s: &str) {
    if !style.escape {
        write_string(out, s);
        return;
    }
    out.push('"');
    for unit in s.encode_utf16() {
        let _ = write!(out, "\\u{unit:04x}");
    }
    out.push('"');
}

fn write(style: &mut Style, out: &mut String, v: &Value) {
    ws(style, out);
    match v {
        Value::Object(members) => {
            out.push('{');
            let order: Vec<usize> = if style.reverse {
                (0..members.len()).rev().collect()
            } else {
                (0..members.len()).collect()
            };
            for (n, i) in order.into_iter().enumerate() {
                if n > 0 {
                    out.push(',');
                }
                let (k, v) = &members[i];
                ws(style, out);
                string(style, out, k);
                ws(style, out);
                out.push(':');
                write(style, out, v);
            }
            ws(style, out);
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(style, out, item);
            }
            ws(style, out);
            out.push(']');
        }
        Value::String(s) => string(style, out, s),
        scalar => scalar.write_json(out),
    }
    ws(style, out);
}

fn has_repeated_keys(v: &Value) -> bool {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&str> = m.iter().map(|(k, _)| k.as_ref()).collect();
            keys.sort_unstable();
            keys.windows(2).any(|w| w[0] == w[1]) || m.iter().any(|(_, v)| has_repeated_keys(v))
        }
        Value::Array(items) => items.iter().any(has_repeated_keys),
        _ => false,
    }
}

fn issues(r: &Report, sorted: bool) -> (Vec<String>, Vec<String>) {
    let list = |l: &[leadhook::Issue]| {
        let mut v: Vec<String> = l
            .iter()
            .map(|i| format!("{} {} {}", i.code, i.path, i.message))
            .collect();
        if sorted {
            v.sort();
        }
        v
    };
    (list(&r.errors), list(&r.warnings))
}

#[test]
fn the_same_payload_written_another_way_gets_the_same_report() {
    let mut rng = Rng(0x5eed_cafe);
    let (mut compared, mut forms) = (0, 0);
    let mut failures = Vec::new();
    for (name, body, opts_json) in fixture_bodies() {
        // `input/` is about reading bytes (limits, encodings), which rewriting changes.
        let Ok(opts) = Options::from_json(&opts_json) else {
            continue;
        };
        if name.starts_with("input") || opts.content_type.is_some() {
            continue;
        }
        let Ok(text) = std::str::from_utf8(&body) else {
            continue;
        };
        let Ok(value) = leadhook::json::tree(text.trim_start_matches('\u{feff}'), 64) else {
            continue;
        };
        if leadhook::internals::is_form(text, None) {
            continue;
        }
        let original = leadhook::validate(&body, &opts);
        let mut check = |what: &str, text: &str, opts: &Options, sorted: bool| {
            let got = leadhook::validate(text.as_bytes(), opts);
            if got.kind != original.kind || issues(&got, sorted) != issues(&original, sorted) {
                failures.push(format!(
                    "{name} {what}:\n  original {}\n  got      {}\n  body {text}",
                    original.to_json(),
                    got.to_json()
                ));
            }
        };
        for round in 0..4 {
            let mut style = Style {
                escape: round % 2 == 1,
                rng: Some(&mut rng),
                reverse: false,
            };
            let mut out = String::new();
            write(&mut style, &mut out, &value);
            check(
                if round % 2 == 1 {
                    "escaped"
                } else {
                    "whitespace"
                },
                &out,
                &opts,
                false,
            );
        }
        if !has_repeated_keys(&value) {
            let mut style = Style {
                escape: false,
                rng: None,
                reverse: true,
            };
            let mut out = String::new();
            write(&mut style, &mut out, &value);
            check("reordered", &out, &opts, true);
        }
        // A flat object of strings is what a form body carries.
        if let Value::Object(members) = &value {
            if !members.is_empty() && members.iter().all(|(_, v)| matches!(v, Value::String(_))) {
                let pairs: Vec<String> = members
                    .iter()
                    .map(|(k, v)| format!("{}={}", percent(k), percent(v.as_str().unwrap_or(""))))
                    .collect();
                let form_opts = Options {
                    content_type: Some("application/x-www-form-urlencoded".to_owned()),
                    ..opts.clone()
                };
                check("as a form", &pairs.join("&"), &form_opts, false);
                forms += 1;
            }
        }
        compared += 1;
    }
    println!("{compared} fixtures re-written 5 or 6 ways ({forms} also as forms)");
    assert!(compared > 100 && forms > 3, "{compared} / {forms}");
    assert!(
        failures.is_empty(),
        "{} differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn percent(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
