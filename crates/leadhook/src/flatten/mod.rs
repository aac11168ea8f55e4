//! `flatten` (one flat record per payload) and `rows` (one per asset or record). Each kind's
//! [`crate::KindSpec`] names its two functions here; the input has already been through
//! [`crate::redact::strip`].

pub mod flat;
pub mod zapier;

use std::borrow::Cow;

pub use flat::{align, Flat, Scalar};

use crate::form::query_param;
use crate::Options;

/// The request URL's LeadSquared parameters, when a URL was given.
pub fn url_fields(out: &mut Flat<'_>, opts: &Options) {
    let Some(url) = opts.url.as_deref() else {
        return;
    };
    for name in ["entityType", "entityId", "eventType"] {
        let value = query_param(url, name)
            .map_or(Scalar::Null, |v| Scalar::String(Cow::Owned(v.into_owned())));
        out.set(name, value);
    }
}
