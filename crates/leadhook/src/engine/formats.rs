//! String formats that payload fields must follow: dates and absolute http(s) URLs.
//!
//! Hand-written rather than a date or URL crate: each check is a small grammar, and the crates
//! that parse these in full (chrono, url with its IDNA tables) would cost more of the `.wasm`
//! than the whole validator.

use crate::base::json::{bytes_equal, word_at, HI, LO};

/// An ISO-8601 / RFC 3339 date or date-time, as Leadsie and lead events send them:
/// `2026-01-22`, `2026-01-22T15:41:36Z`, `2026-01-22T15:41:36.080Z`, `…+02:00`. The zone may
/// be absent (a local time), and a space may stand for the `T`, as RFC 3339 allows.
pub fn is_iso8601(s: &str) -> bool {
    let b = s.as_bytes();
    let Some(rest) = date(b) else { return false };
    if rest.is_empty() {
        return true;
    }
    let Some((&sep, rest)) = rest.split_first() else {
        return false;
    };
    if !matches!(sep, b'T' | b't' | b' ') {
        return false;
    }
    let Some(rest) = time(rest, true) else {
        return false;
    };
    match rest {
        [] | [b'Z' | b'z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] | [b'+' | b'-', h1, h2, m1, m2] => {
            two(*h1, *h2).is_some_and(|h| h <= 23) && two(*m1, *m2).is_some_and(|m| m <= 59)
        }
        [b'+' | b'-', h1, h2] => two(*h1, *h2).is_some_and(|h| h <= 23),
        _ => false,
    }
}

/// LeadSquared's `YYYY-MM-DD HH:MM:SS`, UTC with no zone marker, optionally with a fraction of
/// a second (`.fff`; up to seven digits, as .NET writes them).
pub fn is_leadsquared_datetime(s: &str) -> bool {
    let b = s.as_bytes();
    match date(b) {
        Some([b' ', rest @ ..]) => time(rest, false).is_some_and(<[u8]>::is_empty),
        _ => false,
    }
}

/// An absolute `http:` or `https:` URL with a host.
pub fn is_http_url(s: &str) -> bool {
    let b = s.as_bytes();
    let scheme_is = |scheme: &[u8]| {
        b.get(..scheme.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(scheme))
    };
    let rest = if scheme_is(b"https://") {
        b.get(8..)
    } else if scheme_is(b"http://") {
        b.get(7..)
    } else {
        None
    };
    let Some(rest) = rest else { return false };
    if has_unsafe_byte(b) {
        return false;
    }
    // One pass over the authority: where it ends, its last `@` (user info comes before it),
    // the last `:` after that, and whether every byte after the `@` may be in a host.
    let mut end = rest.len();
    let mut at = None;
    let mut colon = None;
    let mut host_bytes = true;
    for (i, &c) in rest.iter().enumerate() {
        match c {
            b'/' | b'?' | b'#' => {
                end = i;
                break;
            }
            b'@' => {
                at = Some(i);
                colon = None;
                host_bytes = true;
            }
            _ => {
                if c == b':' {
                    colon = Some(i);
                }
                host_bytes &= url_byte(c) & HOST != 0;
            }
        }
    }
    let start = at.map_or(0, |i| i + 1);
    let host_port = rest.get(start..end).unwrap_or_default();
    if let Some(inner) = host_port.strip_prefix(b"[") {
        return is_ip6_authority(inner);
    }
    // `:` is a host byte, so the port's bytes were checked too: a valid port is digits.
    let (host, port) = match colon {
        Some(c) => (rest.get(start..c).unwrap_or_default(), rest.get(c + 1..end)),
        None => (host_port, None),
    };
    host_bytes && !host.is_empty() && host.first() != Some(&b'.') && is_port(port)
}

