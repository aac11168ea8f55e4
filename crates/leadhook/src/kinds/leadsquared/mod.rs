//! LeadSquared: flat lead objects, `{Before, After}` lead changes, and activities, one record
//! or a bulk array of them. Nothing is required; known fields are type-checked, and numbers
//! may arrive as numeric strings.

pub mod flatten;
pub mod note;

use crate::base::issue::Problem;
use crate::base::json::Value;
use crate::engine::form::query_param;
use crate::engine::rules::{doc, type_name, Field, ObjectSchema, Others, Type, Vocabulary};
use crate::kinds::facts::Facts;
use crate::kinds::identity::{field, whole, Identity};
use crate::kinds::sender::{Answer, Credential, Probe, Sender};
use crate::kinds::{About, KindSpec, Upgrade};
use crate::{Kind, Options};

/// The standard lead fields leadhook knows. Custom fields start with `mx_`.
pub static LEAD_FIELDS: &[Field] = &[
    Field::optional("ProspectID", Type::String).doc("GUID."),
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
    // FORMATS.md revision 3, items 4 and 6: seen in live deliveries.
    Field::optional("StageChangeComment", Type::String).doc("On a stage change, in `After`."),
    Field::optional("ProspectActivityName_Max", Type::String),
    Field::optional("ProspectActivityDate_Max", Type::LeadSquaredDate),
    Field::optional("LastModifiedOn", Type::LeadSquaredDate),
    Field::optional("LeadLastModifiedOn", Type::LeadSquaredDate),
    Field::optional("NotableEvent", Type::String),
    Field::optional("NotableEventdate", Type::LeadSquaredDate),
    Field::optional("QualityScore01", Type::Numeric),
    Field::optional("SourceReferrerURL", Type::String),
    Field::optional("SourceIPAddress", Type::String),
    Field::optional("ConversionReferrerURL", Type::String),
];

/// Fields of an activity record.
pub static ACTIVITY_FIELDS: &[Field] = &[
    Field::optional("ProspectActivityId", Type::String),
    Field::optional("RelatedProspectId", Type::String),
    Field::optional("ActivityEvent", Type::Numeric).doc("Numeric code, as a number or a string."),
    Field::optional("ActivityEventName", Type::String),
    Field::optional("ActivityType", Type::Numeric),
    Field::optional("ActivityNote", Type::String),
    Field::optional("Data", Type::Object(&ACTIVITY_DATA)),
    Field::optional("Current", Type::Object(&CURRENT)).doc("A snapshot of the lead."),
    // FORMATS.md revision 3, item 5: seen in live deliveries.
    Field::optional("AdditionalData", Type::Any)
        .doc("An object, seen with `ProcessFormId` and `ProcessDesignerId`."),
    Field::optional("Attachments", Type::Any),
    Field::optional("RelatedOpportunityEvent", Type::String),
    Field::optional("RelatedOpportunityId", Type::String),
];

/// Fields of records other than leads and activities that leadhook recognises.
pub static OTHER_FIELDS: &[Field] = &[
    Field::optional("OpportunityId", Type::String),
    // The hook URL's query, which a Zapier Catch Hook merges into the body.
    Field::optional("entityType", Type::String),
    Field::optional("entityId", Type::String),
    Field::optional("eventType", Type::Enum(&EVENT_TYPES)),
    Field::optional("Before", Type::Object(&LEAD)).doc("The lead before a change."),
    Field::optional("After", Type::Object(&LEAD)).doc("The lead after a change."),
];

static SCALAR: Type = Type::Scalar;

pub static LEAD: ObjectSchema = ObjectSchema {
    name: type_name("LeadSquaredLead"),
    doc: doc("LeadSquared lead fields (a lead body, `Before`/`After`, an activity's `Current`). Dates are `YYYY-MM-DD HH:MM:SS[.fff]`, UTC."),
    fields: &[LEAD_FIELDS],
    others: Others::Prefixed("mx_", &SCALAR),
};

/// An activity's `Current`: the lead, and the activity's `RelatedProspectId` (FORMATS.md
/// revision 3, item 5).
pub static CURRENT: ObjectSchema = ObjectSchema {
    name: type_name("LeadSquaredCurrentLead"),
    doc: doc("An activity's snapshot of its lead."),
    fields: &[
        LEAD_FIELDS,
        &[Field::optional("RelatedProspectId", Type::String)],
    ],
    others: Others::Prefixed("mx_", &SCALAR),
};

/// An activity's `Data`: `mx_Custom_N` values and a few standard keys; the rest is not documented.
pub static ACTIVITY_DATA: ObjectSchema = ObjectSchema {
    name: type_name("LeadSquaredActivityData"),
    doc: doc("An activity's `Data`: `mx_Custom_N` values and a few standard keys."),
    fields: &[&[
        Field::optional("Owner", Type::String),
        Field::optional("Status", Type::String),
        Field::optional("Note", Type::String)
            .doc("`Key{=}Value{next}…`: flatten decodes it into `Data__Note__<Key>` fields."),
    ]],
    others: Others::Open,
};

