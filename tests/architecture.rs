//! The architecture's invariants (README, "Architecture"), checked by reading the source: each
//! layer imports only the layers below it; only `load` touches the file system; only `syntax`
//! names syn; only `emit` knows output formats; only `main` knows exit statuses; library names
//! live only in the catalogue and `known`; nothing starts a process; rooms stay small.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// The layers, lowest first: a file may name only its own layer and the ones before it.
const LAYERS: &[&str] = &[
    "base", "config", "load", "ir", "syntax", "index", "analysis", "lints", "report", "emit",
    "driver", "cli",
];

struct Source {
    /// Relative to `src/`, with `/`.
    rel: String,
    /// The code without comments and without its `#[cfg(test)]` module.
    code: String,
}

/// The code without its string literals (a message may quote a path).
fn without_strings(code: &str) -> String {
    code.split('"').step_by(2).collect::<Vec<_>>().join("\"\"")
}

fn sources() -> Vec<Source> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(&src)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
    {
        let path: PathBuf = entry.path().into();
        if path.extension().is_none_or(|x| x != "rs") {
            continue;
        }
        let text = fs::read_to_string(&path).expect("read a source file");
        let rel = path
            .strip_prefix(&src)
            .expect("under src")
            .to_string_lossy()
            .replace('\\', "/");
        let code = text
            .split("#[cfg(test)]")
            .next()
            .unwrap_or("")
            .lines()
            .map(|l| match l.trim_start() {
                t if t.starts_with("//") => "",
                _ => l,
            })
            .collect::<Vec<_>>()
            .join("\n");
        out.push(Source { rel, code });
    }
    assert!(out.len() > 30, "the sources were not found");
    out
}

/// The layer a file belongs to: its top folder, or its file name (`driver.rs`, `cli.rs`).
fn layer_of(rel: &str) -> Option<&str> {
    let top = rel.split('/').next()?;
    let name = top.strip_suffix(".rs").unwrap_or(top);
    LAYERS.iter().copied().find(|l| *l == name)
}

fn rank(layer: &str) -> Option<usize> {
    LAYERS.iter().position(|l| *l == layer)
}

/// The layers a file's code names through `crate::`.
fn named_layers(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        if let Some(braced) = rest.strip_prefix('{') {
            // `use crate::{a, b::c}`: every first segment in the braces.
            let inner = braced.split('}').next().unwrap_or("");
            for part in inner.split(',') {
                let first: String = part
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !first.is_empty() {
                    out.insert(first);
                }
            }
            continue;
        }
        let first: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if !first.is_empty() {
            out.insert(first);
        }
    }
    out
}

