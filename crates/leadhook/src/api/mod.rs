//! The public functions: each takes the body (bytes, or text already UTF-8) and [`Options`],
//! and gives one answer. `lib.rs` re-exports them.
//!
//! The functions the WebAssembly binding's exports call (these, `code_step::plan`,
//! `signature::verify`, …) are `#[inline(never)]`: each has one caller there, and across the two
//! crates link-time optimisation inlined them into the exports, which made the `.wasm` 1.2 KB
//! larger gzipped.

pub mod code_step;
pub mod json_schema;
pub mod options_json;
pub mod records;
pub mod redact;
pub mod signature;
pub mod verify;

use std::borrow::Cow;

use crate::kinds::plan::Memory;
use crate::kinds::Upgrade;

use crate::base::issue::{Issue, OutputGrowth, Problem};
use crate::base::json::{decimal, write_array, write_string, Value};
use crate::engine::input::{self, Body};
use crate::engine::report::Report;
use crate::engine::walker;
use crate::flat::{self, budget, csv, Flat, Scalar};
use crate::kinds::identity::{self as event_key, KeyText};
use crate::kinds::{self, leadsquared::flatten::url_fields};
use crate::{Kind, Options};
use records::{Layout, Records};

/// A payload that validated: its kind, its data and the warnings it raised.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed<'a> {
    pub kind: Kind,
    pub data: Value<'a>,
    pub warnings: Vec<Issue>,
    /// The body's text, when it is `data` as [`Value::write_json`] writes it (see
    /// [`walker::Walk`]): what an event's key is made of, without writing it again.
    pub(crate) json: Option<&'a str>,
}

impl Parsed<'_> {
    /// `{"ok":true,"kind":…,"data":…,"warnings":[…]}`, in a string with room for `room` bytes
    /// (the body's length is about the data's: a string grown by doubling is copied each time).
    pub fn to_json(&self, room: usize) -> String {
        let mut out = String::with_capacity(room);
        out.push_str("{\"ok\":true,\"kind\":\"");
        out.push_str(self.kind.as_str());
        out.push_str("\",\"data\":");
        self.data.write_json(&mut out);
        out.push_str(",\"warnings\":");
        crate::engine::report::write_issues(&mut out, &self.warnings);
        out.push('}');
        out
    }
}

/// The kind of a body, or `None` when it is unreadable or of no known kind. Never fails.
#[inline(never)]
pub fn detect<'a>(input: impl Into<Body<'a>>, opts: &Options) -> Option<Kind> {
    let text = input::text(input.into(), opts).ok()?;
    kinds::plan::detect(&input::json_text(text, opts), opts)
        .ok()
        .flatten()
}

/// What the calls of one caller share: what each walk leaves for the next. One sender's bodies
/// are laid out alike, so the walk reads the next one faster for knowing the last (where its
/// keys came, where the member that chooses its schema was). It is only ever a guess that each
/// walk checks, so it changes no answer. The functions of the crate each start a new one; the
/// WebAssembly module keeps one for all its calls.
#[derive(Default)]
pub struct Session {
    memory: Memory,
}

impl Session {
    /// A session that knows nothing yet (as `Session::default()`, and usable in a `static`).
    pub const fn new() -> Session {
        Session {
            memory: Memory::new(),
        }
    }

