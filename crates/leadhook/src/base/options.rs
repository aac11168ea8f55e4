//! How to read a payload: the `opts` of every function.

use crate::base::issue::{Issue, Problem};
use crate::base::json::Value;
use crate::Kind;

/// Depth past which `max_depth` is not raised, whatever the caller asks: the reader, the
/// walker and `Drop` recurse once per level, and WebAssembly's stack is small.
pub const DEPTH_CEILING: usize = 512;

/// How to read a payload. `Default` gives the documented defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Skip detection and read the payload as this kind.
    pub kind: Option<Kind>,
    /// The request's Content-Type; form-encoded bodies are decoded.
    pub content_type: Option<String>,
    /// The request URL; LeadSquared's `entityType`, `entityId` and `eventType` are read from it.
    pub url: Option<String>,
    /// Unknown enum values, and wrong types or formats in optional fields, become errors;
    /// undocumented fields are reported.
    pub strict: bool,
    /// Larger bodies are refused before they are read.
    pub max_bytes: usize,
    /// Deeper nesting is refused (`{}` is depth 1). Never above [`DEPTH_CEILING`].
    pub max_depth: usize,
    /// At most this many errors, and this many warnings, are listed.
    pub max_issues: usize,
    /// Field names, at any depth, whose values never reach an output (besides a top-level
    /// `secret`, which never does).
    pub redact: Vec<String>,
    /// The most bytes an output may hold (its JSON: keys, values and punctuation); `None`: a
    /// multiple of the body with a floor (see [`crate::flat::budget::max_output`]).
    pub max_output_bytes: Option<usize>,
    /// `codeStep` only: add the payload's `rows` as Zapier `line_items`.
    pub line_items: bool,
    /// `eventKey` and `verifySignature`: the request's headers (name, value), as sent.
    pub headers: Vec<(String, String)>,
    /// What an account's LeadSquared activities call their `mx_Custom_N` fields, by
    /// `ActivityEvent` (`"22"` → `mx_Custom_2` → `StartTime`): the flat outputs use these names.
    pub activity_fields: Vec<(String, Vec<(String, String)>)>,
}

pub const DEFAULT_MAX_BYTES: usize = 5 * 1024 * 1024;
pub const DEFAULT_MAX_DEPTH: usize = 64;
pub const DEFAULT_MAX_ISSUES: usize = 100;

/// Every option name, as JavaScript spells it.
pub const NAMES: &[&str] = &[
    "kind",
    "contentType",
    "url",
    "strict",
    "maxBytes",
    "maxDepth",
    "maxIssues",
    "maxOutputBytes",
    "redact",
    "lineItems",
    "headers",
    "activityFields",
];

impl Default for Options {
    fn default() -> Options {
        Options::DEFAULT
    }
}

impl Options {
    /// The documented defaults, as a constant (a `static` can start with them).
    pub const DEFAULT: Options = Options {
        kind: None,
        content_type: None,
        url: None,
        strict: false,
        max_bytes: DEFAULT_MAX_BYTES,
        max_depth: DEFAULT_MAX_DEPTH,
        max_issues: DEFAULT_MAX_ISSUES,
        max_output_bytes: None,
        redact: Vec::new(),
        line_items: false,
        headers: Vec::new(),
        activity_fields: Vec::new(),
    };

    /// Sets the option `name` (other than `kind`) to `v`; when `v` is not of its type, says
    /// what it must be. Each option's type and its error's words in one arm; the error itself
    /// is made in one place, not at each (cold code, but 1.5 KB of it).
    pub(crate) fn set(&mut self, name: &str, v: &Value) -> Result<(), &'static str> {
        const STRING: &str = "a string";
        const BOOLEAN: &str = "a boolean";
        const SIZE: &str = "a non-negative number";
        match name {
            "contentType" => self.content_type = Some(v.as_str().ok_or(STRING)?.to_owned()),
            "url" => self.url = Some(v.as_str().ok_or(STRING)?.to_owned()),
            "strict" => self.strict = v.as_bool().ok_or(BOOLEAN)?,
            "lineItems" => self.line_items = v.as_bool().ok_or(BOOLEAN)?,
            "maxBytes" => self.max_bytes = v.as_size().ok_or(SIZE)?,
            "maxDepth" => self.max_depth = v.as_size().ok_or(SIZE)?,
            "maxIssues" => self.max_issues = v.as_size().ok_or(SIZE)?,
            "maxOutputBytes" => self.max_output_bytes = Some(v.as_size().ok_or(SIZE)?),
            "headers" => self.headers = strings(v).ok_or("an object of strings")?,
            "activityFields" => {
                const FIELDS: &str = "an object of objects of strings, by ActivityEvent";
                let events = v.as_object().ok_or(FIELDS)?;
                let mut by_event = Vec::with_capacity(events.len());
                for (event, names) in events {
                    by_event.push((event.to_string(), strings(names).ok_or(FIELDS)?));
                }
                self.activity_fields = by_event;
            }
            "redact" => {
                const NAMES: &str = "an array of strings";
                let names = v.as_array().ok_or(NAMES)?;
                let mut redact = Vec::with_capacity(names.len());
                for n in names {
                    redact.push(n.as_str().ok_or(NAMES)?.to_owned());
                }
                self.redact = redact;
            }
            // `kind` that is not a string.
            _ => return Err(STRING),
        }
        Ok(())
    }
}

