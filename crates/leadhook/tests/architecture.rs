//! The plan of the house (ARCHITECTURE.md), kept by a test: the library holds no WebAssembly
//! binding, and no `crate::` path runs back up a floor except those listed in [`KNOWN_UP`],
//! which are to be removed, never added to. `cargo test --test architecture -- --nocapture`
//! prints the plan: rooms, floors, arrows, the arrows running back up, and the circles.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// The floors, by folder of `src/`: an import may only run down or across. `lib.rs` only says
/// what is public.
const FLOORS: &[(&str, u8)] = &[
    ("base", 1),
    ("engine", 2),
    ("flat", 2),
    ("kinds", 3),
    ("api", 4),
    ("lib", 5),
];

/// The arrows that run back up today, `from → to`: each is to be removed, never added to.
const KNOWN_UP: &[&str] = &[];

/// The floor of a room: that of its folder.
fn floor(room: &str) -> u8 {
    let folder = room.split('/').next().unwrap_or(room);
    FLOORS.iter().find(|(f, _)| *f == folder).map_or_else(
        || panic!("room {room} is in no floor's folder: add the folder to FLOORS"),
        |(_, f)| *f,
    )
}

/// The room of a file under `src/`: the file, or for `kinds/` the folder whole (the registry
/// and the kinds it lists name each other by design), `lowercase/` with `lowercase.rs`.
fn room_of(rel: &str) -> String {
    let rel = rel.trim_end_matches(".rs");
    let rel = rel.strip_suffix("/mod").unwrap_or(rel);
    if rel.starts_with("kinds") {
        return "kinds".to_owned();
    }
    rel.strip_suffix("/tables").unwrap_or(rel).to_owned()
}

/// The room a `crate::` path names, among `rooms`: its module's file, or for a name `lib.rs`
/// re-exports, the room it comes from (`reexports`).
fn target(path: &str, rooms: &BTreeSet<String>, reexports: &BTreeMap<String, String>) -> String {
    let segments: Vec<&str> = path.split("::").map(str::trim).collect();
    let first = segments.first().copied().unwrap_or("");
    if let Some(room) = reexports.get(first) {
        return room.clone();
    }
    if first == "kinds" {
        return "kinds".to_owned();
    }
    if let Some(second) = segments.get(1) {
        let file = format!("{first}/{second}");
        if rooms.contains(&file) {
            return file;
        }
    }
    if rooms.contains(first) {
        return first.to_owned();
    }
    "lib".to_owned()
}

/// What `lib.rs` re-exports (`pub use a::b::{c, d as e}`), by the name it gives and the room
/// the item comes from: read from `lib.rs` itself, so the list is never kept by hand.
fn reexports(lib: &str, rooms: &BTreeSet<String>) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for statement in lib.split(';') {
        let Some(at) = statement.find("pub use ") else {
            continue;
        };
        let text = format!("crate::{}", statement[at + "pub use ".len()..].trim());
        // `crate_paths` splits groups; a path alone keeps its ` as ` here.
        let paths = if text.contains('{') {
            crate_paths(&text)
        } else {
            vec![text["crate::".len()..].to_owned()]
        };
        for path in paths {
            let (path, name) = path.split_once(" as ").map_or_else(
                || {
                    let name = path.rsplit("::").next().unwrap_or("").trim();
                    (path.clone(), name.to_owned())
                },
                |(path, alias)| (path.trim().to_owned(), alias.trim().to_owned()),
            );
            if path.starts_with("crate::") || name.is_empty() {
                continue;
            }
            out.insert(name, target(&path, rooms, &BTreeMap::new()));
        }
    }
    out
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
            if file == "engine/rules.rs" && banned.starts_with("target_arch") {
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
    let library = library();
    let rooms: BTreeSet<String> = library.iter().map(|(file, _)| room_of(file)).collect();
    let lib = library.iter().find(|(file, _)| file == "lib.rs");
    let reexports = reexports(lib.map_or("", |(_, text)| text), &rooms);
    let mut arrows: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (file, text) in &library {
        let from = room_of(file);
        // The code without comments, and without its tests (a test module ends the file).
        let code: String = text
            .lines()
            .take_while(|l| l.trim() != "#[cfg(test)]")
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        for path in crate_paths(&code) {
            let to = target(&path, &rooms, &reexports);
            if to != from {
                arrows.entry(from.clone()).or_default().insert(to);
            }
        }
    }
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
        rooms
            .iter()
            .map(|r| floor(r))
            .collect::<BTreeSet<_>>()
            .len(),
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