    /// [`validate()`], remembering what the walk leaves for the next call.
    #[inline(never)]
    pub fn validate<'a>(&mut self, input: impl Into<Body<'a>>, opts: &Options) -> Report {
        match input::text(input.into(), opts) {
            Ok(text) => {
                let report =
                    kinds::plan::validate(&mut self.memory, &input::json_text(text, opts), opts);
                input::labelled(text, opts, report)
            }
            Err(issue) => Report::failed(opts.kind, issue),
        }
    }

    /// [`parse()`], remembering what the walk leaves for the next call.
    #[inline(never)]
    pub fn parse<'a>(
        &mut self,
        input: impl Into<Body<'a>>,
        opts: &Options,
    ) -> Result<Parsed<'a>, Report> {
        read(&mut self.memory, input.into(), opts, None)
    }

    /// [`flatten()`], remembering what the walk leaves for the next call.
    #[inline(never)]
    pub fn flatten<'a>(
        &mut self,
        input: impl Into<Body<'a>>,
        opts: &Options,
    ) -> Result<Flat<'a>, Report> {
        let input = input.into();
        let max = budget::max_output(opts, input.as_bytes().len());
        let mut records = FirstRecord::default();
        let parsed = read_for_output(&mut self.memory, input, opts, Some(&mut records))?;
        let kind = parsed.kind;
        // Of a body of many records, the flat record is the first one's, with their `count`.
        // The walk passes a bulk body's records over one by one, and only the first is kept.
        let mut first = records.first;
        if let Some(first) = &mut first {
            redact::strip(first, opts);
        }
        let (one, count) = match &parsed.data {
            _ if records.kind == Some(kind) => (first.as_ref(), Some(records.count)),
            Value::Array(all) if kind.spec().many_records() => (all.first(), Some(all.len())),
            data => (Some(data), None),
        };
        if let Some(value) = one {
            within_budget(kind, value, opts, max)?;
        }
        let mut flat = one.map_or_else(Flat::new, |v| (kind.spec().flatten)(v, opts));
        if let Some(count) = count {
            flat.set("count", Scalar::Number(decimal(count as u64).into()));
        }
        within(kind, flat.json_len(), max, OutputGrowth::Records)?;
        Ok(flat)
    }

    /// [`rows()`], remembering what the walk leaves for the next call.
    #[inline(never)]
    pub fn rows<'a>(
        &mut self,
        input: impl Into<Body<'a>>,
        opts: &Options,
    ) -> Result<Vec<Flat<'a>>, Report> {
        let input = input.into();
        let max = budget::max_output(opts, input.as_bytes().len());
        let mut rows = Vec::new();
        let kind = self.rows_into(input, opts, max, &mut rows)?;
        flat::align(rows, max).map_err(|issue| Report::failed(Some(kind), issue))
    }

    /// [`rows()`] laid out in `records` for JavaScript as they are made (see [`Layout`]): a
    /// bulk body's rows as the walk reads its records, so that none is held once laid out.
    /// With `for_csv`, the rows [`to_csv()`] writes, for JavaScript to write. `held` is the
    /// shape of keys JavaScript holds.
    #[inline(never)]
    pub fn rows_laid_out<'a>(
        &mut self,
        input: impl Into<Body<'a>>,
        opts: &Options,
        records: &mut Records,
        held: u32,
        for_csv: bool,
    ) -> Result<(), Report> {
        let input = input.into();
        let max = budget::max_output(opts, input.as_bytes().len());
        let mut layout = records.layout(max);
        let kind = if for_csv {
            self.csv_rows_into(input, opts, max, &mut layout)?
        } else {
            Some(self.rows_into(input, opts, max, &mut layout)?)
        };
        layout
            .finish(held)
            .map_err(|issue| Report::failed(kind, issue))
    }

    /// The rows of `input`, unaligned, handed to `rows` as they are made: a bulk body's record
    /// by record as the walk passes them, so that the body is never held as a tree.
    fn rows_into<'a>(
        &mut self,
        input: Body<'a>,
        opts: &Options,
        max: usize,
        rows: &mut dyn Sink<Flat<'a>>,
    ) -> Result<Kind, Report> {
        let mut records = RecordRows {
            opts,
            kind: None,
            rows,
            cost: 0,
            max,
        };
        let parsed = read_for_output(&mut self.memory, input, opts, Some(&mut records))?;
        let kind = parsed.kind;
        if records.kind == Some(kind) {
            within(kind, records.cost, max, OutputGrowth::NestedKeys)?;
        } else {
            within_budget(kind, &parsed.data, opts, max)?;
            records.rows.clear();
            for row in (kind.spec().rows)(&parsed.data, opts) {
                records.rows.push(row);
            }
        }
        Ok(kind)
    }

    /// [`event_key()`], remembering what the walk leaves for the next call.
    pub fn event_key<'a>(&mut self, input: impl Into<Body<'a>>, opts: &Options) -> Option<String> {
        self.event_key_text(input, opts).map(KeyText::into_key)
    }

    /// What the key of [`event_key()`] is made of (see [`KeyText`]).
    #[inline(never)]
    pub fn event_key_text<'a>(
        &mut self,
        input: impl Into<Body<'a>>,
        opts: &Options,
    ) -> Option<KeyText> {
        let parsed = self.parse(input, opts).ok()?;
        Some(event_key::text(
            parsed.kind,
            &parsed.data,
            parsed.json,
            opts,
        ))
    }

    /// [`events()`], remembering what the walk leaves for the next call.
    pub fn events<'a>(
        &mut self,
        input: impl Into<Body<'a>>,
        opts: &Options,
        rows: bool,
    ) -> Result<(Kind, Vec<Event<'a>>), Report> {
        let mut events = Vec::new();
        let kind = self.events_into(input, opts, rows, &mut events)?;
        Ok((kind, events))
    }

    /// [`events()`], each event handed to `events` as it is made: a bulk body's record by
    /// record as the walk passes them, so that neither the body's tree nor its events are held
    /// whole. The kind is known, and the events handed over final, once it returns `Ok`.
    #[inline(never)]
    pub fn events_into<'a>(
        &mut self,
        input: impl Into<Body<'a>>,
        opts: &Options,
        rows: bool,
        events: &mut dyn Sink<Made<'a>>,
    ) -> Result<Kind, Report> {
        let input = input.into();
        let max = budget::max_output(opts, input.as_bytes().len());
        let mut sink = EventRecords {
            opts,
            rows,
            max,
            kind: None,
            events,
            cost: 0,
            size: 0,
            refused: None,
        };
        let parsed = read(&mut self.memory, input, opts, Some(&mut sink))?;
        let kind = parsed.kind;
        if sink.kind != Some(kind) {
            // Not passed over record by record (one payload, a form, or a body walked again as
            // another kind): the events of the tree. One payload's cost is counted as its
            // record's, by the sink.
            let many = kind.spec().many_records() && matches!(parsed.data, Value::Array(_));
            if many {
                within_budget(kind, &parsed.data, opts, max)?;
            }
            let sink: &mut dyn walker::Records<'a> = &mut sink;
            sink.start(Some(kind));
            match parsed.data {
                Value::Array(records) if many => {
                    for record in records {
                        sink.record(record, None);
                    }
                }
                one => sink.record(one, parsed.json),
            }
        }
        if let Some(issue) = sink.refused {
            return Err(Report::failed(Some(kind), issue));
        }
        within(kind, sink.size, max, OutputGrowth::Records)?;
        Ok(kind)
    }

    /// [`to_csv()`], remembering what the walk leaves for the next call.
    #[inline(never)]
    pub fn to_csv<'a>(
        &mut self,
        input: impl Into<Body<'a>>,
        opts: &Options,
    ) -> Result<String, Report> {
        let input = input.into();
        let max = budget::max_output(opts, input.as_bytes().len());
        let mut rows = Vec::new();
        let kind = self.csv_rows_into(input, opts, max, &mut rows)?;
        flat::align(rows, max)
            .map(|rows| csv::write(&rows))
            .map_err(|issue| Report::failed(kind, issue))
    }

    /// The rows of a CSV of `input`, unaligned: an array of flat objects as they are, when no
    /// kind is given, else the payload's [`rows()`]. The kind a refusal names.
    fn csv_rows_into<'a>(
        &mut self,
        input: Body<'a>,
        opts: &Options,
        max: usize,
        rows: &mut dyn Sink<Flat<'a>>,
    ) -> Result<Option<Kind>, Report> {
        if opts.kind.is_none() {
            let failed = |issue| Report::failed(None, issue);
            let text = input::text(input, opts).map_err(failed)?;
            let mut value = input::tree(text, opts).map_err(failed)?;
            if matches!(&value, Value::Array(items) if items.is_empty()) {
                return Ok(None);
            }
            if csv::is_rows(&value) {
                redact::strip(&mut value, opts);
                // Flat LeadSquared records read as rows still get the request URL's fields.
                let leadsquared = detect(input, opts) == Some(Kind::LeadSquared);
                for mut row in csv::rows_from_value(&value).map_err(failed)? {
                    if leadsquared {
                        url_fields(&mut row, opts);
                    }
                    rows.push(row);
                }
                return Ok(None);
            }
        }
        self.rows_into(input, opts, max, rows).map(Some)
    }

    /// [`upgrade()`], remembering what the walk leaves for the next call.
    #[inline(never)]
    pub fn upgrade<'a>(
        &mut self,
        input: impl Into<Body<'a>>,
        opts: &Options,
    ) -> Result<Value<'a>, Report> {
        let parsed = parse_for_output(&mut self.memory, input.into(), opts)?;
        match parsed.kind.spec().upgrade {
            Upgrade::To(upgrade) => Ok(upgrade(parsed.data, opts)),
            Upgrade::Current => Ok(parsed.data),
            Upgrade::Never => Err(Report::failed(
                Some(parsed.kind),
                Issue::whole(Problem::WrongKind {
                    function: "upgrade",
                    wants: "a Leadsie payload or a lead event",
                    got: parsed.kind.as_str(),
                }),
            )),
        }
    }
}

