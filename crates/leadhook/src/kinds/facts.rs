//! What detection needs to know of a body — a few top-level members, the shape of Leadsie
//! assets, LeadSquared markers — noted as the walker passes them ([`Facts`], its
//! [`Observer`]), and read by each kind's rule in [`crate::kinds::KINDS`]. Where a key repeats,
//! the last one wins, as in `JSON.parse`.

use std::borrow::Cow;

use crate::base::issue::Step;
use crate::base::json::{find_byte, number_above, number_equals, Lexer};
use crate::engine::walker::Observer;
use crate::kinds::leadsquared;

/// A top-level `apiVersion`, as Leadsie detection reads it.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub enum ApiVersion {
    #[default]
    Absent,
    /// The number 2 (`2`, `2.0`, `2e0`: `apiVersion === 2`).
    Two,
    /// A number above 2: a version newer than leadhook knows.
    Newer,
    /// The string `"2"`.
    TwoAsString,
    /// Anything else.
    Other,
}

#[derive(Debug, Default)]
#[allow(clippy::struct_excessive_bools)] // independent observations, not a state machine
pub struct Facts<'a> {
    /// Whether the kind is to be detected: with the kind given, only the top-level `event` is
    /// of use (it may choose the kind's schema, see `kinds/plan.rs`).
    pub detecting: bool,
    /// The body is an object.
    pub object: bool,
    /// The body is an array.
    pub array: bool,
    pub connection_assets: bool,
    pub request_url: bool,
    pub status: bool,
    pub id_space: bool,
    /// A top-level `secret` and a `payload` of any type: a legacy lead event, even when its
    /// payload is not an object (a `lead.delete`'s may be the lead's id).
    pub secret: bool,
    pub payload: bool,
    pub api_version: ApiVersion,
    /// Some Leadsie asset has `connectionStatus`.
    pub asset_connection_status: bool,
    /// Some Leadsie asset has `isSuccess`.
    pub asset_is_success: bool,
    /// The top-level `event`, when it is a string.
    pub event: Option<Cow<'a, str>>,
    pub payload_object: bool,
    /// `eventId` and `workspaceId` are strings, `data` an object (a signed lead event).
    pub event_id: bool,
    pub workspace_id: bool,
    pub data_object: bool,
    /// The top-level `eventType` is a LeadSquared event code (Zapier merges the hook URL's
    /// query into the body).
    pub event_type_code: bool,
    /// The object, or an item of the array, looks like a LeadSquared record.
    pub record: bool,
    /// An item of the array is not an object.
    pub other_item: bool,
    /// How many items of the array the walk passed.
    pub items: usize,
}

impl<'a> Observer<'a> for Facts<'a> {
    fn start(&mut self, first: Option<u8>) {
        self.object = first == Some(b'{');
        self.array = first == Some(b'[');
    }

    fn member(&mut self, path: &[Step<'a>], key: &str, lx: &Lexer<'a>) {
        match path {
            [] if self.detecting => self.top_member(key, lx),
            [] if key == "event" => self.event(lx),
            [Step::Key(assets), _] if self.detecting && assets == "connectionAssets" => {
                self.asset_member(key);
            }
            _ => {}
        }
    }

    fn item(&mut self, lx: &Lexer<'a>) {
        self.items += 1;
        if lx.peek() != Some(b'{') {
            self.other_item = true;
        } else if !self.record {
            self.record = looks_like_record(&mut lx.clone(), 2) == Some(true);
        }
    }
}

