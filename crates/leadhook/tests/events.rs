//! A delivery's events (API rev 3): one per record of a LeadSquared array, one for any other
//! payload; each keyed as its record sent alone, and no two different events sharing a key.

mod common;

use common::fixtures;
use leadhook::{Options, Value};

#[test]
fn every_valid_fixture_splits_into_its_events() {
    let mut checked = 0;
    for f in fixtures() {
        let opts = Options::from_json(&f.opts).unwrap_or_default();
        let Ok(parsed) = leadhook::parse(&f.body[..], &opts) else {
            continue;
        };
        let (kind, events) = leadhook::events(&f.body[..], &opts, false).unwrap();
        assert_eq!(kind, parsed.kind, "{}", f.name);
        let alone: Vec<String> = match (&parsed.data, kind.as_str()) {
            (Value::Array(records), "leadsquared") => records.iter().map(Value::to_json).collect(),
            _ => vec![String::from_utf8_lossy(&f.body).into_owned()],
        };
        assert_eq!(events.len(), alone.len(), "{}", f.name);
        for (event, body) in events.iter().zip(&alone) {
            let as_json = Options {
                content_type: None,
                ..opts.clone()
            };
            let opts = if body.starts_with('{') {
                &as_json
            } else {
                &opts
            };
            assert_eq!(
                Some(&event.key),
                leadhook::event_key(body.as_bytes(), opts).as_ref(),
                "{}",
                f.name
            );
            assert_eq!(event.records.len(), 1, "{}", f.name);
        }
        checked += 1;
    }
    assert!(checked > 50, "{checked}");
}

#[test]
fn a_bulk_of_distinct_records_has_distinct_keys_and_a_batch_warning() {
    let record = |i: usize| {
        format!(r#"{{"ProspectActivityId":"a{i}","RelatedProspectId":"p","ActivityEvent":22}}"#)
    };
    let body = format!("[{}]", (0..300).map(record).collect::<Vec<_>>().join(","));
    let opts = Options::default();
    let (_, events) = leadhook::events(body.as_bytes(), &opts, false).unwrap();
    let keys: std::collections::BTreeSet<&str> = events.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(keys.len(), 300);
    let report = leadhook::validate(body.as_bytes(), &opts);
    assert_eq!(report.warnings[0].code.as_str(), "report.batch");
    assert!(report.warnings[0]
        .message
        .starts_with("this delivery carries 300 events"));
    // Two records that differ in a field no id covers are two events.
    let twice = r#"[{"RelatedProspectId":"p","Data":{"Note":"a"}},{"RelatedProspectId":"p","Data":{"Note":"b"}}]"#;
    let (_, events) = leadhook::events(twice.as_bytes(), &opts, false).unwrap();
    assert_ne!(events[0].key, events[1].key);
    // One record is one event, with no batch warning.
    let one = leadhook::validate(record(1).as_bytes(), &opts);
    assert!(one
        .warnings
        .iter()
        .all(|w| w.code.as_str() != "report.batch"));
}

#[test]
fn events_with_rows_align_each_events_rows() {
    let body = std::fs::read(concat!(
        concat!(env!("CARGO_MANIFEST_DIR"), "/../.."),
        "/tests/fixtures/leadsie-v2/vendor-sample.json"
    ))
    .unwrap();
    let (_, events) = leadhook::events(&body[..], &Options::default(), true).unwrap();
    assert_eq!(events.len(), 1);
    let rows = leadhook::rows(&body[..], &Options::default()).unwrap();
    assert_eq!(events[0].records, rows);
}

/// Every leaf of `value` (a string, a number, a boolean), each by its path, changed: a string
/// gets one more character, a number one more, a boolean its opposite.
fn each_leaf_changed(value: &serde_json::Value) -> Vec<(String, serde_json::Value)> {
    fn walk(
        v: &serde_json::Value,
        path: &str,
        root: &serde_json::Value,
        out: &mut Vec<(String, serde_json::Value)>,
    ) {
        use serde_json::Value as J;
        let changed = match v {
            J::String(s) => Some(J::String(format!("{s}x"))),
            J::Number(n) => n.as_f64().map(|f| serde_json::json!(f + 1.0)),
            J::Bool(b) => Some(J::Bool(!b)),
            J::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    walk(item, &format!("{path}/{i}"), root, out);
                }
                None
            }
            J::Object(members) => {
                for (k, item) in members {
                    walk(
                        item,
                        &format!("{path}/{}", k.replace('~', "~0").replace('/', "~1")),
                        root,
                        out,
                    );
                }
                None
            }
            J::Null => None,
        };
        if let Some(new) = changed {
            let mut copy = root.clone();
            if let Some(slot) = copy.pointer_mut(path) {
                *slot = new;
                out.push((path.to_owned(), copy));
            }
        }
    }
    let mut out = Vec::new();
    walk(value, "", value, &mut out);
    out
}