/// Every issue with a body, in document order. Never fails.
pub fn validate<'a>(input: impl Into<Body<'a>>, opts: &Options) -> Report {
    Session::default().validate(input, opts)
}

/// The body as data, or the report of why it is not a valid payload.
pub fn parse<'a>(input: impl Into<Body<'a>>, opts: &Options) -> Result<Parsed<'a>, Report> {
    Session::default().parse(input, opts)
}

/// [`parse`]; a body of many records handed to `records` one by one, when given (then `data`
/// is an empty array).
fn read<'a>(
    memory: &mut Memory,
    input: Body<'a>,
    opts: &Options,
    records: Option<&mut dyn walker::Records<'a>>,
) -> Result<Parsed<'a>, Report> {
    let text = input::text(input, opts).map_err(|issue| Report::failed(opts.kind, issue))?;
    let walk = match (input::json_text(text, opts), records) {
        // JSON: checked and kept in one pass.
        (Cow::Borrowed(json), None) => kinds::plan::read(memory, json, opts),
        (Cow::Borrowed(json), Some(records)) => {
            kinds::plan::read_records(memory, json, opts, records)
        }
        // A form: its JSON text lives only here, so the tree is the form's own pairs.
        (Cow::Owned(json), _) => walker::Walk {
            report: kinds::plan::validate(memory, &json, opts),
            tree: None,
            json: None,
        },
    };
    let (report, tree) = (walk.report, walk.tree);
    let report = input::labelled(text, opts, report);
    let (true, Some(kind)) = (report.ok(), report.kind) else {
        return Err(report);
    };
    let (data, json) = match tree {
        Some(tree) => (tree, walk.json),
        None => (
            input::tree(text, opts).map_err(|issue| Report::failed(Some(kind), issue))?,
            None,
        ),
    };
    Ok(Parsed {
        kind,
        data,
        warnings: report.warnings,
        json,
    })
}

