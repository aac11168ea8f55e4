//! Build-time tasks of leadhook, never part of the `.wasm`:
//!
//! `cargo xtask build-wasm OUT_DIR`: the WebAssembly module and its two glues, from one build.
//!  1. `cargo build --release --target wasm32-unknown-unknown --package leadhook-wasm`;
//!  2. wasm-bindgen, as a library pinned to the `wasm-bindgen` crate, twice on that one `.wasm`:
//!     the web target's ES-module glue into `OUT_DIR/web`, the no-modules target's plain-script
//!     glue (for the inline files) into `OUT_DIR/no-modules`, each `leadhook.js` with its
//!     `leadhook_bg.wasm`;
//!  3. binaryen's `wasm-opt` (`node_modules/.bin`, from `npm ci`) once, with [`WASM_OPT`]; the
//!     one optimised module is written beside both glues.
//!
//! `cargo xtask build-wasm OUT_DIR --names`: the same, the functions' names kept in the module
//! (`wasm-opt -g`), so that a profile of it names them (`node bench/profile.mjs --functions`).
//! The package never ships it: the names are 16 KB.
//!
//! `cargo xtask payload-types`: prints the payload part of `index.d.ts`, written from the kinds'
//! tables (`typescript.rs`).
//!
//! `cargo xtask schemas OUT_DIR`: each kind's JSON Schema (draft 2020-12), from the same tables
//! the validator reads, as `OUT_DIR/<kind>.json`: `schema(kind)` in JavaScript returns them, so
//! the module carries no schema writer (2,747 bytes gzipped).
//!
//! `cargo xtask senders`: prints each kind's sender manners as the object literal the receiver
//! reads (`senders.rs`).
//! `cargo xtask defaults`: prints the options' defaults as JSON, for the package's JavaScript.
//! `cargo xtask kinds`: prints the kinds' names in detection order (their places in `KINDS`,
//! which `validate` answers with), as JSON, for the package's JavaScript.

mod senders;
mod typescript;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use wasm_bindgen_cli_support::Bindgen;

/// `-Oz`: 622 bytes smaller gzipped than `-O2` and no slower (bench/compare.mjs, the builds
/// side by side: `-Os` against `-O2` 0.89-1.04x on every workload, `-Oz` against `-Os`
/// 0.97-1.05x, where a build against itself reads 0.88-1.08x; 91,979 bytes against 92,122 with
/// `-Os`). Earlier, `-O2` had been smaller than `-Oz` (94.8 KB against 95.6 KB). The producers and target-features sections are for tools,
/// which have run by then: 214 bytes gzipped that no runtime reads. Memory packing splits the
/// data into some 300 segments to leave out their runs of zeros; gzip packs the zeros better
/// than the segments' headers: without it the `.wasm` is 3 KB larger but 737 bytes smaller
/// gzipped (89,104 against 89,841 when it was turned off), and its memory starts the same.
/// `--converge` runs the passes again until nothing changes: 257 bytes smaller gzipped (92,301
/// against 92,558), the same passes, so no slower.
const WASM_OPT: &[&str] = &[
    "-Oz",
    "--converge",
    "--skip-pass=memory-packing",
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    // The module never uses its first 1 KiB (Rust's stack starts at 1 MiB and grows down, its
    // data above it), so wasm-opt may fold constant offsets into loads and stores: 422 bytes.
    "--low-memory-unused",
    "--strip-producers",
    "--strip-target-features",
];