/// FORMATS.md revision 3, item 19: two events whose records differ never share a key. Every
/// valid fixture, with each of its fields changed in turn: where the changed body is still a
/// valid event of the same kind and its record differs, its key differs. `lead-event.v2` keys on
/// its signed `eventId`, so there the field changed is the `eventId`.
#[test]
fn distinct_events_never_share_a_key() {
    let mut compared = 0;
    for f in fixtures() {
        let opts = Options::from_json(&f.opts).unwrap_or_default();
        let Ok(parsed) = leadhook::parse(&f.body[..], &opts) else {
            continue;
        };
        let Ok(json) = serde_json::from_slice::<serde_json::Value>(&f.body) else {
            continue;
        };
        let opts = Options {
            kind: Some(parsed.kind),
            content_type: None,
            ..opts
        };
        let Some(key) = leadhook::event_key(&f.body[..], &opts) else {
            continue;
        };
        let record = leadhook::flatten(&f.body[..], &opts).map(|r| format!("{r:?}"));
        for (path, changed) in each_leaf_changed(&json) {
            if parsed.kind.as_str() == "lead-event.v2" && path != "/eventId" {
                continue;
            }
            let body = serde_json::to_vec(&changed).unwrap();
            let Some(other) = leadhook::event_key(&body[..], &opts) else {
                continue;
            };
            let other_record = leadhook::flatten(&body[..], &opts).map(|r| format!("{r:?}"));
            if other_record.is_ok() && other_record == record {
                continue; // the change did not reach the event's record (a `secret`, say)
            }
            assert_ne!(key, other, "{}: changing {path} kept the key", f.name);
            compared += 1;
        }
    }
    assert!(compared > 500, "{compared}");
}

