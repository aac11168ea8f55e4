//! Validation of a JSON body in one pass over its bytes, without building a tree.
//!
//! A `Walker` reads every token with the tree reader's own `Lexer` and checks each value,
//! as it passes, against the same static field tables as [`crate::schema::Checker`]: one set
//! of tables, two walkers. It reports what the tree-based check reports, in the same order.
//! Where that needs what comes later in an object — its missing required fields, reported
//! before its members — the walker notes where the object's issues start and inserts them there
//! when the object closes. Repeated keys are found as the keys arrive: a field of the object's
//! schema by a bit per field, any other key by comparing it with the object's earlier other keys
//! (up to 16 of them; past that, in an ordered set), so a hostile object stays at n log n.
//! Objects of one schema mostly list their keys in one order, so each key is first compared, as
//! raw bytes, with the field that came at its place in the last such object (`Shape`).
//!
//! The kind (and, for a lead event, whether its payload is a lead) decides how the top level is
//! checked, and it depends on keys that may come last. So the walk starts from a guess: the
//! kind given, or what the top-level members before the first array or object say. As it goes,
//! the walk notes what detection needs (`Facts`: the top-level keys, the last `apiVersion`
//! and `event`, LeadSquared markers, down `Before`/`After`); if they decide otherwise than the
//! guess, the body is walked once more, as what it is. Real payloads put their scalar fields
//! first, so the guess is right and the body is read once.
//!
//! A body that is not valid JSON (or nests deeper than `maxDepth`) gets `None`: the caller then
//! reads it with the tree reader, which says what is wrong and where, exactly as before. Both
//! readers accept the same texts (they share the lexer), so this costs nothing on good bodies.

use std::borrow::Cow;
use std::collections::btree_map::{BTreeMap, Entry};

use crate::form::query_param;
use crate::formats;
use crate::input::DEPTH_CEILING;
use crate::issue::{pointer, Code, Issue, Step};
use crate::json::{bytes_eq, find_special, find_structural, number_equals, Lexer, ReadError};
use crate::kinds::{lead_event, leadsie_v1, leadsie_v2, leadsquared};
use crate::schema::{is_numeric_string, Field, ObjectSchema, Others, Type};
use crate::{Kind, Options, Report};

/// The message of `kind.unknown` when no kind was detected and none given.
pub const KIND_UNKNOWN: &str =
    "not a Leadsie, LeadSquared or lead-event payload; pass `kind` to read it as one";

/// Up to this many of an object's other keys are compared one by one; past it they go in a set.
const LINEAR_KEYS: usize = 16;

static RECORD: Type = Type::Object(&leadsquared::RECORD);

/// The report of a JSON body (`text`: within `max_bytes`, UTF-8, not a form), or `None` when it
/// is not valid JSON within `max_depth` — the tree reader then says what is wrong.
pub fn validate(text: &str, opts: &Options) -> Option<Report> {
    let max_depth = opts.max_depth.min(DEPTH_CEILING);
    let guess = match opts.kind {
        Some(Kind::LeadEvent) | None => Plan::of(opts, &Facts::guess(text, max_depth)),
        kind => Plan { kind, lead: false },
    };
    let (report, facts) = walk(text, max_depth, opts.strict, guess)?;
    let plan = Plan::of(opts, &facts);
    if plan == guess {
        return Some(report);
    }
    walk(text, max_depth, opts.strict, plan).map(|(report, _)| report)
}

/// The kind of a JSON body (`text`: within `max_bytes`, UTF-8, not a form): `Some(None)` when it
/// is readable but of no known kind, `None` when it is not valid JSON within `max_depth`.
pub fn detect(text: &str, opts: &Options) -> Option<Option<Kind>> {
    let max_depth = opts.max_depth.min(DEPTH_CEILING);
    let mut w = Walker::new(text, max_depth, false);
    w.dups = false;
    w.start();
    w.scan().and_then(|()| w.lx.end()).ok()?;
    Some(Plan::of(opts, &w.facts).kind)
}

/// How a walk checks a body: as which kind, and, for a lead event, whether the payload is a lead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Plan {
    kind: Option<Kind>,
    lead: bool,
}

impl Plan {
    fn of(opts: &Options, facts: &Facts) -> Plan {
        let kind = opts.kind.or_else(|| facts.kind(opts.url.as_deref()));
        let lead = kind == Some(Kind::LeadEvent)
            && facts
                .event
                .as_deref()
                .is_some_and(|e| lead_event::LEAD_PAYLOAD_EVENTS.contains(&e));
        Plan { kind, lead }
    }
}

