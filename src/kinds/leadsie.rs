//! What Leadsie v1 and v2 share: the request-level vocabularies.

use crate::rules::Vocabulary;

pub static STATUS: Vocabulary = Vocabulary {
    name: "LeadsieStatus",
    doc: "Leadsie request status.",
    what: "status",
    values: &["SUCCESS", "PARTIAL_SUCCESS", "FAILED"],
};

pub static REQUEST_ACCESS_LEVEL: Vocabulary = Vocabulary {
    name: "LeadsieAccessLevel",
    doc: "Leadsie request-level access level (lower case; not the asset's).",
    what: "request access level",
    values: &["view", "admin"],
};
