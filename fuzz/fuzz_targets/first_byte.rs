//! What a fuzz input's first byte says of the options the rest is read with.

use leadhook::{Kind, KINDS};

/// The kind to read the body as: none (detected) or one of `KINDS`, from `first`.
pub fn kind(first: u8) -> Option<Kind> {
    match usize::from(first) % (KINDS.len() + 1) {
        0 => None,
        n => KINDS.get(n - 1).map(|spec| spec.kind),
    }
}
