//! What no output may carry: a top-level `secret` member's value, whatever kind a body is read
//! as (a lead event's credential travels in its body, and a lead event read as LeadSquared, a
//! bulk array or a form is still one), and the fields named in `redact`, at any depth. `parse`
//! alone returns the payload as sent; everything else reads it through [`strip`].

use crate::base::json::Value;
use crate::Options;

/// The member that holds a lead event's shared secret.
pub const SECRET: &str = "secret";

/// Removes from `value` every member no output may carry: `secret` at the top level (of the
/// body, or of each record of a top-level array) and, at any depth, the names in `redact`.
pub fn strip(value: &mut Value, opts: &Options) {
    match value {
        Value::Object(members) => members.retain(|(k, _)| k != SECRET),
        Value::Array(items) => {
            for item in items.iter_mut() {
                if let Value::Object(members) = item {
                    members.retain(|(k, _)| k != SECRET);
                }
            }
        }
        _ => {}
    }
    if !opts.redact.is_empty() {
        strip_named(value, &opts.redact);
    }
}

fn strip_named(value: &mut Value, names: &[String]) {
    match value {
        Value::Object(members) => {
            members.retain(|(k, _)| !names.iter().any(|n| n == k));
            for (_, v) in members.iter_mut() {
                strip_named(v, names);
            }
        }
        Value::Array(items) => {
            for item in items.iter_mut() {
                strip_named(item, names);
            }
        }
        _ => {}
    }
}
