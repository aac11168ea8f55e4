//! Prints what leadhook makes of body files: `cargo run --example inspect -- FILE [URL]`.

use leadhook::Options;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: inspect FILE [URL]");
        std::process::exit(2);
    };
    let body = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    let opts = Options {
        url: args.next(),
        ..Options::default()
    };
    println!("report:  {}", leadhook::validate(&body, &opts).to_json());
    match leadhook::flatten(&body, &opts) {
        Ok(flat) => println!("flatten: {}", flat.to_json()),
        Err(report) => println!("flatten failed: {} errors", report.errors.len()),
    }
    if let Ok(rows) = leadhook::rows(&body, &opts) {
        for row in rows {
            println!("row:     {}", row.to_json());
        }
    }
}