/// [`parse`] for the functions whose output is not the payload itself: without the values no
/// output may carry (see [`redact`]).
fn parse_for_output<'a>(
    memory: &mut Memory,
    input: Body<'a>,
    opts: &Options,
) -> Result<Parsed<'a>, Report> {
    read_for_output(memory, input, opts, None)
}

/// [`parse_for_output`], with the records of a bulk body handed to `records` (see [`read`]).
fn read_for_output<'a>(
    memory: &mut Memory,
    input: Body<'a>,
    opts: &Options,
    records: Option<&mut dyn walker::Records<'a>>,
) -> Result<Parsed<'a>, Report> {
    let mut parsed = read(memory, input, opts, records)?;
    redact::strip(&mut parsed.data, opts);
    // The data may no longer be what the body says.
    parsed.json = None;
    Ok(parsed)
}

/// The payload as one flat record of scalars.
pub fn flatten<'a>(input: impl Into<Body<'a>>, opts: &Options) -> Result<Flat<'a>, Report> {
    Session::default().flatten(input, opts)
}

/// The payload as flat records: one per Leadsie asset or LeadSquared record, one for a lead
/// event; all with the same keys in the same order.
pub fn rows<'a>(input: impl Into<Body<'a>>, opts: &Options) -> Result<Vec<Flat<'a>>, Report> {
    Session::default().rows(input, opts)
}

