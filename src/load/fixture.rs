//! Test fixtures: a workspace made in memory from one string, rust-analyzer style, so the
//! semantics can be unit-tested without files. Each file starts with a header line:
//!
//! ```text
//! //- /db/src/lib.rs crate:db
//! pub fn open() {}
//! //- /app/src/main.rs crate:app deps:store=db edition:2024
//! fn main() { store::open() }
//! //- /app/src/users.rs
//! ```
//!
//! `crate:NAME` makes the file a crate root (a library when it is a `lib.rs`), `deps:` names
//! the crates its code reaches under another name (`extern=package`), `edition:` its edition.

use super::{loose_package, CrateSpec, Workspace};
use crate::base::source::{Scope, SourceFile};
use std::path::{Path, PathBuf};

/// No file to read back: a fixture's text is gone once parsed (a test that shows snippets
/// builds the workspace again).
fn no_reread(_: &Path, _: u64, _: usize) -> Option<String> {
    None
}

pub(crate) fn workspace(fixture: &str) -> Workspace {
    let mut ws = Workspace {
        root: PathBuf::from("/"),
        ..Workspace::default()
    };
    let mut files: Vec<(String, String, String)> = Vec::new();
    for line in fixture.lines() {
        if let Some(header) = line.trim_start().strip_prefix("//- ") {
            files.push((header.to_string(), String::new(), String::new()));
        } else if let Some((_, _, text)) = files.last_mut() {
            text.push_str(line);
            text.push('\n');
        }
    }
    let scope = Scope {
        package: 0,
        workspace: 0,
    };
    for (header, _, text) in &files {
        let mut words = header.split_whitespace();
        let path = PathBuf::from(words.next().unwrap_or("/lib.rs"));
        let id = ws.sources.files.len() as u32;
        let name = path.display().to_string();
        ws.sources.files.push(SourceFile::new(
            path.clone(),
            name.trim_start_matches('/').to_string(),
            text.clone(),
            scope,
            no_reread,
        ));
        ws.by_path.insert(path.clone(), id);
        let mut krate = None;
        let mut deps = Vec::new();
        let mut edition = "2021".to_string();
        for w in words {
            if let Some(n) = w.strip_prefix("crate:") {
                krate = Some(n.to_string());
            } else if let Some(d) = w.strip_prefix("deps:") {
                for dep in d.split(',') {
                    let (extern_name, package) = dep.split_once('=').unwrap_or((dep, dep));
                    deps.push((extern_name.to_string(), package.to_string()));
                }
            } else if let Some(e) = w.strip_prefix("edition:") {
                edition = e.to_string();
            }
        }
        if let Some(name) = krate {
            let root = path
                .parent()
                .and_then(Path::parent)
                .unwrap_or(Path::new("/"));
            let (mut package, target) = loose_package(root, &path);
            package.name = name.clone();
            ws.crates.push(CrateSpec {
                name,
                root: id,
                edition,
                package,
                deps,
                target,
                is_lib: path.file_name().is_some_and(|n| n == "lib.rs"),
            });
        }
    }
    ws
}
