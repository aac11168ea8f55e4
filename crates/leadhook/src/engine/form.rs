//! `application/x-www-form-urlencoded` text, as LeadSquared posts it and as URL queries carry it.
//! Decoded as the WHATWG URL standard (and `URLSearchParams`) does: `+` is a space, `%XX` a
//! byte, a malformed `%` stays as it is, and bytes that are not UTF-8 become U+FFFD.

use std::borrow::Cow;

use crate::base::json::Value;

/// Decodes one name or value.
pub fn decode(s: &str) -> Cow<'_, str> {
    if !s.contains(['%', '+']) {
        return Cow::Borrowed(s);
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'+' => out.push(b' '),
            b'%' => match (
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            ) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    match String::from_utf8(out) {
        Ok(s) => Cow::Owned(s),
        Err(e) => Cow::Owned(String::from_utf8_lossy(e.as_bytes()).into_owned()),
    }
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// The name/value pairs of form-encoded text, in order; empty pieces between `&`s are skipped.
pub fn pairs(text: &str) -> impl Iterator<Item = (Cow<'_, str>, Cow<'_, str>)> {
    text.split('&').filter(|p| !p.is_empty()).map(|p| {
        let (k, v) = p.split_once('=').unwrap_or((p, ""));
        (decode(k), decode(v))
    })
}

/// A form body as an object of strings, repeated names kept (the validator reports them).
pub fn to_value(text: &str) -> Value<'_> {
    let text = text.trim_matches(|c: char| c.is_ascii_whitespace());
    Value::Object(pairs(text).map(|(k, v)| (k, Value::String(v))).collect())
}

/// A form body written out as a JSON object of strings, repeated names kept: what the walker
/// reads, with no tree in between.
pub fn to_json(text: &str) -> String {
    let text = text.trim_matches(|c: char| c.is_ascii_whitespace());
    let mut out = String::with_capacity(text.len() + text.len() / 4 + 2);
    out.push('{');
    for (i, (k, v)) in pairs(text).enumerate() {
        if i > 0 {
            out.push(',');
        }
        crate::base::json::write_string(&mut out, &k);
        out.push(':');
        crate::base::json::write_string(&mut out, &v);
    }
    out.push('}');
    out
}

/// Whether a body with no usable content type looks form-encoded rather than JSON:
/// it does not open like a JSON value, and its first pair has a `=`.
pub fn looks_form_encoded(text: &str) -> bool {
    let t = text.trim_start();
    let Some(first) = t.bytes().next() else {
        return false;
    };
    if matches!(first, b'{' | b'[' | b'"' | b'-' | b'0'..=b'9')
        || matches!(t.trim_end(), "true" | "false" | "null")
    {
        return false;
    }
    let first_pair = t.split('&').next().unwrap_or("");
    match first_pair.split_once('=') {
        Some((name, _)) => !name.is_empty() && !name.contains(|c: char| c.is_ascii_whitespace()),
        None => false,
    }
}

/// The value of the first query parameter `name` in a URL (or in a bare query string).
pub fn query_param<'u>(url: &'u str, name: &str) -> Option<Cow<'u, str>> {
    let query = match url.split_once('?') {
        Some((_, q)) => q,
        None if url.contains('=') && !crate::base::text::contains(url, "://") => url,
        None => return None,
    };
    let query = query.split('#').next().unwrap_or("");
    pairs(query).find(|(k, _)| k == name).map(|(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_like_urlsearchparams() {
        assert_eq!(decode("a+b%20c"), "a b c");
        assert_eq!(decode("100%"), "100%");
        assert_eq!(decode("%zz"), "%zz");
        assert_eq!(decode("%C3%A9"), "é");
        assert_eq!(decode("%FF"), "\u{fffd}");
    }

    #[test]
    fn sniffs_form_bodies() {
        assert!(looks_form_encoded("ProspectID=abc&FirstName=Sachin"));
        assert!(!looks_form_encoded("{\"a\":1}"));
        assert!(!looks_form_encoded("  [1]"));
        assert!(!looks_form_encoded("hello world"));
        assert!(!looks_form_encoded(""));
    }

    #[test]
    fn reads_query_parameters() {
        let url = "https://x.example/hook?entityType=webhook&eventType=Lead_Post_Create#f";
        assert_eq!(
            query_param(url, "eventType").as_deref(),
            Some("Lead_Post_Create")
        );
        assert_eq!(query_param(url, "entityId"), None);
        assert_eq!(
            query_param("eventType=A_B", "eventType").as_deref(),
            Some("A_B")
        );
    }
}
