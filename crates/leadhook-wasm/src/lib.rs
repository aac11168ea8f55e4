//! The WebAssembly module of the npm package `leadhook`: the exports over the library, its
//! input buffer, the options and records it keeps between calls, and its allocator. Bytes and an
//! options JSON in (`undefined`: the last call's options), one answer out: a JSON string, or for
//! a clean `validate` a number. It converts and calls the library, nothing more; the JavaScript
//! entry points in `pkg-template/` build the public API on these functions.
//!
//! A body crosses once: JavaScript asks [`input_buffer`] for room, writes the body there itself
//! (`TextEncoder.encodeInto` for a string, a plain `set` for bytes) and passes its length to the
//! function, which reads it from that buffer. The buffer lives between calls, so a call
//! allocates nothing for its input.
//!
//! Only a wasm32 build has anything in it: the allocator assumes the module's one thread.
#![cfg(target_arch = "wasm32")]
// A panic in WebAssembly is a trap: as in the library, the compiler checks that none is asked for.
#![warn(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod alloc;

#[global_allocator]
static ALLOCATOR: alloc::SmallBlocks = alloc::SmallBlocks::new();

use std::cell::RefCell;
use std::thread::LocalKey;

use wasm_bindgen::prelude::*;

use leadhook::records::{self, Records};
use leadhook::signature::{Check, Failure, Scheme};
use leadhook::Body;
use leadhook::EventsJson;
use leadhook::KeyText;
use leadhook::Options;
use leadhook::Report;
use leadhook::Session;

/// What the module keeps between calls: the body of the next call, written by JavaScript (see
/// the module's documentation), and what one call's walk leaves for the next
/// (`leadhook::Session`). One thread-local for both, so that an export reaches its session
/// without a second borrow.
struct Held {
    input: Vec<u8>,
    session: Session,
}

thread_local! {
    static HELD: RefCell<Held> = const {
        RefCell::new(Held { input: Vec::new(), session: Session::new() })
    };
}

/// `f` on what `key` holds, lent mutably. A borrow of what is lent already (an export called
/// from inside another) ends the call with a trap, as `RefCell`'s panic does, without the
/// formatter that its message would bring into the module (1.5 KB).
fn lend<T, R>(key: &'static LocalKey<RefCell<T>>, f: impl FnOnce(&mut T) -> R) -> R {
    key.try_with(|cell| match cell.try_borrow_mut() {
        Ok(mut held) => f(&mut held),
        Err(_) => std::process::abort(),
    })
    .unwrap_or_else(|_| std::process::abort())
}

/// Room for a body of `len` bytes: the address JavaScript writes it to. What the buffer held
/// before stays (JavaScript grows it while encoding a string whose UTF-8 is longer than hoped).
#[wasm_bindgen(js_name = inputBuffer)]
pub fn input_buffer(len: usize) -> *mut u8 {
    lend(&HELD, |held| {
        held.input.resize(len, 0);
        held.input.as_mut_ptr()
    })
}

/// A body up to this size is small: its call's larger blocks are kept for the next (see
/// `SmallBlocks::keep_large`).
const SMALL_BODY: usize = 64 * 1024;

/// The bit of a body's length that says JavaScript wrote it from a string, with
/// `TextEncoder.encodeInto`: UTF-8 by construction (a lone surrogate becomes U+FFFD), so not
/// checked again. A string's UTF-8 is at most three bytes a UTF-16 unit, and a JavaScript
/// string is under 2^30 units, so no length a string gives reaches this bit.
const FROM_STRING: usize = 1 << 31;

/// Runs `f` on the body JavaScript wrote (`len` bytes, and [`FROM_STRING`]) and the module's
/// session.
fn with_input<T>(len: usize, f: impl FnOnce(Body, &mut Session) -> T) -> T {
    lend(&HELD, |held| f(body(&held.input, len), &mut held.session))
}

/// The body in `input` (see [`with_input`]); out of line, so that the exports share one copy.
#[inline(never)]
fn body(input: &[u8], len: usize) -> Body<'_> {
    let text = len & FROM_STRING != 0;
    let len = len & !FROM_STRING;
    ALLOCATOR.keep_large(len <= SMALL_BODY);
    match input.get(..len) {
        // SAFETY: JavaScript sets `FROM_STRING` only for what `encodeInto` wrote, which is
        // UTF-8 (see above), at the start of the buffer; wasm-bindgen passes its strings
        // unchecked on the same ground.
        Some(bytes) if text => Body::Text(unsafe { std::str::from_utf8_unchecked(bytes) }),
        Some(bytes) => Body::Bytes(bytes),
        None => Body::Bytes(input),
    }
}

