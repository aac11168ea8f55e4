//! From raw body bytes to JSON text: size limit, UTF-8, byte-order mark, form or JSON. Every
//! limit is checked before the work it guards.

use std::borrow::Cow;

use crate::base::issue::{Issue, Problem};
use crate::base::json::Value;
use crate::engine::form;
use crate::{Options, Report};

pub use crate::base::options::DEPTH_CEILING;

/// A body as it is handed over: bytes, whose encoding is to be checked, or text, which is UTF-8
/// already (as the WebAssembly binding knows of a body JavaScript wrote from a string).
#[derive(Debug, Clone, Copy)]
pub enum Body<'a> {
    Bytes(&'a [u8]),
    Text(&'a str),
}

impl<'a> Body<'a> {
    pub fn as_bytes(self) -> &'a [u8] {
        match self {
            Body::Bytes(bytes) => bytes,
            Body::Text(text) => text.as_bytes(),
        }
    }
}

impl<'a, B: AsRef<[u8]> + ?Sized> From<&'a B> for Body<'a> {
    fn from(bytes: &'a B) -> Body<'a> {
        Body::Bytes(bytes.as_ref())
    }
}

/// The body as text: the limit checked, a UTF-8 byte-order mark dropped (as `Response.json()`
/// and `TextDecoder` do), bytes checked to be UTF-8.
pub fn text<'a>(input: Body<'a>, opts: &Options) -> Result<&'a str, Issue> {
    let bytes = input.as_bytes();
    if bytes.len() > opts.max_bytes {
        return Err(too_large(bytes.len(), opts.max_bytes));
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match input {
        // SAFETY: UTF-8 text with a whole character (the mark's three bytes) or none taken off
        // its start is UTF-8.
        Body::Text(_) => Ok(unsafe { std::str::from_utf8_unchecked(body) }),
        Body::Bytes(_) => std::str::from_utf8(body).map_err(|e| {
            Issue::whole(Problem::Encoding {
                offset: e.valid_up_to(),
            })
        }),
    }
}

pub fn too_large(len: usize, max: usize) -> Issue {
    Issue::whole(Problem::TooLarge { len, max })
}

/// Whether the body is to be read as a form rather than JSON: by its content type when it names
/// one of the two, else by its look; but a body labelled form-encoded that looks like JSON is
/// JSON (see [`mislabelled`]).
pub fn is_form(text: &str, content_type: Option<&str>) -> bool {
    // The usual body, a JSON object or array with no content type given, is known by its first
    // byte; the rest stays out of line, code a first call need not compile (2.2 KB).
    if content_type.is_none() && matches!(text.as_bytes().first(), Some(b'{' | b'[')) {
        return false;
    }
    by_type_or_look(text, content_type)
}

#[inline(never)]
fn by_type_or_look(text: &str, content_type: Option<&str>) -> bool {
    match mime(content_type).as_str() {
        // JSON sent with curl's `-d` (or a client's default) is labelled form-encoded; read as a
        // form, the whole text would become one key. It is read as JSON, with a warning
        // (see [`mislabelled`]).
        FORM => !looks_json(text),
        m if m == "application/json" || m.ends_with("+json") => false,
        _ => form::looks_form_encoded(text),
    }
}

/// The media type of a Content-Type, in lower case, without its parameters.
fn mime(content_type: Option<&str>) -> String {
    content_type
        .map(|ct| {
            ct.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default()
}

const FORM: &str = "application/x-www-form-urlencoded";

/// Whether a body looks like JSON: its first byte past JSON whitespace is `{` or `[`. A form
/// body never does: its first name would have to start with an unescaped bracket.
fn looks_json(text: &str) -> bool {
    let first = text
        .bytes()
        .find(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'));
    matches!(first, Some(b'{' | b'['))
}

/// The warning for a body whose Content-Type says form-encoded but which is JSON, and so is
/// read as JSON ([`is_form`]); `None` for any other body.
pub fn mislabelled(text: &str, opts: &Options) -> Option<Issue> {
    let form = opts.content_type.is_some() && mime(opts.content_type.as_deref()) == FORM;
    (form && looks_json(text)).then(|| Issue::whole(Problem::ContentType))
}

/// `report`, with the warning of [`mislabelled`] first when the body has one (it is about the
/// whole body). A list already holding `max_issues` warnings is left as it is: the body's
/// other warnings were reason enough to look.
pub fn labelled(text: &str, opts: &Options, mut report: Report) -> Report {
    if report.warnings.len() < opts.max_issues {
        if let Some(warning) = mislabelled(text, opts) {
            report.warnings.insert(0, warning);
        }
    }
    report
}

/// The body as JSON text: a JSON body as it is, a form body written out as a JSON object.
pub fn json_text<'a>(text: &'a str, opts: &Options) -> Cow<'a, str> {
    if is_form(text, opts.content_type.as_deref()) {
        Cow::Owned(form::to_json(text))
    } else {
        Cow::Borrowed(text)
    }
}

/// The body read into a tree, with no rules applied: a form as its pairs, JSON as it is.
pub fn tree<'a>(text: &'a str, opts: &Options) -> Result<Value<'a>, Issue> {
    if is_form(text, opts.content_type.as_deref()) {
        return Ok(form::to_value(text));
    }
    let max_depth = opts.max_depth.min(DEPTH_CEILING);
    crate::engine::walker::tree(text, max_depth).map_err(|e| Issue::unreadable(text, &e, max_depth))
}

