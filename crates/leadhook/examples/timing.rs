//! Native timing of the core on one body: `cargo run --release --example timing -- FILE`.
//! (`CARGO_PROFILE_RELEASE_OPT_LEVEL=3` matches Cargo.toml's release profile, if it differs.)
#![allow(clippy::cast_precision_loss)] // printing µs per call

use std::time::Instant;

use leadhook::Options;

/// Median over 9 rounds of `n` calls of `f`, in µs per call.
fn time(n: usize, mut f: impl FnMut()) -> f64 {
    let mut rounds: Vec<f64> = (0..9)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..n {
                f();
            }
            t.elapsed().as_secs_f64() * 1e6 / n as f64
        })
        .collect();
    rounds.sort_by(f64::total_cmp);
    rounds[rounds.len() / 2]
}

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
    let n = 5_000;
    let lines: [(&str, &mut dyn FnMut()); 4] = [
        ("validate:", &mut || {
            std::hint::black_box(leadhook::validate(std::hint::black_box(&body), &opts));
        }),
        ("read (tree only):", &mut || {
            let text = std::str::from_utf8(std::hint::black_box(&body)).unwrap_or_default();
            std::hint::black_box(leadhook::json::tree(text, 64).is_ok());
        }),
        ("detect:", &mut || {
            std::hint::black_box(leadhook::detect(std::hint::black_box(&body), &opts));
        }),
        ("flatten:", &mut || {
            std::hint::black_box(
                leadhook::flatten(std::hint::black_box(&body), &opts)
                    .map(|f| f.to_json())
                    .is_ok(),
            );
        }),
    ];
    for (name, f) in lines {
        println!("{name:<22} {:7.2} µs", time(n, f));
    }
}
