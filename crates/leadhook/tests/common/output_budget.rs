//! The output budget's promise on one body, shared by `tests/output_budget.rs` and the fuzz
//! target `bounded`: every output of `flatten`, `rows` and `toCsv` within `maxOutputBytes`, and
//! the memory each call (and the code step's reading of its `inputData`) allocates within
//! [`WORK_PER_BYTE`] times its body and budget. Allocated bytes stand for work: unlike time, they do not vary with the machine.

use leadhook::Options;

/// Bytes a call may allocate per byte of its body and budget, past a floor of [`FLOOR`].
pub const WORK_PER_BYTE: usize = 64;
pub const FLOOR: usize = 1 << 20;

/// Checks `body` under `opts` (whose `max_output_bytes` must be set); `allocated(f)` runs `f` and
/// answers how many bytes it allocated. The first broken promise, if any.
pub fn check(
    body: &[u8],
    opts: &Options,
    allocated: &dyn Fn(&mut dyn FnMut()) -> usize,
) -> Result<(), String> {
    let max = opts.max_output_bytes.unwrap_or(usize::MAX);
    let work = WORK_PER_BYTE
        .saturating_mul(body.len().saturating_add(max.min(1 << 24)))
        .saturating_add(FLOOR);
    let mut outputs: Vec<(&str, usize, usize)> = Vec::new();
    let mut run = |what: &'static str, limit: usize, f: &mut dyn FnMut() -> Option<usize>| {
        let mut size = None;
        let bytes = allocated(&mut || size = f());
        outputs.push((what, size.unwrap_or(0), limit));
        if bytes > work {
            return Err(format!("{what}: allocated {bytes} bytes, over {work}"));
        }
        Ok(())
    };
    run("flatten", max, &mut || {
        leadhook::flatten(body, opts).ok().map(|f| f.json_len())
    })?;
    run("rows", max, &mut || {
        leadhook::rows(body, opts)
            .ok()
            .map(|rows| rows.iter().map(leadhook::Flat::json_len).sum())
    })?;
    // A cell is quoted and its quotes doubled at most: twice the rows' JSON.
    run(
        "toCsv",
        max.saturating_mul(2).saturating_add(64),
        &mut || leadhook::to_csv(body, opts).ok().map(|csv| csv.len()),
    )?;
    // Its answer is flatten's, rows' or events' (made in JavaScript); its plan holds the payload.
    let line_items = Options {
        line_items: true,
        ..opts.clone()
    };
    run("codeStep's plan", usize::MAX, &mut || {
        leadhook::code_step::plan(body, &line_items, true)
            .ok()
            .map(|_| 0)
    })?;
    for (what, size, limit) in outputs {
        if size > limit {
            return Err(format!("{what}: {size} bytes of output, over {limit}"));
        }
    }
    Ok(())
}
