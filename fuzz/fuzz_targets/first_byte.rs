//! What a fuzz input's first byte says of the options the rest is read with.

use leadhook::Kind;

/// The kind to read the body as: none (detected) or one of `Kind::ALL`, from `first % 6`.
pub fn kind(first: u8) -> Option<Kind> {
    match first % 6 {
        0 => None,
        n => Kind::ALL.get(usize::from(n) - 1).copied(),
    }
}