/// One record of a body: a lead, a lead change, an activity, or another entity.
pub static RECORD: ObjectSchema = ObjectSchema {
    name: type_name("LeadSquaredRecord"),
    doc: doc("One LeadSquared record: a lead, a lead change (`Before`/`After`), an activity, or another entity."),
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

/// The event codes LeadSquared's webhook API documents (FORMATS.md revision 3, item 9: another
/// code of their shape is read as LeadSquared's, with a `field.enum` warning).
pub static EVENT_TYPES: Vocabulary = Vocabulary {
    name: type_name("LeadSquaredEventType"),
    doc: doc("The event codes LeadSquared documents; the UI offers more."),
    what: "LeadSquared event type",
    values: EVENT_CODES,
};

/// The event codes LeadSquared's webhook API documents.
pub const EVENT_CODES: &[&str] = &[
    "Lead_Post_Create",
    "Lead_Post_Update",
    "Landing_Page_submission",
    "LeadActivity_Post_Create",
    "LeadActivity_Post_Update",
    "Lead_Post_Stage_Change",
    "Lead_Owner_Change",
    "Task_Create",
    "Task_Reminder",
    "Lead_Score_Change",
    "Lead_Field_Change",
    "Lead_Delete",
    "User_Create",
    "User_Update",
    "User_Active_Status_Change",
    "Lead_Merge",
    "Product_Post_Create",
    "Product_Post_Update",
    "Product_Delete",
    "Task_Complete",
    "Task_Update",
    "Leave_Create",
    "Leave_Update",
    "Leave_Delete",
    "Opportunity_Post_Create",
    "Opportunity_Post_Update",
    "Opportunity_Post_Delete",
    "OpportunityField_Post_Update",
    "OpportunityStage_Post_Update",
];

/// A documented event code, or a string of their shape, `Word_Word[_Word…]`: words of letters
/// and digits, the first starting with a capital, joined by single underscores (`Task_Cancel`,
/// which the UI offers without a listed code; FORMATS.md revision 3, item 9).
pub fn is_event_code(s: &str) -> bool {
    let bytes = s.as_bytes();
    EVENT_CODES.contains(&s)
        || (bytes.first().is_some_and(u8::is_ascii_uppercase)
            && bytes.contains(&b'_')
            && bytes
                .split(|&b| b == b'_')
                .all(|w| !w.is_empty() && w.iter().all(u8::is_ascii_alphanumeric)))
}

/// Each record's identity, in order, as a JSON array, and the `eventType` (of the URL, else of
/// the body). What identifies one record is all of it: LeadSquared documents no unique id per
/// delivery (an activity's `ProspectActivityId` is the activity's, not the change's), so two
/// records that differ in anything have different keys.
fn identity(body: &Value, json: Option<&str>, opts: &Options) -> Identity {
    let records = match body {
        Value::Array(_) => whole(body, json),
        one => format!("[{}]", whole(one, json)),
    };
    let event_type = opts
        .url
        .as_deref()
        .and_then(|u| query_param(u, "eventType"))
        .map(|t| Value::String(t.into_owned().into()));
    let event_type = event_type.as_ref().or_else(|| body.get("eventType"));
    Identity::Fields(vec![records, field(event_type)])
}

/// An `eventType` in the URL that is not a listed code (FORMATS.md revision 3, item 9): read as
/// LeadSquared's, with a `field.enum` warning as in the body.
fn url_event_type(_: &Facts, opts: &Options) -> Option<Problem<'static>> {
    let code = query_param(opts.url.as_deref()?, "eventType")?;
    (!EVENT_CODES.contains(&code.as_ref())).then_some(Problem::UnknownString {
        value: None,
        what: "LeadSquared event type (the URL's eventType)",
    })
}

/// A LeadSquared record, or markers of one, or a LeadSquared `eventType` in the URL or body.
fn detect(facts: &Facts, url: Option<&str>) -> bool {
    facts.holds_records()
        || (facts.object && facts.event_type_code)
        || url.is_some_and(|u| query_param(u, "eventType").is_some())
}

pub static SPEC: KindSpec = KindSpec {
    kind: Kind::LeadSquared,
    name: "leadsquared",
    root: &Type::OneOrMany(&RECORD),
    detect,
    identity,
    flatten: crate::kinds::leadsquared::flatten::flatten,
    rows: crate::kinds::leadsquared::flatten::rows,
    flat_cost: Some(crate::kinds::leadsquared::flatten::cost),
    request: Some(url_event_type),
    upgrade: Upgrade::Never,
};

pub static ABOUT: About = About {
    title: "LeadSquared",
    description: "LeadSquared webhook body: one record or an array of records",
    type_name: "LeadSquaredBody",
    sender: &SENDER,
};

/// LeadSquared checks a new endpoint with `HEAD` and an empty `POST`, reads every answer as a
/// 200 with `Status`, tries 3 times and disables a webhook after ten failures in a row; its
/// secret is a custom header or a query parameter; its URLs carry `eventType` (FORMATS.md
/// revision 3, items 2, 3 and 8).
pub const SENDER: Sender = Sender {
    auth: "leadsquared",
    credentials: &[Credential::Header, Credential::Query],
    probes: &[Probe::Head, Probe::EmptyPost],
    answer: Answer::Envelope,
    tries: Some(3),
    disables_after: Some(10),
    marks: &["eventType"],
};
