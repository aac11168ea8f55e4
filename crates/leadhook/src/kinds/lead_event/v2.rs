//! The lead-event CRM's current webhooks, signed (`FORMATS.md` §4):
//! `{eventId, timestamp, workspaceId, event, data}`, where `data`'s shape depends on the event.
//! Deliveries carry an HMAC-SHA256 signature (`crate::api::signature`) and a delivery id.

use crate::base::issue::Problem;
use crate::base::json::Value;
use crate::base::options::header;
use crate::engine::rules::{
    doc, type_name, Case, Choice, Field, ObjectSchema, Others, Type, Vocabulary,
};
use crate::kinds::facts::Facts;
use crate::kinds::identity::{whole, Identity};
use crate::kinds::sender::{Answer, Credential, Sender};
use crate::kinds::{About, KindSpec, Upgrade};
use crate::{Kind, Options};

pub static EVENTS: Vocabulary = Vocabulary {
    name: type_name("LeadEventV2Name"),
    doc: doc("The documented events of the signed lead-event webhooks."),
    what: "signed lead event",
    values: &[
        "record.created",
        "record.updated",
        "record.deleted",
        "note.created",
        "note.updated",
        "note.deleted",
        "task.created",
        "task.completed",
        "call.linked",
        "call.unlinked",
        "file.uploaded",
        "file.deleted",
        "relation.added",
        "relation.removed",
    ],
};

/// A task's `status` (FORMATS.md revision 3, item 12); another value is a warning.
pub static TASK_STATUS: Vocabulary = Vocabulary {
    name: type_name("LeadEventV2TaskStatus"),
    doc: doc("A task's documented states."),
    what: "task status",
    values: &["todo", "done"],
};

/// The envelope's fields but `data`, whose shape the event decides.
static ENVELOPE_FIELDS: &[Field] = &[
    Field::required("eventId", Type::String).doc("The event's id; a redelivery keeps it."),
    Field::required("timestamp", Type::IsoDate),
    Field::required("workspaceId", Type::String),
    Field::required("event", Type::Enum(&EVENTS)),
];

pub static RECORD: ObjectSchema = ObjectSchema {
    name: type_name("LeadEventV2Record"),
    doc: doc("The record of a `record.created` or `record.updated` event: a snapshot."),
    fields: &[&[
        Field::optional("id", Type::String),
        Field::optional("objectType", Type::String).doc("`\"person\"`, `\"company\"`, …"),
        Field::optional("objectTypeName", Type::String),
        Field::optional("name", Type::String),
        Field::optional("fields", Type::AnyObject).doc("The record's fields, keyed by slug."),
        Field::optional("createdAt", Type::IsoDateOrMillis),
        Field::optional("updatedAt", Type::IsoDateOrMillis),
    ]],
    others: Others::Undocumented,
};

pub static DELETED: ObjectSchema = ObjectSchema {
    name: type_name("LeadEventV2Deleted"),
    doc: doc("The data of a `record.deleted` event."),
    fields: &[&[
        Field::optional("id", Type::String),
        Field::optional("deleted", Type::Boolean),
    ]],
    others: Others::Undocumented,
};

pub static NOTE: ObjectSchema = ObjectSchema {
    name: type_name("LeadEventV2Note"),
    doc: doc("The data of a `note.created`, `note.updated` or `note.deleted` event."),
    fields: &[&[
        Field::optional("recordId", Type::String),
        Field::optional("noteId", Type::String),
        Field::optional("title", Type::String),
        Field::optional("contentPlain", Type::String),
        Field::optional("author", Type::String).doc("Who wrote it."),
        Field::optional("createdAt", Type::IsoDateOrMillis),
        Field::optional("updatedAt", Type::IsoDateOrMillis),
    ]],
    others: Others::Undocumented,
};

pub static TASK: ObjectSchema = ObjectSchema {
    name: type_name("LeadEventV2Task"),
    doc: doc("The data of a `task.created` or `task.completed` event."),
    fields: &[&[
        Field::optional("recordId", Type::String),
        Field::optional("taskId", Type::String),
        Field::optional("title", Type::String),
        Field::optional("status", Type::Enum(&TASK_STATUS)),
        Field::optional("dueAt", Type::IsoDateOrMillis),
    ]],
    others: Others::Undocumented,
};

pub static CALL: ObjectSchema = ObjectSchema {
    name: type_name("LeadEventV2Call"),
    doc: doc("The data of a `call.linked` or `call.unlinked` event."),
    fields: &[&[
        Field::optional("recordId", Type::String),
        Field::optional("callId", Type::String),
        Field::optional("recordName", Type::String),
        Field::optional("meetingTitle", Type::String),
    ]],
    others: Others::Undocumented,
};

pub static FILE: ObjectSchema = ObjectSchema {
    name: type_name("LeadEventV2File"),
    doc: doc("The data of a `file.uploaded` or `file.deleted` event."),
    fields: &[&[
        Field::optional("recordId", Type::String),
        Field::optional("fileName", Type::String),
    ]],
    others: Others::Undocumented,
};

