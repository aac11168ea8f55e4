//! The engine: the one interpreter of the kinds' tables (`walker`) and what it reads them with
//! (the rules' types, the formats, the report), and the body before it is JSON (`input`,
//! `form`). It names no kind: which tables a body is walked with is decided by `kinds::plan`.

pub mod form;
pub mod formats;
pub mod input;
pub mod report;
pub mod rules;
pub mod walker;
