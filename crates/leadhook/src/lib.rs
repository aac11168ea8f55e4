//! leadhook: parse, validate and flatten the webhook payloads that lead-generation and CRM tools
//! send — Leadsie v1 and v2, LeadSquared, and lead events — and say exactly what is wrong, where.
//!
//! The core is plain Rust: every function takes the raw body bytes and [`Options`], and no
//! input makes it panic. `crates/leadhook-wasm` is the thin WebAssembly binding over it.
//!
//! The crate is built in floors, each importing only from those below it (ARCHITECTURE.md;
//! `tests/architecture.rs` keeps it): `base` (JSON, issues, options, the kinds' names),
//! `engine` (the one interpreter of the tables) and `flat` (flat records), `kinds` (everything
//! each kind knows, and the registry), `api` (the public functions). This file only says what
//! of them is public.

// A panic in WebAssembly is a trap: the compiler checks that the library never asks for one,
// directly or by indexing out of bounds.
#![cfg_attr(
    not(test),
    warn(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

mod api;
mod base;
mod engine;
mod flat;
mod kinds;

pub use api::code_step;
pub use api::signature;
pub use api::{
    detect, event_key, events, flatten, parse, rows, to_csv, upgrade, validate, verify_secret,
    Event, EventsJson, Made, Parsed, Session, Sink,
};
pub use base::issue::{Code, Issue, OutputGrowth, Problem};
pub use base::json::Value;
pub use base::kind::Kind;
pub use base::options::{Options, DEPTH_CEILING};
pub use engine::input::Body;
pub use engine::report::Report;
pub use flat::{Flat, Scalar};
pub use kinds::identity::KeyText;
pub use kinds::{About, KindSpec, Upgrade, KINDS};

/// The code step's answer for options that could not be read.
/// Each kind's JSON Schema, written from its tables (`schema(kind)`).
pub use api::json_schema::of as schema;
/// Two secrets compared in constant time.
pub use api::verify::secrets_equal;
/// The output budget of a call: `maxOutputBytes`, or its default for a body of that length.
pub use flat::budget::max_output;

/// JSON as leadhook reads and writes it: one strict reader, a tree of borrowed strings with
/// numbers kept as their text, and the writer of its strings.
pub mod json {
    pub use crate::base::json::{decimal, write_array, write_string, ReadError, Value};
    /// A JSON text as a tree, no rules applied (`max_depth`: nested arrays and objects).
    pub use crate::engine::walker::tree;
}

/// What the kinds' tables say, for the tools that write other forms of them at build time (the
/// TypeScript types, the receiver's sender table).
pub mod tables {
    pub use crate::engine::rules::*;
    pub use crate::kinds::sender::*;
}

/// Flat records laid out in memory for JavaScript to read (the WebAssembly binding's).
pub use api::records;

/// For the crate's own tests and fuzz targets; not part of the API.
#[doc(hidden)]
pub mod internals {
    pub use crate::api::redact::strip as redact;
    pub use crate::engine::input::{is_form, text};
    pub use crate::flat::align;
    /// The report and, when readable, the tree of a JSON body, in one walk.
    pub fn read<'a>(
        text: &'a str,
        opts: &crate::Options,
    ) -> (crate::Report, Option<crate::Value<'a>>) {
        let walk = crate::kinds::plan::read(&mut crate::kinds::plan::Memory::default(), text, opts);
        (walk.report, walk.tree)
    }
}