/// The members of an object of strings, in order; `None` for anything else.
fn strings(v: &Value) -> Option<Vec<(String, String)>> {
    let members = v.as_object()?;
    let mut out = Vec::with_capacity(members.len());
    for (k, v) in members {
        out.push((k.to_string(), v.as_str()?.to_owned()));
    }
    Some(out)
}

pub(crate) fn bad_option(name: &str, expected: &'static str) -> Issue {
    Issue::whole(Problem::BadOption { name, expected })
}

impl Options {
    /// The names `activityFields` gives the `mx_Custom_N` fields of activity event `event`.
    pub fn activity_fields(&self, event: &str) -> Option<&[(String, String)]> {
        self.activity_fields
            .iter()
            .rev()
            .find(|(e, _)| e == event)
            .map(|(_, names)| names.as_slice())
    }
}

/// The one value of header `name` (compared in ASCII case only); `None` when it is absent or
/// given twice under two spellings.
#[inline(never)]
pub fn header<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    let mut found = headers.iter().filter(|(k, _)| k.eq_ignore_ascii_case(name));
    match (found.next(), found.next()) {
        (Some((_, v)), None) => Some(v),
        _ => None,
    }
}

/// The option a misspelt name most likely meant: one within two edits, ignoring case.
pub(crate) fn suggest(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    NAMES
        .iter()
        .map(|known| (edit_distance(&lower, &known.to_ascii_lowercase()), *known))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, known)| known)
}

/// Levenshtein distance, for short names (longer ones are too far to suggest anything for), in
/// bytes: every option name is ASCII, so a character of another script only counts as more
/// than one edit away from all of them.
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() > 64 || b.len() > 64 {
        return usize::MAX;
    }
    // One row of the table at a time: `row[j]` is the distance from a's prefix to b's first j.
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diagonal = i;
        let mut left = i + 1;
        for (cell, cb) in row.iter_mut().skip(1).zip(b) {
            let above = *cell;
            *cell = (above + 1)
                .min(left + 1)
                .min(diagonal + usize::from(ca != cb));
            left = *cell;
            diagonal = above;
        }
        if let Some(first) = row.first_mut() {
            *first = i + 1;
        }
    }
    row.last().copied().unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::issue::Code;

    #[test]
    fn reads_options() {
        let o = Options::from_json(r#"{"kind":"leadsquared","strict":true,"maxBytes":10,"maxDepth":3.7,"url":null,"maxIssues":5,"redact":["email"]}"#).unwrap();
        assert_eq!(o.kind, Some(Kind::LeadSquared));
        assert!(o.strict);
        assert_eq!((o.max_bytes, o.max_depth, o.max_issues), (10, 3, 5));
        assert_eq!(o.redact, vec!["email".to_owned()]);
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

    /// Each option of the wrong type is refused with what it must be.
    #[test]
    fn each_option_says_what_it_must_be() {
        for (text, must_be) in [
            (r#"{"kind":1}"#, "`kind` must be a string"),
            (r#"{"contentType":1}"#, "`contentType` must be a string"),
            (r#"{"url":true}"#, "`url` must be a string"),
            (r#"{"strict":"x"}"#, "`strict` must be a boolean"),
            (r#"{"lineItems":1}"#, "`lineItems` must be a boolean"),
            (
                r#"{"maxBytes":-1}"#,
                "`maxBytes` must be a non-negative number",
            ),
            (
                r#"{"maxDepth":"3"}"#,
                "`maxDepth` must be a non-negative number",
            ),
            (
                r#"{"maxIssues":[]}"#,
                "`maxIssues` must be a non-negative number",
            ),
            (
                r#"{"headers":[]}"#,
                "`headers` must be an object of strings",
            ),
            (
                r#"{"headers":{"a":1}}"#,
                "`headers` must be an object of strings",
            ),
            (r#"{"redact":{}}"#, "`redact` must be an array of strings"),
            (r#"{"redact":[1]}"#, "`redact` must be an array of strings"),
            ("[]", "`opts` must be an object"),
            ("{", "`opts` must be an object"),
        ] {
            let e = Options::from_json(text).unwrap_err();
            assert_eq!(e.code, Code::InputType, "{text}");
            assert_eq!(e.message, format!("option {must_be}"), "{text}");
        }
    }

    #[test]
    fn unknown_names_are_refused_with_a_suggestion() {
        let e = Options::from_json(r#"{"stric":true}"#).unwrap_err();
        assert_eq!(e.code, Code::InputType);
        assert_eq!(e.message, "unknown option `stric`; did you mean `strict`?");
        let e = Options::from_json(r#"{"MaxBytes":1}"#).unwrap_err();
        assert!(
            e.message.ends_with("did you mean `maxBytes`?"),
            "{}",
            e.message
        );
        let e = Options::from_json(r#"{"colour":1}"#).unwrap_err();
        assert_eq!(e.message, "unknown option `colour`");
    }
}