/// Walks the body as `plan` says: its report, and the facts detection needs.
fn walk<'a>(
    text: &'a str,
    max_depth: usize,
    strict: bool,
    plan: Plan,
) -> Option<(Report, Facts<'a>)> {
    let mut w = Walker::new(text, max_depth, strict);
    w.start();
    let walked = match plan.kind {
        None => {
            w.errors
                .push(Issue::new(Code::KindUnknown, "", KIND_UNKNOWN));
            // Repeated keys are wrong whatever the kind, and may be why none was recognised.
            w.scan()
        }
        Some(Kind::LeadsieV1) => w.check(&Type::Object(&leadsie_v1::REQUEST)),
        Some(Kind::LeadsieV2) => w.check(&Type::Object(&leadsie_v2::REQUEST)),
        Some(Kind::LeadSquared) => {
            if w.lx.peek() == Some(b'[') {
                w.array(&RECORD)
            } else {
                w.check(&RECORD)
            }
        }
        Some(Kind::LeadEvent) if plan.lead => w.check(&Type::Object(&lead_event::LEAD_ENVELOPE)),
        Some(Kind::LeadEvent) => w.check(&Type::Object(&lead_event::ENVELOPE)),
    };
    walked.and_then(|()| w.lx.end()).ok()?;
    let report = Report {
        kind: plan.kind,
        errors: w.errors,
        warnings: w.warnings,
    };
    Some((report, w.facts))
}

/// What detection needs to know of a body, as [`crate::detect::kind`] reads it from the tree:
/// the top-level keys, a few top-level values, and whether the body holds LeadSquared records.
/// Where a key repeats, the last one wins, as in `JSON.parse`.
#[derive(Debug, Default)]
struct Facts<'a> {
    /// The body is an object.
    object: bool,
    /// The body is an array.
    array: bool,
    connection_assets: bool,
    request_url: bool,
    status: bool,
    id_space: bool,
    /// `apiVersion === 2`.
    api_v2: bool,
    /// `event`, when it is a string.
    event: Option<Cow<'a, str>>,
    payload_object: bool,
    /// The object, or an item of the array, looks like a LeadSquared record.
    record: bool,
    /// An item of the array is not an object.
    other_item: bool,
}

impl<'a> Facts<'a> {
    /// A guess at the facts from the start of the body: the top-level members before the first
    /// whose value is an array or object, or the first item of an array. Never fails.
    fn guess(text: &'a str, max_depth: usize) -> Facts<'a> {
        let mut lx = Lexer::new(text, max_depth);
        let mut facts = Facts::default();
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
                    facts.item(&lx);
                }
            }
            _ => {}
        }
        facts
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
            let key = member_key(lx)?;
            self.member(&key, lx);
            if let Some(b'{' | b'[') = lx.peek() {
                return Some(());
            }
            skip_value(lx)?;
            lx.skip_ws();
            match lx.peek()? {
                b',' => lx.pos += 1,
                _ => return Some(()),
            }
        }
    }

    /// Notes a member of the top-level object: its key, and its value at `lx.pos` (which it
    /// reads with a copy of the lexer, leaving `lx` where it is).
    fn member(&mut self, key: &str, lx: &Lexer<'a>) {
        let first = lx.peek();
        if is_marker(key) {
            self.record = true;
        }
        match key {
            "connectionAssets" => self.connection_assets = true,
            "requestUrl" => self.request_url = true,
            "status" => self.status = true,
            "id_space" => self.id_space = true,
            "payload" => self.payload_object = first == Some(b'{'),
            "apiVersion" => {
                self.api_v2 = matches!(first, Some(b'-' | b'0'..=b'9'))
                    && lx.clone().number().is_ok_and(|n| number_equals(n, 2));
            }
            "event" => {
                self.event = match first {
                    Some(b'"') => lx.clone().string().ok(),
                    _ => None,
                };
            }
            "Before" | "After" if !self.record && first == Some(b'{') => {
                self.record = looks_like_record(&mut lx.clone(), 2) == Some(true);
            }
            _ => {}
        }
    }

    /// Notes an item of the top-level array, at `lx.pos` (not moved).
    fn item(&mut self, lx: &Lexer<'a>) {
        if lx.peek() != Some(b'{') {
            self.other_item = true;
        } else if !self.record {
            self.record = looks_like_record(&mut lx.clone(), 2) == Some(true);
        }
    }

    /// The kind, decided as [`crate::detect::kind`] decides it on the tree.
    fn kind(&self, url: Option<&str>) -> Option<Kind> {
        if self.object {
            if self.connection_assets || (self.request_url && self.status) {
                return Some(if self.api_v2 {
                    Kind::LeadsieV2
                } else {
                    Kind::LeadsieV1
                });
            }
            if self.event.is_some() && self.payload_object && self.id_space {
                return Some(Kind::LeadEvent);
            }
        }
        // An array's `record` comes from one of its items, so it has some.
        let body = self.record && (self.object || (self.array && !self.other_item));
        if body || url.is_some_and(|u| query_param(u, "eventType").is_some()) {
            return Some(Kind::LeadSquared);
        }
        None
    }
}

