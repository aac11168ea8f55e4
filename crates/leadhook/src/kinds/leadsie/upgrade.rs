//! Leadsie v1 → v2, as FORMATS.md maps it: asset type labels, `isSuccess` →
//! `connectionStatus`, `message` → `notes`, `inviteSentTo` → `connectedAccount.name`, and
//! `apiVersion: 2`.

use std::borrow::Cow;

use super::flatten::v2_label;
use crate::base::json::Value;

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
