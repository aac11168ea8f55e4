//! The plan of the house (ARCHITECTURE.md), kept by a test: the library holds no WebAssembly
//! binding, and no `crate::` path runs back up a floor except those listed in [`KNOWN_UP`],
//! which are to be removed, never added to. `cargo test --test architecture -- --nocapture`
//! prints the plan: rooms, floors, arrows, the arrows running back up, and the circles.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// Each room of `src/` (a file, or a folder counted whole) and its floor: 1 base, 2 the
/// interpreter and the flat records, 3 what the kinds know, 4 the public functions.
const FLOORS: &[(&str, u8)] = &[
    ("json", 1),
    ("issue", 1),
    ("kind", 1),
    ("text", 1),
    ("lowercase", 1),
    ("options", 1),
    ("sender", 1),
    ("rules", 2),
    ("formats", 2),
    ("walker", 2),
    ("report", 2),
    ("input", 2),
    ("form", 2),
    ("flatten/flat", 2),
    ("flatten/zapier", 2),
    ("csv", 2),
    ("budget", 2),
    ("kinds", 3),
    ("event_key", 3),
    ("event_type", 3),
    ("flatten", 3),
    ("upgrade", 3),
    ("lib", 4),
    ("options_json", 4),
    ("redact", 4),
    ("verify", 4),
    ("signature", 4),
    ("code_step", 4),
    ("json_schema", 4),
    ("records", 4),
];

/// What `lib.rs` re-exports, by the room that defines it.
const REEXPORTS: &[(&str, &str)] = &[
    ("Flat", "flatten/flat"),
    ("Scalar", "flatten/flat"),
    ("Body", "input"),
    ("Code", "issue"),
    ("Issue", "issue"),
    ("Kind", "kind"),
    ("OutputGrowth", "issue"),
    ("Problem", "issue"),
    ("Value", "json"),
    ("KindSpec", "kinds"),
    ("KINDS", "kinds"),
    ("Options", "options"),
    ("Report", "report"),
];

/// The arrows that run back up today, `from → to`: each is to be removed (ARCHITECTURE.md, "Where
/// the house is going"); none may be added.
const KNOWN_UP: &[&str] = &[];

fn floor(room: &str) -> u8 {
    FLOORS.iter().find(|(r, _)| *r == room).map_or_else(
        || panic!("room {room} has no floor: add it to FLOORS"),
        |(_, f)| *f,
    )
}

/// The room of a file under `src/`: `kinds/` and `lowercase/` whole, `flatten/` by file.
fn room_of(rel: &str) -> String {
    let rel = rel.trim_end_matches(".rs");
    let rel = rel.strip_suffix("/mod").unwrap_or(rel);
    match rel.split('/').next() {
        Some(top @ ("kinds" | "lowercase")) => top.to_owned(),
        _ => rel.to_owned(),
    }
}

/// The room a `crate::` path names: its module, or for an item of `lib.rs` the room that
/// defines it (re-exports) or `lib`.
fn target(path: &str) -> String {
    let mut segments = path.split("::").map(str::trim);
    let first = segments.next().unwrap_or("");
    let second = segments.next().unwrap_or("");
    if let Some((_, room)) = REEXPORTS.iter().find(|(name, _)| *name == first) {
        return (*room).to_owned();
    }
    if first == "flatten" && ["flat", "zapier"].contains(&second) {
        return format!("flatten/{second}");
    }
    // What `flatten/mod.rs` re-exports from `flat.rs`.
    if first == "flatten" && ["Flat", "Scalar", "align"].contains(&second) {
        return "flatten/flat".to_owned();
    }
    if FLOORS.iter().any(|(r, _)| *r == first) {
        return first.to_owned();
    }
    "lib".to_owned()
}

/// Every path after `crate::` in `text`, each item of a `{…}` group as a path of its own.
fn crate_paths(text: &str) -> Vec<String> {
    let mut paths = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
            .unwrap_or(rest.len());
        let prefix = &rest[..end];
        match rest[end..].strip_prefix('{') {
            Some(group) if prefix.is_empty() || prefix.ends_with("::") => {
                for item in group_items(group) {
                    paths.push(format!("{prefix}{}", item.trim()));
                }
            }
            _ => paths.push(prefix.to_owned()),
        }
    }
    paths.retain(|p| !p.trim().is_empty());
    paths
}