/// A key that marks an object as a LeadSquared record, as [`leadsquared::looks_like_record`]
/// sees them.
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
        let key = member_key(lx)?;
        if is_marker(&key) {
            return Some(true);
        }
        if lx.peek() == Some(b'{') && matches!(key.as_ref(), "Before" | "After") {
            if looks_like_record(lx, depth + 1)? {
                return Some(true);
            }
        } else {
            skip_value(lx)?;
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

/// A member's key and its `:` at `lx.pos`, leaving `lx.pos` at the value.
fn member_key<'a>(lx: &mut Lexer<'a>) -> Option<Cow<'a, str>> {
    if lx.peek() != Some(b'"') {
        return None;
    }
    let key = lx.string().ok()?;
    lx.skip_ws();
    if lx.peek() != Some(b':') {
        return None;
    }
    lx.pos += 1;
    lx.skip_ws();
    Some(key)
}

/// Skips the value at `lx.pos` without checking it; `None` at the end of the text.
fn skip_value(lx: &mut Lexer) -> Option<()> {
    match lx.peek()? {
        b'"' => skip_string(lx),
        b'{' | b'[' => {
            let mut depth = 0usize;
            loop {
                lx.pos = find_structural(lx.bytes, lx.pos);
                match lx.peek()? {
                    b'"' => skip_string(lx)?,
                    b'{' | b'[' => {
                        depth += 1;
                        lx.pos += 1;
                    }
                    _ => {
                        depth = depth.saturating_sub(1);
                        lx.pos += 1;
                        if depth == 0 {
                            return Some(());
                        }
                    }
                }
            }
        }
        _ => {
            while let Some(b) = lx.peek() {
                if matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r') {
                    break;
                }
                lx.pos += 1;
            }
            Some(())
        }
    }
}

/// Skips the string at `lx.pos` (which holds `"`) without checking it.
fn skip_string(lx: &mut Lexer) -> Option<()> {
    lx.pos += 1;
    loop {
        lx.pos = find_special(lx.bytes, lx.pos);
        match lx.peek()? {
            b'"' => {
                lx.pos += 1;
                return Some(());
            }
            b'\\' => lx.pos += 2,
            _ => lx.pos += 1,
        }
    }
}

/// The keys an object has shown so far that its schema does not list (all of them, when it
/// has none): up to [`LINEAR_KEYS`] on the walker's shared stack from `start`; past that, all
/// of them in ordered sets (maps to nothing, of the types the flatteners use, to share their
/// code): those written without escapes borrowed from the body, the others owned.
struct Keys<'a> {
    start: usize,
    sets: Option<KeySets<'a>>,
}

/// An object's keys written without escapes, and the others.
type KeySets<'a> = (BTreeMap<&'a str, ()>, BTreeMap<String, usize>);

impl<'a> Keys<'a> {
    fn new(start: usize) -> Keys<'a> {
        Keys { start, sets: None }
    }
}

type Walked = Result<(), ReadError>;

/// The streaming counterpart of [`crate::schema::Checker`]: reads each value with the lexer and
/// checks it against a [`Type`] as it goes.
struct Walker<'a> {
    lx: Lexer<'a>,
    strict: bool,
    errors: Vec<Issue>,
    warnings: Vec<Issue>,
    path: Vec<Step<'a>>,
    /// The other keys of every object open (see [`Keys`]).
    keys: Vec<Cow<'a, str>>,
    /// What detection needs, noted at the top level as the walk passes it.
    facts: Facts<'a>,
    /// Whether to look for repeated keys (detection needs not).
    dups: bool,
    /// The order of the fields in the last object read of a few schemas (see [`Shape`]).
    shapes: [Shape; SHAPES],
    /// The slot of `shapes` to reuse next.
    next_shape: usize,
}

