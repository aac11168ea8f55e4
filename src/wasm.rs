//! The WebAssembly binding: bytes and an options JSON in, one JSON string out. It converts and
//! calls the core, nothing more; the JavaScript entry points in `pkg-template/` build the
//! public API on these functions.

use wasm_bindgen::prelude::*;

use crate::report::Report;
use crate::Options;

fn options(opts: &str) -> Result<Options, Report> {
    Options::from_json(opts).map_err(|issue| Report::failed(None, issue))
}

/// The kind's name, or `undefined`.
#[wasm_bindgen]
pub fn detect(input: &[u8], opts: &str) -> Option<String> {
    let opts = options(opts).ok()?;
    crate::detect(input, &opts).map(|k| k.as_str().to_owned())
}

/// A `Report` as JSON.
#[wasm_bindgen]
pub fn validate(input: &[u8], opts: &str) -> String {
    match options(opts) {
        Ok(opts) => crate::validate(input, &opts).to_json(),
        Err(report) => report.to_json(),
    }
}

/// `{"ok":true,"kind":…,"data":…,"warnings":[…]}`, or a failed `Report` as JSON.
#[wasm_bindgen]
pub fn parse(input: &[u8], opts: &str) -> String {
    let opts = match options(opts) {
        Ok(opts) => opts,
        Err(report) => return report.to_json(),
    };
    match crate::parse(input, &opts) {
        Ok(parsed) => parsed.to_json(),
        Err(report) => report.to_json(),
    }
}
