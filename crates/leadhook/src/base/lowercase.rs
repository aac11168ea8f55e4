//! Python's `str.lower()`, which the Leadsie seed script applies to asset types: Unicode's full
//! lowercase mapping with the final-sigma rule. That is exactly what `str::to_lowercase` does,
//! but std's tables cost 7.5 KB of the gzipped `.wasm`, and these hold the same answers in a
//! third of that (only a non-ASCII character ever reaches them).
//!
//! `lowercase/tables.rs` is written by the tests below from std itself, and they check [`lower`]
//! against `str::to_lowercase` wherever a table's answer changes, on all of the first 12k code
//! points and a spread of the rest, alone and on both sides of a `Σ`. A new Unicode version in
//! a new toolchain fails them until the tables are written again:
//! `LEADHOOK_WRITE_TABLES=1 cargo test --lib lowercase`.

mod tables;

const CAPITAL_SIGMA: char = 'Σ';
/// The one character whose lowercase is two: `İ` → `i` + COMBINING DOT ABOVE.
const CAPITAL_I_DOT: char = 'İ';

/// `s.lower()` in Python, `s.to_lowercase()` in Rust.
pub fn lower(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(s.len());
    for (i, c) in s.char_indices() {
        let lower = match c {
            CAPITAL_SIGMA if is_word_final(s, i) => 'ς',
            CAPITAL_SIGMA => 'σ',
            CAPITAL_I_DOT => {
                out.push('i');
                '\u{307}'
            }
            _ => map(c),
        };
        out.push(lower);
    }
    out
}

/// Unicode's Final_Sigma condition, as std has it: skipping case-ignorable characters, a cased
/// one comes before the `Σ` at `at` and none comes after it.
fn is_word_final(s: &str, at: usize) -> bool {
    let before = s.get(..at).unwrap_or_default().chars().rev();
    let after = s
        .get(at + CAPITAL_SIGMA.len_utf8()..)
        .unwrap_or_default()
        .chars();
    cased_after_ignorable(before) && !cased_after_ignorable(after)
}

fn cased_after_ignorable(mut chars: impl Iterator<Item = char>) -> bool {
    chars
        .find(|&c| !in_set(tables::CASE_IGNORABLE, c))
        .is_some_and(|c| in_set(tables::CASED, c))
}

/// Reads one LEB128 number from the front of `bytes`.
fn next_number(bytes: &mut &[u8]) -> Option<u32> {
    let mut value = 0u32;
    for shift in (0..32).step_by(7) {
        let (&byte, rest) = bytes.split_first()?;
        *bytes = rest;
        value |= u32::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            return Some(value);
        }
    }
    None
}

/// A set of code points written as the lengths of its runs, alternately out and in, from 0.
/// Not inlined: it runs only at a `Σ`, and each inlined copy was code in the `.wasm`.
#[inline(never)]
fn in_set(mut runs: &[u8], c: char) -> bool {
    let c = u32::from(c);
    let mut end = 0u32;
    let mut inside = false;
    while let Some(len) = next_number(&mut runs) {
        end = end.saturating_add(len);
        if c < end {
            return inside;
        }
        inside = !inside;
    }
    false
}

/// The one-character lowercase of `c`. [`tables::MAPPING`] holds runs of characters that share
/// an offset to their lowercase: `(first, count, stride, offset)`, where stride 2 is a run of
/// capitals and small letters alternating.
fn map(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let code = u32::from(c);
    let runs = tables::MAPPING;
    let at = runs.partition_point(|&(first, ..)| first <= code);
    let Some(&(first, count, stride, offset)) = at.checked_sub(1).and_then(|i| runs.get(i)) else {
        return c;
    };
    let (step, stride) = (code - first, u32::from(stride));
    if step.checked_rem(stride) != Some(0) || step / stride >= u32::from(count) {
        return c;
    }
    code.checked_add_signed(offset)
        .and_then(char::from_u32)
        .unwrap_or(c)
}

#[cfg(test)]
// Code points and their offsets fit every integer type used here.
#[allow(
    clippy::cast_possible_truncation,
    clippy::cast_possible_wrap,
    clippy::cast_sign_loss
)]
mod tests {
    use super::*;
    use std::fmt::Write as _;

    const PATH: &str = "src/base/lowercase/tables.rs";

