//! LeadSquared: flat lead objects, `{Before, After}` lead changes, and activities, one record
//! or a bulk array of them. Nothing is required; known fields are type-checked, and numbers
//! may arrive as numeric strings.

use crate::json::Value;
use crate::schema::{Checker, Field, ObjectSchema, Others, Type};

/// The standard lead fields leadhook knows. Custom fields start with `mx_`.
pub static LEAD_FIELDS: &[Field] = &[
    Field::optional("ProspectID", Type::String),
    Field::optional("ProspectAutoId", Type::Numeric),
    Field::optional("FirstName", Type::String),
    Field::optional("LastName", Type::String),
    Field::optional("EmailAddress", Type::String),
    Field::optional("Phone", Type::String),
    Field::optional("Mobile", Type::String),
    Field::optional("Company", Type::String),
    Field::optional("JobTitle", Type::String),
    Field::optional("Website", Type::String),
    Field::optional("Notes", Type::String),
    Field::optional("Source", Type::String),
    Field::optional("SourceMedium", Type::String),
    Field::optional("SourceCampaign", Type::String),
    Field::optional("SourceContent", Type::String),
    Field::optional("ProspectStage", Type::String),
    Field::optional("Origin", Type::String),
    Field::optional("OwnerId", Type::String),
    Field::optional("OwnerIdName", Type::String),
    Field::optional("OwnerIdEmailAddress", Type::String),
    Field::optional("CreatedBy", Type::String),
    Field::optional("CreatedByName", Type::String),
    Field::optional("ModifiedBy", Type::String),
    Field::optional("ModifiedByName", Type::String),
    Field::optional("CreatedOn", Type::LeadSquaredDate),
    Field::optional("ModifiedOn", Type::LeadSquaredDate),
    Field::optional("LastVisitDate", Type::LeadSquaredDate),
    Field::optional("Score", Type::Numeric),
    Field::optional("EngagementScore", Type::Numeric),
    Field::optional("TotalVisits", Type::Numeric),
    Field::optional("PageViewsPerVisit", Type::Numeric),
    Field::optional("AvgTimePerVisit", Type::Numeric),
    Field::optional("DoNotEmail", Type::Numeric),
    Field::optional("DoNotCall", Type::Numeric),
    Field::optional("DoNotSMS", Type::Numeric),
];

/// Fields of an activity record.
pub static ACTIVITY_FIELDS: &[Field] = &[
    Field::optional("ProspectActivityId", Type::String),
    Field::optional("RelatedProspectId", Type::String),
    Field::optional("ActivityEvent", Type::Numeric),
    Field::optional("ActivityEventName", Type::String),
    Field::optional("ActivityType", Type::Numeric),
    Field::optional("ActivityNote", Type::String),
    Field::optional("Data", Type::Object(&ACTIVITY_DATA)),
    Field::optional("Current", Type::Object(&LEAD)),
    Field::optional("AdditionalData", Type::Any),
];

/// Fields of records other than leads and activities that leadhook recognises.
pub static OTHER_FIELDS: &[Field] = &[
    Field::optional("OpportunityId", Type::String),
    Field::optional("Before", Type::Object(&LEAD)),
    Field::optional("After", Type::Object(&LEAD)),
];

static SCALAR: Type = Type::Scalar;

pub static LEAD: ObjectSchema = ObjectSchema {
    fields: &[LEAD_FIELDS],
    others: Others::Prefixed("mx_", &SCALAR),
};

/// An activity's `Data`: `mx_Custom_N` values and a few standard keys; the rest is not documented.
pub static ACTIVITY_DATA: ObjectSchema = ObjectSchema {
    fields: &[&[Field::optional("Owner", Type::String)]],
    others: Others::Open,
};

/// One record of a body: a lead, a lead change, an activity, or another entity.
pub static RECORD: ObjectSchema = ObjectSchema {
    fields: &[LEAD_FIELDS, ACTIVITY_FIELDS, OTHER_FIELDS],
    others: Others::Prefixed("mx_", &SCALAR),
};

/// Keys whose presence marks an object as a LeadSquared record.
pub const MARKER_KEYS: &[&str] = &[
    "ProspectID",
    "ProspectAutoId",
    "ProspectActivityId",
    "RelatedProspectId",
    "ProspectStage",
    "OpportunityId",
    "ActivityEvent",
    "OwnerIdEmailAddress",
];

/// Whether `value` is an object that carries LeadSquared keys (itself or in `Before`/`After`).
pub fn looks_like_record(value: &Value) -> bool {
    let Some(members) = value.as_object() else {
        return false;
    };
    members.iter().any(|(k, v)| {
        MARKER_KEYS.contains(&k.as_ref())
            || k.starts_with("mx_")
            || (matches!(k.as_ref(), "Before" | "After") && looks_like_record(v))
    })
}

pub fn check<'v>(value: &'v Value, checker: &mut Checker<'v>) {
    match value {
        Value::Array(records) => {
            for (i, record) in records.iter().enumerate() {
                checker.at_index(i, |c| c.check(record, &Type::Object(&RECORD)));
            }
        }
        _ => checker.check(value, &Type::Object(&RECORD)),
    }
}
