//! The one interpreter of the rules: it reads a JSON body in one pass over its bytes and checks
//! each value against the kind's tables (`kinds/`) as it passes. Validation and detection build
//! nothing; for `parse`, `flatten` and `rows` the same pass keeps each value as it checks it, so
//! the body is read once ([`read`]). A form body is first written out as JSON.
//!
//! Issues come in document order: for each object, its missing required fields first, then its
//! members as they appear. The missing fields are known only when the object closes, so the
//! walker notes where the object's issues start and inserts them there. Repeated keys are found
//! as the keys arrive: a field of the object's schema by a bit per field, any other key by
//! comparing it with the object's earlier other keys (up to 16 of them; past that, in an ordered
//! set), so a hostile object stays at n log n. Objects of one schema mostly list their keys in
//! one order, so each key is first compared, as raw bytes, with the field that came at its place
//! in the last such object (`Shape`).
//!
//! Which rules a body is walked with (its [`Plan`]) is decided above the walker, in
//! `kinds/plan.rs`, from what the walk tells its [`Observer`] of the top of the body: the
//! walker names no kind.

use std::borrow::Cow;

use crate::base::issue::{pointer, Issue, Problem, Step};
use crate::base::json::Value;
use crate::base::json::{bytes_eq_inline, number_above, number_equals, same, Lexer, ReadError};
use crate::base::options::DEPTH_CEILING;
use crate::base::text::KeyMap;
use crate::engine::formats;
use crate::engine::report::IssueList;
use crate::engine::rules::{is_numeric_string, Field, ObjectSchema, Others, Presence, Type};
use crate::{Kind, Options, Report};

/// Up to this many of an object's other keys are compared one by one; past it they go in a set.
const LINEAR_KEYS: usize = 16;

/// How many bytes of pointers and messages a report lists at the most, for a body of `len`
/// bytes: a few times the body, so that what a report costs stays linear in what was sent.
pub fn issue_budget(len: usize) -> usize {
    len.saturating_mul(2).saturating_add(64 * 1024)
}

/// Takes the records of a body of many (a top-level array, for a kind whose root is
/// [`Type::OneOrMany`]) one at a time as the walk passes them, instead of the tree keeping
/// them all: what `rows` needs of a bulk body, in the memory of one record.
pub trait Records<'a> {
    /// A walk starts, reading a body of many records as `kind` (`None`: not such a body, or
    /// of no such kind): whether it is to hand them over. A body is walked again when it is not
    /// of the kind first guessed: what an earlier walk handed over no longer counts.
    fn start(&mut self, kind: Option<Kind>) -> bool;
    /// One record, as read (valid or not: the report says); `json` its text in the body when
    /// that is what [`Value::write_json`] writes for it (no whitespace, no escape).
    fn record(&mut self, record: Value<'a>, json: Option<&'a str>);
}

/// What a walk passes at the top of the body, told to whoever decides the body's kind
/// (`kinds/facts.rs`): the walker applies rules and names no kind, so it only says where it is.
/// Its value is at `lx.pos`: a copy of the lexer may read it; the walk goes on from `lx`.
pub(crate) trait Observer<'a> {
    /// The body's first byte past whitespace (`{` for an object, `[` for an array).
    fn start(&mut self, first: Option<u8>);
    /// A member of the top-level object (`path` empty), or of an object two levels down
    /// (`path`: the two steps to it, as in a Leadsie asset's `/connectionAssets/0`).
    fn member(&mut self, path: &[Step<'a>], key: &str, lx: &Lexer<'a>);
    /// An item of the top-level array.
    fn item(&mut self, lx: &Lexer<'a>);
}

/// How a walk checks a body: the kind its report names, the rules of its top level (`None`: of
/// no kind known, so only read), and, where the kind's schema is chosen by a member (a lead
/// event's `event`), the schema chosen. Which plan a body gets is decided above the walker
/// (`kinds/plan.rs`).
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    pub kind: Option<Kind>,
    pub root: Option<&'static Type>,
    pub choice: Option<&'static ObjectSchema>,
}

impl PartialEq for Plan {
    fn eq(&self, other: &Plan) -> bool {
        let same_choice = match (self.choice, other.choice) {
            (Some(a), Some(b)) => std::ptr::eq(a, b),
            (None, None) => true,
            _ => false,
        };
        self.kind == other.kind && same_choice
    }
}

