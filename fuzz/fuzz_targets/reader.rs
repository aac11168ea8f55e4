//! The hand-written reader against serde_json: the same texts accepted (numbers past f64's
//! range aside, which serde_json alone refuses), and no panic on any bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let ours = leadhook::json::tree(text, 100);
    let theirs = serde_json::from_str::<serde_json::Value>(text);
    match (&ours, &theirs) {
        (Ok(_), Err(e)) if e.to_string().starts_with("number out of range") => {}
        // Deeper than our limit or serde_json's recursion limit (128): each refuses its own.
        (Err(leadhook::json::ReadError::TooDeep { .. }), _) => {}
        (Ok(_), Err(e)) if e.to_string().starts_with("recursion limit") => {}
        (Ok(_), Err(e)) => panic!("only leadhook accepts ({e}): {text:?}"),
        (Err(e), Ok(_)) => panic!("only serde_json accepts ({e:?}): {text:?}"),
        _ => {}
    }
});