#[test]
fn each_layer_imports_only_the_layers_below_it() {
    let mut wrong = Vec::new();
    for s in sources() {
        let Some(layer) = layer_of(&s.rel) else {
            continue;
        };
        let own = rank(layer).expect("a layer");
        for named in named_layers(&without_strings(&s.code)) {
            match rank(&named) {
                Some(r) if r > own => wrong.push(format!("{} ({layer}) names {named}", s.rel)),
                Some(_) => {}
                // The crate root's re-exports are the public API, for the binaries and tests.
                None => wrong.push(format!("{} names `crate::{named}`, not a layer", s.rel)),
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the layers:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn every_file_is_in_a_layer() {
    let loose: Vec<String> = sources()
        .into_iter()
        .map(|s| s.rel)
        .filter(|r| layer_of(r).is_none())
        .filter(|r| !matches!(r.as_str(), "lib.rs" | "main.rs" | "bin/cargo-poolcheck.rs"))
        .collect();
    assert!(loose.is_empty(), "files outside the layers: {loose:?}");
}

/// `needles` may appear only in the files `allowed` says.
fn only_in(needles: &[&str], allowed: impl Fn(&str) -> bool, what: &str) {
    let mut wrong = Vec::new();
    for s in sources() {
        if allowed(&s.rel) {
            continue;
        }
        for n in needles {
            if without_strings(&s.code).contains(n) {
                wrong.push(format!("{} uses `{n}`", s.rel));
            }
        }
    }
    assert!(wrong.is_empty(), "{what}:\n{}", wrong.join("\n"));
}

#[test]
fn only_load_touches_the_file_system() {
    only_in(
        &[
            "std::fs",
            "fs::",
            "File::open",
            "File::create",
            "read_dir",
            "canonicalize",
            "symlink_metadata",
            ".exists()",
            ".is_file()",
            ".is_dir()",
            "walkdir",
        ],
        |r| r.starts_with("load/"),
        "only the loader may touch the file system",
    );
}

#[test]
fn only_syntax_names_syn() {
    only_in(
        &["syn::", "proc_macro2", "quote::"],
        |r| r.starts_with("syntax/"),
        "only the syntax layer may name syn and proc-macro2",
    );
}

#[test]
fn only_emit_knows_output_formats() {
    only_in(
        &["codespan_reporting", "cargo_metadata", "sarif", "::github"],
        |r| r.starts_with("emit/") || r == "cli.rs",
        "only emitters may know output formats",
    );
    // JSON is written only by emitters, and read only where an input is JSON (a baseline).
    only_in(
        &["serde_json"],
        |r| r.starts_with("emit/") || r == "report/baseline.rs",
        "only emitters may write JSON",
    );
}

#[test]
fn only_main_knows_exit_statuses() {
    only_in(
        &["ExitCode", "process::exit"],
        |r| r == "main.rs" || r == "bin/cargo-poolcheck.rs",
        "only `main` may know exit statuses",
    );
}

#[test]
fn nothing_starts_a_process() {
    only_in(
        &[
            "process::Command",
            "MetadataCommand",
            "Command::new",
            "exec(",
        ],
        |_| false,
        "poolcheck's own code may not start a process",
    );
}

/// Every name written in `known.rs` and `lints/pools.toml`.
fn library_names() -> BTreeSet<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut names = BTreeSet::new();
    for f in ["src/config/known.rs", "lints/pools.toml"] {
        let text = fs::read_to_string(root.join(f)).expect("read");
        for lit in text.split('"').skip(1).step_by(2) {
            names.extend(
                lit.split(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .filter(|p| !p.is_empty())
                    .map(String::from),
            );
        }
    }
    names
}

#[test]
fn library_names_live_in_the_catalogue_and_known() {
    let names = library_names();
    assert!(names.contains("Arc") && names.contains("acquire") && names.contains("tokio"));
    let mut wrong = Vec::new();
    for s in sources() {
        // The configuration layer is where they live; the edges name stages, fields and flags.
        if s.rel.starts_with("config/") || layer_of(&s.rel).is_none() {
            continue;
        }
        if matches!(layer_of(&s.rel), Some("emit" | "driver" | "cli" | "load")) {
            continue;
        }
        for lit in s.code.split('"').skip(1).step_by(2) {
            let is_path = !lit.is_empty()
                && lit
                    .split("::")
                    .all(|p| !p.is_empty() && p.chars().all(|c| c.is_alphanumeric() || c == '_'));
            if is_path && lit.split("::").any(|p| names.contains(p)) {
                wrong.push(format!("{}: \"{lit}\"", s.rel));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "library names outside config/known.rs and lints/pools.toml:\n{}",
        wrong.join("\n")
    );
}

/// No room over about 800 lines, unless its first lines say why.
#[test]
fn rooms_stay_small() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut big = Vec::new();
    for s in sources() {
        let text = fs::read_to_string(src.join(&s.rel)).expect("read");
        let lines = text.lines().count();
        let head: String = text.lines().take(12).collect::<Vec<_>>().join("\n");
        if lines > 850 && !head.contains("larger than a room") {
            big.push(format!("{}: {lines} lines", s.rel));
        }
    }
    assert!(big.is_empty(), "files over 850 lines:\n{}", big.join("\n"));
}

/// No function over about 150 lines, unless a comment right above it says why ("Long because").
#[test]
fn functions_stay_short() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut long = Vec::new();
    for s in sources() {
        let text = fs::read_to_string(src.join(&s.rel)).expect("read");
        // Tests are left out: a fixture string's lines look like code.
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        let lines: Vec<&str> = code.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let t = line.trim_start();
            let indent = line.len() - t.len();
            let is_fn = ["fn ", "pub fn ", "pub(crate) fn ", "pub(super) fn "]
                .iter()
                .any(|p| t.starts_with(p));
            if !is_fn || t.ends_with(';') {
                continue;
            }
            let close = format!("{}}}", " ".repeat(indent));
            let Some(len) = lines[i + 1..].iter().position(|l| *l == close) else {
                continue;
            };
            let reason = lines[i.saturating_sub(6)..i]
                .iter()
                .any(|l| l.contains("Long because"));
            if len > 150 && !reason {
                long.push(format!("{}:{}: {} lines", s.rel, i + 1, len + 1));
            }
        }
    }
    assert!(
        long.is_empty(),
        "functions over 150 lines without a reason:\n{}",
        long.join("\n")
    );
}