/// Refuses a value whose flat record or rows its kind counts, before they are made, at more
/// than `max` bytes (see [`KindSpec::flat_cost`]).
fn within_budget(kind: Kind, value: &Value, opts: &Options, max: usize) -> Result<(), Report> {
    let size = kind.spec().flat_cost.map_or(0, |cost| cost(value, opts));
    within(kind, size, max, OutputGrowth::NestedKeys)
}

/// Refuses an output of `size` bytes, of a body of `kind`, over `max`, grown as `why` says.
fn within(kind: Kind, size: usize, max: usize, why: OutputGrowth) -> Result<(), Report> {
    if size > max {
        return Err(Report::failed(
            Some(kind),
            budget::too_large(size, max, why),
        ));
    }
    Ok(())
}

/// Where a call hands what it makes as it makes it: the rows of [`Session::rows_into`] (a
/// vector of them, or their [`Layout`] for JavaScript), the events of [`Session::events_into`]
/// (a vector of [`Event`]s, or their JSON: [`EventsJson`]).
pub trait Sink<T> {
    fn push(&mut self, item: T);
    /// Forgets what was handed so far (a body walked again, as another kind; or refused).
    fn clear(&mut self);
}

impl<T> Sink<T> for Vec<T> {
    fn push(&mut self, item: T) {
        Vec::push(self, item);
    }
    fn clear(&mut self) {
        Vec::clear(self);
    }
}

impl<'a> Sink<Flat<'a>> for Layout<'_, 'a> {
    fn push(&mut self, row: Flat<'a>) {
        Layout::push(self, row);
    }
    fn clear(&mut self) {
        Layout::clear(self);
    }
}

/// The rows of a bulk body, made record by record as the walk passes them, so that the body
/// is never held as a tree: a record's rows are what its kind makes of it alone (see
/// [`KindSpec::rows`]). Once the records' cost passes the budget, no more rows are made.
struct RecordRows<'o, 'a> {
    opts: &'o Options,
    /// The kind of the walk that handed its records over.
    kind: Option<Kind>,
    rows: &'o mut dyn Sink<Flat<'a>>,
    /// What the records' rows cost so far (see [`KindSpec::flat_cost`]), and the most they may.
    cost: usize,
    max: usize,
}

impl<'a> walker::Records<'a> for RecordRows<'_, 'a> {
    fn start(&mut self, kind: Option<Kind>) -> bool {
        self.kind = kind;
        self.rows.clear();
        self.cost = 0;
        kind.is_some()
    }

    fn record(&mut self, mut record: Value<'a>, _json: Option<&'a str>) {
        let Some(kind) = self.kind else {
            return;
        };
        let spec = kind.spec();
        // Counted as it will be made: without what no output may carry.
        redact::strip(&mut record, self.opts);
        if let Some(cost) = spec.flat_cost {
            self.cost = self.cost.saturating_add(cost(&record, self.opts));
            if self.cost > self.max {
                self.rows.clear();
                return;
            }
        }
        for row in (spec.rows)(&record, self.opts) {
            self.rows.push(row);
        }
    }
}

/// An event as [`Session::events_into`] makes it: its key not yet finished (see [`KeyText`]),
/// so that the sink can finish it or leave it to JavaScript.
pub struct Made<'a> {
    pub key: KeyText,
    pub records: Vec<Flat<'a>>,
}

impl<'a> Sink<Made<'a>> for Vec<Event<'a>> {
    fn push(&mut self, made: Made<'a>) {
        let key = made.key.into_key();
        Vec::push(
            self,
            Event {
                key,
                records: made.records,
            },
        );
    }
    fn clear(&mut self) {
        Vec::clear(self);
    }
}