#[cfg(test)]
mod tests {
    use crate::{Code, Issue, Kind, Options, Problem, Report};

    const FORM: &str = "application/x-www-form-urlencoded";

    fn lead_event() -> String {
        std::fs::read_to_string(concat!(
            concat!(env!("CARGO_MANIFEST_DIR"), "/../.."),
            "/tests/fixtures/lead-event/vendor-sample.json"
        ))
        .unwrap()
    }

    fn labelled(content_type: &str) -> Options {
        Options {
            content_type: Some(content_type.to_owned()),
            ..Options::default()
        }
    }

    #[test]
    fn json_labelled_form_encoded_is_read_as_json_with_a_warning() {
        let body = lead_event();
        for ct in [FORM, "Application/X-WWW-Form-URLEncoded; charset=UTF-8"] {
            let opts = labelled(ct);
            for text in [body.clone(), format!("\r\n {body}")] {
                let report = crate::validate(text.as_bytes(), &opts);
                assert!(report.ok(), "{ct}: {}", report.to_json());
                assert_eq!(report.kind, Some(Kind::LeadEvent));
                let first = &report.warnings[0];
                assert_eq!(
                    (first.code, first.path.as_str()),
                    (Code::InputContentType, "")
                );
                assert_eq!(
                    first.message,
                    "the body is JSON but its Content-Type is application/x-www-form-urlencoded \
                     (curl's -d sends that); read as JSON"
                );
                let parsed = crate::parse(text.as_bytes(), &opts).unwrap();
                assert_eq!(parsed.warnings, report.warnings);
                assert_eq!(
                    parsed.data.get("event").and_then(|v| v.as_str()),
                    Some("lead.create")
                );
            }
        }
    }

    #[test]
    fn a_lead_event_sent_as_curl_d_keeps_its_secret() {
        let body = lead_event();
        let opts = labelled(FORM);
        let secret = "wh_a46f35f22d9723a";
        assert!(body.contains(secret));
        let flat = crate::flatten(body.as_bytes(), &opts).unwrap().to_json();
        assert!(flat.contains("lead.create"), "{flat}");
        let rows = crate::rows(body.as_bytes(), &opts).unwrap();
        let csv = crate::to_csv(body.as_bytes(), &opts).unwrap();
        for out in [flat, rows.iter().map(crate::Flat::to_json).collect(), csv] {
            assert!(!out.contains(secret), "{out}");
        }
        assert!(crate::verify_secret(body.as_bytes(), secret, &opts));
    }

    #[test]
    fn a_form_body_labelled_form_encoded_has_no_warning() {
        let opts = Options {
            url: Some("https://x.example/h?eventType=Lead_Post_Create".to_owned()),
            ..labelled(FORM)
        };
        let report = crate::validate(b"ProspectID=abc&FirstName=Ada", &opts);
        assert!(report.ok(), "{}", report.to_json());
        assert!(
            report
                .warnings
                .iter()
                .all(|w| w.code != Code::InputContentType),
            "{}",
            report.to_json()
        );
        let unlabelled = crate::validate(lead_event().as_bytes(), &Options::default());
        assert!(unlabelled.warnings.is_empty(), "{}", unlabelled.to_json());
    }

    #[test]
    fn the_warning_keeps_max_issues() {
        let warn = || Issue::whole(Problem::NotHttpUrl);
        let truncated = |count| {
            Issue::whole(Problem::Truncated {
                count,
                limit: 2,
                errors: false,
            })
        };
        let opts = Options {
            max_issues: 2,
            ..labelled(FORM)
        };
        let report = |warnings| Report {
            kind: None,
            errors: Vec::new(),
            warnings,
        };
        let codes = |r: &Report| r.warnings.iter().map(|w| w.code).collect::<Vec<_>>();
        let one = super::labelled("{}", &opts, report(vec![warn()]));
        assert_eq!(codes(&one), [Code::InputContentType, Code::FieldFormat]);
        // A full list is left as it is.
        let full = super::labelled("{}", &opts, report(vec![warn(), warn()]));
        assert_eq!(codes(&full), [Code::FieldFormat, Code::FieldFormat]);
        let over = super::labelled("{}", &opts, report(vec![warn(), warn(), truncated(7)]));
        assert_eq!(over.warnings[2], truncated(7));
    }

    #[test]
    fn the_first_byte_says_what_the_whole_check_says() {
        let bodies = [
            "{}",
            "[1]",
            "{a=1",
            "[x=y]",
            " {}",
            "a=1&b=2",
            "",
            "=",
            "{\"a\":\"b=c\"}",
        ];
        let types = [
            None,
            Some("application/json"),
            Some("application/x-www-form-urlencoded"),
            Some("text/plain"),
        ];
        for body in bodies {
            for ct in types {
                assert_eq!(
                    super::is_form(body, ct),
                    super::by_type_or_look(body, ct),
                    "{body:?} {ct:?}"
                );
            }
        }
    }
}
