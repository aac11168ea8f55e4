//! One module per payload kind: each holds that kind's field tables and its checks.

pub mod lead_event;
pub mod leadsie;
pub mod leadsie_v1;
pub mod leadsie_v2;
pub mod leadsquared;

use crate::json::Value;
use crate::schema::Checker;
use crate::Kind;

/// Checks a payload of `kind`, adding what is wrong to `checker`.
pub fn check<'v>(kind: Kind, value: &'v Value, checker: &mut Checker<'v>) {
    match kind {
        Kind::LeadsieV1 => checker.object(value, &leadsie_v1::REQUEST),
        Kind::LeadsieV2 => checker.object(value, &leadsie_v2::REQUEST),
        Kind::LeadSquared => leadsquared::check(value, checker),
        Kind::LeadEvent => lead_event::check(value, checker),
    }
}
