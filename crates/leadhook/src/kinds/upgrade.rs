//! Older shapes to current ones, as FORMATS.md maps them:
//! - Leadsie v1 → v2: asset type labels, `isSuccess` → `connectionStatus`, `message` → `notes`,
//!   `inviteSentTo` → `connectedAccount.name`, and `apiVersion: 2`;
//! - a legacy lead event → `lead-event.v2` (revision 3): `workspaceId` ← `id_space`, the event's
//!   current name, a lead as a `person` record, `timestamp` ← the lead's `updated_at` or
//!   `created_at`, and `upgradedFrom` saying what it was.

use std::borrow::Cow;

use crate::base::json::Value;
use crate::kinds::lead_event::current_name;
use crate::kinds::leadsie::flatten::v2_label;

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

#[inline(never)]
pub fn v1_to_v2<'a>(v1: Value<'a>) -> Value<'a> {
    let Value::Object(members) = v1 else {
        return v1;
    };
    let mut out: Vec<(Cow<'a, str>, Value<'a>)> = Vec::with_capacity(members.len() + 1);
    for (k, v) in members {
        match k.as_ref() {
            "apiVersion" => {}
            "connectionAssets" => {
                let assets = match v {
                    Value::Array(items) => Value::Array(items.into_iter().map(asset).collect()),
                    other => other,
                };
                out.push((k, assets));
            }
            _ => out.push((k, v)),
        }
    }
    // `apiVersion` goes before `connectionAssets`, where Leadsie's own v2 sample has it.
    let at = out
        .iter()
        .position(|(k, _)| k == "connectionAssets")
        .unwrap_or(out.len());
    out.insert(
        at,
        (
            Cow::Borrowed("apiVersion"),
            Value::Number(Cow::Borrowed("2")),
        ),
    );
    Value::Object(out)
}

fn asset(v1: Value<'_>) -> Value<'_> {
    let Value::Object(members) = v1 else {
        return v1;
    };
    let out = members
        .into_iter()
        .filter_map(|(k, v)| match k.as_ref() {
            "type" => Some((
                k,
                match v {
                    Value::String(t) => Value::String(v2_label(&t).map_or(t, Cow::Borrowed)),
                    other => other,
                },
            )),
            "isSuccess" => {
                let status = if matches!(v, Value::Bool(true)) {
                    "Connected"
                } else {
                    "Not Connected"
                };
                Some((
                    Cow::Borrowed("connectionStatus"),
                    Value::String(Cow::Borrowed(status)),
                ))
            }
            "message" => Some((Cow::Borrowed("notes"), v)),
            "inviteSentTo" if v.is_null() => None,
            "inviteSentTo" => Some((
                Cow::Borrowed("connectedAccount"),
                Value::Object(vec![(Cow::Borrowed("name"), v)]),
            )),
            _ => Some((k, v)),
        })
        .collect();
    Value::Object(out)
}
