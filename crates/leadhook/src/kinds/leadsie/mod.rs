//! What Leadsie v1 and v2 share: the request-level vocabularies.

pub mod flatten;
pub mod upgrade;
pub mod v1;
pub mod v2;

use crate::base::json::Value;
use crate::engine::rules::Vocabulary;
use crate::engine::rules::{doc, type_name};
use crate::kinds::identity::{whole, Identity};
use crate::kinds::sender::{Answer, Credential, Sender};
use crate::Options;

/// A Leadsie request has no documented id of its own: its whole content identifies it, so that
/// two requests that differ in anything (a `requestUrl`, one asset) never share a key.
pub fn identity(request: &Value, json: Option<&str>, _opts: &Options) -> Identity {
    Identity::Fields(vec![whole(request, json)])
}

pub static STATUS: Vocabulary = Vocabulary {
    name: type_name("LeadsieStatus"),
    doc: doc("Leadsie request status."),
    what: "status",
    values: &["SUCCESS", "PARTIAL_SUCCESS", "FAILED"],
};

pub static REQUEST_ACCESS_LEVEL: Vocabulary = Vocabulary {
    name: type_name("LeadsieAccessLevel"),
    doc: doc("Leadsie request-level access level (lower case; not the asset's)."),
    what: "request access level",
    values: &["view", "admin"],
};

/// Leadsie signs nothing: a receiver gives the webhook URL a secret of its own, in the query
/// (`?token=`) or, where the sender allows, a header. Retries are undocumented (FORMATS.md §1).
pub const SENDER: Sender = Sender {
    auth: "leadsie",
    credentials: &[Credential::Query, Credential::Header],
    probes: &[],
    answer: Answer::Status,
    tries: None,
    disables_after: None,
    marks: &[],
};