/// The fields of an object's schema it has shown so far, a bit each: in one word for the first
/// 64 fields (all of them, in every schema so far), then in a vector.
#[derive(Default)]
struct Seen {
    first: u64,
    more: Vec<u64>,
}

impl Seen {
    /// Marks field `i`: whether it already was.
    fn mark(&mut self, i: usize) -> bool {
        let bit = 1u64 << (i % 64);
        let word = match i / 64 {
            0 => &mut self.first,
            n => {
                if self.more.len() < n {
                    self.more.resize(n, 0);
                }
                match self.more.get_mut(n - 1) {
                    Some(word) => word,
                    None => return false,
                }
            }
        };
        let was = *word & bit != 0;
        *word |= bit;
        was
    }

    fn has(&self, i: usize) -> bool {
        let word = match i / 64 {
            0 => self.first,
            n => self.more.get(n - 1).copied().unwrap_or(0),
        };
        word & (1u64 << (i % 64)) != 0
    }
}

/// How many schemas' shapes a walk remembers, and how many keys of each.
const SHAPES: usize = 8;
const SHAPE_KEYS: usize = 32;
/// In a shape, a key that is no field of the schema.
const OTHER: u8 = u8::MAX;

/// The fields of the last object read with a schema, by index, in the order they came. Objects
/// of one schema (the assets of a request, the records of a bulk body) mostly list their keys in
/// one order, so each key is first compared, as raw bytes, with the field that came at its place
/// in the last one: one comparison instead of reading the string and looking the field up.
#[derive(Clone, Copy)]
struct Shape {
    schema: Option<&'static ObjectSchema>,
    /// A bit per required field of the schema, when it has at most 64 fields; else `None`.
    required: Option<u64>,
    len: usize,
    order: [u8; SHAPE_KEYS],
}

const NO_SHAPE: Shape = Shape {
    schema: None,
    required: None,
    len: 0,
    order: [OTHER; SHAPE_KEYS],
};

