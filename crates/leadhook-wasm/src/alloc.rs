//! The WebAssembly module's allocator: std's (dlmalloc), with the blocks a call makes and drops
//! by the dozen — keys, short strings, a record's members, the walker's stacks, the flat record —
//! kept on one free list per size and handed out again, a few instructions each way instead of
//! dlmalloc's search and coalescing. A block on a list is only ever reused for its own size, so
//! the lists keep a bounded number of blocks and give the others back to dlmalloc: what a small
//! call frees is reused whole by the next, and a bulk body's many records leave at most about
//! 280 KB behind. The module runs on one thread, so the lists need no lock.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::UnsafeCell;
use std::ptr;

/// Block sizes step by this much (dlmalloc's own granularity on wasm32).
const STEP: usize = 8;
/// How many sizes are kept: blocks of up to `STEP * SIZES` bytes (2 KiB).
const SIZES: usize = 256;
/// Every block's alignment: dlmalloc's own on wasm32, above which it takes a slower path that
/// allocates more.
const ALIGN: usize = 8;
/// Blocks of up to this many bytes are small: each of their lists keeps up to [`KEPT`].
const SMALL: usize = 128;
/// How many free blocks of one small size are kept.
const KEPT: usize = 256;
/// How many bytes of free blocks above [`SMALL`] are kept, all sizes together, while they are
/// kept at all (see [`SmallBlocks::keep_large`]): the few a small body's call makes (the
/// walker's stacks, its tree's objects, the flat record), which went to dlmalloc every call.
const KEPT_LARGE: usize = 32 * 1024;

/// For each size, the last block freed (each free block holds the one freed before it), and
/// how many there are.
struct Lists {
    head: [*mut u8; SIZES],
    len: [usize; SIZES],
    /// Whether blocks above [`SMALL`] are kept, and the bytes of those on the lists.
    keep_large: bool,
    large: usize,
}

pub struct SmallBlocks {
    lists: UnsafeCell<Lists>,
}

// SAFETY: WebAssembly modules built by this crate run on one thread (no atomics, no shared
// memory), so the lists are never touched by two threads.
unsafe impl Sync for SmallBlocks {}

impl SmallBlocks {
    pub const fn new() -> SmallBlocks {
        SmallBlocks {
            lists: UnsafeCell::new(Lists {
                head: [ptr::null_mut(); SIZES],
                len: [0; SIZES],
                keep_large: false,
                large: 0,
            }),
        }
    }

    /// Whether the blocks above [`SMALL`] are kept from now on. They are for a small body,
    /// whose call makes the same few each time. A big body's call makes many, of sizes that vary
    /// with its records, alongside a large output: kept, they left its peak memory a page above
    /// what dlmalloc alone reaches, so for it they are given back first and none are kept.
    #[allow(clippy::cast_ptr_alignment)] // as in `dealloc`: a free block's first word
    pub fn keep_large(&self, keep: bool) {
        // SAFETY: one thread (see `Sync`), and no reference to the lists outlives this call.
        let lists = unsafe { &mut *self.lists.get() };
        if lists.keep_large == keep {
            return;
        }
        lists.keep_large = keep;
        if keep {
            return;
        }
        for size in FIRST_LARGE..SIZES {
            if let (Some(head), Some(len)) = (lists.head.get_mut(size), lists.len.get_mut(size)) {
                while !head.is_null() {
                    let block_ptr = *head;
                    // SAFETY: a block on a list holds the next one in its first word, and was
                    // made by `System` with `block(size)`.
                    unsafe {
                        *head = *block_ptr.cast::<*mut u8>();
                        System.dealloc(block_ptr, block(size));
                    }
                }
                *len = 0;
            }
        }
        lists.large = 0;
    }
}

/// The list a layout's blocks go on, if it is small.
fn size_of(layout: Layout) -> Option<usize> {
    if layout.align() > ALIGN || layout.size() > STEP * SIZES {
        return None;
    }
    Some(layout.size().saturating_sub(1) / STEP)
}

/// The first list of blocks above [`SMALL`].
const FIRST_LARGE: usize = SMALL / STEP;

/// Whether list `size` holds blocks above [`SMALL`], which share the [`KEPT_LARGE`] budget.
fn is_large(size: usize) -> bool {
    size >= FIRST_LARGE
}

/// The layout every block of list `size` is allocated with.
fn block(size: usize) -> Layout {
    // SAFETY: ALIGN is a power of two and the size a small multiple of it.
    unsafe { Layout::from_size_align_unchecked((size + 1) * STEP, ALIGN) }
}

// A free block's first word holds a pointer: every small block is aligned to ALIGN, which is
// above a pointer's alignment.
#[allow(clippy::cast_ptr_alignment)]
unsafe impl GlobalAlloc for SmallBlocks {
    #[inline(never)]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let Some(size) = size_of(layout) else {
            return System.alloc(layout);
        };
        // SAFETY: one thread (see `Sync`), and no reference to the lists outlives this call.
        let lists = &mut *self.lists.get();
        match (lists.head.get_mut(size), lists.len.get_mut(size)) {
            (Some(head), Some(len)) if !head.is_null() => {
                let taken = *head;
                // A free block's first word is the next free block of its size.
                *head = *taken.cast::<*mut u8>();
                *len -= 1;
                if is_large(size) {
                    lists.large = lists.large.saturating_sub(block(size).size());
                }
                taken
            }
            _ => System.alloc(block(size)),
        }
    }

    #[inline(never)]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let Some(size) = size_of(layout) else {
            return System.dealloc(ptr, layout);
        };
        // SAFETY: as in `alloc`; `ptr` is a block of this size (its layout says so), made by
        // `block(size)`, at least STEP bytes and aligned to ALIGN, so a pointer fits in its
        // first word.
        let lists = &mut *self.lists.get();
        let large = is_large(size);
        let bytes = block(size).size();
        let room = |len: usize| {
            if large {
                lists.keep_large && lists.large + bytes <= KEPT_LARGE
            } else {
                len < KEPT
            }
        };
        match (lists.head.get_mut(size), lists.len.get_mut(size)) {
            (Some(head), Some(len)) if room(*len) => {
                *ptr.cast::<*mut u8>() = *head;
                *head = ptr;
                *len += 1;
                if large {
                    lists.large += bytes;
                }
            }
            _ => System.dealloc(ptr, block(size)),
        }
    }

    #[inline(never)]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
        match (size_of(layout), size_of(new_layout)) {
            (None, None) => System.realloc(ptr, layout, new_size),
            // The block already has room.
            (Some(a), Some(b)) if a == b => ptr,
            _ => {
                let moved = self.alloc(new_layout);
                if !moved.is_null() {
                    ptr::copy_nonoverlapping(ptr, moved, layout.size().min(new_size));
                    self.dealloc(ptr, layout);
                }
                moved
            }
        }
    }
}