impl<'a> Facts<'a> {
    /// Facts to be noted by a walk: all of them when `detecting`, else only what chooses a
    /// schema.
    pub fn new(detecting: bool) -> Facts<'a> {
        Facts {
            detecting,
            ..Facts::default()
        }
    }

    /// A guess at the facts from the start of the body: the top-level members before the first
    /// whose value is an array or object, or the first item of an array. Never fails.
    pub fn guess(text: &'a str, max_depth: usize) -> Facts<'a> {
        let mut lx = Lexer::new(text, max_depth);
        let mut facts = Facts::new(true);
        lx.skip_ws();
        match lx.peek() {
            Some(b'{') => {
                facts.object = true;
                facts.members_before_nesting(&mut lx);
            }
            Some(b'[') => {
                facts.array = true;
                lx.pos += 1;
                lx.skip_ws();
                if lx.peek() != Some(b']') {
                    Observer::item(&mut facts, &lx);
                }
            }
            _ => {}
        }
        facts
    }

    /// For a kind given in advance whose schema a member chooses: a guess at that member's
    /// string, and where its key's quote is. The key is looked for first at `hint` (where the
    /// last body had it: one sender's bodies are laid out alike), then as the first
    /// `"key": "…"` anywhere in the body whose value has no escape. Far cheaper than
    /// [`Facts::guess`] (a search, not a read), and as safe: a guess that a nested member of
    /// the same name, or an escaped value, makes wrong costs a second walk, never a wrong
    /// answer, since the walk notes the real member.
    pub fn guess_member(text: &'a str, key: &str, hint: usize) -> (Option<&'a str>, usize) {
        let bytes = text.as_bytes();
        let key = key.as_bytes();
        // Past the key's closing quote at `close`, the lexer reads the colon and the value (a
        // string, and nothing nested): `None` when no colon follows, as after a string value.
        let mut lx = Lexer::new(text, 0);
        let mut value_after = |close: usize| {
            lx.pos = close + 1;
            lx.skip_ws();
            if lx.peek() != Some(b':') {
                return None;
            }
            lx.pos += 1;
            lx.skip_ws();
            if lx.peek() != Some(b'"') {
                return Some(None);
            }
            Some(match lx.string() {
                Ok(Cow::Borrowed(value)) => Some(value),
                _ => None,
            })
        };
        let close = hint.saturating_add(1 + key.len());
        let at_hint = bytes.get(hint) == Some(&b'"')
            && bytes.get(hint + 1..close) == Some(key)
            && bytes.get(close) == Some(&b'"');
        if let Some(value) = at_hint.then(|| value_after(close)).flatten() {
            return (value, hint);
        }
        // From quote to quote, eight bytes at a time (`str::find`'s searcher costs more to set
        // up than a small body takes to read), looking for `key` between two of them. Escapes
        // are not followed: what one hides makes at worst a wrong guess.
        let mut opened = usize::MAX;
        let mut at = find_byte(bytes, 0, b'"');
        while at < bytes.len() {
            if at.wrapping_sub(opened) == key.len() && bytes.get(opened..at) == Some(key) {
                if let Some(value) = value_after(at) {
                    return (value, opened - 1);
                }
            }
            opened = at + 1;
            at = find_byte(bytes, opened, b'"');
        }
        (None, usize::MAX)
    }

    /// Notes the members of the object at `lx.pos` up to the first whose value nests.
    fn members_before_nesting(&mut self, lx: &mut Lexer<'a>) -> Option<()> {
        lx.pos += 1;
        lx.skip_ws();
        if lx.peek() == Some(b'}') {
            return Some(());
        }
        loop {
            lx.skip_ws();
            let key = lx.member_key()?;
            self.top_member(&key, lx);
            if let Some(b'{' | b'[') = lx.peek() {
                return Some(());
            }
            lx.skip_value()?;
            lx.skip_ws();
            match lx.peek()? {
                b',' => lx.pos += 1,
                _ => return Some(()),
            }
        }
    }

    /// Notes a member of the top-level object: its key, and its value at `lx.pos` (which it
    /// reads with a copy of the lexer, leaving `lx` where it is).
    fn top_member(&mut self, key: &str, lx: &Lexer<'a>) {
        let first = lx.peek();
        if is_marker(key) {
            self.record = true;
        }
        match key {
            "connectionAssets" => self.connection_assets = true,
            "requestUrl" => self.request_url = true,
            "status" => self.status = true,
            "id_space" => self.id_space = true,
            "secret" => self.secret = true,
            "payload" => {
                self.payload = true;
                self.payload_object = first == Some(b'{');
            }
            "eventId" => self.event_id = first == Some(b'"'),
            "workspaceId" => self.workspace_id = first == Some(b'"'),
            "data" => self.data_object = first == Some(b'{'),
            "apiVersion" => self.api_version = api_version(lx),
            "event" => self.event(lx),
            "eventType" => {
                self.event_type_code = first == Some(b'"')
                    && lx
                        .clone()
                        .string()
                        .is_ok_and(|code| leadsquared::is_event_code(&code));
            }
            "Before" | "After" if !self.record && first == Some(b'{') => {
                self.record = looks_like_record(&mut lx.clone(), 2) == Some(true);
            }
            _ => {}
        }
    }

    /// Notes the top-level `event`, whose value is at `lx.pos` (not moved).
    fn event(&mut self, lx: &Lexer<'a>) {
        self.event = match lx.peek() {
            Some(b'"') => lx.clone().string().ok(),
            _ => None,
        };
    }

    /// Notes a member of an object in the top-level `connectionAssets`.
    fn asset_member(&mut self, key: &str) {
        match key {
            "connectionStatus" => self.asset_connection_status = true,
            "isSuccess" => self.asset_is_success = true,
            _ => {}
        }
    }

    /// An object with `connectionAssets`, or with both `requestUrl` and `status`.
    pub fn is_leadsie(&self) -> bool {
        self.object && (self.connection_assets || (self.request_url && self.status))
    }

    /// Whether a Leadsie body reads as v2: `apiVersion === 2`; or a newer number, or the string
    /// `"2"`; or no `apiVersion` and assets of v2's shape (some `connectionStatus`, no `isSuccess`).
    pub fn is_leadsie_v2(&self) -> bool {
        match self.api_version {
            ApiVersion::Two | ApiVersion::Newer | ApiVersion::TwoAsString => true,
            ApiVersion::Absent => self.asset_connection_status && !self.asset_is_success,
            ApiVersion::Other => false,
        }
    }

    /// An object, or a non-empty array of objects, that carries LeadSquared keys.
    pub fn holds_records(&self) -> bool {
        // An array's `record` comes from one of its items, so it has some.
        self.record && (self.object || (self.array && !self.other_item))
    }
}

