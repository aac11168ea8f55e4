//! Cost linear in the input, whatever it repeats or nests (contract revision 2): the bodies that
//! once built a 90 MB report or trapped the module, and bodies of a million keys, pairs or
//! assets. Each is answered with peak heap memory (counted by the allocator below) within a
//! few times its size. Times are printed (`--nocapture`), never asserted: machines are noisy.
#![allow(clippy::cast_precision_loss)] // printing ratios

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::Mutex;
use std::time::Instant;

use leadhook::Options;
use std::fmt::Write as _;

struct Counting;

thread_local! {
    // Per thread, so that what the test harness allocates on its own threads while a body is
    // measured (a finished test's line, the next test's start) is not counted against it.
    static LIVE: Cell<usize> = const { Cell::new(0) };
    static PEAK: Cell<usize> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // `try_with`: a thread's last allocations may come after its locals are gone.
        let _ = LIVE.try_with(|live| {
            live.set(live.get() + layout.size());
            let _ = PEAK.try_with(|peak| peak.set(peak.get().max(live.get())));
        });
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // A block made on another thread may be freed on this one: never below zero.
        let _ = LIVE.try_with(|live| live.set(live.get().saturating_sub(layout.size())));
        System.dealloc(ptr, layout);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Runs `f`, printing its time and peak heap growth; returns the growth in bytes.
fn measure(what: &str, input_len: usize, f: impl FnOnce()) -> usize {
    let base = LIVE.get();
    PEAK.set(base);
    let t = Instant::now();
    f();
    let grown = PEAK.get().saturating_sub(base);
    println!(
        "{what:<52} {:>9} bytes in  {:>8.1} ms  peak +{:>10} bytes ({:.1}x)",
        input_len,
        t.elapsed().as_secs_f64() * 1e3,
        grown,
        grown as f64 / input_len as f64
    );
    grown
}

fn unlimited() -> Options {
    Options {
        max_bytes: usize::MAX,
        ..Options::default()
    }
}

/// `{"<key_len × k>": {"a":1,"a":1,…}}`: every repeat is an issue whose pointer holds the key.
fn long_key_repeats(key_len: usize, repeats: usize) -> String {
    let mut body = format!("{{\"{}\":{{", "k".repeat(key_len));
    for i in 0..repeats {
        if i > 0 {
            body.push(',');
        }
        body.push_str("\"a\":1");
    }
    body.push_str("}}");
    body
}

const FACTOR: usize = 6;

/// The allocator counts every thread: the tests here take turns, so that a peak is one body's.
static SERIAL: Mutex<()> = Mutex::new(());

fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    SERIAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A Leadsie v2 request of `n` assets, the `i`th written by `asset(i)`.
fn leadsie_v2_with(n: usize, asset: impl Fn(usize) -> String) -> String {
    let assets: Vec<String> = (0..n).map(asset).collect();
    format!(
        r#"{{"apiVersion":2,"status":"SUCCESS","requestUrl":"https://a.example/","requestName":"n","connectionAssets":[{}]}}"#,
        assets.join(",")
    )
}

/// Fails unless `bytes` of `what` (heap grown, a report's length) are at most `bound`.
fn within(call: &str, what: &str, bytes: usize, bound: usize) {
    assert!(bytes <= bound, "{call}: {what} {bytes} bytes, over {bound}");
}

fn check_validate(what: &str, body: &[u8], opts: &Options) {
    let mut report_len = 0;
    let grown = measure(what, body.len(), || {
        report_len = leadhook::validate(body, opts).to_json().len();
    });
    within(what, "heap", grown, FACTOR * body.len() + (1 << 20));
    within(what, "report", report_len, 3 * body.len() + (1 << 17));
}

#[test]
fn a_long_key_over_repeated_members_48_kb() {
    let _turn = one_at_a_time();
    let body = long_key_repeats(30_000, 3_000);
    check_validate(
        "validate: 30,000-byte key, 3,000 repeats",
        body.as_bytes(),
        &Options::default(),
    );
    let report = leadhook::validate(body.as_bytes(), &Options::default());
    let last = report.errors.last().unwrap();
    assert_eq!(last.code.as_str(), "report.truncated");
}

#[test]
fn a_long_key_over_repeated_members_160_kb() {
    let _turn = one_at_a_time();
    let body = long_key_repeats(100_000, 10_000);
    check_validate(
        "validate: 100,000-byte key, 10,000 repeats",
        body.as_bytes(),
        &Options::default(),
    );
    let grown = measure("flatten (refused): the same", body.len(), || {
        assert!(leadhook::flatten(body.as_bytes(), &Options::default()).is_err());
    });
    assert!(grown <= FACTOR * body.len() + (1 << 20));
}

#[test]
fn a_million_repeated_keys() {
    let _turn = one_at_a_time();
    let mut body = String::from("{\"ProspectID\":\"x\"");
    for _ in 0..1_000_000 {
        body.push_str(",\"a\":1");
    }
    body.push('}');
    check_validate(
        "validate: 10^6 repeated keys",
        body.as_bytes(),
        &unlimited(),
    );
}

#[test]
fn a_million_distinct_keys() {
    let _turn = one_at_a_time();
    let mut body = String::from("{\"ProspectID\":\"x\"");
    for i in 0..1_000_000 {
        let _ = write!(body, ",\"mx_{i}\":1");
    }
    body.push('}');
    check_validate(
        "validate: 10^6 distinct keys",
        body.as_bytes(),
        &unlimited(),
    );
}

#[test]
fn one_point_three_million_form_pairs() {
    let _turn = one_at_a_time();
    let mut body = String::from("ProspectID=x");
    for _ in 0..1_300_000 {
        body.push_str("&a=1");
    }
    check_validate("validate: 1.3 M form pairs", body.as_bytes(), &unlimited());
}

#[test]
fn a_hundred_thousand_assets() {
    let _turn = one_at_a_time();
    let body = leadsie_v2_with(100_000, |i| {
        format!(
            r#"{{"type":"Facebook Page","name":"p{i}","id":"{i}","connectionStatus":"Connected","time":"2026-01-22T15:41:36.080Z"}}"#
        )
    });
    check_validate("validate: 100,000 assets", body.as_bytes(), &unlimited());
    // flatten reads the tree: still linear, measured.
    let grown = measure("flatten: 100,000 assets", body.len(), || {
        assert!(leadhook::flatten(body.as_bytes(), &unlimited()).is_ok());
    });
    assert!(grown <= 12 * body.len(), "flatten: +{grown} bytes");
}

/// A valid legacy lead event whose `custom_fields` hold `inner` (JSON text).
fn lead_event_with(inner: &str) -> String {
    format!(
        r#"{{"id_space":"eb8edc65","event":"lead.update","secret":"wh_x","payload":{{"id":"e106db1f","email":"jean@acme.example","custom_fields":{inner}}}}}"#
    )
}

/// `{"k…k":{"k…k":…{"m0":1,…}}}`: `levels` levels of `key_len`-byte keys over `members` leaves,
/// each of whose Zapier keys repeats every level's key.
fn nested_long_keys(levels: usize, key_len: usize, members: usize) -> String {
    let mut inner = String::new();
    for level in 0..levels {
        let _ = write!(inner, "{{\"{}{}\":", level % 10, "k".repeat(key_len - 1));
    }
    inner.push('{');
    for i in 0..members {
        if i > 0 {
            inner.push(',');
        }
        let _ = write!(inner, "\"m{i}\":1");
    }
    inner.push('}');
    inner.push_str(&"}".repeat(levels));
    lead_event_with(&inner)
}

/// A LeadSquared bulk body of `records` records, each with one key of its own.
fn bulk_distinct_keys(records: usize) -> String {
    let mut body = String::from("[");
    for i in 0..records {
        if i > 0 {
            body.push(',');
        }
        let _ = write!(body, r#"{{"ProspectID":"p{i}","mx_Own_{i}":1}}"#);
    }
    body.push(']');
    body
}

/// `f` refuses the body with `output.too_large`, within the memory bound of every call here.
fn check_refused(what: &str, body: &str, f: impl FnOnce(&[u8]) -> Result<(), leadhook::Report>) {
    let mut code = None;
    let grown = measure(what, body.len(), || {
        code = f(body.as_bytes())
            .err()
            .and_then(|r| r.errors.first().map(|e| e.code.as_str()));
    });
    assert_eq!(code, Some("output.too_large"), "{what}");
    // What a valid body of the size costs to flatten: its tree and its records.
    within(what, "heap", grown, 12 * body.len() + (1 << 20));
}

/// Once 74 s, 1.46 GB and 240 MB of output: 60 levels of 1,000-byte keys over 4,000 leaves.
#[test]
fn nested_long_keys_are_refused_before_they_are_built() {
    let _turn = one_at_a_time();
    let body = nested_long_keys(60, 1000, 4000);
    assert!(leadhook::validate(body.as_bytes(), &Options::default()).ok());
    let opts = Options::default();
    check_refused(
        "flatten (refused): 60 levels of 1,000-byte keys",
        &body,
        |b| leadhook::flatten(b, &opts).map(drop),
    );
    check_refused("rows (refused): the same", &body, |b| {
        leadhook::rows(b, &opts).map(drop)
    });
    check_refused("toCsv (refused): the same", &body, |b| {
        leadhook::to_csv(b, &opts).map(drop)
    });
    // Asked for by name, the same body is flattened.
    let roomy = Options {
        max_output_bytes: Some(usize::MAX),
        ..Options::default()
    };
    let small = nested_long_keys(3, 20, 10);
    assert!(leadhook::flatten(small.as_bytes(), &roomy).is_ok());
}

/// Once over 4 GiB and a trap: one 200,000-byte key over 10,000 members.
#[test]
fn a_long_key_over_many_members_is_refused() {
    let _turn = one_at_a_time();
    let body = nested_long_keys(1, 200_000, 10_000);
    let opts = Options::default();
    check_refused(
        "flatten (refused): 200,000-byte key, 10,000 members",
        &body,
        |b| leadhook::flatten(b, &opts).map(drop),
    );
}

/// Once 19.5 s and 513 MB (126 KB), or a trap (386 KB): every record a column of its own.
#[test]
fn rows_of_distinct_columns_are_refused_before_they_are_aligned() {
    let _turn = one_at_a_time();
    let opts = Options::default();
    for records in [4_000, 12_000] {
        let body = bulk_distinct_keys(records);
        check_refused(
            &format!("rows (refused): {records} records, a key each"),
            &body,
            |b| leadhook::rows(b, &opts).map(drop),
        );
        check_refused("toCsv (refused): the same", &body, |b| {
            leadhook::to_csv(b, &opts).map(drop)
        });
    }
    // A few distinct columns are aligned as before.
    let body = bulk_distinct_keys(20);
    assert_eq!(leadhook::rows(body.as_bytes(), &opts).unwrap()[0].len(), 21);
}

/// Once 6.9 s: CSV of a 47 KB array of one-key objects. Refused at about the cost of the CSV
/// of the same objects under one key.
#[test]
fn csv_of_distinct_one_key_objects_is_refused() {
    let _turn = one_at_a_time();
    let objects = |key: &dyn Fn(usize) -> String| {
        let mut body = String::from("[");
        for i in 0..4_500 {
            if i > 0 {
                body.push(',');
            }
            let _ = write!(body, r#"{{"{}":1}}"#, key(i));
        }
        body.push(']');
        body
    };
    let distinct = objects(&|i| format!("k{i}"));
    let same = objects(&|i| format!("k{}", "0".repeat(i.to_string().len())));
    let opts = Options::default();
    let mut code = None;
    let refused = measure(
        "toCsv (refused): 4,500 one-key objects",
        distinct.len(),
        || {
            code = leadhook::to_csv(distinct.as_bytes(), &opts).err();
        },
    );
    assert_eq!(code.unwrap().errors[0].code.as_str(), "output.too_large");
    let written = measure("toCsv: 4,500 objects of one key", same.len(), || {
        assert!(leadhook::to_csv(same.as_bytes(), &opts).is_ok());
    });
    assert!(
        refused <= 2 * written,
        "+{refused} against +{written} bytes"
    );
}

/// Once 0.66-1.3 s a MB, 60 times a valid body's: 1.6 M empty assets, four missing fields each.
/// The issues past `maxIssues` are counted, exactly, with none of them made.
#[test]
fn a_million_empty_assets_are_counted_not_listed() {
    let _turn = one_at_a_time();
    let body = leadsie_v2_with(1_600_000, |_| "{}".to_owned());
    check_validate(
        "validate: 1.6 M empty assets",
        body.as_bytes(),
        &unlimited(),
    );
    let report = leadhook::validate(body.as_bytes(), &unlimited());
    assert_eq!(report.errors.len(), 101);
    let last = report.errors.last().unwrap();
    assert!(
        last.message.starts_with("6399900 more errors"),
        "{}",
        last.message
    );
}

/// An activity whose `Data.Note` is `note` (JSON-safe text).
fn activity_with_note(note: &str) -> String {
    format!(r#"{{"ProspectActivityId":"a","ActivityEvent":22,"Data":{{"Note":"{note}"}}}}"#)
}

#[test]
fn notes_of_a_million_markers_decode_in_one_pass() {
    let _turn = one_at_a_time();
    let notes = [
        (
            "flatten: note of 10^6 empty pairs",
            "{=}{next}".repeat(1_000_000),
        ),
        (
            "flatten: note of 10^6 unbalanced markers",
            "{={next{=}}".repeat(1_000_000),
        ),
        ("flatten: note of 200,000 distinct keys", {
            let mut n = String::new();
            for i in 0..200_000 {
                let _ = write!(n, "k{i}{{=}}v{{next}}");
            }
            n
        }),
        (
            "flatten: note of one key 10^6 times",
            "k{=}v{next}k{=}{next}".repeat(500_000),
        ),
    ];
    for (what, note) in notes {
        let body = activity_with_note(&note);
        let grown = measure(what, body.len(), || {
            assert!(
                leadhook::flatten(body.as_bytes(), &unlimited()).is_ok(),
                "{what}"
            );
        });
        within(what, "heap", grown, 12 * body.len() + (1 << 20));
    }
}