/// A JSON text as a tree, no rules applied and no issue noted: the one reader of JSON in the
/// library.
/// `max_depth` counts nested arrays and objects (never above [`DEPTH_CEILING`]).
pub fn tree(text: &str, max_depth: usize) -> Result<Value<'_>, ReadError> {
    let opts = Options {
        max_depth,
        ..Options::default()
    };
    let mut shapes = Shapes::new();
    let mut w = Walker::new(text, &opts, None, None, &mut shapes);
    w.dups = false;
    w.build_tree();
    w.start();
    w.scan()?;
    w.lx.end()?;
    Ok(w.items.pop().unwrap_or(Value::Null))
}

/// Reads a JSON body (`text`: within `max_bytes`, UTF-8) for what `observer` notes, with no
/// rules applied and no issue noted (detection): `Err` when it is not valid JSON within
/// `max_depth`.
pub(crate) fn scan<'a>(text: &'a str, opts: &Options, observer: &mut dyn Observer<'a>) -> Walked {
    let mut shapes = Shapes::new();
    let mut w = Walker::new(text, opts, None, Some(observer), &mut shapes);
    w.dups = false;
    w.start();
    w.scan()?;
    w.lx.end()
}

/// What one walk found.
pub struct Walk<'a> {
    pub report: Report,
    /// The body, when the walk was asked to build it.
    pub tree: Option<Value<'a>>,
    /// The body's text, when it is the tree as [`Value::write_json`] writes it (no whitespace,
    /// no escape) and the tree is all of it (no records handed over).
    pub json: Option<&'a str>,
}

/// Walks the body as `plan` says, telling `observer` what it passes at the top; with `build`,
/// keeps the body as a tree, handing the records of a body of many to `records` instead.
pub(crate) fn walk<'a, 'o>(
    text: &'a str,
    opts: &'o Options,
    plan: Plan,
    observer: &'o mut dyn Observer<'a>,
    shapes: &'o mut Shapes,
    build: bool,
    records: Option<&'o mut dyn Records<'a>>,
) -> Result<Walk<'a>, ReadError> {
    let mut w = Walker::new(text, opts, plan.choice, Some(observer), shapes);
    if build {
        w.build_tree();
    }
    w.start();
    // Records are handed over from a top-level array of a kind that takes one or many.
    let many = w.array && matches!(plan.root, Some(Type::OneOrMany(_)));
    w.records = records.and_then(|r| {
        let hand_over = r.start(plan.kind.filter(|_| many && build));
        hand_over.then_some(r)
    });
    match plan.root {
        None => {
            w.errors.push_with(|| Issue::whole(Problem::KindUnknown));
            // Repeated keys are wrong whatever the kind, and may be why none was recognised.
            w.scan()?;
        }
        Some(root) => w.check(root, Weight::Required)?,
    }
    w.lx.end()?;
    // A body of several events is said to be one, so that `flatten`'s first record alone is
    // never taken for the whole delivery.
    if many && w.items_seen > 1 {
        let count = w.items_seen;
        w.warnings
            .insert(0, vec![Issue::whole(Problem::Batch { count })]);
    }
    let report = Report {
        kind: plan.kind,
        errors: w.errors.finish(true),
        warnings: w.warnings.finish(false),
    };
    Ok(Walk {
        report,
        json: (!w.lx.bent && w.records.is_none()).then_some(text),
        tree: w.items.pop(),
    })
}

/// How much a value matters: a wrong type or format in a `Required` one (or in the container a
/// kind is read through) is an error; in an `Optional` one a warning, an error under `strict`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Weight {
    Required,
    Optional,
}

impl Weight {
    fn of(field: &Field) -> Weight {
        match field.presence {
            Presence::Required | Presence::Expected => Weight::Required,
            Presence::Optional | Presence::Deprecated => Weight::Optional,
        }
    }
}

/// The keys an object has shown so far that its schema does not list (all of them, when it
/// has none): up to [`LINEAR_KEYS`] on the walker's shared stack from `start`; past that, all
/// of them in a [`KeyMap`] (its places unused).
struct Keys<'a> {
    start: usize,
    set: Option<KeyMap<'a>>,
}

impl<'a> Keys<'a> {
    fn new(start: usize) -> Keys<'a> {
        Keys { start, set: None }
    }
}

