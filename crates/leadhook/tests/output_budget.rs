//! Every output within `maxOutputBytes`, and every call's allocations within a bound of its body
//! and budget (tests/common/output_budget.rs), on every fixture body and mutations of it under
//! small budgets, and on the bodies that once grew as the square of their size. The fuzz target
//! `bounded` checks the same on whatever it finds.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::fmt::Write as _;

use common::output_budget::check;
use common::{fixture_bodies, mutate, Rng, SPECIAL};
use leadhook::Options;

struct Counting;

thread_local! {
    static ALLOCATED: Cell<usize> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATED.try_with(|a| a.set(a.get() + layout.size()));
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let _ = ALLOCATED.try_with(|a| a.set(a.get() + new_size));
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn allocated(f: &mut dyn FnMut()) -> usize {
    let before = ALLOCATED.get();
    f();
    ALLOCATED.get() - before
}

fn with_budget(opts_json: &str, max: usize) -> Options {
    Options {
        max_output_bytes: Some(max),
        ..Options::from_json(opts_json).unwrap_or_default()
    }
}

#[test]
fn fixtures_and_their_mutations_stay_within_budget() {
    let mut rng = Rng(0xb0d9_e7ed);
    let mut failures = Vec::new();
    let mut checked = 0;
    for (name, body, opts_json) in fixture_bodies() {
        for round in 0..40 {
            let body = if round == 0 {
                body.clone()
            } else {
                mutate(&mut rng, &body, SPECIAL)
            };
            let max = *rng.pick(&[0, 64, 512, 4096, 1 << 20]);
            if let Err(e) = check(&body, &with_budget(&opts_json, max), &allocated) {
                failures.push(format!("{name} round {round}, budget {max}: {e}"));
            }
            checked += 1;
        }
    }
    assert!(
        failures.is_empty(),
        "{checked} checked:\n{}",
        failures.join("\n")
    );
}

#[test]
fn bodies_that_grew_as_their_square_stay_within_budget() {
    let lead = |inner: &str| {
        format!(
            r#"{{"id_space":"a","event":"lead.update","secret":"s","payload":{{"id":"x","custom_fields":{inner}}}}}"#
        )
    };
    let mut deep = String::new();
    for level in 0..60 {
        let _ = write!(deep, "{{\"{level}{}\":", "k".repeat(999));
    }
    deep.push('{');
    for i in 0..4000 {
        let _ = write!(deep, "{}\"m{i}\":1", if i > 0 { "," } else { "" });
    }
    deep.push('}');
    deep.push_str(&"}".repeat(60));
    let mut bulk = String::from("[");
    for i in 0..4000 {
        let _ = write!(
            bulk,
            "{}{{\"ProspectID\":\"p{i}\",\"mx_k{i}\":1}}",
            if i > 0 { "," } else { "" }
        );
    }
    bulk.push(']');
    let mut objects = String::from("[");
    for i in 0..4500 {
        let _ = write!(objects, "{}{{\"k{i}\":1}}", if i > 0 { "," } else { "" });
    }
    objects.push(']');
    for (what, body) in [
        ("nested long keys", lead(&deep)),
        ("distinct columns", bulk),
        ("one-key objects", objects),
    ] {
        for max in [None, Some(1 << 16)] {
            let opts = Options {
                max_output_bytes: max
                    .or(Some(leadhook::max_output(&Options::default(), body.len()))),
                ..Options::default()
            };
            check(body.as_bytes(), &opts, &allocated).unwrap_or_else(|e| panic!("{what}: {e}"));
        }
    }
}