/// The events as JSON, written after what `out` holds as they are made: each event's key, then
/// its record (or its rows), each followed by a comma. What the binding's `events` answers.
///
/// A key is a JSON string; with `apart`, a key that is the SHA-256 of a text is `0` instead,
/// and the text is appended to `apart`, ended by a line feed (the text is JSON, written without
/// one), for JavaScript to hash with `node:crypto`, many times faster than the module.
///
/// An event whose records have the keys of the first record laid out, in its order (every
/// event of most deliveries), is laid out in `layout` as `rows` lays its rows out, and in the
/// place of its record is the number of its rows there, in order; JavaScript reads them without
/// JSON, as it reads `flatten`'s. Other events are written as JSON.
pub struct EventsJson<'o, 'a> {
    out: &'o mut String,
    start: usize,
    rows: bool,
    apart: Option<&'o mut String>,
    layout: Layout<'o, 'a>,
}

impl<'o, 'a> EventsJson<'o, 'a> {
    pub fn new(
        out: &'o mut String,
        rows: bool,
        apart: Option<&'o mut String>,
        layout: Layout<'o, 'a>,
    ) -> EventsJson<'o, 'a> {
        let start = out.len();
        let mut json = EventsJson {
            out,
            start,
            rows,
            apart,
            layout,
        };
        json.clear_keys();
        json
    }

    /// Writes `key` and a comma (see [`EventsJson`]).
    #[inline(never)]
    fn write_key(&mut self, key: KeyText) {
        match (&mut self.apart, key) {
            (Some(texts), KeyText::Hashed(text)) => {
                texts.push_str(&text);
                texts.push('\n');
                self.out.push('0');
            }
            (_, key) => write_string(self.out, &key.into_key()),
        }
        self.out.push(',');
    }

    fn clear_keys(&mut self) {
        if let Some(texts) = &mut self.apart {
            texts.clear();
        }
    }

    /// Ends the layout (see [`Layout::finish`]; the events' budget is theirs, already met).
    pub fn finish(self, held: u32) {
        let _ = self.layout.finish(held);
    }
}

impl<'a> Sink<Made<'a>> for EventsJson<'_, 'a> {
    fn push(&mut self, event: Made<'a>) {
        self.write_key(event.key);
        let out = &mut *self.out;
        let layout = &mut self.layout;
        if event.records.iter().all(|r| layout.has_first_keys(r)) {
            out.push_str(&decimal(event.records.len() as u64));
            for record in event.records {
                layout.push(record);
            }
        } else {
            match (self.rows, event.records.first()) {
                (false, Some(record)) => record.write_json(out),
                _ => write_array(out, &event.records, |out, r| r.write_json(out)),
            }
        }
        out.push(',');
    }

    fn clear(&mut self) {
        self.out.truncate(self.start);
        self.clear_keys();
        self.layout.clear();
    }
}

/// The events of a body, made record by record as the walk passes them (or from the tree: see
/// [`Session::events_into`]): each with the key of its record as sent, then its flat record or
/// rows with the record redacted. Once the records' cost or their output passes the budget, no
/// more events are made, and those made are forgotten.
struct EventRecords<'o, 'a> {
    opts: &'o Options,
    rows: bool,
    max: usize,
    /// The kind of the walk that hands its records over.
    kind: Option<Kind>,
    events: &'o mut dyn Sink<Made<'a>>,
    /// What the records cost so far (see [`KindSpec::flat_cost`]), and their output's bytes.
    cost: usize,
    size: usize,
    refused: Option<Issue>,
}

impl EventRecords<'_, '_> {
    fn refuse(&mut self, issue: Issue) {
        self.events.clear();
        self.refused = Some(issue);
    }
}

impl<'a> walker::Records<'a> for EventRecords<'_, 'a> {
    fn start(&mut self, kind: Option<Kind>) -> bool {
        self.kind = kind;
        self.events.clear();
        self.cost = 0;
        self.size = 0;
        self.refused = None;
        kind.is_some()
    }

