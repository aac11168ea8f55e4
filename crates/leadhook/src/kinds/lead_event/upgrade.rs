//! A legacy lead event → `lead-event.v2`, as FORMATS.md revision 3 maps it: `workspaceId` ←
//! `id_space`, the event's current name, a lead as a `person` record, `timestamp` ← the lead's
//! `updated_at` or `created_at`, and `upgradedFrom` saying what it was.
//!
//! A mapped event's `data` has every field the current format documents for it (`v2::RECORD`,
//! `DELETED`, `NOTE`, `TASK`), `null` where the legacy payload has no counterpart: a user moving
//! from the legacy webhook keeps one downstream shape, the flat keys of a current event.

use std::borrow::Cow;

use super::{current_name, v2};
use crate::base::json::Value;

type Members<'a> = Vec<(Cow<'a, str>, Value<'a>)>;

#[inline(never)]
fn member<'a>(key: &'static str, value: Value<'a>) -> (Cow<'a, str>, Value<'a>) {
    (Cow::Borrowed(key), value)
}

#[inline(never)]
fn text<'a>(s: &'static str) -> Value<'a> {
    Value::String(Cow::Borrowed(s))
}

/// The `lead-event.v2` shape of a legacy lead event (already validated, its `secret` already
/// left out). `event_id` is the legacy event's key: the joined lead id and event name that
/// FORMATS.md suggests would give two updates of one lead one id.
#[inline(never)]
pub fn lead_event_to_v2<'a>(legacy: Value<'a>, event_id: String) -> Value<'a> {
    let Value::Object(members) = legacy else {
        return legacy;
    };
    let mut envelope = [Value::Null, Value::Null, Value::Null];
    for (k, v) in members {
        let at = ["id_space", "event", "payload"]
            .iter()
            .position(|n| *n == k);
        if let Some(slot) = at.and_then(|i| envelope.get_mut(i)) {
            *slot = v;
        }
    }
    let [workspace, event, payload] = envelope;
    let name = event.as_str().unwrap_or_default();
    let current = current_name(name);
    let owned = |s: &str| Value::String(Cow::Owned(s.to_owned()));
    let date = ["updated_at", "created_at"]
        .iter()
        .find_map(|k| payload.get(k).and_then(Value::as_str))
        .map(owned);
    let renamed = current.map_or_else(|| owned(name), text);
    let record = match (payload, current) {
        (Value::Object(legacy), Some(current)) => data_of(legacy, current),
        (other, _) => other,
    };
    let mut out: Members<'a> = vec![member("eventId", Value::String(event_id.into()))];
    out.extend(date.map(|d| member("timestamp", d)));
    out.push(member("workspaceId", workspace));
    out.push(member("event", renamed));
    out.push(member("data", record));
    let from = vec![
        member("kind", text("lead-event")),
        member("event", event),
        member("mapped", Value::Bool(current.is_some())),
    ];
    out.push(member("upgradedFrom", Value::Object(from)));
    Value::Object(out)
}

/// Where a field of a current event's `data` comes from in a legacy payload: its first member
/// named in a pair with the field. FORMATS.md has no sample of a legacy note or task, so these are
/// the names its lead payload uses (`id`, snake_case dates) and their plain synonyms.
const SOURCES: &[(&str, &str)] = &[
    ("id", "id"),
    ("noteId", "id"),
    ("taskId", "id"),
    ("recordId", "lead_id"),
    ("recordId", "id_lead"),
    ("title", "title"),
    ("title", "name"),
    ("contentPlain", "content"),
    ("contentPlain", "text"),
    ("author", "author"),
    ("status", "status"),
    ("dueAt", "due_at"),
    ("createdAt", "created_at"),
    ("updatedAt", "updated_at"),
];

/// The current `data` of a mapped event, from its legacy payload: a lead as a `person` record
/// (its other members as `fields`), a note's or a task's members under their current names.
fn data_of<'a>(mut legacy: Members<'a>, current: &str) -> Value<'a> {
    let schema = match current.as_bytes().first() {
        Some(b'n') => &v2::NOTE,
        Some(b't') => &v2::TASK,
        _ if current == "record.deleted" => &v2::DELETED,
        _ => &v2::RECORD,
    };
    let mut data: Members<'a> = Vec::new();
    for field in schema.fields.iter().flat_map(|group| group.iter()) {
        let name = field.name;
        let value = match name {
            "objectType" => text("person"),
            "objectTypeName" => text("Person"),
            "deleted" => Value::Bool(true),
            "status" if current == "task.completed" => text("done"),
            "fields" => Value::Null,
            _ => legacy
                .iter()
                .position(|(k, _)| SOURCES.contains(&(name, k.as_ref())))
                .map_or(Value::Null, |at| legacy.remove(at).1),
        };
        data.push(member(name, value));
    }
    // A lead's members but those taken above are the record's fields.
    if let Some((_, fields)) = data.iter_mut().find(|(k, _)| k == "fields") {
        *fields = Value::Object(legacy);
    }
    Value::Object(data)
}