/// `inner` of `[inner`: an IPv6 address, `]`, and a port or none.
fn is_ip6_authority(inner: &[u8]) -> bool {
    let Some(close) = inner.iter().position(|&c| c == b']') else {
        return false;
    };
    let (ip6, after) = (
        inner.get(..close).unwrap_or_default(),
        inner.get(close + 1..).unwrap_or_default(),
    );
    let port = match after {
        [] => None,
        [b':', port @ ..] => Some(port),
        _ => return false,
    };
    !ip6.is_empty()
        && ip6.first() != Some(&b'.')
        && ip6
            .iter()
            .all(|c| c.is_ascii_hexdigit() || matches!(c, b':' | b'.'))
        && is_port(port)
}

/// A URL's port, if any: empty, or up to 65535.
fn is_port(port: Option<&[u8]>) -> bool {
    match port {
        None | Some([]) => true,
        Some(p) => {
            p.len() <= 5
                && p.iter().all(u8::is_ascii_digit)
                && p.iter().fold(0u32, |n, &d| n * 10 + u32::from(d - b'0')) <= 65535
        }
    }
}

/// Whether `b` holds a byte no URL holds unescaped (see [`URL_BYTES`]). Eight plain bytes at a
/// time: a URL is almost always ASCII with none of them.
fn has_unsafe_byte(b: &[u8]) -> bool {
    let mut i = 0;
    while let Some(v) = word_at(b, i) {
        // Bytes below 0x21 (as in `json::find_special`), non-ASCII bytes, and the six others.
        // `<` and `>` differ in one bit: with it set, both are `>`.
        let found = (v.wrapping_sub(LO * 0x21) & !v & HI)
            | (v & HI)
            | bytes_equal(v, 0x7f)
            | bytes_equal(v, b'\\')
            | bytes_equal(v | (LO * 0x02), b'>')
            | bytes_equal(v, b'"')
            | bytes_equal(v, b'`');
        if found != 0 {
            break;
        }
        i += 8;
    }
    let unsafe_at = |i: usize, c: u8| match url_byte(c) & (UNSAFE | C2) {
        UNSAFE => true,
        // U+0080 to U+00A0 (C1 controls and the no-break space) are 0xC2 0x80 to 0xC2 0xA0.
        C2 => matches!(b.get(i + 1), Some(0x80..=0xa0)),
        _ => false,
    };
    b.iter().enumerate().skip(i).any(|(i, &c)| unsafe_at(i, c))
}

const UNSAFE: u8 = 1;
const C2: u8 = 2;
const HOST: u8 = 4;

fn url_byte(c: u8) -> u8 {
    URL_BYTES.get(usize::from(c)).copied().unwrap_or(0)
}

/// What each byte is in a URL, a bit each: [`UNSAFE`] (a control, a space, or one of `\<>"` and
/// a backtick, which no URL holds unescaped), [`C2`] (may start a C1 control), [`HOST`] (may be
/// in a host: a letter, a digit, one of `-._~%:`, or any byte of a non-ASCII character, so
/// that IDN hosts are let through).
// Evaluated by the compiler: an index out of bounds would fail the build, not panic.
#[allow(clippy::indexing_slicing)]
static URL_BYTES: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b: u8 = 0;
    loop {
        let c = b as usize;
        if b <= 0x20 || matches!(b, 0x7f | b'\\' | b'<' | b'>' | b'"' | b'`') {
            table[c] = UNSAFE;
        }
        if b.is_ascii_alphanumeric()
            || b >= 0x80
            || matches!(b, b'-' | b'.' | b'_' | b'~' | b'%' | b':')
        {
            table[c] |= HOST;
        }
        if b == u8::MAX {
            break;
        }
        b += 1;
    }
    table[0xc2] |= C2;
    table
};

fn digit(b: u8) -> Option<u32> {
    b.is_ascii_digit().then(|| u32::from(b - b'0'))
}

fn two(a: u8, b: u8) -> Option<u32> {
    Some(digit(a)? * 10 + digit(b)?)
}