/// The items of a `{…}` group whose `{` is already read, split at its own commas.
fn group_items(group: &str) -> Vec<String> {
    let mut items = vec![String::new()];
    let mut depth = 0;
    for c in group.chars() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => items.push(String::new()),
            _ => {}
        }
        if !(c == ',' && depth == 0) {
            if let Some(item) = items.last_mut() {
                item.push(c);
            }
        }
    }
    items
}

fn files(dir: &Path, out: &mut Vec<(String, String)>, root: &Path) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out, root);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, fs::read_to_string(&path).unwrap()));
        }
    }
}

fn library() -> Vec<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = Vec::new();
    files(&src, &mut out, &src);
    out.sort();
    out
}

/// The circles of a graph: its strongly connected parts of more than one room.
fn circles(arrows: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    // Kosaraju: finish order on the graph, then parts on the reversed graph.
    fn visit(
        n: &str,
        g: &BTreeMap<String, BTreeSet<String>>,
        seen: &mut BTreeSet<String>,
        out: &mut Vec<String>,
    ) {
        if !seen.insert(n.to_owned()) {
            return;
        }
        for m in g.get(n).into_iter().flatten() {
            visit(m, g, seen, out);
        }
        out.push(n.to_owned());
    }
    let mut reversed: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, tos) in arrows {
        for to in tos {
            reversed.entry(to.clone()).or_default().insert(from.clone());
        }
    }
    let (mut seen, mut order) = (BTreeSet::new(), Vec::new());
    for n in arrows.keys() {
        visit(n, arrows, &mut seen, &mut order);
    }
    let mut assigned = BTreeSet::new();
    let mut parts = Vec::new();
    for n in order.iter().rev() {
        let mut part = Vec::new();
        visit(n, &reversed, &mut assigned, &mut part);
        if part.len() > 1 {
            part.sort();
            parts.push(part);
        }
    }
    parts
}

#[test]
fn the_library_holds_no_webassembly_binding() {
    for (file, text) in library() {
        for banned in [
            "wasm_bindgen",
            "global_allocator",
            "target_arch = \"wasm32\"",
        ] {
            // The tables' documentation is a `()` in the module: the one use of the target.
            if file == "rules.rs" && banned.starts_with("target_arch") {
                continue;
            }
            assert!(
                !text.contains(banned),
                "src/{file} mentions {banned}: it belongs in crates/leadhook-wasm"
            );
        }
    }
}

#[test]
fn no_arrow_runs_back_up_but_the_known_ones() {
    let mut arrows: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (file, text) in library() {
        let from = room_of(&file);
        // The code without comments, and without its tests (a test module ends the file).
        let code: String = text
            .lines()
            .take_while(|l| l.trim() != "#[cfg(test)]")
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        for path in crate_paths(&code) {
            let to = target(&path);
            if to != from {
                arrows.entry(from.clone()).or_default().insert(to);
            }
        }
    }
    let rooms: BTreeSet<&str> = FLOORS.iter().map(|(r, _)| *r).collect();
    let up: Vec<String> = arrows
        .iter()
        .flat_map(|(from, tos)| tos.iter().map(move |to| (from, to)))
        .filter(|(from, to)| floor(to) > floor(from))
        .map(|(from, to)| format!("{from} → {to}"))
        .collect();
    let circles = circles(&arrows);
    println!(
        "rooms {}, floors {}, arrows {}, running back up {}, circles {}",
        rooms.len(),
        FLOORS.iter().map(|(_, f)| f).collect::<BTreeSet<_>>().len(),
        arrows.values().map(BTreeSet::len).sum::<usize>(),
        up.len(),
        circles.len()
    );
    for arrow in &up {
        println!("  up: {arrow}");
    }
    for circle in &circles {
        println!("  circle of {}: {}", circle.len(), circle.join(", "));
    }
    let new: Vec<&String> = up
        .iter()
        .filter(|a| !KNOWN_UP.contains(&a.as_str()))
        .collect();
    assert!(
        new.is_empty(),
        "imports that run back up a floor: {new:?} (ARCHITECTURE.md)"
    );
    let gone: Vec<&&str> = KNOWN_UP
        .iter()
        .filter(|a| !up.iter().any(|u| u == *a))
        .collect();
    assert!(
        gone.is_empty(),
        "removed, so take them off KNOWN_UP too: {gone:?}"
    );
}