impl<'a> Walker<'a> {
    fn new(text: &'a str, max_depth: usize, strict: bool) -> Walker<'a> {
        Walker {
            lx: Lexer::new(text, max_depth),
            strict,
            errors: Vec::new(),
            warnings: Vec::new(),
            path: Vec::with_capacity(16),
            keys: Vec::new(),
            facts: Facts::default(),
            dups: true,
            shapes: [NO_SHAPE; SHAPES],
            next_shape: 0,
        }
    }

    /// The slot of `shapes` for `schema`, claiming one if it has none.
    fn shape_slot(&mut self, schema: &'static ObjectSchema) -> usize {
        let found = self
            .shapes
            .iter()
            .position(|s| s.schema.is_some_and(|known| std::ptr::eq(known, schema)));
        found.unwrap_or_else(|| {
            let slot = self.next_shape % SHAPES;
            self.next_shape = slot + 1;
            let mut required = Some(0u64);
            for (i, field) in schema.all_fields().enumerate() {
                if i >= 64 {
                    required = None;
                } else if field.required {
                    required = required.map(|bits| bits | 1 << i);
                }
            }
            if let Some(shape) = self.shapes.get_mut(slot) {
                *shape = Shape {
                    schema: Some(schema),
                    required,
                    ..NO_SHAPE
                };
            }
            slot
        })
    }

    /// Moves to the body's value and notes whether it is an object or an array.
    fn start(&mut self) {
        self.lx.skip_ws();
        self.facts.object = self.lx.peek() == Some(b'{');
        self.facts.array = self.lx.peek() == Some(b'[');
    }

    /// Notes a member of the top-level object; `pos` is at its value.
    #[inline]
    fn note_member(&mut self, key: &str) {
        if self.lx.depth == 1 {
            self.facts.member(key, &self.lx);
        }
    }

    /// Notes an item of the top-level array; `pos` is at it.
    #[inline]
    fn note_item(&mut self) {
        if self.lx.depth == 1 {
            self.facts.item(&self.lx);
        }
    }

    fn pointer(&self) -> String {
        pointer(&self.path)
    }

    /// The key of the member being read.
    fn key(&self) -> &str {
        match self.path.last() {
            Some(Step::Key(k)) => k,
            _ => "",
        }
    }

    fn error(&mut self, code: Code, message: impl Into<String>) {
        let issue = Issue::new(code, self.pointer(), message);
        self.errors.push(issue);
    }

    fn warning(&mut self, code: Code, message: impl Into<String>) {
        let issue = Issue::new(code, self.pointer(), message);
        self.warnings.push(issue);
    }

    fn unknown_value(&mut self, message: String) {
        if self.strict {
            self.error(Code::FieldEnum, message);
        } else {
            self.warning(Code::FieldEnum, message);
        }
    }

    fn type_error(&mut self, ty: &Type, found: &str) {
        self.error(
            Code::FieldType,
            format!("expected {}, found {found}", expected(ty)),
        );
    }

    fn duplicate(&mut self) {
        let message = format!(
            "the key \"{}\" appears more than once in this object; JSON parsers disagree on which value wins",
            self.key()
        );
        self.error(Code::JsonDuplicateKey, message);
    }

    /// Reads the value at `pos` and checks it against `ty`.
    fn check(&mut self, ty: &Type) -> Walked {
        match self.lx.peek() {
            Some(b'{') => match ty {
                Type::Object(schema) => self.object(schema),
                Type::AnyObject | Type::Any => self.scan_object(),
                _ => {
                    self.type_error(ty, "an object");
                    // A value of the wrong type may still repeat keys inside: its own issue.
                    self.scan_object()
                }
            },
            Some(b'[') => match ty {
                Type::ArrayOf(item) => self.array(item),
                Type::StringOrStrings => self.array(&Type::String),
                Type::Any => self.array(&Type::Any),
                _ => {
                    self.type_error(ty, "an array");
                    self.array(&Type::Any)
                }
            },
            Some(b'"') => self.string(ty),
            Some(b't') => {
                self.lx.literal("true")?;
                self.boolean(ty);
                Ok(())
            }
            Some(b'f') => {
                self.lx.literal("false")?;
                self.boolean(ty);
                Ok(())
            }
            Some(b'n') => {
                self.lx.literal("null")?;
                if !matches!(ty, Type::Scalar | Type::Any) {
                    self.type_error(ty, "null");
                }
                Ok(())
            }
            Some(b'-' | b'0'..=b'9') => {
                let n = self.lx.number()?;
                match ty {
                    Type::Number | Type::Numeric | Type::Scalar | Type::Any => {}
                    Type::NumberEnum(known, what) => {
                        if !known.iter().any(|&k| number_equals(n, k)) {
                            self.unknown_value(format!("{n} is not a known {what}"));
                        }
                    }
                    _ => self.type_error(ty, "a number"),
                }
                Ok(())
            }
            _ => Err(self.lx.not_a_value()),
        }
    }

    fn boolean(&mut self, ty: &Type) {
        if !matches!(ty, Type::Boolean | Type::Scalar | Type::Any) {
            self.type_error(ty, "a boolean");
        }
    }

    /// Reads the string at `pos` and checks it against `ty`; its value is kept only when a
    /// check needs it.
    fn string(&mut self, ty: &Type) -> Walked {
        match ty {
            Type::String | Type::StringOrStrings | Type::Scalar | Type::Any => {
                self.lx.skip_string()
            }
            Type::Numeric => {
                if !is_numeric_string(&self.lx.string()?) {
                    self.error(
                        Code::FieldType,
                        "expected a number or a string holding a number",
                    );
                }
                Ok(())
            }
            Type::IsoDate => {
                if !formats::is_iso8601(&self.lx.string()?) {
                    self.error(
                        Code::FieldFormat,
                        "expected an ISO-8601 date such as 2024-03-01T10:00:00.000Z",
                    );
                }
                Ok(())
            }
            Type::LeadSquaredDate => {
                if !formats::is_leadsquared_datetime(&self.lx.string()?) {
                    self.error(
                        Code::FieldFormat,
                        "expected a date as YYYY-MM-DD HH:MM:SS[.fff]",
                    );
                }
                Ok(())
            }
            Type::Url => {
                if !formats::is_http_url(&self.lx.string()?) {
                    self.error(Code::FieldFormat, "expected an absolute http(s) URL");
                }
                Ok(())
            }
            Type::Enum(vocab) => {
                // A documented value written without escapes is found by its raw bytes.
                let rest = self.lx.rest();
                let raw = |v: &str| {
                    rest.get(v.len() + 1) == Some(&b'"')
                        && rest
                            .get(1..v.len() + 1)
                            .is_some_and(|r| bytes_eq(r, v.as_bytes()))
                };
                if let Some(v) = vocab.values.iter().copied().find(|v| raw(v)) {
                    self.lx.pos += v.len() + 2;
                    return Ok(());
                }
                let s = self.lx.string()?;
                if !vocab.values.iter().any(|v| same(v, &s)) {
                    self.unknown_value(format!(
                        "\"{}\" is not a documented {}",
                        s.as_ref(),
                        vocab.what
                    ));
                }
                Ok(())
            }
            _ => {
                self.lx.skip_string()?;
                self.type_error(ty, "a string");
                Ok(())
            }
        }
    }

    /// Reads the array at `pos`, checking each item against `item`.
    fn array(&mut self, item: &Type) -> Walked {
        self.lx.enter()?;
        if self.lx.empty(b']') {
            return Ok(());
        }
        self.path.push(Step::Index(0));
        let mut i = 0;
        loop {
            if let Some(step) = self.path.last_mut() {
                *step = Step::Index(i);
            }
            self.lx.skip_ws();
            self.note_item();
            self.check(item)?;
            if !self.lx.next(b']')? {
                break;
            }
            i += 1;
        }
        self.path.pop();
        Ok(())
    }

    /// Reads the object at `pos` and checks it against `schema`: its members as they come, then
    /// its missing required fields, put before the members' issues.
    fn object(&mut self, schema: &'static ObjectSchema) -> Walked {
        self.lx.enter()?;
        let mark = self.errors.len();
        let mut seen = Seen::default();
        let slot = self.shape_slot(schema);
        let last = self.shapes.get(slot).copied().unwrap_or(NO_SHAPE);
        let mut shape = Shape {
            len: 0,
            order: [OTHER; SHAPE_KEYS],
            ..last
        };
        if !self.lx.empty(b'}') {
            let mut keys = Keys::new(self.keys.len());
            // The field of the previous key: without a shape to go by, the next key is guessed
            // to be the field listed after it (payloads often follow the documented order).
            let mut previous: Option<usize> = None;
            loop {
                self.lx.skip_ws();
                let k = shape.len;
                let guess_at = match last.order.get(k) {
                    Some(&i) if k < last.len => (i != OTHER).then_some(usize::from(i)),
                    _ => previous.map(|i| i + 1),
                };
                let guess = guess_at.and_then(|i| field_at(schema, i).map(|f| (i, f)));
                let (key, field) = match guess {
                    Some((_, f)) if self.lx.key_is(f.name)? => (Cow::Borrowed(f.name), guess),
                    _ => {
                        let key = self.lx.key()?;
                        let field = field_index(schema, &key);
                        (key, field)
                    }
                };
                if let Some(slot) = shape.order.get_mut(k) {
                    *slot = field
                        .and_then(|(i, _)| u8::try_from(i).ok())
                        .unwrap_or(OTHER);
                }
                previous = field.map(|(i, _)| i);
                shape.len = k + 1;
                self.note_member(&key);
                let repeated = match field {
                    Some((i, _)) => seen.mark(i),
                    None => self.repeated(&mut keys, key.clone()),
                };
                self.path.push(Step::Key(key));
                if repeated {
                    self.duplicate();
                }
                self.member(schema, field.map(|(_, f)| f))?;
                self.path.pop();
                if !self.lx.next(b'}')? {
                    break;
                }
            }
            self.keys.truncate(keys.start);
        }
        shape.len = shape.len.min(SHAPE_KEYS);
        if let Some(s) = self.shapes.get_mut(slot) {
            *s = shape;
        }
        let all_there = shape.required.is_some_and(|bits| bits & !seen.first == 0);
        if !all_there {
            self.missing(schema, &seen, mark);
        }
        Ok(())
    }

    /// Reads one member's value (its key is on the path), as [`crate::schema::Checker::object`]
    /// checks it.
    fn member(&mut self, schema: &ObjectSchema, field: Option<&'static Field>) -> Walked {
        let Some(field) = field else {
            return match &schema.others {
                Others::Prefixed(prefix, ty) if self.key().starts_with(prefix) => self.check(ty),
                Others::Open => self.scan(),
                _ => {
                    if self.strict {
                        let message = format!("`{}` is not a documented field", self.key());
                        self.warning(Code::FieldUnknown, message);
                    }
                    self.scan()
                }
            };
        };
        if !field.required && self.lx.peek() == Some(b'n') {
            // An optional field that is null counts as absent.
            return self.lx.literal("null");
        }
        if field.deprecated {
            let message = format!("`{}` is a v1 field that v2 no longer sends", self.key());
            self.warning(Code::FieldDeprecated, message);
        }
        if !field.required
            && matches!(field.ty, Type::IsoDate | Type::LeadSquaredDate | Type::Url)
            && self.lx.rest().starts_with(b"\"\"")
        {
            // So does an optional date or URL that is "".
            self.lx.pos += 2;
            return Ok(());
        }
        self.check(&field.ty)
    }

    /// Reports the required fields of `schema` the object did not have, at `mark` in the errors.
    fn missing(&mut self, schema: &ObjectSchema, seen: &Seen, mark: usize) {
        let mut missing = Vec::new();
        for (i, field) in schema.all_fields().enumerate() {
            if !field.required || seen.has(i) {
                continue;
            }
            // A name listed twice is seen under its first listing.
            if field_index(schema, field.name).is_some_and(|(j, _)| seen.has(j)) {
                continue;
            }
            self.path.push(Step::Key(Cow::Borrowed(field.name)));
            missing.push(Issue::new(
                Code::FieldMissing,
                self.pointer(),
                format!("required field `{}` is missing", field.name),
            ));
            self.path.pop();
        }
        if !missing.is_empty() {
            let at = mark.min(self.errors.len());
            self.errors.splice(at..at, missing);
        }
    }

    /// Whether `key` is among the object's other keys so far; if not, it is now.
    fn repeated(&mut self, keys: &mut Keys<'a>, key: Cow<'a, str>) -> bool {
        if let Some(sets) = &mut keys.sets {
            return insert(sets, key);
        }
        let start = keys.start.min(self.keys.len());
        let earlier = self.keys.get(start..).unwrap_or_default();
        if earlier.iter().any(|k| same(k, &key)) {
            return true;
        }
        if earlier.len() < LINEAR_KEYS {
            self.keys.push(key);
            return false;
        }
        let mut sets = (BTreeMap::new(), BTreeMap::new());
        for k in self.keys.drain(start..).chain([key]) {
            insert(&mut sets, k);
        }
        keys.sets = Some(sets);
        false
    }

    /// Reads the value at `pos`, reporting only repeated keys inside it: a value no schema
    /// describes.
    fn scan(&mut self) -> Walked {
        self.check(&Type::Any)
    }

    fn scan_object(&mut self) -> Walked {
        self.lx.enter()?;
        if self.lx.empty(b'}') {
            return Ok(());
        }
        let mut keys = Keys::new(self.keys.len());
        loop {
            let key = self.lx.key()?;
            self.note_member(&key);
            let repeated = self.dups && self.repeated(&mut keys, key.clone());
            if repeated || matches!(self.lx.peek(), Some(b'{' | b'[')) {
                self.path.push(Step::Key(key));
                if repeated {
                    self.duplicate();
                }
                self.scan()?;
                self.path.pop();
            } else {
                self.scan()?;
            }
            if !self.lx.next(b'}')? {
                break;
            }
        }
        self.keys.truncate(keys.start);
        Ok(())
    }
}

/// Adds `key` to an object's sets of keys: whether it was there already.
fn insert<'a>((plain, escaped): &mut KeySets<'a>, key: Cow<'a, str>) -> bool {
    match key {
        Cow::Borrowed(k) => escaped.contains_key(k) || plain.insert(k, ()).is_some(),
        Cow::Owned(k) => {
            plain.contains_key(k.as_str())
                || match escaped.entry(k) {
                    Entry::Occupied(_) => true,
                    Entry::Vacant(slot) => {
                        slot.insert(0);
                        false
                    }
                }
        }
    }
}