/// `YYYY-MM-DD` with a real day of that month; returns what follows.
fn date(b: &[u8]) -> Option<&[u8]> {
    let [y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2, rest @ ..] = b else {
        return None;
    };
    let year = two(*y1, *y2)? * 100 + two(*y3, *y4)?;
    let month = two(*m1, *m2)?;
    let day = two(*d1, *d2)?;
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (1..=days).contains(&day).then_some(rest)
}

/// `HH:MM[:SS[.f…]]` (seconds required unless `seconds_optional`); returns what follows.
fn time(b: &[u8], seconds_optional: bool) -> Option<&[u8]> {
    let [h1, h2, b':', m1, m2, rest @ ..] = b else {
        return None;
    };
    if two(*h1, *h2)? > 23 || two(*m1, *m2)? > 59 {
        return None;
    }
    let rest = match rest {
        [b':', s1, s2, rest @ ..] => {
            // 60 allows a leap second.
            if two(*s1, *s2)? > 60 {
                return None;
            }
            rest
        }
        _ if seconds_optional => return Some(rest),
        _ => return None,
    };
    match rest {
        [b'.', frac @ ..] => {
            let n = frac.iter().take_while(|b| b.is_ascii_digit()).count();
            frac.get(n..).filter(|_| (1..=9).contains(&n))
        }
        _ => Some(rest),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso8601() {
        for ok in [
            "2026-01-22T15:41:36.080Z",
            "2024-03-01T10:00:00Z",
            "2024-02-29",
            "2024-03-01T10:00",
            "2024-03-01T10:00:00+05:30",
            "2024-03-01T10:00:00-0800",
            "2024-03-01 10:00:00",
        ] {
            assert!(is_iso8601(ok), "{ok}");
        }
        for bad in [
            "",
            "yesterday",
            "2023-02-29",
            "2024-13-01",
            "2024-03-01T25:00:00Z",
            "2024-03-01T10:00:00ZZ",
            "1714640127",
            "2024-3-1",
            "2024-03-01T10:00:00.Z",
        ] {
            assert!(!is_iso8601(bad), "{bad}");
        }
    }

    #[test]
    fn leadsquared_datetime() {
        assert!(is_leadsquared_datetime("2024-05-02 09:15:27"));
        assert!(is_leadsquared_datetime("2024-05-03 11:02:41.000"));
        assert!(!is_leadsquared_datetime("2024-05-02T09:15:27"));
        assert!(!is_leadsquared_datetime("2024-05-02 09:15"));
        assert!(!is_leadsquared_datetime("2024-05-02"));
        assert!(!is_leadsquared_datetime("02/05/2024 09:15:27"));
    }

    #[test]
    fn http_urls() {
        for ok in [
            "https://app.leadsie.com/connect/demo/manage",
            "http://localhost:8080/x?y=1#z",
            "HTTPS://Example.com",
            "https://user:pw@example.com/",
            "https://[::1]:443/",
            "https://bücher.example/",
        ] {
            assert!(is_http_url(ok), "{ok}");
        }
        for bad in [
            "",
            "app.leadsie.com/connect",
            "ftp://example.com",
            "https://",
            "https:///path",
            "https://exa mple.com",
            "javascript:alert(1)",
            "https://example.com:99999/",
            "https://example.com:8a/",
        ] {
            assert!(!is_http_url(bad), "{bad}");
        }
    }

    /// Every character up to U+00FF in a path and in a host, against the rules written out.
    #[test]
    fn url_bytes_are_classed_as_the_rules_say() {
        for c in (0..=0xffu8).map(char::from) {
            let unsafe_char =
                matches!(c, '\0'..=' ' | '\u{7f}'..='\u{a0}') || "\\<>\"`".contains(c);
            let in_host = c.is_ascii_alphanumeric() || !c.is_ascii() || "-._~%:".contains(c);
            assert_eq!(
                is_http_url(&format!("https://a.b/p{c}q")),
                !unsafe_char,
                "{c:?}"
            );
            if !"/?#@:[]".contains(c) {
                let ok = !unsafe_char && in_host;
                assert_eq!(is_http_url(&format!("https://a{c}b/")), ok, "{c:?}");
            }
        }
    }
}
