//! Native timing of the core on one body: `cargo run --release --example timing -- FILE`.

use std::time::Instant;

use leadhook::Options;

fn main() {
    let path = std::env::args().nth(1).unwrap_or_else(|| {
        eprintln!("usage: timing FILE");
        std::process::exit(2)
    });
    let body = std::fs::read(&path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(1)
    });
    let opts = Options::default();
    let n = 20_000;
    let t = Instant::now();
    for _ in 0..n {
        std::hint::black_box(leadhook::validate(std::hint::black_box(&body), &opts));
    }
    println!(
        "validate: {:.2} µs",
        t.elapsed().as_secs_f64() * 1e6 / n as f64
    );
    let t = Instant::now();
    for _ in 0..n {
        let text = std::str::from_utf8(&body).unwrap_or_default();
        std::hint::black_box(leadhook::json::read(std::hint::black_box(text), 64).is_ok());
    }
    println!(
        "read:     {:.2} µs",
        t.elapsed().as_secs_f64() * 1e6 / n as f64
    );
    let t = Instant::now();
    for _ in 0..n {
        std::hint::black_box(
            leadhook::flatten(std::hint::black_box(&body), &opts)
                .map(|f| f.to_json())
                .is_ok(),
        );
    }
    println!(
        "flatten:  {:.2} µs",
        t.elapsed().as_secs_f64() * 1e6 / n as f64
    );
}