type Walked = Result<(), ReadError>;

/// Reads each value with the lexer and checks it against a [`Type`] as it goes.
struct Walker<'a, 'o> {
    lx: Lexer<'a>,
    opts: &'o Options,
    /// The schema of the top level, where the kind's is chosen by a member (see [`Plan`]).
    choice: Option<&'static ObjectSchema>,
    errors: IssueList,
    warnings: IssueList,
    path: Vec<Step<'a>>,
    /// The other keys of every object open (see [`Keys`]).
    keys: Vec<Cow<'a, str>>,
    /// Told what the walk passes at the top (see [`Observer`]).
    observer: Option<&'o mut dyn Observer<'a>>,
    /// The body is an array; how many of its items the walk passed.
    array: bool,
    items_seen: usize,
    /// Whether to look for repeated keys (detection needs not).
    dups: bool,
    /// The order of the fields in the last object read of a few schemas (see [`Shape`]).
    /// Lent by the walk's caller, which keeps them for the next walk, rather than copied in
    /// and out: 0.5 KB each way, 2-7% of validating a small body.
    shapes: &'o mut [Shape; SHAPES],
    /// The slot of `shapes` to reuse next.
    next_shape: usize,
    /// Whether to keep the body as a tree: then each value read is pushed on `items`, and an
    /// array's items or an object's members are taken off it when it closes.
    build: bool,
    items: Vec<Value<'a>>,
    /// The members of every object open, when building.
    members: Vec<(Cow<'a, str>, Value<'a>)>,
    /// Where the records of a top-level array go instead of the tree (see [`Records`]).
    records: Option<&'o mut dyn Records<'a>>,
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

/// The room the tree's stacks start with (see [`Walker::build_tree`]).
const ROOM_FOR_ITEMS: usize = 16;
const ROOM_FOR_MEMBERS: usize = 48;

/// How many schemas' shapes a walk remembers, and how many keys of each.
const SHAPES: usize = 8;
const SHAPE_KEYS: usize = 32;
/// In a shape, a key that is no field of the schema.
const OTHER: u8 = u8::MAX;

/// The fields of the last object read with a schema (in this walk or, see [`Shapes`], the
/// one before), by index, in the order they came. Objects of one schema (the assets of a
/// request, the records of a bulk body, the bodies of one sender) mostly list their keys in one
/// order, so each key is first compared, as raw bytes, with the field that came at its place in
/// the last one: one comparison instead of reading the string and looking the field up.
#[derive(Clone, Copy)]
struct Shape {
    schema: Option<&'static ObjectSchema>,
    /// A bit per required field of the schema, when it has at most 64 fields; else `None`.
    required: Option<u64>,
    /// Of those, the bits of the fields whose absence is an error (the rest are warnings).
    errors: u64,
    len: usize,
    order: [u8; SHAPE_KEYS],
}

const NO_SHAPE: Shape = Shape {
    schema: None,
    required: None,
    errors: 0,
    len: 0,
    order: [OTHER; SHAPE_KEYS],
};

/// The shapes one walk ended with, for the next to start from (kept by `kinds::plan::Memory`):
/// one sender's webhooks mostly list their keys in one order, so the first object of a schema
/// in a body is read like the ones after it, each key compared with the field at its place. A
/// shape is only a guess that each key checks, so an old one never changes what a walk finds.
#[derive(Clone, Copy)]
pub struct Shapes([Shape; SHAPES]);

impl Shapes {
    pub const fn new() -> Shapes {
        Shapes([NO_SHAPE; SHAPES])
    }
}

impl Default for Shapes {
    fn default() -> Shapes {
        Shapes::new()
    }
}

impl<'a, 'o> Walker<'a, 'o> {
    // One copy for the walk, detection and the plain tree: it is large, and runs once a walk.
    #[inline(never)]
    fn new(
        text: &'a str,
        opts: &'o Options,
        choice: Option<&'static ObjectSchema>,
        observer: Option<&'o mut dyn Observer<'a>>,
        shapes: &'o mut Shapes,
    ) -> Walker<'a, 'o> {
        let budget = issue_budget(text.len());
        Walker {
            lx: Lexer::new(text, opts.max_depth.min(DEPTH_CEILING)),
            opts,
            choice,
            errors: IssueList::new(opts.max_issues, budget),
            warnings: IssueList::new(opts.max_issues, budget),
            path: Vec::with_capacity(16),
            keys: Vec::new(),
            observer,
            array: false,
            items_seen: 0,
            dups: true,
            shapes: &mut shapes.0,
            next_shape: 0,
            build: false,
            items: Vec::new(),
            members: Vec::new(),
            records: None,
        }
    }

