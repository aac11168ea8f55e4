//! `rows` and `flatten` of a bulk body are made record by record as the walk passes them, never
//! holding the body as a tree. Checked against the rows and flat record made from the whole
//! tree, on every fixture body (bulk ones repeated into larger arrays, with and without
//! `redact`) and mutations of them.

mod common;

use common::{fixture_bodies, mutate, Rng, SPECIAL};
use leadhook::internals::{align, redact};
use leadhook::json::Value;
use leadhook::records::{read_rows, Records, REFERS_AT};
use leadhook::{Flat, Options, Scalar, Session};

/// The rows as made from the whole body's tree.
fn rows_from_tree<'a>(body: &'a [u8], opts: &Options) -> Option<Vec<Flat<'a>>> {
    let mut parsed = leadhook::parse(body, opts).ok()?;
    redact(&mut parsed.data, opts);
    align((parsed.kind.spec().rows)(&parsed.data, opts), usize::MAX).ok()
}

/// The flat record as made from the whole body's tree: of an array of records, the first one's
/// with their `count` (as the contract says).
fn flat_from_tree<'a>(body: &'a [u8], opts: &Options) -> Option<Flat<'a>> {
    let mut parsed = leadhook::parse(body, opts).ok()?;
    redact(&mut parsed.data, opts);
    let spec = parsed.kind.spec();
    match &parsed.data {
        Value::Array(all) if spec.many_records() => {
            let mut flat = all
                .first()
                .map_or_else(Flat::new, |r| (spec.flatten)(r, opts));
            flat.set("count", Scalar::Number(all.len().to_string().into()));
            Some(flat)
        }
        one => Some((spec.flatten)(one, opts)),
    }
}

/// Whether the rows laid out for JavaScript as they are made read back as `rows` (the whole
/// rows, aligned), or are refused when `rows` is; and whether a value refers to the body.
fn laid_out_as(body: &[u8], opts: &Options, rows: Option<&Vec<leadhook::Flat>>) -> (bool, bool) {
    let mut records = Records::new();
    // As JavaScript lets them, for a body it holds as ASCII text.
    if body.is_ascii() {
        records.refer_to(body);
    }
    let laid_out = Session::new().rows_laid_out(body, opts, &mut records, 0, false);
    let refers = laid_out.is_ok() && records.words[REFERS_AT] != 0;
    let agrees = match (rows, laid_out) {
        (Some(rows), Ok(())) if rows.is_empty() => {
            records.read_back(body).is_some_and(|r| r.is_empty())
        }
        (Some(rows), Ok(())) => records.read_back(body) == Some(read_rows(rows)),
        (None, Err(report)) => leadhook::rows(body, opts).err() == Some(report),
        _ => false,
    };
    (agrees, refers)
}

#[test]
fn record_by_record_rows_are_the_trees_rows() {
    let mut rng = Rng(0x5eed_0f10);
    let mut compared = 0;
    let mut bulk_rows = 0;
    let mut referring = 0;
    let mut failures = Vec::new();
    for (name, body, opts_json) in fixture_bodies() {
        let base = Options::from_json(&opts_json).unwrap_or_default();
        let redacting = Options {
            redact: vec!["Phone".to_owned(), "mx_Custom".to_owned()],
            ..base.clone()
        };
        let mut bodies = vec![body.clone()];
        if body.first() == Some(&b'[') && body.len() > 2 {
            // The same records three times over: records of one shape in a row.
            let inner = &body[1..body.len() - 1];
            let mut many = b"[".to_vec();
            for i in 0..3 {
                if i > 0 {
                    many.push(b',');
                }
                many.extend_from_slice(inner);
            }
            many.push(b']');
            bodies.push(many);
        }
        for _ in 0..30 {
            bodies.push(mutate(&mut rng, &body, SPECIAL));
        }
        for body in &bodies {
            for opts in [&base, &redacting] {
                let streamed = leadhook::rows(body, opts).ok();
                if body.first() == Some(&b'[') && streamed.as_ref().is_some_and(|r| r.len() > 1) {
                    bulk_rows += 1;
                }
                let (agrees, refers) = laid_out_as(body, opts, streamed.as_ref());
                referring += usize::from(refers);
                // A flat record within the output budget is the tree's.
                let flat = leadhook::flatten(body, opts);
                let flat_agrees = flat.is_err() || flat.ok() == flat_from_tree(body, opts);
                if streamed != rows_from_tree(body, opts) || !agrees || !flat_agrees {
                    failures.push(format!("{name}: {}", String::from_utf8_lossy(body)));
                }
                compared += 1;
            }
        }
    }
    assert!(compared > 5_000, "only {compared}");
    assert!(bulk_rows > 20, "only {bulk_rows} bulk bodies with rows");
    assert!(
        referring > 500,
        "only {referring} layouts refer to their body"
    );
    assert!(
        failures.is_empty(),
        "{} differ:\n{}",
        failures.len(),
        failures[..failures.len().min(5)].join("\n")
    );
}