pub static RELATION: ObjectSchema = ObjectSchema {
    name: type_name("LeadEventV2Relation"),
    doc: doc("The data of a `relation.added` or `relation.removed` event: two records linked by a relationship field."),
    fields: &[&[
        Field::optional("sourceRecordId", Type::String),
        Field::optional("targetRecordId", Type::String),
        Field::optional("fieldDefinitionId", Type::String),
        Field::optional("fieldSlug", Type::String),
    ]],
    others: Others::Undocumented,
};

/// The envelope with `data` of one shape.
macro_rules! envelope {
    ($name:ident, $data:expr) => {
        static $name: ObjectSchema = ObjectSchema {
            name: type_name("LeadEventV2"),
            doc: doc("A signed lead-event delivery."),
            fields: &[ENVELOPE_FIELDS, &[Field::required("data", $data)]],
            others: Others::Undocumented,
        };
    };
}

envelope!(WITH_RECORD, Type::Object(&RECORD));
envelope!(WITH_DELETED, Type::Object(&DELETED));
envelope!(WITH_NOTE, Type::Object(&NOTE));
envelope!(WITH_TASK, Type::Object(&TASK));
envelope!(WITH_CALL, Type::Object(&CALL));
envelope!(WITH_FILE, Type::Object(&FILE));
envelope!(WITH_RELATION, Type::Object(&RELATION));
envelope!(WITH_ANY, Type::AnyObject);

static ROOT: Type = Type::ByMember(&Choice {
    key: "event",
    cases: &[
        Case {
            values: &["record.created", "record.updated"],
            name: type_name("LeadEventV2RecordEvent"),
            schema: &WITH_RECORD,
        },
        Case {
            values: &["record.deleted"],
            name: type_name("LeadEventV2DeletedEvent"),
            schema: &WITH_DELETED,
        },
        Case {
            values: &["note.created", "note.updated", "note.deleted"],
            name: type_name("LeadEventV2NoteEvent"),
            schema: &WITH_NOTE,
        },
        Case {
            values: &["task.created", "task.completed"],
            name: type_name("LeadEventV2TaskEvent"),
            schema: &WITH_TASK,
        },
        Case {
            values: &["call.linked", "call.unlinked"],
            name: type_name("LeadEventV2CallEvent"),
            schema: &WITH_CALL,
        },
        Case {
            values: &["file.uploaded", "file.deleted"],
            name: type_name("LeadEventV2FileEvent"),
            schema: &WITH_FILE,
        },
        Case {
            values: &["relation.added", "relation.removed"],
            name: type_name("LeadEventV2RelationEvent"),
            schema: &WITH_RELATION,
        },
    ],
    otherwise: &WITH_ANY,
});

/// The signed `eventId`. The `X-Webhook-Delivery-Id` header is outside the signature, so it is
/// never trusted for the key: a captured delivery replayed with new delivery ids keeps its key.
/// An empty `eventId` identifies nothing (as a key, every such event would be a redelivery of
/// the first): the event is keyed by its content, as without one.
fn identity(event: &Value, json: Option<&str>, _opts: &Options) -> Identity {
    match event.get("eventId").and_then(Value::as_str) {
        Some(id) if !id.is_empty() => Identity::Given(id.to_owned()),
        _ => Identity::Fields(vec![whole(event, json)]),
    }
}

fn detect(facts: &Facts, _url: Option<&str>) -> bool {
    facts.object
        && facts.event.is_some()
        && facts.event_id
        && facts.workspace_id
        && facts.data_object
}

pub static SPEC: KindSpec = KindSpec {
    kind: Kind::LeadEventV2,
    name: "lead-event.v2",
    root: &ROOT,
    detect,
    identity,
    flatten: crate::flat::zapier::flatten_payload,
    rows: crate::flat::zapier::rows_payload,
    flat_cost: Some(crate::flat::zapier::cost_of_payload),
    request: Some(confirm),
    upgrade: Upgrade::Current,
};

/// Other CRMs send near-identical envelopes: when the request's headers are given, this
/// vendor's `User-Agent` (`Breakcold-Webhooks/…`) and an `X-Webhook-Event` equal to the body's
/// `event` confirm a detected kind (FORMATS.md revision 3, item 14); the header that does not
/// is named in a `kind.unconfirmed` warning. A kind given is not second-guessed.
fn confirm(facts: &Facts, opts: &Options) -> Option<Problem<'static>> {
    let headers = &opts.headers;
    let header =
        if header(headers, "user-agent").is_some_and(|ua| !ua.starts_with("Breakcold-Webhooks/")) {
            "User-Agent"
        } else if header(headers, "x-webhook-event")
            .is_some_and(|named| facts.event.as_deref() != Some(named))
        {
            "X-Webhook-Event"
        } else {
            return None;
        };
    facts.detecting.then_some(Problem::Unconfirmed { header })
}

pub static ABOUT: About = About {
    title: "lead event v2 (signed)",
    description: "Signed lead event (the lead-event CRM's current webhooks)",
    type_name: "LeadEventV2",
    sender: &SENDER,
};

/// The current lead event is signed, tried 3 times in all, and disabled after 50 failures in a
/// row (FORMATS.md revision 3, item 15).
pub const SENDER: Sender = Sender {
    auth: "lead-event.v2",
    credentials: &[Credential::Signature],
    probes: &[],
    answer: Answer::Status,
    tries: Some(3),
    disables_after: Some(50),
    marks: &[],
};