    /// Makes the walk build the tree. Its stacks start with room for a small body's open
    /// members and items: grown from nothing, they were copied several times a call.
    fn build_tree(&mut self) {
        self.build = true;
        self.items.reserve(ROOM_FOR_ITEMS);
        self.members.reserve(ROOM_FOR_MEMBERS);
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
            let mut errors = 0u64;
            for (i, field) in schema.all_fields().enumerate() {
                if i >= 64 {
                    required = None;
                } else if field.is_required() {
                    required = required.map(|bits| bits | 1 << i);
                    if field.presence == Presence::Required {
                        errors |= 1 << i;
                    }
                }
            }
            if let Some(shape) = self.shapes.get_mut(slot) {
                *shape = Shape {
                    schema: Some(schema),
                    required,
                    errors,
                    ..NO_SHAPE
                };
            }
            slot
        })
    }

    /// Moves to the body's value, and notes whether it is an array.
    fn start(&mut self) {
        self.lx.skip_ws();
        let first = self.lx.peek();
        self.array = first == Some(b'[');
        if let Some(observer) = self.observer.as_deref_mut() {
            observer.start(first);
        }
    }

    /// Tells the observer of a member of the top-level object, or of an object two levels
    /// down; `pos` is at its value.
    #[inline]
    fn note_member(&mut self, key: &str) {
        if let (1 | 3, Some(observer)) = (self.lx.depth, self.observer.as_deref_mut()) {
            observer.member(&self.path, key, &self.lx);
        }
    }

    /// Counts an item of the top-level array, and tells the observer; `pos` is at it.
    #[inline]
    fn note_item(&mut self) {
        if self.lx.depth == 1 {
            self.items_seen += 1;
            if let Some(observer) = self.observer.as_deref_mut() {
                observer.item(&self.lx);
            }
        }
    }

    /// Keeps a value read, when building the tree.
    #[inline]
    fn keep(&mut self, value: impl FnOnce() -> Value<'a>) {
        if self.build {
            self.items.push(value());
        }
    }

    /// Moves the value of the member just read to the object's members, with its key (the
    /// path's last step, which this pops).
    #[inline(always)]
    #[allow(clippy::inline_always)] // measured: 1-2% of a validate call when left to the compiler
    fn end_member(&mut self) {
        if !self.build {
            self.path.pop();
        } else if let Some(Step::Key(key)) = self.path.pop() {
            // Not `unwrap_or(Value::Null)`: that default is made and dropped for every member.
            if let Some(value) = self.items.pop() {
                self.members.push((key, value));
            }
        }
    }

    /// Hands the item just read of the top-level array, which starts at `start`, to `records`,
    /// if there are any.
    fn hand_over_record(&mut self, start: usize) {
        if let Some(records) = self.records.as_deref_mut() {
            if let Some(record) = self.items.pop() {
                let json = self
                    .lx
                    .text
                    .get(start..self.lx.pos)
                    .filter(|_| !self.lx.bent);
                records.record(record, json);
            }
        }
    }

    /// Makes the members since `start` one object value (when building).
    fn keep_object(&mut self, start: usize) {
        if self.build {
            let members = if self.lx.depth == 0 {
                // The body's own object takes the stack whole: nothing is pushed after it (and
                // `split_off(0)` would allocate the stack again, as large, to leave behind).
                std::mem::take(&mut self.members)
            } else {
                // `split_off` rather than `drain(..).collect()`: the same copy, in less code.
                self.members.split_off(start.min(self.members.len()))
            };
            self.items.push(Value::Object(members));
        }
    }

    /// The key of the member being read.
    fn key(&self) -> &str {
        last_key(&self.path)
    }

    /// Lists, among the errors or the warnings, the issue `make` builds from the current path:
    /// built only when the list has room for it.
    fn push(&mut self, error: bool, make: impl FnOnce(&[Step]) -> Issue) {
        let Walker {
            errors,
            warnings,
            path,
            ..
        } = self;
        let list = if error { errors } else { warnings };
        list.push_with(|| make(path));
    }

    /// Lists `problem` at the current path.
    fn emit(&mut self, error: bool, problem: Problem) {
        self.push(error, |path| Issue::of(pointer(path), problem));
    }

    /// A wrong type or format: an error in a required value, else a warning (strict: an error).
    fn wrong(&mut self, weight: Weight, problem: Problem) {
        self.emit(weight == Weight::Required || self.opts.strict, problem);
    }

    /// A value outside a vocabulary: a warning, an error under `strict`.
    fn unknown_value(&mut self, problem: Problem) {
        self.emit(self.opts.strict, problem);
    }

    fn type_error(&mut self, ty: &Type, weight: Weight, found: &'static str) {
        let expected = ty.description();
        self.wrong(weight, Problem::WrongType { expected, found });
    }

    /// Lists a problem about the member being read, named by its key.
    fn about_key(&mut self, error: bool, problem: fn(&str) -> Problem<'_>) {
        self.push(error, |path| {
            Issue::of(pointer(path), problem(last_key(path)))
        });
    }

    fn duplicate(&mut self) {
        self.about_key(true, |key| Problem::DuplicateKey { key });
    }

    /// Whether the member being read holds a value no message may quote: a `secret`, or a
    /// field named in `redact`.
    fn is_redacted(&self) -> bool {
        let key = self.key();
        key == "secret" || self.opts.redact.iter().any(|r| r == key)
    }

    /// Reads the value at `pos` and checks it against `ty`.
    fn check(&mut self, ty: &Type, weight: Weight) -> Walked {
        match self.lx.peek() {
            Some(b'{') => match ty {
                Type::Object(schema) | Type::OneOrMany(schema) => self.object(schema),
                Type::ByMember(choice) => {
                    let schema = self.choice.unwrap_or(choice.otherwise);
                    self.object(schema)
                }
                Type::AnyObject | Type::Any => self.scan_object(),
                _ => {
                    self.type_error(ty, weight, "an object");
                    // A value of the wrong type may still repeat keys inside: its own issue.
                    self.scan_object()
                }
            },
            Some(b'[') => match ty {
                Type::ArrayOf(item) => self.array(item, weight),
                Type::OneOrMany(schema) => self.array(&Type::Object(schema), weight),
                Type::StringOrStrings => self.array(&Type::String, weight),
                Type::Any => self.array(&Type::Any, weight),
                _ => {
                    self.type_error(ty, weight, "an array");
                    self.array(&Type::Any, weight)
                }
            },
            Some(b'"') => self.string(ty, weight),
            Some(b't') => {
                self.lx.literal("true")?;
                self.boolean(ty, weight);
                self.keep(|| Value::Bool(true));
                Ok(())
            }
            Some(b'f') => {
                self.lx.literal("false")?;
                self.boolean(ty, weight);
                self.keep(|| Value::Bool(false));
                Ok(())
            }
            Some(b'n') => {
                self.lx.literal("null")?;
                if !matches!(ty, Type::Scalar | Type::Any) {
                    self.type_error(ty, weight, "null");
                }
                self.keep(|| Value::Null);
                Ok(())
            }
            Some(b'-' | b'0'..=b'9') => {
                let n = self.lx.number()?;
                self.keep(|| Value::Number(Cow::Borrowed(n)));
                match ty {
                    Type::Number
                    | Type::Numeric
                    | Type::Scalar
                    | Type::Any
                    | Type::IsoDateOrMillis => {}
                    Type::NumberEnum(known, what) => {
                        if !known.iter().any(|&k| number_equals(n, k)) {
                            self.unknown_value(Problem::UnknownNumber { value: n, what });
                        }
                    }
                    Type::Version => {
                        if number_equals(n, 2) {
                            // The usual case, and the cheap test.
                        } else if number_above(n, 2) {
                            self.unknown_value(Problem::NewerVersion { value: n });
                        } else {
                            let what = "apiVersion";
                            self.unknown_value(Problem::UnknownNumber { value: n, what });
                        }
                    }
                    _ => self.type_error(ty, weight, "a number"),
                }
                Ok(())
            }
            _ => Err(self.lx.not_a_value()),
        }
    }

    fn boolean(&mut self, ty: &Type, weight: Weight) {
        if !matches!(ty, Type::Boolean | Type::Scalar | Type::Any) {
            self.type_error(ty, weight, "a boolean");
        }
    }

    /// Reads the string at `pos` and checks it against `ty` (and keeps it, when building).
    fn string(&mut self, ty: &Type, weight: Weight) -> Walked {
        let start = self.lx.pos;
        let value = self.check_string(ty, weight)?;
        if self.build {
            let value = if let Some(value) = value {
                value
            } else {
                // A string whose check did not need its value: read again (rare).
                let mut lx = self.lx.clone();
                lx.pos = start;
                lx.string()?
            };
            self.items.push(Value::String(value));
        }
        Ok(())
    }

    /// Reads the string at `pos` and checks it against `ty`: its value, when a check needed it
    /// or the tree does (else `None`).
    fn check_string(
        &mut self,
        ty: &Type,
        weight: Weight,
    ) -> Result<Option<Cow<'a, str>>, ReadError> {
        let format = |check: fn(&str) -> bool, problem: Problem<'static>| (check, problem);
        let (check, problem) = match ty {
            Type::String | Type::StringOrStrings | Type::Scalar | Type::Any => {
                if self.build {
                    return self.lx.string().map(Some);
                }
                return self.lx.skip_string().map(|()| None);
            }
            Type::Enum(vocab) => return self.enum_string(vocab.values, vocab.what),
            Type::Version => {
                let s = self.lx.string()?;
                if s == "2" {
                    // Tolerated drift, like a missing `apiVersion`: a warning even under strict.
                    self.emit(false, Problem::VersionAsString);
                } else {
                    self.type_error(ty, weight, "a string");
                }
                return Ok(Some(s));
            }
            Type::Numeric => format(is_numeric_string, Problem::NotNumeric),
            Type::IsoDate | Type::IsoDateOrMillis => {
                format(formats::is_iso8601, Problem::NotIsoDate)
            }
            Type::LeadSquaredDate => format(
                formats::is_leadsquared_datetime,
                Problem::NotLeadSquaredDate,
            ),
            Type::Url => format(formats::is_http_url, Problem::NotHttpUrl),
            _ => {
                self.lx.skip_string()?;
                self.type_error(ty, weight, "a string");
                return Ok(None);
            }
        };
        let s = self.lx.string()?;
        if !check(&s) {
            self.wrong(weight, problem);
        }
        Ok(Some(s))
    }

    /// Reads a string that should be one of `values`.
    fn enum_string(
        &mut self,
        values: &[&'static str],
        what: &'static str,
    ) -> Result<Option<Cow<'a, str>>, ReadError> {
        // A documented value written without escapes is found by its raw bytes.
        let rest = self.lx.rest();
        let raw = |v: &str| {
            rest.get(v.len() + 1) == Some(&b'"')
                && rest
                    .get(1..v.len() + 1)
                    .is_some_and(|r| bytes_eq_inline(r, v.as_bytes()))
        };
        if let Some(v) = values.iter().copied().find(|v| raw(v)) {
            self.lx.pos += v.len() + 2;
            return Ok(Some(Cow::Borrowed(v)));
        }
        let s = self.lx.string()?;
        if !values.iter().any(|v| same(v, &s)) {
            let value = (!self.is_redacted()).then_some(s.as_ref());
            let problem = Problem::UnknownString { value, what };
            self.emit(self.opts.strict, problem);
        }
        Ok(Some(s))
    }

    /// Reads the array at `pos`, checking each item against `item`.
    fn array(&mut self, item: &Type, weight: Weight) -> Walked {
        self.lx.enter()?;
        let start = self.items.len();
        if !self.lx.empty(b']') {
            self.items_of(item, weight)?;
        }
        if self.build {
            let items = self.items.split_off(start.min(self.items.len()));
            self.items.push(Value::Array(items));
        }
        Ok(())
    }

    /// Reads the items of an array that has some, up to its `]`.
    fn items_of(&mut self, item: &Type, weight: Weight) -> Walked {
        self.path.push(Step::Index(0));
        let mut i = 0;
        loop {
            if let Some(step) = self.path.last_mut() {
                *step = Step::Index(i);
            }
            self.lx.skip_ws();
            self.note_item();
            // Whether each record of a top-level array is written as its JSON is noted apart,
            // and the body's is all of theirs.
            let start = self.lx.pos;
            let before = self.lx.bent;
            if self.lx.depth == 1 {
                self.lx.bent = false;
            }
            self.check(item, weight)?;
            if self.lx.depth == 1 {
                self.hand_over_record(start);
                self.lx.bent |= before;
            }
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
        let members = self.members.len();
        let marks = (self.errors.len(), self.warnings.len());
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
                let guess = guess_at.and_then(|i| schema.field_at(i).map(|f| (i, f)));
                let (key, field) = match guess {
                    Some((_, f)) if self.lx.key_is(f.name)? => (Cow::Borrowed(f.name), guess),
                    _ => {
                        let key = self.lx.key()?;
                        let field = schema.place(&key);
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
                self.end_member();
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
        let absent = shape.required.map(|bits| bits & !seen.first);
        match absent {
            Some(0) => {}
            // Lists that are full only count: a body of a million empty objects costs a count
            // each, not a walk of each one's fields.
            Some(bits)
                if (bits & shape.errors == 0 || !self.errors.keeps_at(marks.0))
                    && (bits & !shape.errors == 0 || !self.warnings.keeps_at(marks.1)) =>
            {
                let errors = (bits & shape.errors).count_ones() as usize;
                self.errors.count(errors);
                self.warnings.count(bits.count_ones() as usize - errors);
            }
            _ => self.missing(schema, &seen, marks),
        }
        self.keep_object(members);
        Ok(())
    }

    /// Reads one member's value (its key is on the path) and checks it as `field`, or, for a
    /// key the schema does not list, as what the schema says of others.
    fn member(&mut self, schema: &ObjectSchema, field: Option<&'static Field>) -> Walked {
        let Some(field) = field else {
            return match &schema.others {
                Others::Prefixed(prefix, ty) if self.key().starts_with(prefix) => {
                    self.check(ty, Weight::Optional)
                }
                Others::Open => self.scan(),
                _ => {
                    if self.opts.strict {
                        self.about_key(false, |field| Problem::UnknownField { field });
                    }
                    self.scan()
                }
            };
        };
        let weight = Weight::of(field);
        if weight == Weight::Optional && self.lx.peek() == Some(b'n') {
            // An optional field that is null counts as absent.
            self.keep(|| Value::Null);
            return self.lx.literal("null");
        }
        if field.presence == Presence::Deprecated {
            self.emit(false, Problem::Deprecated { field: field.name });
        }
        if weight == Weight::Optional
            && crate::engine::rules::is_format(&field.ty)
            && self.lx.rest().starts_with(b"\"\"")
        {
            // So does an optional date or URL that is "".
            self.lx.pos += 2;
            self.keep(|| Value::String(Cow::Borrowed("")));
            return Ok(());
        }
        self.check(&field.ty, weight)
    }

    /// Reports the fields of `schema` the object did not have: a required one among the errors,
    /// at `marks.0`, an expected one among the warnings, at `marks.1`.
    fn missing(&mut self, schema: &ObjectSchema, seen: &Seen, marks: (usize, usize)) {
        let (mut errors, mut warnings) = (Vec::new(), Vec::new());
        // An issue that a full list would drop is only counted: a body of a million empty
        // objects costs a count each, not a million pointers and messages made and dropped.
        let keeps = (
            self.errors.keeps_at(marks.0),
            self.warnings.keeps_at(marks.1),
        );
        for (i, field) in schema.all_fields().enumerate() {
            if !field.is_required() || seen.has(i) {
                continue;
            }
            let (to, kept, list) = match field.presence {
                Presence::Required => (&mut errors, keeps.0, &mut self.errors),
                _ => (&mut warnings, keeps.1, &mut self.warnings),
            };
            if !kept {
                list.count(1);
                continue;
            }
            // A name listed twice is seen under its first listing.
            if schema.place(field.name).is_some_and(|(j, _)| seen.has(j)) {
                continue;
            }
            self.path.push(Step::Key(Cow::Borrowed(field.name)));
            to.push(Issue::of(
                pointer(&self.path),
                Problem::Missing { field: field.name },
            ));
            self.path.pop();
        }
        if !errors.is_empty() {
            self.errors.insert(marks.0, errors);
        }
        if !warnings.is_empty() {
            self.warnings.insert(marks.1, warnings);
        }
    }

    /// Whether `key` is among the object's other keys so far; if not, it is now.
    fn repeated(&mut self, keys: &mut Keys<'a>, key: Cow<'a, str>) -> bool {
        if let Some(set) = &mut keys.set {
            return set.insert(key, 0).is_some();
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
        // Inserted one by one: `collect` into a BTreeMap sorts, and std's sort is large.
        let mut set = KeyMap::new();
        for k in self.keys.split_off(start) {
            set.insert(k, 0);
        }
        set.insert(key, 0);
        keys.set = Some(set);
        false
    }

    /// Reads the value at `pos`, reporting only repeated keys inside it: a value no schema
    /// describes.
    fn scan(&mut self) -> Walked {
        self.check(&Type::Any, Weight::Optional)
    }

    fn scan_object(&mut self) -> Walked {
        self.lx.enter()?;
        let members = self.members.len();
        if !self.lx.empty(b'}') {
            self.scan_members()?;
        }
        self.keep_object(members);
        Ok(())
    }

    /// Reads the members of an object no schema describes, which has some, up to its `}`.
    fn scan_members(&mut self) -> Walked {
        let mut keys = Keys::new(self.keys.len());
        loop {
            let key = self.lx.key()?;
            self.note_member(&key);
            let repeated = self.dups && self.repeated(&mut keys, key.clone());
            if self.build || repeated || matches!(self.lx.peek(), Some(b'{' | b'[')) {
                self.path.push(Step::Key(key));
                if repeated {
                    self.duplicate();
                }
                self.scan()?;
                self.end_member();
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

/// The key of the member a path ends in (`""` for an array item or the top).
fn last_key<'p>(path: &'p [Step]) -> &'p str {
    match path.last() {
        Some(Step::Key(k)) => k,
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A walk starts from the shapes the last one left (a guess at each key's field): whatever
    /// bodies came before, a body's report is the one a walk from no shapes gives.
    #[test]
    fn the_shapes_a_walk_starts_from_change_no_report() {
        let root = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
            .join("tests/fixtures");
        let mut bodies = Vec::new();
        for dir in std::fs::read_dir(root).expect("fixtures") {
            for file in std::fs::read_dir(dir.expect("dir").path()).expect("kind") {
                let path = file.expect("file").path();
                let expected = path.to_string_lossy().contains(".expect.");
                if path.extension().is_some_and(|e| e == "json") && !expected {
                    bodies.push(std::fs::read(&path).expect("body"));
                }
            }
        }
        assert!(bodies.len() > 100, "{} fixture bodies", bodies.len());
        let opts = Options::default();
        // Each call of `crate::validate` starts a session of its own: from no shapes.
        let alone: Vec<_> = bodies.iter().map(|b| crate::validate(b, &opts)).collect();
        // Each body after every other one, once each way round, in one session.
        for (i, a) in bodies.iter().enumerate() {
            for (j, b) in bodies.iter().enumerate().skip(i + 1) {
                let mut session = crate::Session::default();
                session.validate(a, &opts);
                assert_eq!(session.validate(b, &opts), alone[j], "{j} after {i}");
                let mut session = crate::Session::default();
                session.validate(b, &opts);
                assert_eq!(session.validate(a, &opts), alone[i], "{i} after {j}");
            }
        }
    }

    /// Every schema and vocabulary reachable from the kinds' top-level schemas.
    fn tables() -> (Vec<&'static ObjectSchema>, Vec<&'static str>) {
        fn walk_type(
            ty: &'static Type,
            schemas: &mut Vec<&'static ObjectSchema>,
            words: &mut Vec<&'static str>,
        ) {
            match ty {
                Type::Object(schema) | Type::OneOrMany(schema) => {
                    walk_schema(schema, schemas, words);
                }
                Type::ByMember(choice) => {
                    for schema in choice.schemas() {
                        walk_schema(schema, schemas, words);
                    }
                }
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
        for spec in crate::kinds::KINDS {
            walk_type(spec.root, &mut schemas, &mut words);
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
    fn repeated_keys_past_the_linear_limit() {
        use std::fmt::Write as _;
        let mut body = String::from("{");
        for i in 0..40 {
            let _ = write!(body, "\"k{}\":{i},", i % 30);
        }
        body.push_str("\"end\":0}");
        let report = crate::validate(body.as_bytes(), &Options::default());
        assert_eq!(report.errors.len(), 11);
        assert_eq!(report.errors[1].path, "/k0");
    }
}
