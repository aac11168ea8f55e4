//! The base floor: what every other floor uses, importing nothing above it. JSON (the lexer,
//! the tree, the writer), the one error type, the kinds by name, the options, text helpers.

pub mod issue;
pub mod json;
pub mod kind;
pub mod lowercase;
pub mod options;
pub mod text;