/// A receiver's store dedupes redeliveries by their keys, so a key must not change from one
/// version of leadhook to the next: these are the keys the package gave in December 2026.
#[test]
fn keys_are_the_same_from_version_to_version() {
    let key = |path: &str| {
        let body = std::fs::read(format!(
            "{}/../../tests/fixtures/{path}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let (_, events) = leadhook::events(&body[..], &Options::default(), false).unwrap();
        let keys: Vec<String> = events.into_iter().map(|e| e.key).collect();
        (leadhook::event_key(&body[..], &Options::default()), keys)
    };
    let (whole, each) = key("leadsquared/activities-bulk.json");
    assert_eq!(
        whole.as_deref(),
        Some("7047f97a95795249252718e339b89c24698fe99de34c79c4b2576e6e45f883b9")
    );
    assert_eq!(
        each[..2],
        [
            "3c08d13b8165d26bdaaaf55f4952bf9b6409539d6c8e3d25705a2928957e9234",
            "f610b5777be373ab45db948050c64916107bcee008636b63c5d30969d4aa9815",
        ]
    );
    for (path, expected) in [
        (
            "leadsquared/lead-stage-change.json",
            "885105d66c67e9b59ce5dc83561a4719006ecd149e594b2b96494177e5dce356",
        ),
        (
            "lead-event/vendor-sample.json",
            "67f8cd569d22fee5a9af097b680fa3ac8bee4c9740594a5cefcb109838f75793",
        ),
        (
            "leadsie-v2/vendor-sample.json",
            "6f98fcba81bb0b977075a382633201b6e73ba9be89aa748c0e305f1d0bfb931c",
        ),
        (
            "leadsie-v1/example.json",
            "6c62268e5fb12a6801d95989cb36ae992b7b40a43a75454015bf670a13e37dca",
        ),
    ] {
        let (whole, each) = key(path);
        assert_eq!(whole.as_deref(), Some(expected), "{path}");
        assert_eq!(each, [expected], "{path}");
    }
}

/// A record's key is hashed from its text in the body when that is written as the key's text
/// would be (no whitespace, no escape), and from its value written anew otherwise: the key must
/// not tell which, whatever the spacing and escapes of the body.
#[test]
fn keys_are_the_same_however_the_body_is_spaced_or_escaped() {
    let keys = |body: &str| -> Vec<String> {
        let (_, events) = leadhook::events(body.as_bytes(), &Options::default(), false).unwrap();
        events.into_iter().map(|e| e.key).collect()
    };
    let mut compared = 0;
    for f in fixtures() {
        let Ok(parsed) = leadhook::parse(&f.body[..], &Options::default()) else {
            continue;
        };
        if !matches!(parsed.data, Value::Array(_)) || parsed.kind.as_str() != "leadsquared" {
            continue;
        }
        // The fixture is indented; its records written again without a space.
        let compact = parsed.data.to_json();
        assert!(!compact.contains(": "), "{}", f.name);
        // Every `é` and `/` written as an escape: the same text, read back the same.
        let escaped = compact.replace('é', "\\u00e9").replace('/', "\\/");
        let theirs = keys(&String::from_utf8_lossy(&f.body));
        assert_eq!(keys(&compact), theirs, "{}", f.name);
        assert_eq!(keys(&escaped), theirs, "{}", f.name);
        compared += 1;
    }
    assert!(compared >= 3, "{compared}");
    // Strings with escapes that the key's text writes too (`\"`, `\\`, `\n`, `\u001f`).
    let record =
        r#"{"ProspectActivityId":"a\"b\\c\nd\u001f","RelatedProspectId":"p","ActivityEvent":22}"#;
    let compact = format!("[{record},{record}]");
    let spaced = format!("[ {record} , {} ]", record.replace(',', ", "));
    assert_eq!(keys(&compact), keys(&spaced));
    let plain = r#"[{"ProspectActivityId":"a","RelatedProspectId":"p","ActivityEvent":22}]"#;
    assert_eq!(keys(plain), keys(&plain.replace(':', " : ")));
}

/// A body sent without whitespace or escapes is keyed from its own text, any other from its
/// value written anew: `eventKey` and `events` give the same keys either way, for every kind.
#[test]
fn a_payload_is_keyed_the_same_sent_compact_or_indented() {
    let mut compared = 0;
    for f in fixtures() {
        let opts = Options::from_json(&f.opts).unwrap_or_default();
        if opts.content_type.is_some() || !f.body.starts_with(b"{") {
            continue;
        }
        let Ok(parsed) = leadhook::parse(&f.body[..], &opts) else {
            continue;
        };
        let compact = parsed.data.to_json();
        let key = leadhook::event_key(&f.body[..], &opts);
        assert!(key.is_some(), "{}", f.name);
        assert_eq!(
            leadhook::event_key(compact.as_bytes(), &opts),
            key,
            "{}",
            f.name
        );
        let keys = |body: &[u8]| -> Vec<String> {
            let (_, events) = leadhook::events(body, &opts, false).unwrap();
            events.into_iter().map(|e| e.key).collect()
        };
        assert_eq!(keys(compact.as_bytes()), keys(&f.body), "{}", f.name);
        assert_eq!(keys(compact.as_bytes()), vec![key.unwrap()], "{}", f.name);
        compared += 1;
    }
    assert!(compared > 40, "{compared}");
}

/// Over the output budget, `events` is refused with `flatten`'s report, and with `rows` with
/// `rows`' report, word for word: each record counted once, without what no output may carry
/// (a lead event's secret, the fields `redact` names), whether the walk handed it over or not.
/// (Of a bulk body's rows, `rows` counts every record's and `events` stops at the first record
/// past the budget, so only the refusal is compared.)
#[test]
fn events_over_the_budget_are_refused_as_flatten_and_rows_are() {
    let mut refused = 0;
    for f in fixtures() {
        let mut opts = Options::from_json(&f.opts).unwrap_or_default();
        if leadhook::parse(&f.body[..], &opts).is_err() {
            continue;
        }
        opts.max_output_bytes = Some(100);
        for redact in [vec![], vec!["Data".to_owned(), "payload".to_owned()]] {
            let opts = Options {
                redact,
                ..opts.clone()
            };
            let body = &f.body[..];
            let pairs = [
                (leadhook::flatten(body, &opts).map(drop), false),
                (leadhook::rows(body, &opts).map(drop), true),
            ];
            for (alone, rows) in pairs {
                let events = leadhook::events(body, &opts, rows).map(drop);
                assert_eq!(events.is_ok(), alone.is_ok(), "{}", f.name);
                if let (Err(alone), Err(events)) = (alone, events) {
                    let bulk = f.body.trim_ascii_start().starts_with(b"[");
                    if !(rows && bulk) {
                        assert_eq!(events, alone, "{} (rows: {rows})", f.name);
                    }
                    refused += 1;
                }
            }
        }
    }
    assert!(refused > 100, "{refused}");
}
