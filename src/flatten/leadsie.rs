//! Leadsie v1 and v2 flattened as the seed code step does, so that Zaps built on its keys keep
//! working: `user_id`, `requestUrl`, `requestName`, and per asset type `{prefix}_id`,
//! `{prefix}_name`, `{prefix}_is_success`, `{prefix}_message`, joined with `", "` across assets
//! of one type. v2 adds its own fields under their own keys.

use std::borrow::Cow;

use super::flat::{Flat, Scalar};
use crate::json::Value;
use crate::Kind;

/// v2 asset fields and the keys they get, after the seed's four.
const V2_ASSET_FIELDS: &[(&str, &str)] = &[
    ("connectionStatus", "connection_status"),
    ("notes", "notes"),
    ("time", "time"),
    ("statusLastCheckedAt", "status_last_checked_at"),
    ("wasInitialGrantSuccessful", "was_initial_grant_successful"),
    ("linkToAsset", "link_to_asset"),
    ("accessLevel", "access_level"),
    ("platform", "platform"),
    ("connectedAccount.id", "connected_account_id"),
    ("connectedAccount.name", "connected_account_name"),
    ("assignedUsers", "assigned_users"),
    ("wasInvitedByEmail", "was_invited_by_email"),
    ("wasCreatedByLeadsie", "was_created_by_leadsie"),
    ("wasGrantedViaAssetType", "was_granted_via_asset_type"),
    ("platformPermissionsGranted", "platform_permissions_granted"),
    (
        "googleBusinessProfileLocationMapsUri",
        "google_business_profile_location_maps_uri",
    ),
    (
        "googleBusinessProfileLocationReviewUri",
        "google_business_profile_location_review_uri",
    ),
    (
        "googleBusinessProfileLocationPlaceId",
        "google_business_profile_location_place_id",
    ),
    ("shopifyCollaboratorCode", "shopify_collaborator_code"),
    ("messageFromUser", "message_from_user"),
];

/// v1 asset fields beyond the seed's, for `rows`.
const V1_ASSET_FIELDS: &[(&str, &str)] = &[("time", "time"), ("inviteSentTo", "invite_sent_to")];

/// Request-level fields added after the seed's three.
const REQUEST_FIELDS: &[&str] = &["status", "accessLevel", "clientName", "clientSummaryUrl"];

/// The v1 label of a v2 asset type whose label changed, so v1 keys (`page_id`) stay filled.
pub fn v1_label(v2_type: &str) -> Option<&'static str> {
    Some(match v2_type {
        "Meta Ad Account" => "Ad Account",
        "Facebook Page" => "Page",
        "Meta Pixel" => "Pixel",
        "Facebook Catalog" => "Catalog",
        _ => return None,
    })
}

/// The v2 label of a v1 asset type (the inverse of [`v1_label`]).
pub fn v2_label(v1_type: &str) -> Option<&'static str> {
    Some(match v1_type {
        "Ad Account" => "Meta Ad Account",
        "Page" => "Facebook Page",
        "Pixel" => "Meta Pixel",
        "Catalog" => "Facebook Catalog",
        _ => return None,
    })
}

/// The seed's key prefix: `type.lower().replace(' ', '_')`.
pub fn prefix(asset_type: &str) -> String {
    asset_type.to_lowercase().replace(' ', "_")
}

/// Python's `str.strip(', ')`: any run of commas and spaces off both ends.
fn strip_commas_spaces(s: &str) -> &str {
    s.trim_matches(|c| c == ',' || c == ' ')
}

/// `output[key] = f"{output.get(key, '')}, {value}".strip(', ')`.
fn join_into(out: &mut Flat, key: String, value: &str) {
    let joined = match out.get(&key) {
        Some(prev) => format!("{}, {value}", prev.python_text()),
        None => format!(", {value}"),
    };
    let stripped = strip_commas_spaces(&joined).to_owned();
    out.set(key, Scalar::String(Cow::Owned(stripped)));
}

fn field<'v, 'a>(asset: &'v Value<'a>, path: &str) -> Option<&'v Value<'a>> {
    match path.split_once('.') {
        Some((outer, inner)) => asset.get(outer)?.get(inner),
        None => asset.get(path),
    }
}

/// A value as text for joining: strings as they are, booleans as Python prints them, arrays of
/// strings (`platformPermissionsGranted`) and of users (`assignedUsers`, by name) joined.
fn asset_text(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|i| match i {
                Value::Object(_) => i.get("name").and_then(Value::as_str),
                _ => i.as_str(),
            })
            .collect::<Vec<_>>()
            .join(", "),
        Some(v) => Scalar::from_value(v)
            .map(|s| s.python_text().into_owned())
            .unwrap_or_default(),
    }
}