/// The field of `schema` at `i` among all its fields.
fn field_at(schema: &ObjectSchema, mut i: usize) -> Option<&'static Field> {
    for group in schema.fields {
        if let Some(f) = group.get(i) {
            return Some(f);
        }
        i -= group.len();
    }
    None
}

/// The field of `schema` named `key`, with its index among all the schema's fields.
fn field_index(schema: &ObjectSchema, key: &str) -> Option<(usize, &'static Field)> {
    let mut base = 0;
    for group in schema.fields {
        if let Some(i) = group.iter().position(|f| same(f.name, key)) {
            return group.get(i).map(|f| (base + i, f));
        }
        base += group.len();
    }
    None
}

/// `a == b` for short strings that mostly differ: length and ends first, before comparing all.
#[inline]
fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.first() == b.first() && a.last() == b.last() && bytes_eq(a, b)
}

/// What a value of type `ty` must be, for messages.
fn expected(ty: &Type) -> &'static str {
    match ty {
        Type::String | Type::IsoDate | Type::LeadSquaredDate | Type::Url | Type::Enum(_) => {
            "a string"
        }
        Type::Boolean => "a boolean",
        Type::Number | Type::NumberEnum(..) => "a number",
        Type::Numeric => "a number or a numeric string",
        Type::Scalar => "a string, number, boolean or null",
        Type::StringOrStrings => "a string or an array of strings",
        Type::Object(_) | Type::AnyObject => "an object",
        Type::ArrayOf(_) => "an array",
        Type::Any => "any value",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind_of(text: &str) -> Option<Kind> {
        detect(text, &Options::default()).unwrap()
    }

    #[test]
    fn facts_decide_like_the_tree() {
        assert_eq!(
            kind_of(r#"{"connectionAssets":[{"a":"]}"}],"apiVersion":2.0}"#),
            Some(Kind::LeadsieV2)
        );
        assert_eq!(
            kind_of(r#"{"apiVersion":2,"connectionAssets":[],"apiVersion":"2"}"#),
            Some(Kind::LeadsieV1)
        );
        assert_eq!(
            kind_of(r#"{"payload":{},"event":"x","id_space":1}"#),
            Some(Kind::LeadEvent)
        );
        assert_eq!(
            kind_of(r#"{"payload":{},"event":"x","id_space":1,"event":null}"#),
            None
        );
        assert_eq!(
            kind_of(r#"{"x":1,"Before":{"After":{"mx_a":1}}}"#),
            Some(Kind::LeadSquared)
        );
        assert_eq!(
            kind_of(r#"[{"a":1},{"Prospect\u0049D":"x"}]"#),
            Some(Kind::LeadSquared)
        );
        assert_eq!(kind_of(r#"[{"ProspectID":"x"},1]"#), None);
        assert_eq!(kind_of("[]"), None);
    }

    /// Every schema and vocabulary reachable from the kinds' top-level schemas.
    fn tables() -> (Vec<&'static ObjectSchema>, Vec<&'static str>) {
        fn walk_type(
            ty: &'static Type,
            schemas: &mut Vec<&'static ObjectSchema>,
            words: &mut Vec<&'static str>,
        ) {
            match ty {
                Type::Object(schema) => walk_schema(schema, schemas, words),
                Type::ArrayOf(item) => walk_type(item, schemas, words),
                Type::Enum(vocab) => words.extend(vocab.values.iter().copied()),
                _ => {}
            }
        }
        fn walk_schema(
            schema: &'static ObjectSchema,
            schemas: &mut Vec<&'static ObjectSchema>,
            words: &mut Vec<&'static str>,
        ) {
            if schemas.iter().any(|s| std::ptr::eq(*s, schema)) {
                return;
            }
            schemas.push(schema);
            for field in schema.all_fields() {
                words.push(field.name);
                walk_type(&field.ty, schemas, words);
            }
        }
        let (mut schemas, mut words) = (Vec::new(), Vec::new());
        for root in [
            &leadsie_v1::REQUEST,
            &leadsie_v2::REQUEST,
            &leadsquared::RECORD,
            &lead_event::ENVELOPE,
            &lead_event::LEAD_ENVELOPE,
        ] {
            walk_schema(root, &mut schemas, &mut words);
        }
        (schemas, words)
    }

    #[test]
    fn field_names_and_values_are_plain() {
        // Keys and enum values are matched by their raw bytes between quotes: that is only
        // their value if they need no escape.
        let (schemas, words) = tables();
        assert!(schemas.len() >= 10 && words.len() > 100);
        for word in words {
            assert!(
                !word.is_empty() && word.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\'),
                "{word:?}"
            );
        }
    }

    #[test]
    fn skipping_finds_the_end_of_a_value() {
        let text = r#"{"a":[1,{"b":"}\"]"},[]],"c":"\\"} tail"#;
        let mut lx = Lexer::new(text, 64);
        skip_value(&mut lx);
        assert_eq!(&text[lx.pos..], " tail");
    }

    #[test]
    fn repeated_keys_past_the_linear_limit() {
        let mut body = String::from("{");
        for i in 0..40 {
            body.push_str(&format!("\"k{}\":{i},", i % 30));
        }
        body.push_str("\"end\":0}");
        let report = validate(&body, &Options::default()).unwrap();
        assert_eq!(report.errors.len(), 11);
        assert_eq!(report.errors[1].path, "/k0");
    }
}
