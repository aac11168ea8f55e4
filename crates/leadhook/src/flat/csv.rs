//! RFC 4180 CSV of flat rows, with spreadsheet formulas neutralised.

use std::borrow::Cow;

use crate::base::issue::{Code, Issue};
use crate::base::json::Value;
use crate::flat::{Flat, Scalar};

/// A header row of the keys, then one record per row, each line ending in CRLF. The rows are
/// aligned already ([`crate::flat::align`]): all have the first one's keys.
pub fn write(rows: &[Flat]) -> String {
    let mut out = String::new();
    let Some(first) = rows.first() else {
        return out;
    };
    write_record(&mut out, first.keys().map(|k| (k, false)));
    for row in rows {
        let cells: Vec<(Cow<str>, bool)> = row
            .iter()
            .map(|(_, v)| (v.text(), matches!(v, Scalar::Number(_))))
            .collect();
        write_record(&mut out, cells.iter().map(|(c, n)| (c.as_ref(), *n)));
    }
    out
}

/// Writes one record: each cell with whether it is a number (a number is never a formula).
fn write_record<'s>(out: &mut String, cells: impl Iterator<Item = (&'s str, bool)>) {
    for (i, (cell, number)) in cells.enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_cell(out, cell, number);
    }
    out.push_str("\r\n");
}

/// Whether a spreadsheet could run a cell as a formula: it starts with `=`, `+`, `-`, `@`, tab
/// or CR, or its first character past any whitespace, control characters and invisible marks
/// (spaces, tabs, line breaks, NUL and the other C0/C1 controls, NBSP, zero-width spaces and
/// joiners, direction marks and embeddings, BOM) is one of `=+-@|` or a fullwidth `＝＋－＠`:
/// a spreadsheet may drop what it does not show and read the rest as a formula. One pass.
fn is_formula(cell: &str) -> bool {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        return true;
    }
    let blank = |c: char| {
        c.is_whitespace()
            || c.is_control()
            || matches!(
                c,
                '\u{a0}'
                    | '\u{200b}'..='\u{200f}'
                    | '\u{202a}'..='\u{202e}'
                    | '\u{2060}'..='\u{2064}'
                    | '\u{2066}'..='\u{2069}'
                    | '\u{feff}'
            )
    };
    cell.trim_start_matches(blank).starts_with([
        '=', '+', '-', '@', '|', '\u{ff1d}', '\u{ff0b}', '\u{ff0d}', '\u{ff20}',
    ])
}

/// A cell that a spreadsheet would run as a formula gets a leading `'`; a cell holding a
/// comma, quote or line break is quoted, its quotes doubled.
fn write_cell(out: &mut String, cell: &str, number: bool) {
    let formula = !number && is_formula(cell);
    // By bytes: these are all ASCII, and std's pattern search is large code in the .wasm.
    let quote = cell
        .bytes()
        .any(|b| matches!(b, b',' | b'"' | b'\r' | b'\n'));
    if quote {
        out.push('"');
    }
    if formula {
        out.push('\'');
    }
    if quote {
        let mut start = 0;
        for (i, b) in cell.bytes().enumerate() {
            if b == b'"' {
                out.push_str(cell.get(start..=i).unwrap_or_default());
                out.push('"');
                start = i + 1;
            }
        }
        out.push_str(cell.get(start..).unwrap_or_default());
        out.push('"');
    } else {
        out.push_str(cell);
    }
}

/// Whether a value is already rows: a non-empty array of objects whose values are all scalars.
pub fn is_rows(value: &Value) -> bool {
    match value {
        Value::Array(items) => {
            !items.is_empty()
                && items.iter().all(|item| match item {
                    Value::Object(members) => members
                        .iter()
                        .all(|(_, v)| !matches!(v, Value::Array(_) | Value::Object(_))),
                    _ => false,
                })
        }
        _ => false,
    }
}

/// Rows from an array of flat objects (what `rows` returned, perhaps edited by the user).
pub fn rows_from_value<'a>(value: &Value<'a>) -> Result<Vec<Flat<'a>>, Issue> {
    let Value::Array(items) = value else {
        return Err(Issue::new(Code::FieldType, "", "expected an array of rows"));
    };
    let mut rows = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let Value::Object(members) = item else {
            return Err(Issue::new(
                Code::FieldType,
                format!("/{i}"),
                "expected a row object",
            ));
        };
        let mut row = Flat::new();
        for (k, v) in members {
            let s = Scalar::from_value(v).ok_or_else(|| {
                Issue::new(
                    Code::FieldType,
                    crate::base::issue::child(&format!("/{i}"), k),
                    "expected a string, number, boolean or null",
                )
            })?;
            row.push(k.clone(), s);
        }
        row.resolve(|earlier, later| *earlier = later);
        rows.push(row);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flat::align;

    fn row<'a>(pairs: &[(&'a str, Scalar<'a>)]) -> Flat<'a> {
        let mut f = Flat::new();
        for (k, v) in pairs {
            f.set(*k, v.clone());
        }
        f
    }

    #[test]
    fn quotes_and_neutralises() {
        let rows = vec![
            row(&[
                ("a", Scalar::str("x,y")),
                ("b", Scalar::str("=SUM(A1)")),
                ("c", Scalar::Null),
            ]),
            row(&[
                ("a", Scalar::str("say \"hi\"")),
                ("b", Scalar::str("-1,2")),
                ("c", Scalar::Bool(true)),
            ]),
        ];
        assert_eq!(
            write(&align(rows, usize::MAX).unwrap()),
            "a,b,c\r\n\"x,y\",'=SUM(A1),\r\n\"say \"\"hi\"\"\",\"'-1,2\",true\r\n"
        );
        assert_eq!(write(&[]), "");
    }

    #[test]
    fn neutralises_formulas_behind_whitespace_and_fullwidth() {
        for cell in [
            " =1+1",
            "\u{a0}+cmd",
            "\u{200b}@SUM",
            "\u{feff}-x",
            "\n=1",
            "|calc",
            "＝1",
            "＋1",
            "－1",
            "＠x",
        ] {
            assert!(is_formula(cell), "{cell:?}");
        }
        for cell in ["a=1", "1-2", "", "  ", "x|y"] {
            assert!(!is_formula(cell), "{cell:?}");
        }
        let rows = vec![row(&[
            ("n", Scalar::Number(Cow::Borrowed("-1"))),
            ("s", Scalar::str("-1")),
        ])];
        assert_eq!(
            write(&align(rows, usize::MAX).unwrap()),
            "n,s\r\n-1,'-1\r\n"
        );
    }

    #[test]
    fn neutralises_formulas_behind_control_characters() {
        for cell in [
            "\u{0}=cmd()",
            "\u{1}+1",
            "\u{1b}-1",
            "\u{7f}@SUM(A1)",
            "\u{85}=1",
            "\u{0}\u{0} \u{1}|calc",
            "\u{200e}=1",
            "\u{202e}+1",
            "\u{2060}@x",
        ] {
            assert!(is_formula(cell), "{cell:?}");
            let mut out = String::new();
            write_cell(&mut out, cell, false);
            assert_eq!(out, format!("'{cell}"));
        }
        for cell in ["\u{0}a", "\u{1}", "\u{7f}1=1"] {
            assert!(!is_formula(cell), "{cell:?}");
        }
        // Linear: a long run of controls before the sign is one pass.
        let long = "\u{1}".repeat(1 << 20) + "=1";
        assert!(is_formula(&long));
    }
}
