//! How to read a payload: the `opts` of every function.

use crate::issue::{Code, Issue};
use crate::json::{self, Value};
use crate::Kind;

/// How to read a payload. `Default` gives the documented defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Skip detection and read the payload as this kind.
    pub kind: Option<Kind>,
    /// The request's Content-Type; form-encoded bodies are decoded.
    pub content_type: Option<String>,
    /// The request URL; LeadSquared's `entityType`, `entityId` and `eventType` are read from it.
    pub url: Option<String>,
    /// Unknown enum values become errors, undocumented fields warnings.
    pub strict: bool,
    /// Larger bodies are refused before they are read.
    pub max_bytes: usize,
    /// Deeper nesting is refused (`{}` is depth 1). Never above [`input::DEPTH_CEILING`].
    pub max_depth: usize,
}

pub const DEFAULT_MAX_BYTES: usize = 5 * 1024 * 1024;
pub const DEFAULT_MAX_DEPTH: usize = 64;

impl Default for Options {
    fn default() -> Options {
        Options {
            kind: None,
            content_type: None,
            url: None,
            strict: false,
            max_bytes: DEFAULT_MAX_BYTES,
            max_depth: DEFAULT_MAX_DEPTH,
        }
    }
}

impl Options {
    /// Options from the JSON object the JavaScript API passes (`{kind, contentType, url, strict,
    /// maxBytes, maxDepth}`); absent or `null` members keep their defaults.
    pub fn from_json(text: &str) -> Result<Options, Issue> {
        let mut opts = Options::default();
        if text.trim().is_empty() {
            return Ok(opts);
        }
        let bad = |name: &str, expected: &str| {
            Issue::new(
                Code::InputType,
                "",
                format!("option `{name}` must be {expected}"),
            )
        };
        let value = json::read(text, 4).map_err(|_| bad("opts", "an object"))?;
        let Value::Object(members) = &value else {
            return Err(bad("opts", "an object"));
        };
        for (name, v) in members {
            if v.is_null() {
                continue;
            }
            match name.as_ref() {
                "kind" => {
                    let name = v.as_str().ok_or_else(|| bad("kind", "a string"))?;
                    opts.kind = Some(Kind::from_name(name).ok_or_else(|| {
                        Issue::new(
                            Code::KindUnknown,
                            "",
                            "option `kind` must be \"leadsie.v1\", \"leadsie.v2\", \"leadsquared\" or \"lead-event\"",
                        )
                    })?);
                }
                "contentType" => {
                    opts.content_type = Some(
                        v.as_str()
                            .ok_or_else(|| bad("contentType", "a string"))?
                            .to_owned(),
                    )
                }
                "url" => {
                    opts.url = Some(v.as_str().ok_or_else(|| bad("url", "a string"))?.to_owned())
                }
                "strict" => match v {
                    Value::Bool(b) => opts.strict = *b,
                    _ => return Err(bad("strict", "a boolean")),
                },
                "maxBytes" => {
                    opts.max_bytes =
                        limit(v).ok_or_else(|| bad("maxBytes", "a non-negative number"))?
                }
                "maxDepth" => {
                    opts.max_depth =
                        limit(v).ok_or_else(|| bad("maxDepth", "a non-negative number"))?
                }
                _ => {}
            }
        }
        Ok(opts)
    }
}

/// A non-negative size; fractions round down, and anything past `usize` saturates.
fn limit(v: &Value) -> Option<usize> {
    v.as_size()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_options() {
        let o = Options::from_json(r#"{"kind":"leadsquared","strict":true,"maxBytes":10,"maxDepth":3.7,"url":null,"other":1}"#).unwrap();
        assert_eq!(o.kind, Some(Kind::LeadSquared));
        assert!(o.strict);
        assert_eq!((o.max_bytes, o.max_depth), (10, 3));
        assert_eq!(Options::from_json("").unwrap(), Options::default());
        assert_eq!(
            Options::from_json(r#"{"kind":"x"}"#).unwrap_err().code,
            Code::KindUnknown
        );
        assert_eq!(
            Options::from_json(r#"{"strict":"yes"}"#).unwrap_err().code,
            Code::InputType
        );
    }
}
