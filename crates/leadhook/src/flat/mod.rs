//! Flat records, whatever their kind: the record itself, Zapier's naming of nested keys, CSV,
//! and the output budget that bounds them all.

pub mod budget;
pub mod csv;
pub mod record;
pub mod zapier;

pub use record::{align, Columns, Flat, Scalar};
