//! Every public function on any bytes, under a few option sets: no panic (a trap in
//! WebAssembly), and the answers agree with one another.
#![no_main]

use libfuzzer_sys::fuzz_target;
use leadhook::records::{read_rows, Records};
use leadhook::{Body, Options, Value};

mod first_byte;


fuzz_target!(|data: &[u8]| {
    let (first, body) = data.split_first().unwrap_or((&0, &[]));
    let opts = Options {
        kind: first_byte::kind(*first),
        strict: first & 0x10 != 0,
        max_issues: usize::from(first >> 5),
        content_type: (first & 0x08 != 0).then(|| "application/x-www-form-urlencoded".to_owned()),
        url: (first & 0x04 != 0).then(|| "https://h.example/?eventType=Lead_Post_Create".to_owned()),
        ..Options::default()
    };
    let report = leadhook::validate(body, &opts);
    assert!(report.errors.len() <= opts.max_issues + 1 && report.warnings.len() <= opts.max_issues + 1);
    if opts.kind.is_none() && report.ok() {
        assert_eq!(leadhook::detect(body, &opts), report.kind);
    }
    // Given the kind detection finds, the walk plans from a quicker guess (a lead event's
    // `event`), and ends in the same report.
    if let (None, Some(kind)) = (opts.kind, report.kind) {
        let given = Options { kind: Some(kind), ..opts.clone() };
        assert_eq!(leadhook::validate(body, &given), report);
    }
    // Text known to be UTF-8 (as the binding passes a string JavaScript wrote) reads as its
    // bytes do: only the encoding check is skipped.
    if let Ok(text) = std::str::from_utf8(body) {
        assert_eq!(leadhook::validate(Body::Text(text), &opts), report);
        assert_eq!(leadhook::flatten(Body::Text(text), &opts), leadhook::flatten(body, &opts));
    }
    let parsed = leadhook::parse(body, &opts);
    assert_eq!(parsed.is_ok(), report.ok() && report.kind.is_some());
    let flat = leadhook::flatten(body, &opts);
    assert_eq!(flat.is_ok(), parsed.is_ok());
    // What JavaScript reads of the records laid out for it is what the core made: a flat
    // record laid out whole, and rows laid out as they are made.
    let mut records = Records::new();
    // As JavaScript lets them, for a body it holds as ASCII text.
    if body.is_ascii() {
        records.refer_to(body);
    }
    if let Ok(flat) = &flat {
        records.lay_out(flat.clone(), 0);
        assert_eq!(records.read_back(body), Some(read_rows(std::slice::from_ref(flat))));
    }
    let rows = leadhook::rows(body, &opts);
    let laid_out = leadhook::Session::new().rows_laid_out(body, &opts, &mut records, 0, false);
    assert_eq!(laid_out.as_ref().err(), rows.as_ref().err());
    if let Ok(rows) = rows {
        let keys: Vec<Vec<&str>> = rows.iter().map(|r| r.keys().collect()).collect();
        assert!(keys.windows(2).all(|w| w[0] == w[1]), "rows differ in keys");
        if !rows.is_empty() {
            assert_eq!(records.read_back(body), Some(read_rows(&rows)));
        }
    }
    let _ = leadhook::to_csv(body, &opts);
    let _ = leadhook::upgrade(body, &opts);
    let _ = leadhook::verify_secret(body, "s", &opts);
    let _ = leadhook::code_step::plan(body, &opts, true);
    let _ = leadhook::event_key(body, &opts);
    // The events, made record by record as the walk passes a bulk body's: refused as flatten
    // is, each keyed as its record sent alone, and one payload's record its flat record.
    let events = leadhook::events(body, &opts, false);
    assert_eq!(events.is_ok(), flat.is_ok());
    if let (Ok((_, events)), Ok(parsed)) = (&events, &parsed) {
        let records = match &parsed.data {
            Value::Array(all) if parsed.kind.spec().many_records() => all.clone(),
            one => vec![one.clone()],
        };
        assert_eq!(events.len(), records.len());
        let alone = Options { kind: Some(parsed.kind), content_type: None, ..opts.clone() };
        for (event, record) in events.iter().zip(&records) {
            let key = leadhook::event_key(record.to_json().as_bytes(), &alone);
            assert_eq!(Some(&event.key), key.as_ref());
        }
        if !matches!(parsed.data, Value::Array(_)) {
            assert_eq!(events[0].records.first(), flat.as_ref().ok());
        }
    }
    let headers = Options {
        headers: vec![
            ("x-webhook-signature".to_owned(), String::from_utf8_lossy(body).into_owned()),
            ("x-webhook-timestamp".to_owned(), "1700000000".to_owned()),
            ("webhook-id".to_owned(), "msg".to_owned()),
            ("webhook-timestamp".to_owned(), "1700000000".to_owned()),
            ("webhook-signature".to_owned(), String::from_utf8_lossy(body).into_owned()),
        ],
        ..Options::default()
    };
    for scheme in [leadhook::signature::Scheme::LeadEventV2, leadhook::signature::Scheme::Standard] {
        let secrets = [String::from_utf8_lossy(body).into_owned(), "whsec_c2VjcmV0".to_owned()];
        let check = leadhook::signature::Check { scheme, secrets: &secrets, now: 1_700_000_000, tolerance: 300 };
        let _ = leadhook::signature::verify(body, &headers, &check);
    }
    if let Ok(text) = std::str::from_utf8(body) {
        let _ = Options::from_json(text);
        // The tree the walker keeps as it validates is the reader's tree of the same text.
        let (_, walked) = leadhook::internals::read(text, &opts);
        if let Some(walked) = walked {
            assert_eq!(Some(walked), leadhook::json::tree(text, opts.max_depth).ok());
        }
    }
});
