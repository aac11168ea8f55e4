//! What Leadsie v1 and v2 share: the request-level vocabularies.

use crate::event_key::{field, Identity};
use crate::json::Value;
use crate::rules::doc;
use crate::rules::Vocabulary;
use crate::Options;

/// `requestName`, `user`, `status`, and each asset's `type`, `id`, connection state
/// (`isSuccess` or `connectionStatus`), `time` and `statusLastCheckedAt`: Leadsie sends no event
/// id, and a request legitimately fires again when a new asset connects.
pub fn identity(request: &Value, _opts: &Options) -> Identity {
    let assets = request
        .get("connectionAssets")
        .and_then(Value::as_array)
        .unwrap_or_default();
    let assets: Vec<String> = assets
        .iter()
        .map(|a| {
            let state = a.get("connectionStatus").or_else(|| a.get("isSuccess"));
            let parts = [
                a.get("type"),
                a.get("id"),
                state,
                a.get("time"),
                a.get("statusLastCheckedAt"),
            ];
            format!("[{}]", crate::text::join(&parts.map(field), ","))
        })
        .collect();
    Identity::Fields(vec![
        field(request.get("requestName")),
        field(request.get("user")),
        field(request.get("status")),
        format!("[{}]", crate::text::join(&assets, ",")),
    ])
}

pub static STATUS: Vocabulary = Vocabulary {
    name: "LeadsieStatus",
    doc: doc("Leadsie request status."),
    what: "status",
    values: &["SUCCESS", "PARTIAL_SUCCESS", "FAILED"],
};

pub static REQUEST_ACCESS_LEVEL: Vocabulary = Vocabulary {
    name: "LeadsieAccessLevel",
    doc: doc("Leadsie request-level access level (lower case; not the asset's)."),
    what: "request access level",
    values: &["view", "admin"],
};