fn scalar<'a>(v: Option<&Value<'a>>) -> Scalar<'a> {
    v.and_then(Scalar::from_value).unwrap_or(Scalar::Null)
}

fn api_version<'a>(kind: Kind, payload: &Value<'a>) -> Scalar<'a> {
    match kind {
        Kind::LeadsieV1 => Scalar::Number(Cow::Borrowed("1")),
        _ => scalar(payload.get("apiVersion")),
    }
}

fn request<'a>(kind: Kind, payload: &Value<'a>) -> Flat<'a> {
    let mut out = Flat::new();
    // The seed: `actual_payload.get('user', '')`.
    out.set(
        "user_id",
        payload
            .get("user")
            .map_or(Scalar::str(""), |v| scalar(Some(v))),
    );
    out.set("requestUrl", scalar(payload.get("requestUrl")));
    out.set("requestName", scalar(payload.get("requestName")));
    for name in REQUEST_FIELDS {
        out.set(*name, scalar(payload.get(name)));
    }
    out.set("apiVersion", api_version(kind, payload));
    out
}

fn assets<'v, 'a>(payload: &'v Value<'a>) -> &'v [Value<'a>] {
    payload
        .get("connectionAssets")
        .and_then(Value::as_array)
        .unwrap_or_default()
}

/// The four seed keys of one asset under `prefix`.
fn seed_keys(out: &mut Flat, prefix: &str, id: &str, name: &str, is_success: &str, message: &str) {
    join_into(out, format!("{prefix}_id"), id);
    join_into(out, format!("{prefix}_name"), name);
    join_into(out, format!("{prefix}_is_success"), is_success);
    join_into(out, format!("{prefix}_message"), message);
}

pub fn flatten<'a>(kind: Kind, payload: &Value<'a>) -> Flat<'a> {
    let mut out = request(kind, payload);
    for asset in assets(payload) {
        let asset_type = asset.get("type").and_then(Value::as_str).unwrap_or("");
        let p = prefix(asset_type);
        let id = asset_text(asset.get("id"));
        let name = asset_text(asset.get("name"));
        if kind == Kind::LeadsieV1 {
            // `item.get('message', '')`: an absent message is "", a null one prints as None.
            let message = match asset.get("message") {
                None => String::new(),
                Some(v) => scalar(Some(v)).python_text().into_owned(),
            };
            let is_success = asset_text(asset.get("isSuccess"));
            seed_keys(&mut out, &p, &id, &name, &is_success, &message);
            continue;
        }
        let connected = asset.get("connectionStatus").and_then(Value::as_str) == Some("Connected");
        let is_success = if connected { "True" } else { "False" };
        let notes = asset_text(asset.get("notes"));
        seed_keys(&mut out, &p, &id, &name, is_success, &notes);
        if let Some(v1) = v1_label(asset_type) {
            seed_keys(&mut out, &prefix(v1), &id, &name, is_success, &notes);
        }
        for (field_path, key) in V2_ASSET_FIELDS {
            join_into(
                &mut out,
                format!("{p}_{key}"),
                &asset_text(field(asset, field_path)),
            );
        }
    }
    out
}

/// One row per asset, the request's fields repeated; a request with no assets gives one row
/// with empty asset fields, so that it is not lost.
pub fn rows<'a>(kind: Kind, payload: &Value<'a>) -> Vec<Flat<'a>> {
    let request = request(kind, payload);
    let extra = if kind == Kind::LeadsieV1 {
        V1_ASSET_FIELDS
    } else {
        V2_ASSET_FIELDS
    };
    let row = |asset: Option<&Value<'a>>| {
        let mut row = request.clone();
        let get = |name: &str| asset.and_then(|a| field(a, name));
        row.set("type", scalar(get("type")));
        row.set("id", scalar(get("id")));
        row.set("name", scalar(get("name")));
        let (is_success, message) = match (kind, asset) {
            (_, None) => (Scalar::Null, Scalar::Null),
            (Kind::LeadsieV1, Some(_)) => (scalar(get("isSuccess")), scalar(get("message"))),
            (_, Some(_)) => (
                Scalar::Bool(get("connectionStatus").and_then(Value::as_str) == Some("Connected")),
                scalar(get("notes")),
            ),
        };
        row.set("is_success", is_success);
        row.set("message", message);
        for (field_path, key) in extra {
            if *key == "notes" {
                continue;
            }
            let value = match get(field_path) {
                Some(v @ Value::Array(_)) => Scalar::String(Cow::Owned(asset_text(Some(v)))),
                v => scalar(v),
            };
            row.set(*key, value);
        }
        row
    };
    let list = assets(payload);
    if list.is_empty() {
        return vec![row(None)];
    }
    list.iter().map(|a| row(Some(a))).collect()
}