    fn record(&mut self, mut record: Value<'a>, json: Option<&'a str>) {
        let (Some(kind), None) = (self.kind, &self.refused) else {
            return;
        };
        let spec = kind.spec();
        // The key from the event as sent; the records, and what they cost, from it as no output
        // may carry it (as `flatten` counts them).
        let key = event_key::text(kind, &record, json, self.opts);
        redact::strip(&mut record, self.opts);
        if let Some(cost) = spec.flat_cost {
            self.cost = self.cost.saturating_add(cost(&record, self.opts));
            if self.cost > self.max {
                let issue = budget::too_large(self.cost, self.max, OutputGrowth::NestedKeys);
                return self.refuse(issue);
            }
        }
        let records = if self.rows {
            match flat::align((spec.rows)(&record, self.opts), self.max) {
                Ok(rows) => rows,
                Err(issue) => return self.refuse(issue),
            }
        } else {
            vec![(spec.flatten)(&record, self.opts)]
        };
        self.size = records
            .iter()
            .fold(self.size, |sum, r| sum.saturating_add(r.json_len()));
        if self.size > self.max {
            let issue = budget::too_large(self.size, self.max, OutputGrowth::Records);
            return self.refuse(issue);
        }
        self.events.push(Made { key, records });
    }
}

/// The first record of a bulk body, and how many it has, as the walk passes them: all its flat
/// record is made of, so that the body is never held as a tree.
#[derive(Default)]
struct FirstRecord<'a> {
    /// The kind of the walk that handed its records over.
    kind: Option<Kind>,
    first: Option<Value<'a>>,
    count: usize,
}

impl<'a> walker::Records<'a> for FirstRecord<'a> {
    fn start(&mut self, kind: Option<Kind>) -> bool {
        *self = FirstRecord {
            kind,
            ..FirstRecord::default()
        };
        kind.is_some()
    }

    fn record(&mut self, record: Value<'a>, _json: Option<&'a str>) {
        if self.first.is_none() {
            self.first = Some(record);
        }
        self.count += 1;
    }
}

/// The idempotency key of a valid payload ([`event_key::key`]); `None` when it is not one.
pub fn event_key<'a>(input: impl Into<Body<'a>>, opts: &Options) -> Option<String> {
    Session::default().event_key(input, opts)
}

/// One event of a delivery (see [`events`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Event<'a> {
    /// Its idempotency key: [`event_key::key`] of the event alone.
    pub key: String,
    /// Its flat record, or its rows.
    pub records: Vec<Flat<'a>>,
}

/// The kind of a delivery, and the events it carries, in order: each record of an array, for a kind whose root is
/// one record or many (a LeadSquared activity post), and otherwise the one payload. Each has
/// the key of its own record (the one [`event_key()`] gives that record sent alone) and its
/// flat record, or with `rows` its rows. Refused as [`flatten`] and [`rows`] are.
pub fn events<'a>(
    input: impl Into<Body<'a>>,
    opts: &Options,
    rows: bool,
) -> Result<(Kind, Vec<Event<'a>>), Report> {
    Session::default().events(input, opts, rows)
}

/// RFC 4180 CSV: of a payload's [`rows`], or of rows given as an array of flat objects.
pub fn to_csv<'a>(input: impl Into<Body<'a>>, opts: &Options) -> Result<String, Report> {
    Session::default().to_csv(input, opts)
}

/// A Leadsie v1 payload in the v2 shape; a v2 payload as it is.
pub fn upgrade<'a>(input: impl Into<Body<'a>>, opts: &Options) -> Result<Value<'a>, Report> {
    Session::default().upgrade(input, opts)
}

/// Whether a lead event's `secret` equals `expected`, compared in constant time; `false` when
/// the body is unreadable, has no `secret` or has more than one.
#[inline(never)]
pub fn verify_secret<'a>(input: impl Into<Body<'a>>, expected: &str, opts: &Options) -> bool {
    let Ok(text) = input::text(input.into(), opts) else {
        return false;
    };
    // A JSON object is scanned for its secret first, and read whole only when that matches:
    // a body without the secret costs one pass, however it is built.
    if text.trim_start().starts_with('{') {
        let scanned = verify::top_level_secret(text);
        let given = scanned.as_deref().unwrap_or_default();
        if !verify::secrets_equal(given.as_bytes(), expected.as_bytes()) {
            return false;
        }
    }
    input::tree(text, opts).is_ok_and(|value| verify::lead_event_secret(&value, expected))
}
