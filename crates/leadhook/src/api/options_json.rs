//! Options from the JSON object the JavaScript API passes (and the fixtures' `.opts.json`): the
//! one reader of options as text. It reads JSON with the walker and names the kinds, so it sits
//! on the top floor; `Options` itself is a base type every floor takes.

use crate::base::issue::{Issue, Problem};
use crate::base::json::Value;
use crate::base::options::{bad_option, suggest, NAMES};
use crate::{kinds, Kind, Options};

impl Options {
    /// Options from the JSON object the JavaScript API passes; absent or `null` members keep
    /// their defaults, and a name that is no option is refused (a misspelt `strict` must not
    /// quietly validate leniently).
    #[inline(never)]
    pub fn from_json(text: &str) -> Result<Options, Issue> {
        let mut opts = Options::default();
        if text.trim().is_empty() {
            return Ok(opts);
        }
        let value =
            crate::engine::walker::tree(text, 4).map_err(|_| bad_option("opts", "an object"))?;
        let Value::Object(members) = &value else {
            return Err(bad_option("opts", "an object"));
        };
        for (name, v) in members {
            if !NAMES.contains(&name.as_ref()) {
                return Err(Issue::whole(Problem::UnknownOption {
                    name,
                    suggestion: suggest(name),
                }));
            }
            if v.is_null() {
                continue;
            }
            if let ("kind", Value::String(kind)) = (name.as_ref(), v) {
                let Some(kind) = Kind::from_name(kind) else {
                    return Err(Issue::whole(Problem::BadKindOption {
                        kinds: &kinds::names_for_people(),
                    }));
                };
                opts.kind = Some(kind);
            } else if let Err(expected) = opts.set(name, v) {
                return Err(bad_option(name, expected));
            }
        }
        Ok(opts)
    }
}