fn api_version(lx: &Lexer) -> ApiVersion {
    match lx.peek() {
        Some(b'-' | b'0'..=b'9') => match lx.clone().number() {
            Ok(n) if number_equals(n, 2) => ApiVersion::Two,
            Ok(n) if number_above(n, 2) => ApiVersion::Newer,
            _ => ApiVersion::Other,
        },
        Some(b'"') if lx.clone().string().is_ok_and(|s| s == "2") => ApiVersion::TwoAsString,
        _ => ApiVersion::Other,
    }
}

/// A key that marks an object as a LeadSquared record.
fn is_marker(key: &str) -> bool {
    key.starts_with("mx_") || leadsquared::MARKER_KEYS.contains(&key)
}

/// Whether the object at `lx.pos`, at nesting `depth`, looks like a LeadSquared record, as
/// [`leadsquared::looks_like_record`] decides: it stops at the first sign. `None` when the text
/// is plainly not JSON (the walk refuses it too).
fn looks_like_record(lx: &mut Lexer, depth: usize) -> Option<bool> {
    if depth > lx.max_depth {
        return None;
    }
    lx.pos += 1;
    lx.skip_ws();
    if lx.peek() == Some(b'}') {
        lx.pos += 1;
        return Some(false);
    }
    loop {
        lx.skip_ws();
        let key = lx.member_key()?;
        if is_marker(&key) {
            return Some(true);
        }
        if lx.peek() == Some(b'{') && matches!(key.as_ref(), "Before" | "After") {
            if looks_like_record(lx, depth + 1)? {
                return Some(true);
            }
        } else {
            lx.skip_value()?;
        }
        lx.skip_ws();
        match lx.peek()? {
            b',' => lx.pos += 1,
            b'}' => {
                lx.pos += 1;
                return Some(false);
            }
            _ => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_member_is_guessed_from_its_first_plain_occurrence() {
        let guess = |text| Facts::guess_member(text, "event", usize::MAX).0;
        assert_eq!(guess(r#"{"id":1, "event" : "a.b","data":{}}"#), Some("a.b"));
        // As printed with an indent: a newline, then a key's quote where no string opened.
        assert_eq!(
            guess("{\n  \"eventId\": 1,\n\t\"event\": \"a\"\n}"),
            Some("a")
        );
        // A string "event" is not a key; a nested key may come first (then the guess is wrong).
        assert_eq!(guess(r#"{"x":"event","event":"a"}"#), Some("a"));
        assert_eq!(guess(r#"{"data":{"event":"n"},"event":"a"}"#), Some("n"));
        assert_eq!(guess(r#"{"events":"x","event":"a"}"#), Some("a"));
        assert_eq!(guess(r#"{"event":"a\u002eb"}"#), None);
        assert_eq!(guess(r#"{"event":null}"#), None);
        assert_eq!(guess(r#"{"event":"unclosed"#), None);
        assert_eq!(guess(r#"event":"a""#), None);
        assert_eq!(guess(""), None);
        // Where the key was found, and first there next time, even past an earlier one.
        let text = r#"{"data":{"event":"n"},"event":"a"}"#;
        assert_eq!(
            Facts::guess_member(text, "event", usize::MAX),
            (Some("n"), 9)
        );
        assert_eq!(Facts::guess_member(text, "event", 22), (Some("a"), 22));
        for wrong in [0, 8, 10, 23, text.len(), usize::MAX - 1] {
            assert_eq!(
                Facts::guess_member(text, "event", wrong),
                (Some("n"), 9),
                "{wrong}"
            );
        }
    }

    #[test]
    fn skipping_finds_the_end_of_a_value() {
        let text = r#"{"a":[1,{"b":"}\"]"},[]],"c":"\\"} tail"#;
        let mut lx = Lexer::new(text, 64);
        lx.skip_value();
        assert_eq!(&text[lx.pos..], " tail");
    }
}
