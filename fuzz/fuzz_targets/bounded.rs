//! The output budget on any bytes: every output of `flatten`, `rows` and `toCsv`
//! within `maxOutputBytes` (from the first byte: 0 to 16 KiB, small enough to be met), and every
//! call's allocations within a bound of its body and budget (tests/common/output_budget.rs, which
//! `tests/output_budget.rs` runs on the fixtures).
#![no_main]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use leadhook::Options;
use libfuzzer_sys::fuzz_target;

mod first_byte;

#[path = "../../crates/leadhook/tests/common/output_budget.rs"]
mod output_budget;

struct Counting;

static ALLOCATED: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATED.fetch_add(layout.size(), Ordering::Relaxed);
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATED.fetch_add(new_size, Ordering::Relaxed);
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn allocated(f: &mut dyn FnMut()) -> usize {
    let before = ALLOCATED.load(Ordering::Relaxed);
    f();
    ALLOCATED.load(Ordering::Relaxed) - before
}

fuzz_target!(|data: &[u8]| {
    let (first, body) = data.split_first().unwrap_or((&0, &[]));
    let opts = Options {
        kind: first_byte::kind(*first),
        max_output_bytes: Some(usize::from(first >> 3) * 512),
        ..Options::default()
    };
    if let Err(broken) = output_budget::check(body, &opts, &allocated) {
        panic!("{broken}");
    }
});
