//! The payload kinds, by name only: what leadhook knows of each is its registry entry
//! ([`crate::kinds`]), which `Kind::spec` finds.

/// The payload kinds; [`crate::KINDS`] holds what leadhook knows of each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    LeadsieV1,
    LeadsieV2,
    LeadSquared,
    LeadEvent,
    LeadEventV2,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::LeadsieV1,
        Kind::LeadsieV2,
        Kind::LeadSquared,
        Kind::LeadEvent,
        Kind::LeadEventV2,
    ];
}
