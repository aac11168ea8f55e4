//! What Leadsie v1 and v2 share: the request-level vocabularies.

use crate::rules::Vocabulary;

pub static STATUS: Vocabulary = Vocabulary {
    what: "status",
    values: &["SUCCESS", "PARTIAL_SUCCESS", "FAILED"],
};

pub static REQUEST_ACCESS_LEVEL: Vocabulary = Vocabulary {
    what: "request access level",
    values: &["view", "admin"],
};