/// The name of the glue and module files: `leadhook.js`, `leadhook_bg.wasm`.
const OUT_NAME: &str = "leadhook";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let done = match args.as_slice() {
        [task, out] if task == "build-wasm" => build_wasm(Path::new(out), false),
        [task, out, names] if task == "build-wasm" && names == "--names" => {
            build_wasm(Path::new(out), true)
        }
        [task] if task == "payload-types" => {
            print!("{}", typescript::payload_types());
            Ok(())
        }
        [task] if task == "senders" => {
            println!("{}", senders::table());
            Ok(())
        }
        [task, out] if task == "schemas" => schemas(Path::new(out)),
        [task] if task == "kinds" => {
            let names: Vec<String> = leadhook::KINDS
                .iter()
                .map(|spec| format!("\"{}\"", spec.name))
                .collect();
            println!("[{}]", names.join(","));
            Ok(())
        }
        [task] if task == "defaults" => {
            let d = leadhook::Options::default();
            println!(
                "{{\"maxBytes\":{},\"maxDepth\":{},\"maxIssues\":{}}}",
                d.max_bytes, d.max_depth, d.max_issues
            );
            Ok(())
        }
        _ => {
            eprintln!("usage: cargo xtask build-wasm OUT_DIR [--names] | cargo xtask payload-types | cargo xtask senders | cargo xtask schemas OUT_DIR | cargo xtask defaults | cargo xtask kinds");
            return ExitCode::from(2);
        }
    };
    match done {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The checkout: xtask's parent.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

fn build_wasm(out: &Path, names: bool) -> Result<(), String> {
    let root = root();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    run(Command::new(cargo).current_dir(&root).args([
        "build",
        "--release",
        "--target",
        "wasm32-unknown-unknown",
        "--package",
        "leadhook-wasm",
    ]))?;
    // Where cargo put it: CARGO_TARGET_DIR when set (the scratch-kind test builds a copy of the
    // checkout into the checkout's own target, to reuse what is compiled).
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let module = target.join("wasm32-unknown-unknown/release/leadhook_wasm.wasm");
    for (dir, web) in [("web", true), ("no-modules", false)] {
        let mut bindgen = Bindgen::new();
        bindgen
            .input_path(&module)
            .out_name(OUT_NAME)
            .typescript(false)
            // As the wasm-bindgen command line: the no-modules glue finds the module beside
            // its script when given no path.
            .omit_default_module_path(false);
        let chosen = if web {
            bindgen.web(true)
        } else {
            bindgen.no_modules(true)
        };
        chosen
            .and_then(|b| b.generate(out.join(dir)))
            .map_err(|e| format!("wasm-bindgen ({dir}): {e:#}"))?;
    }
    let bound = |dir: &str| out.join(dir).join(format!("{OUT_NAME}_bg.wasm"));
    let (web, no_modules) = (bound("web"), bound("no-modules"));
    let same = std::fs::read(&web).ok() == std::fs::read(&no_modules).ok();
    if !same {
        return Err(
            "the web and no-modules glues bound different modules; one file cannot serve both"
                .into(),
        );
    }
    let wasm_opt = root.join("node_modules/.bin/wasm-opt");
    if !wasm_opt.exists() {
        return Err(format!(
            "{} not found: run scripts/setup.sh (npm ci) first",
            wasm_opt.display()
        ));
    }
    let optimised = out.join(format!("{OUT_NAME}_bg.opt.wasm"));
    run(Command::new(&wasm_opt)
        .arg(&web)
        .arg("-o")
        .arg(&optimised)
        .args(WASM_OPT)
        .args(names.then_some("-g")))?;
    for target in [&web, &no_modules] {
        std::fs::copy(&optimised, target).map_err(|e| format!("{}: {e}", target.display()))?;
    }
    std::fs::remove_file(&optimised).map_err(|e| format!("{}: {e}", optimised.display()))
}

/// Runs a command, its output passed through; an error unless it succeeds.
fn schemas(out: &Path) -> Result<(), String> {
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    for spec in leadhook::KINDS {
        let file = out.join(format!("{}.json", spec.name));
        std::fs::write(&file, leadhook::schema(spec.kind) + "\n")
            .map_err(|e| format!("{}: {e}", file.display()))?;
    }
    Ok(())
}

fn run(command: &mut Command) -> Result<(), String> {
    let status = command.status().map_err(|e| format!("{command:?}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{command:?}: {status}"))
    }
}
