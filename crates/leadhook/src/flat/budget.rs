//! The output budget: no call builds more than `maxOutputBytes` of output, as no report lists
//! more than `maxIssues`. Zapier naming writes every ancestor's key into each leaf's, and
//! aligned rows give every row every column, so an output can grow as the square of its body;
//! each such growth is counted before it is built, and refused with `output.too_large`.
//!
//! Sizes are the output's JSON: each entry's key and value and its punctuation
//! ([`crate::flat::Flat::json_len`]).

use crate::base::issue::{Issue, OutputGrowth, Problem};
use crate::Options;

/// The default budget: this many times the body's bytes …
const BODY_TIMES: usize = 8;
/// … plus this floor, so that a small body never meets it.
const FLOOR: usize = 1 << 20;

/// The most bytes the output of a call on a body of `body_len` bytes may hold.
pub fn max_output(opts: &Options, body_len: usize) -> usize {
    opts.max_output_bytes
        .unwrap_or_else(|| body_len.saturating_mul(BODY_TIMES).saturating_add(FLOOR))
}

/// The error for an output of `size` bytes over `max`, grown as `why` says.
pub fn too_large(size: usize, max: usize, why: OutputGrowth) -> Issue {
    Issue::whole(Problem::OutputTooLarge { size, max, why })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_a_multiple_of_the_body_with_a_floor() {
        let opts = Options::default();
        assert_eq!(max_output(&opts, 0), FLOOR);
        assert_eq!(max_output(&opts, 1000), 8000 + FLOOR);
        assert_eq!(max_output(&opts, usize::MAX), usize::MAX);
        let set = Options {
            max_output_bytes: Some(10),
            ..Options::default()
        };
        assert_eq!(max_output(&set, 1000), 10);
    }
}
