//! Which of the four kinds a payload is, from its shape (and the request URL).

use crate::form::query_param;
use crate::json::Value;
use crate::kinds::leadsquared;
use crate::Kind;

/// Detects the kind of a parsed payload; `url` is the request URL, if known.
pub fn kind(value: &Value, url: Option<&str>) -> Option<Kind> {
    if let Value::Object(_) = value {
        let has = |k: &str| value.get(k).is_some();
        if has("connectionAssets") || (has("requestUrl") && has("status")) {
            return Some(if is_v2(value) {
                Kind::LeadsieV2
            } else {
                Kind::LeadsieV1
            });
        }
        let event_is_string = matches!(value.get("event"), Some(Value::String(_)));
        let payload_is_object = matches!(value.get("payload"), Some(Value::Object(_)));
        if event_is_string && payload_is_object && has("id_space") {
            return Some(Kind::LeadEvent);
        }
    }
    let leadsquared_body = match value {
        Value::Object(_) => leadsquared::looks_like_record(value),
        Value::Array(items) => {
            !items.is_empty()
                && items.iter().all(|v| matches!(v, Value::Object(_)))
                && items.iter().any(leadsquared::looks_like_record)
        }
        _ => false,
    };
    if leadsquared_body || url.is_some_and(|u| query_param(u, "eventType").is_some()) {
        return Some(Kind::LeadSquared);
    }
    None
}

/// `apiVersion === 2`, as JavaScript compares it (`2`, `2.0` and `2e0` are all 2).
fn is_v2(value: &Value) -> bool {
    value.get("apiVersion").is_some_and(|v| v.is_number(2))
}
