//! A legacy lead event → `lead-event.v2`, as FORMATS.md revision 3 maps it: `workspaceId` ←
//! `id_space`, the event's current name, a lead as a `person` record, `timestamp` ← the lead's
//! `updated_at` or `created_at`, and `upgradedFrom` saying what it was.

use std::borrow::Cow;

use super::current_name;
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
    let record = match payload {
        Value::Object(lead) if current.is_some_and(|n| n.starts_with("record.")) => person(lead),
        other => other,
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

/// A legacy lead as the current format's record: its id, `objectType: "person"`, its other
/// members as `fields`, its dates.
#[inline(never)]
fn person(lead: Members<'_>) -> Value<'_> {
    let mut record = vec![member("objectType", text("person"))];
    let (mut fields, mut dates) = (Vec::with_capacity(lead.len()), Vec::new());
    for (k, v) in lead {
        match k.as_ref() {
            "id" => record.insert(0, (k, v)),
            "created_at" => dates.push(member("createdAt", v)),
            "updated_at" => dates.push(member("updatedAt", v)),
            _ => fields.push((k, v)),
        }
    }
    record.push(member("fields", Value::Object(fields)));
    record.extend(dates);
    Value::Object(record)
}
