//! The payload kinds, by name only: what leadhook knows of each is its registry entry
//! ([`crate::kinds`]), which `Kind::spec` finds.

/// A payload kind: its place in the registry, [`crate::KINDS`], which holds what leadhook knows
/// of it. The registry makes each (`Kind::LeadSquared`, …); nothing else does.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Kind(pub(crate) u8);

impl Kind {
    /// Its place in [`crate::KINDS`] (detection order), as `kinds()` lists them in JavaScript.
    pub const fn index(self) -> usize {
        self.0 as usize
    }
}