thread_local! {
    /// The options of the last call, as read from their JSON: calls mostly repeat their options
    /// (`{"kind":…}`), and reading them again was 5% of validating a small body. JavaScript
    /// passes `undefined` for options the same as the last call's, which also spares passing
    /// their text.
    static LAST_OPTIONS: RefCell<Result<Options, Report>> =
        const { RefCell::new(Ok(Options::DEFAULT)) };
    /// What the last call had to say beyond its return value (see [`validate`]).
    static OUTPUT: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Runs `f` on the options of a call: read from `opts`, or the last call's when it is `None`.
/// Lent, not cloned: cloning them was 1.9 KB of the code a first call compiles.
fn options<T>(opts: Option<String>, f: impl FnOnce(Result<&Options, &Report>) -> T) -> T {
    if let Some(text) = opts {
        remember_options(&text);
    }
    lend(&LAST_OPTIONS, |last| f(last.as_ref()))
}

/// Reads a call's options, for it and the calls after it that pass none; out of line, so that
/// the exports share one copy.
#[inline(never)]
fn remember_options(text: &str) {
    let read = Options::from_json(text).map_err(|issue| Report::failed(None, issue));
    lend(&LAST_OPTIONS, |held| *held = read);
}

/// 1 + the kind's place in [`leadhook::KINDS`], which JavaScript names; 0 for none. A number,
/// not the name: a string costs a copy and a decoding to return.
#[wasm_bindgen]
pub fn detect(len: usize, opts: Option<String>) -> usize {
    options(opts, |o| {
        let opts = o.ok()?;
        let kind = with_input(len, |input, _| leadhook::detect(input, opts))?;
        leadhook::KINDS.iter().position(|spec| spec.kind == kind)
    })
    .map_or(0, |i| i + 1)
}

/// For a clean report (valid, no warnings), 1 + its kind's place in [`leadhook::KINDS`], which
/// JavaScript makes the report of; else 0, with the `Report` as JSON for [`take_output`]. A
/// number costs nothing to return, a string a copy and a decoding (10% of validating a small
/// body).
#[wasm_bindgen]
pub fn validate(len: usize, opts: Option<String>) -> usize {
    let read = options(opts, |o| match o {
        Ok(opts) => Some(with_input(len, |input, s| s.validate(input, opts))),
        Err(bad_options) => {
            lend(&OUTPUT, |held| *held = bad_options.to_json());
            None
        }
    });
    let Some(report) = read else {
        return 0;
    };
    let clean = report.errors.is_empty() && report.warnings.is_empty();
    let place = report
        .kind
        .filter(|_| clean)
        .and_then(|kind| leadhook::KINDS.iter().position(|spec| spec.kind == kind));
    if let Some(i) = place {
        return i + 1;
    }
    lend(&OUTPUT, |held| *held = report.to_json());
    0
}

/// What the last call left to say (the report of a `validate` that returned 0), once.
#[wasm_bindgen(js_name = takeOutput)]
pub fn take_output() -> String {
    lend(&OUTPUT, std::mem::take)
}

/// `{"ok":true,"kind":…,"data":…,"warnings":[…]}`, or a failed `Report` as JSON.
#[wasm_bindgen]
pub fn parse(len: usize, opts: Option<String>) -> String {
    options(opts, |o| match o {
        Ok(opts) => with_input(len, |input, s| match s.parse(input, opts) {
            Ok(parsed) => parsed.to_json(input.as_bytes().len() + 64),
            Err(report) => report.to_json(),
        }),
        Err(report) => report.to_json(),
    })
}

/// `{"ok":true,"value":…}` with the value `f` writes after the prefix (so the output is
/// written once, not copied into an envelope), or the failed `Report` as JSON.
fn answer(
    len: usize,
    opts: Option<String>,
    f: impl FnOnce(Body, &mut Session, &Options, &mut String) -> Result<(), Report>,
) -> String {
    answer_in(len, opts, ENVELOPE, f)
}

/// `{"ok":true,"value":` … `}`: a value told from a failed `Report` (an object) by its envelope.
const ENVELOPE: (&str, &str) = ("{\"ok\":true,\"value\":", "}");

/// [`answer`] with the value written between `prefix` and `suffix`: `("", "")` for a value
/// that is never an object, which a `Report` always is.
fn answer_in(
    len: usize,
    opts: Option<String>,
    (prefix, suffix): (&str, &str),
    f: impl FnOnce(Body, &mut Session, &Options, &mut String) -> Result<(), Report>,
) -> String {
    options(opts, |o| match o {
        Ok(o) => {
            let mut out = String::from(prefix);
            match with_input(len, |input, s| f(input, s, o, &mut out)) {
                Ok(()) => {
                    out.push_str(suffix);
                    out
                }
                Err(report) => report.to_json(),
            }
        }
        Err(bad_options) => bad_options.to_json(),
    })
}

thread_local! {
    /// The records of the last `flatten` or `rows`, and the keys last sent (see [`Records`]).
    static RECORDS: RefCell<Records> = const { RefCell::new(Records::new()) };
}

/// What lays out a call's records (see [`laid_out`]): one code for `flatten`, `rows` and
/// `toCsv`, through this, rather than a copy of [`laid_out`] for each (100 bytes of the module).
type LayOut<'f> =
    &'f mut dyn FnMut(Body, &mut Session, &Options, &mut Records) -> Result<(), Report>;

/// Runs `f` to lay out a call's records: their address (see [`Records`]), or 0 with the failed
/// `Report` as JSON for [`take_output`].
fn laid_out(len: usize, opts: Option<String>, ascii: bool, f: LayOut) -> usize {
    let failed = options(opts, |o| match o {
        Ok(o) => with_input(len, |input, s| {
            lend(&RECORDS, |r| {
                r.refer_to(if ascii { input.as_bytes() } else { &[] });
                f(input, s, o, r)
            })
        })
        .err()
        .map(|report| report.to_json()),
        Err(bad_options) => Some(bad_options.to_json()),
    });
    if let Some(report) = failed {
        lend(&OUTPUT, |held| *held = report);
        return 0;
    }
    records_address()
}

/// The address of the records laid out last, with the address of their text filled in (see
/// [`Records`]).
fn records_address() -> usize {
    lend(&RECORDS, |r| {
        let text = r.text.as_ptr() as usize;
        if let Some(at) = r.words.get_mut(records::TEXT_AT) {
            // The module's memory is 32-bit: an address is a u32.
            #[allow(clippy::cast_possible_truncation)]
            let text = text as u32;
            *at = text;
        }
        r.words.as_ptr() as usize
    })
}

/// The flat record (see [`laid_out`]); `held` is the shape of the keys JavaScript holds, and
/// `ascii` whether it holds the body as a string of ASCII (then values may refer to it).
#[wasm_bindgen]
pub fn flatten(len: usize, opts: Option<String>, held: u32, ascii: bool) -> usize {
    laid_out(len, opts, ascii, &mut |input, s, o, r| {
        s.flatten(input, o).map(|f| r.lay_out(f, held))
    })
}

/// The rows, which share their keys (see [`laid_out`] and [`flatten`]).
#[wasm_bindgen]
pub fn rows(len: usize, opts: Option<String>, held: u32, ascii: bool) -> usize {
    laid_out(len, opts, ascii, &mut |input, s, o, r| {
        s.rows_laid_out(input, o, r, held, false)
    })
}

thread_local! {
    /// The texts the keys of the last `events` are the SHA-256 of, when JavaScript hashes them
    /// (see [`events`]).
    static KEY_TEXTS: RefCell<String> = const { RefCell::new(String::new()) };
}

/// The delivery's events as `[key, record, key, record, …, address, kind]` (each record an
/// array of rows with `rows`), an array without the envelope of [`answer`] (JSON.parse of the
/// envelope took 0.2 µs more, 4% of a small `events`), or the failed `Report`; JavaScript
/// makes the event objects. Each event is written as it is made; an event whose records have
/// the keys of the first laid out (most of them) is laid out at `address` instead, as `rows`
/// lays its rows out (`held` and `ascii` as there: see [`laid_out`]), and in the place of its
/// record is how many rows there are its own (see `leadhook::EventsJson`). With `hash_apart`, a
/// key to hash is `0`, its text a line of [`key_texts`], for JavaScript to hash.
#[wasm_bindgen]
pub fn events(
    len: usize,
    opts: Option<String>,
    rows: bool,
    hash_apart: bool,
    held: u32,
    ascii: bool,
) -> String {
    lend(&KEY_TEXTS, |texts| {
        answer_in(len, opts, ("", ""), |input, s, o, out| {
            out.push('[');
            let apart = hash_apart.then_some(texts);
            let kind = lend(&RECORDS, |r| {
                r.refer_to(if ascii { input.as_bytes() } else { &[] });
                let mut json = EventsJson::new(out, rows, apart, r.layout(usize::MAX));
                let kind = s.events_into(input, o, rows, &mut json)?;
                json.finish(held);
                Ok(kind)
            })?;
            out.push_str(&leadhook::json::decimal(records_address() as u64));
            out.push_str(",\"");
            out.push_str(kind.as_str());
            out.push_str("\"]");
            Ok(())
        })
    })
}

/// Where the key texts of the last `events` start (see [`events`]).
#[wasm_bindgen(js_name = keyTexts)]
pub fn key_texts() -> *const u8 {
    lend(&KEY_TEXTS, |texts| texts.as_ptr())
}

/// The rows of `toCsv`, for JavaScript to write (see [`laid_out`] and [`rows`]).
#[wasm_bindgen(js_name = toCsv)]
pub fn to_csv(len: usize, opts: Option<String>, held: u32, ascii: bool) -> usize {
    laid_out(len, opts, ascii, &mut |input, s, o, r| {
        s.rows_laid_out(input, o, r, held, true)
    })
}

#[wasm_bindgen]
pub fn upgrade(len: usize, opts: Option<String>) -> String {
    answer(len, opts, |input, s, o, out| {
        s.upgrade(input, o).map(|v| v.write_json(out))
    })
}

#[wasm_bindgen(js_name = verifySecret)]
pub fn verify_secret(len: usize, expected: &str, opts: Option<String>) -> bool {
    options(opts, |o| {
        o.is_ok_and(|o| with_input(len, |input, _| leadhook::verify_secret(input, expected, o)))
    })
}

#[wasm_bindgen(js_name = secretsEqual)]
pub fn secrets_equal(given: &[u8], expected: &[u8]) -> bool {
    leadhook::secrets_equal(given, expected)
}

/// Where the payload of a code step's `inputData` is and how to read it (`[body, url,
/// contentType, lineItems, [keys…]]`, see `leadhook::code_step::Plan`; with `keys`, the
/// payload's keys), in `{"ok":true,"value":…}`, or the failed `Report`. JavaScript makes the
/// step's answer (`pkg-template/api/code-step.js`).
#[wasm_bindgen(js_name = codeStep)]
pub fn code_step(len: usize, opts: Option<String>, keys: bool) -> String {
    answer(len, opts, |input_data, _, o, out| {
        leadhook::code_step::plan(input_data.as_bytes(), o, keys).map(|plan| plan.write_json(out))
    })
}

/// 0 when a delivery is signed as `scheme` says, by one of `secrets` (a JSON array), else why
/// not ([`leadhook::signature::Failure::code`]; 255: the arguments themselves are wrong); the
/// headers come in `opts`, `now` and `tolerance` in seconds.
#[wasm_bindgen(js_name = checkSignature)]
pub fn check_signature(
    len: usize,
    opts: Option<String>,
    secrets: &str,
    scheme: &str,
    now: f64,
    tolerance: f64,
) -> u32 {
    // The options first, whatever else fails: the next call may pass none, meaning these.
    options(opts, |o| {
        let (Ok(opts), Some(scheme)) = (o, Scheme::from_name(scheme)) else {
            return 255;
        };
        let Ok(secrets) = leadhook::json::tree(secrets, 2) else {
            return 255;
        };
        let Some(secrets) = secrets.as_array().and_then(|list| {
            list.iter()
                .map(|s| s.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
        }) else {
            return 255;
        };
        // Whole seconds, as the headers carry them (the JS passes floored, finite numbers).
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let check = Check {
            scheme,
            secrets: &secrets,
            now: now as i64,
            tolerance: tolerance.max(0.0) as u64,
        };
        with_input(len, |body, _| {
            leadhook::signature::check(body.as_bytes(), opts, &check)
                .map_or_else(Failure::code, |()| 0)
        })
    })
}

/// The event's idempotency key, or `undefined` when the body is not a valid payload. With
/// `hash_apart`, a key that is the SHA-256 of a text is `""` (no key is empty: see
/// `leadhook::KeyText`), and the text the one line of [`key_texts`], for JavaScript to hash (see
/// [`events`]).
#[wasm_bindgen(js_name = eventKey)]
pub fn event_key(len: usize, opts: Option<String>, hash_apart: bool) -> Option<String> {
    let text = options(opts, |o| {
        with_input(len, |input, s| s.event_key_text(input, o.ok()?))
    })?;
    Some(match (text, hash_apart) {
        (KeyText::Hashed(mut text), true) => {
            // The text itself, not a copy: a bulk body's is as long as the body.
            text.push('\n');
            lend(&KEY_TEXTS, |held| *held = text);
            String::new()
        }
        (key, _) => key.into_key(),
    })
}