    fn leb(out: &mut Vec<u8>, mut v: u32) {
        loop {
            let byte = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                out.push(byte);
                return;
            }
            out.push(byte | 0x80);
        }
    }

    fn chars() -> impl Iterator<Item = char> {
        (0..=u32::from(char::MAX)).filter_map(char::from_u32)
    }

    /// Runs of one offset, found greedily from std's one-character lowercases of non-ASCII.
    fn mapping() -> Vec<(u32, u32, u32, i64)> {
        let pairs: Vec<(u32, i64)> = chars()
            .filter(|c| !c.is_ascii())
            .filter_map(|c| {
                let mut lower = c.to_lowercase();
                match (lower.next(), lower.next()) {
                    (Some(l), None) if l != c => {
                        Some((c as u32, i64::from(l as u32) - i64::from(c as u32)))
                    }
                    _ => None,
                }
            })
            .collect();
        let mut runs = Vec::new();
        let mut i = 0;
        while let Some(&(first, offset)) = pairs.get(i) {
            let run = |stride: u32| {
                let mut n = 1;
                while pairs.get(i + n as usize) == Some(&(first + stride * n, offset)) {
                    n += 1;
                }
                n
            };
            let (count, stride) = if run(2) > run(1) {
                (run(2), 2)
            } else {
                (run(1), 1)
            };
            runs.push((first, count, stride, offset));
            i += count as usize;
        }
        runs
    }

    /// What std's final-sigma rule shows of each character: in "cΣ" the Σ is word-final when
    /// c is cased and not case-ignorable; in "AcΣ" also when c is case-ignorable (skipped,
    /// reaching the cased A). Whether a case-ignorable character is cased never matters.
    fn sets() -> (Vec<u8>, Vec<u8>) {
        let final_sigma = |s: String| s.to_lowercase().ends_with('ς');
        let (mut ignorable, mut cased) = (vec![false; 0x11_0000], vec![false; 0x11_0000]);
        for c in chars() {
            if final_sigma(format!("{c}Σ")) || c == CAPITAL_SIGMA {
                cased[c as usize] = true;
            } else if final_sigma(format!("A{c}Σ")) {
                ignorable[c as usize] = true;
            }
        }
        (runs(&ignorable), runs(&cased))
    }

    fn runs(set: &[bool]) -> Vec<u8> {
        let mut bytes = Vec::new();
        let (mut inside, mut len) = (false, 0);
        for &x in set {
            if x == inside {
                len += 1;
            } else {
                leb(&mut bytes, len);
                (inside, len) = (x, 1);
            }
        }
        bytes
    }

    fn source() -> String {
        let (ignorable, cased) = sets();
        let mut out = String::from(
            "//! Written by the tests of `src/base/lowercase.rs` from std's lowercase mapping; do not edit.\n\n",
        );
        out.push_str("/// `(first, count, stride, offset)`, in order of `first`.\n");
        out.push_str("pub(super) const MAPPING: &[(u32, u8, u8, i32)] = &[\n");
        for (first, count, stride, offset) in mapping() {
            writeln!(out, "    (0x{first:04x}, {count}, {stride}, {offset}),").unwrap();
        }
        out.push_str("];\n");
        for (name, bytes) in [("CASE_IGNORABLE", ignorable), ("CASED", cased)] {
            out.push_str(
                "\n/// The lengths of the set's runs, alternately out and in from 0, in LEB128.\n",
            );
            writeln!(out, "pub(super) const {name}: &[u8] = b\"\\").unwrap();
            for line in bytes.chunks(24) {
                out.push_str("    ");
                for b in line {
                    write!(out, "\\x{b:02x}").unwrap();
                }
                out.push_str("\\\n");
            }
            out.push_str("\";\n");
        }
        out
    }

    #[test]
    fn tables_are_written_from_std() {
        let fresh = source();
        let root = env!("CARGO_MANIFEST_DIR");
        if std::env::var_os("LEADHOOK_WRITE_TABLES").is_some() {
            std::fs::write(format!("{root}/{PATH}"), &fresh).unwrap();
        }
        let committed = std::fs::read_to_string(format!("{root}/{PATH}")).unwrap();
        assert!(
            committed == fresh,
            "{PATH} is not what std gives now; write it again: LEADHOOK_WRITE_TABLES=1 cargo test --lib lowercase"
        );
    }

    /// Every code point where a table's answer changes, and its neighbours: where a misread run
    /// would show first.
    fn edges() -> Vec<u32> {
        let mut at = Vec::new();
        for set in [tables::CASE_IGNORABLE, tables::CASED] {
            let (mut runs, mut end) = (set, 0);
            while let Some(len) = next_number(&mut runs) {
                end += len;
                at.push(end);
            }
        }
        for &(first, count, stride, _) in tables::MAPPING {
            let last = first + (u32::from(count) - 1) * u32::from(stride);
            at.extend([first, first + 1, last, last + 1]);
        }
        at.iter()
            .flat_map(|&c| [c.saturating_sub(2), c.saturating_sub(1), c, c + 1])
            .collect()
    }

    fn unlike_std(strings: impl Iterator<Item = String>) -> Vec<String> {
        strings
            .filter(|s| lower(s) != s.to_lowercase())
            .take(10)
            .collect()
    }

    #[test]
    fn lower_is_std_where_the_tables_change() {
        // The edges, all of the first scripts, and a spread of the rest, alone and in words.
        let codes = || {
            let spread = (0x3000..=0x10_ffff).step_by(61);
            edges()
                .into_iter()
                .chain(0..0x3000)
                .chain(spread)
                .filter_map(char::from_u32)
        };
        let alone = unlike_std(codes().map(|c| format!("A{c}")));
        assert!(alone.is_empty(), "lowercase unlike std: {alone:?}");
        // Whether Σ ends a word depends only on the sets, so their edges and Greek are enough.
        let near_sigma = edges()
            .into_iter()
            .chain(0x370..0x400)
            .filter_map(char::from_u32);
        let sigma = unlike_std(near_sigma.flat_map(|c| {
            [
                format!("{c}Σ"),
                format!("A{c}Σ"),
                format!("AΣ{c}"),
                format!("AΣ{c}a"),
            ]
        }));
        assert!(sigma.is_empty(), "final sigma unlike std: {sigma:?}");
    }

    #[test]
    fn python_examples() {
        assert_eq!(lower("Meta Ad Account"), "meta ad account");
        assert_eq!(lower("ΟΔΟΣ Page"), "οδος page");
        assert_eq!(lower("ΣΑ"), "σα");
        assert_eq!(lower("İstanbul"), "i\u{307}stanbul");
        assert_eq!(lower("\u{212a} Kelvin"), "k kelvin");
        assert_eq!(lower("ᾼ Page"), "ᾳ page");
    }
}
