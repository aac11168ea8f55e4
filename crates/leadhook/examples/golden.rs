//! Prints a case's outputs as the golden members of its `.expect.json` (`flatten`, `rows`,
//! `csv`, `upgrade`), for review before they are pinned: `cargo run --example golden -- BODY [OPTS_JSON]`.

use leadhook::Options;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(path), opts) = (args.next(), args.next()) else {
        eprintln!("usage: golden BODY [OPTS_JSON]");
        std::process::exit(2);
    };
    let body = std::fs::read(&path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(1)
    });
    let opts = Options::from_json(opts.as_deref().unwrap_or("")).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2)
    });
    let mut members = Vec::new();
    if let Ok(flat) = leadhook::flatten(&body, &opts) {
        members.push(format!("\"flatten\":{}", flat.to_json()));
    }
    if let Ok(rows) = leadhook::rows(&body, &opts) {
        let rows: Vec<String> = rows.iter().map(leadhook::Flat::to_json).collect();
        members.push(format!("\"rows\":[{}]", rows.join(",")));
    }
    if let Ok(csv) = leadhook::to_csv(&body, &opts) {
        let mut s = String::new();
        leadhook::json::write_string(&mut s, &csv);
        members.push(format!("\"csv\":{s}"));
    }
    if let Ok(v) = leadhook::upgrade(&body, &opts) {
        members.push(format!("\"upgrade\":{}", v.to_json()));
    }
    println!("{{{}}}", members.join(","));
}
