//! The secret rule: whatever the body and however it is read, no output but `parse` depends on
//! the value of its top-level `secret`. The fuzzer's bytes are spliced into a lead event (and
//! bodies read as every kind); each is answered twice, with two secrets of the same length, and
//! every output must be the same: an output that carried the secret would differ. (Searching
//! the outputs for the secret's text would flag the fuzzer for copying it into other fields.)
#![no_main]

use libfuzzer_sys::fuzz_target;
use leadhook::{Kind, Options};

fn outputs(body: &str, opts: &Options) -> Vec<String> {
    let b = body.as_bytes();
    let strict = Options { strict: true, ..opts.clone() };
    let mut outs = vec![
        leadhook::validate(b, opts).to_json(),
        leadhook::validate(b, &strict).to_json(),
    ];
    // What the code step reads of a wrapper, but the payload's text: that is `parse`'s to hold.
    if let Ok(plan) = leadhook::code_step::plan(b, opts, true) {
        outs.push(format!("{:?}", (plan.url, plan.content_type, plan.line_items, plan.keys)));
    }
    outs.push(leadhook::flatten(b, opts).map(|f| f.to_json()).unwrap_or_default());
    if let Ok(rows) = leadhook::rows(b, opts) {
        outs.extend(rows.iter().map(|r| r.to_json()));
    }
    outs.push(leadhook::to_csv(b, opts).unwrap_or_default());
    outs.push(leadhook::upgrade(b, opts).map(|v| v.to_json()).unwrap_or_default());
    outs
}

fuzz_target!(|data: &[u8]| {
    let Ok(extra) = std::str::from_utf8(data) else {
        return;
    };
    let shapes = [
        |s: &str, x: &str| format!(r#"{{"id_space":"s","event":"lead.create","secret":"{s}","payload":{x}}}"#),
        |s: &str, x: &str| format!(r#"{{"secret":"{s}",{x}}}"#),
        |s: &str, x: &str| format!(r#"[{{"secret":"{s}","mx_a":{x}}}]"#),
        |s: &str, x: &str| format!("secret={s}&{x}"),
    ];
    for shape in shapes {
        let (a, b) = (shape("wh_aaaaaaaaaaaaaaaa", extra), shape("wh_bbbbbbbbbbbbbbbb", extra));
        for kind in [None].into_iter().chain(Kind::all().map(Some)) {
            let opts = Options { kind, ..Options::default() };
            assert_eq!(outputs(&a, &opts), outputs(&b, &opts), "{a:?} as {kind:?}");
        }
    }
});
