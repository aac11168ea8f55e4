//! Lead events: `{id_space, event, secret, payload}`; for `lead.create|update|delete` the
//! payload is a lead. The `secret` is a credential: no message ever quotes it.

pub mod upgrade;
pub mod v2;

use crate::base::json::Value;
use crate::engine::rules::{
    doc, type_name, Case, Choice, Field, ObjectSchema, Others, Type, Vocabulary,
};
use crate::kinds::facts::Facts;
use crate::kinds::identity::{whole, Identity};
use crate::kinds::sender::{Answer, Credential, Sender};
use crate::kinds::{About, KindSpec, Upgrade};
use crate::{Kind, Options};

pub static EVENTS: Vocabulary = Vocabulary {
    name: type_name("LeadEventName"),
    doc: doc("The documented lead-event names."),
    what: "lead event",
    values: &[
        "lead.create",
        "lead.update",
        "lead.delete",
        "lead.status.update",
        "lead.list.update",
        "lead.lists.update",
        "lead.tags.update",
        "lead.track",
        "lead.task.create",
        "lead.task.update",
        "lead.task.delete",
        "lead.note.create",
        "lead.note.update",
        "lead.note.delete",
        "lead.linkedin.new",
        "lead.twitter.new",
        "lead.email.new",
        "campaign.create",
        "campaign.update",
        "campaign.delete",
        "campaign.email.sent",
        "campaign.email.reply",
        "campaign.email.open",
        "campaign.email.click",
        "campaign.email.bounce",
        "campaign.email.unsubscribe",
        "list.create",
        "list.update",
        "list.delete",
        "status.create",
        "status.update",
        "status.delete",
        "tag.create",
        "tag.update",
        "tag.delete",
    ],
};

/// The current format's name of each legacy event that has one (FORMATS.md revision 3, "lead
/// events, legacy to current"; matched by meaning, no vendor page maps them). `lead.*.update`
/// events not listed (status, tags, lists) are `record.updated` too; the others keep their names.
pub const CURRENT_NAMES: &[(&str, &str)] = &[
    ("lead.create", "record.created"),
    ("lead.update", "record.updated"),
    ("lead.delete", "record.deleted"),
    ("lead.note.create", "note.created"),
    ("lead.note.update", "note.updated"),
    ("lead.note.delete", "note.deleted"),
    ("lead.reminder.create", "task.created"),
    ("lead.reminder.done", "task.completed"),
    ("lead.task.create", "task.created"),
];

/// The current format's name of a legacy event, when it has one.
pub fn current_name(legacy: &str) -> Option<&'static str> {
    let listed = CURRENT_NAMES.iter().find(|(old, _)| *old == legacy);
    let lead_update = legacy
        .strip_prefix("lead.")
        .and_then(|rest| rest.strip_suffix(".update"))
        .is_some_and(|what| !what.contains('.') && !["note", "task"].contains(&what));
    listed
        .map(|(_, new)| *new)
        .or(lead_update.then_some("record.updated"))
}

/// Events whose payload is a lead record.
pub const LEAD_PAYLOAD_EVENTS: &[&str] = &["lead.create", "lead.update", "lead.delete"];

static ENVELOPE_FIELDS: &[Field] = &[
    Field::required("id_space", Type::String).doc("The workspace's id (UUID)."),
    Field::required("event", Type::Enum(&EVENTS)),
    Field::required("secret", Type::String)
        .doc("A shared secret: compare it with `verifySecret`; it never appears in flat output."),
];

/// The envelope of any event: the payload is an object of the event's own shape.
pub static ENVELOPE: ObjectSchema = ObjectSchema {
    name: type_name("LeadEvent"),
    doc: doc("A lead-event envelope."),
    fields: &[
        ENVELOPE_FIELDS,
        &[Field::required("payload", Type::AnyObject)],
    ],
    others: Others::Undocumented,
};

/// The envelope of the events that carry a lead.
pub static LEAD_ENVELOPE: ObjectSchema = ObjectSchema {
    name: type_name("LeadEvent"),
    doc: doc("A lead-event envelope whose payload is a lead."),
    fields: &[
        ENVELOPE_FIELDS,
        &[Field::required("payload", Type::Object(&LEAD))],
    ],
    others: Others::Undocumented,
};

pub static LEAD: ObjectSchema = ObjectSchema {
    name: type_name("LeadEventPayload"),
    doc: doc("The lead of a `lead.create`, `lead.update` or `lead.delete` event (snake_case; most fields may be `null`)."),
    fields: &[&[
        Field::optional("id", Type::String).doc("UUID."),
        Field::optional("email", Type::String),
        Field::optional("company", Type::String),
        Field::optional("notes", Type::String),
        Field::optional("phone", Type::String),
        Field::optional("linkedin_url", Type::String),
        Field::optional("created_at", Type::IsoDate),
        Field::optional("updated_at", Type::IsoDate),
        Field::optional("first_name", Type::String),
        Field::optional("last_name", Type::String),
        Field::optional("icebreaker", Type::String).doc("`\"\"` when empty."),
        Field::optional("icebreaker_2", Type::String),
        Field::optional("icebreaker_3", Type::String),
        Field::optional("icebreaker_4", Type::String),
        Field::optional("website_url", Type::String),
        Field::optional("timezone", Type::String),
        Field::optional("city", Type::String),
        Field::optional("company_role", Type::String),
        Field::optional("twitter_name", Type::String),
        Field::optional("avatar_url", Type::String),
        Field::optional("email_bounce_score", Type::Scalar),
        Field::optional("twitter_company_name", Type::String),
        Field::optional("is_deleted", Type::Boolean),
        Field::optional("is_deleted_at", Type::IsoDate),
        Field::optional("custom_fields", Type::Any),
        Field::optional("custom_fields_schema", Type::Any),
        Field::optional("order", Type::Number),
        // A number in the vendor's sample, a string in its REST API.
        Field::optional("contract_value", Type::Numeric),
        Field::optional("is_tracked", Type::Boolean),
        Field::optional("id_import_task", Type::String),
        Field::optional("id_linkedin_company", Type::String),
        Field::optional("id_linkedin", Type::String),
        Field::optional("id_space", Type::String),
        Field::optional("id_twitter_company", Type::String),
        Field::optional("id_twitter", Type::String),
    ]],
    others: Others::Undocumented,
};

/// The envelope, with the payload read as a lead for the events that carry one.
static ROOT: Type = Type::ByMember(&Choice {
    key: "event",
    cases: &[Case {
        values: LEAD_PAYLOAD_EVENTS,
        name: type_name("LeadPayloadEventName"),
        schema: &LEAD_ENVELOPE,
    }],
    otherwise: &ENVELOPE,
});

/// The legacy envelope has no event id: the whole event identifies it (two `lead.update`s of one
/// lead differ in their payload, whether or not they carry `updated_at`).
fn identity(event: &Value, json: Option<&str>, _opts: &Options) -> Identity {
    Identity::Fields(vec![whole(event, json)])
}

fn detect(facts: &Facts, _url: Option<&str>) -> bool {
    facts.object
        && facts.event.is_some()
        && facts.id_space
        && (facts.payload_object || (facts.payload && facts.secret))
}

pub static SPEC: KindSpec = KindSpec {
    kind: Kind::LeadEvent,
    name: "lead-event",
    root: &ROOT,
    detect,
    identity,
    flatten: crate::flat::zapier::flatten_payload,
    rows: crate::flat::zapier::rows_payload,
    flat_cost: Some(crate::flat::zapier::cost_of_payload),
    request: None,
    upgrade: Upgrade::To(|data, opts| {
        let id = crate::kinds::identity::key(Kind::LeadEvent, &data, opts);
        upgrade::lead_event_to_v2(data, id)
    }),
};

pub static ABOUT: About = About {
    title: "lead event (legacy)",
    description: "Lead event envelope",
    type_name: "LeadEvent",
    sender: &SENDER,
};

/// The legacy lead event carries its secret in the body, is not retried, and pauses the
/// endpoint after ten failed deliveries (FORMATS.md §3).
pub const SENDER: Sender = Sender {
    auth: "lead-event",
    credentials: &[Credential::BodySecret],
    probes: &[],
    answer: Answer::Status,
    tries: Some(1),
    disables_after: Some(10),
    marks: &[],
};
