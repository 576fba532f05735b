//! Reading sources: walking a package's folders (links followed while they stay in the
//! project, build output skipped), each `.rs` file read once, capped, and given its id.

use super::read::{self};
use super::{io_reason, manifest, LoadWarning, Workspace};
use crate::base::source::{FileId, Scope, SourceFile};
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// Cargo's build folder: a `target` beside a manifest, or one cargo has marked. A `src/target/`
/// module folder (the `cc` crate has one) is source.
pub(super) fn is_build_output(e: &walkdir::DirEntry) -> bool {
    let p = e.path();
    e.file_type().is_dir()
        && e.file_name() == "target"
        && (p.parent().is_some_and(|d| d.join("Cargo.toml").is_file())
            || p.join("CACHEDIR.TAG").is_file()
            || p.join(".rustc_info.json").is_file())
}

/// A walk below `dir` that skips hidden folders and cargo's build output, and follows folder
/// links only while they stay inside `bounds` (each refused link is a warning).
pub(super) fn walk<'a>(
    dir: &Path,
    bounds: &'a read::Bounds,
    refused: &'a std::cell::RefCell<Vec<LoadWarning>>,
    stop_at_packages: bool,
) -> impl Iterator<Item = walkdir::Result<walkdir::DirEntry>> + 'a {
    WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(move |e| {
            if e.depth() == 0 {
                return true;
            }
            let name = e.file_name().to_string_lossy();
            if name.starts_with('.') || is_build_output(e) {
                return false;
            }
            if e.path_is_symlink() && e.file_type().is_dir() {
                if let Some(why) = bounds.refuse_link(e.path()) {
                    refused.borrow_mut().push(LoadWarning {
                        path: e.path().display().to_string(),
                        message: why,
                        span: None,
                    });
                    return false;
                }
            }
            // A folder with its own manifest is another package (a nested example, a fixture).
            !(stop_at_packages && e.file_type().is_dir() && e.path().join("Cargo.toml").is_file())
        })
}

/// Why a walk could not go on somewhere, as a warning.
pub(super) fn walk_warning(e: &walkdir::Error, dir: &Path) -> LoadWarning {
    let path = e
        .path()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| dir.display().to_string());
    let message = if e.loop_ancestor().is_some() {
        "symbolic link loop: not followed".to_string()
    } else if let Some(io) = e.io_error() {
        let is_link = e
            .path()
            .and_then(|p| p.symlink_metadata().ok())
            .is_some_and(|m| m.file_type().is_symlink());
        if io.kind() == std::io::ErrorKind::NotFound && is_link {
            "a symbolic link to nothing: skipped".to_string()
        } else {
            format!("cannot be read: {}", io_reason(io))
        }
    } else {
        e.to_string()
    };
    LoadWarning {
        path,
        message,
        span: None,
    }
}

/// The manifests below a folder that has none of its own (a folder of checked-out crates).
pub(super) fn find_manifests(dir: &Path, warnings: &mut Vec<LoadWarning>) -> Vec<PathBuf> {
    let bounds = read::Bounds::new([dir.to_path_buf()]);
    let refused = std::cell::RefCell::new(Vec::new());
    let mut found = Vec::new();
    for entry in walk(dir, &bounds, &refused, false) {
        match entry {
            Ok(e) if e.file_name() == "Cargo.toml" && read::is_regular_file(e.path()) => {
                found.push(e.into_path())
            }
            Ok(_) => {}
            // The walk for sources reports these.
            Err(_) => {}
        }
    }
    warnings.extend(refused.into_inner());
    found
}

/// Reads sources into the workspace: regular files only, each at most `cap` bytes.
pub(super) struct Reader<'a> {
    pub(super) ws: &'a mut Workspace,
    pub(super) cap: u64,
    pub(super) bounds: &'a read::Bounds,
}

impl Reader<'_> {
    /// Reads every `.rs` file below `dir` (in parallel: on a big workspace, reading is a
    /// tenth of the run); returns their ids.
    pub(super) fn collect_rs(&mut self, dir: &Path, scope: Scope) -> Vec<FileId> {
        let mut paths = Vec::new();
        let refused = std::cell::RefCell::new(Vec::new());
        for entry in walk(dir, self.bounds, &refused, true) {
            match entry {
                Ok(e)
                    if !e.file_type().is_dir()
                        && e.path().extension().is_some_and(|x| x == "rs") =>
                {
                    paths.push(e.into_path())
                }
                Ok(_) => {}
                Err(e) => self.ws.warnings.push(walk_warning(&e, dir)),
            }
        }
        self.ws.warnings.extend(refused.into_inner());
        let (by_path, cap) = (&self.ws.by_path, self.cap);
        let read: Vec<(PathBuf, PathBuf, Option<Read>)> = paths
            .into_par_iter()
            .map(|path| {
                let canon = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
                let text = (!by_path.contains_key(&canon)).then(|| read_source(&canon, cap));
                (path, canon, text)
            })
            .collect();
        let mut ids = Vec::new();
        for (path, canon, text) in read {
            ids.extend(self.register(&path, canon, text, scope));
        }
        ids
    }

    pub(super) fn add_file(&mut self, path: &Path, scope: Scope) -> Option<FileId> {
        let canon = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let text = (!self.ws.by_path.contains_key(&canon)).then(|| read_source(&canon, self.cap));
        self.register(path, canon, text, scope)
    }

    /// Gives a read file its id (`text` is `None` when the file already has one).
    pub(super) fn register(
        &mut self,
        path: &Path,
        canon: PathBuf,
        text: Option<Read>,
        scope: Scope,
    ) -> Option<FileId> {
        let ws = &mut *self.ws;
        if let Ok(abs) = std::path::absolute(path) {
            let abs = manifest::normalize(&abs);
            if abs != canon {
                ws.found_as.insert(abs, canon.clone());
            }
        }
        if let Some(&id) = ws.by_path.get(&canon) {
            if reached_through_link(path, &canon) {
                ws.renamed.insert(id);
            }
            return Some(id);
        }
        match text? {
            Ok(text) => {
                let id = ws.sources.files.len() as FileId;
                ws.sources.files.push(SourceFile::new(
                    canon.clone(),
                    canon.display().to_string(),
                    text,
                    scope,
                    reread,
                ));
                if reached_through_link(path, &canon) {
                    ws.renamed.insert(id);
                }
                ws.by_path.insert(canon, id);
                Some(id)
            }
            Err(message) => {
                // One warning per file, however many walks find it.
                if ws.unread.insert(canon) {
                    ws.warnings.push(LoadWarning {
                        path: path.display().to_string(),
                        message,
                        span: None,
                    });
                }
                None
            }
        }
    }
}

/// A file's text, or why it cannot be analysed.
type Read = Result<String, String>;

pub(super) fn read_source(path: &Path, cap: u64) -> Read {
    match read::read_capped(path, cap) {
        Ok(bytes) => String::from_utf8(bytes).map_err(|e| {
            format!(
                "not valid UTF-8 (first bad byte at offset {}): skipped",
                e.utf8_error().valid_up_to()
            )
        }),
        Err(read::Unread::TooBig(n)) => Err(format!(
            "is {:.1} MB, over the {} MB limit for a source file: not analysed (a file this \
             large is generated code; to analyse it anyway, raise `max_file_size_mb` in \
             poolcheck.toml)",
            n as f64 / (1u64 << 20) as f64,
            cap >> 20
        )),
        Err(read::Unread::Refused(why)) => Err(if why.starts_with("cannot") {
            why
        } else {
            format!("{why}: skipped")
        }),
    }
}

/// Reads a file back after the parser released its text, for a diagnostic that shows it: only
/// if it is still the text that was analysed.
pub(super) fn reread(path: &Path, hash: u64, len: usize) -> Option<String> {
    let bytes = read::read_capped(path, len as u64).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    (crate::base::source::text_hash(&text) == hash).then_some(text)
}

/// Whether a file was found by another path than its own (a link to it or to a folder above
/// it; a `..` in the path counts too): `mod` items may then name it by names it does not have.
pub(super) fn reached_through_link(path: &Path, canon: &Path) -> bool {
    std::path::absolute(path).map_or(true, |p| p != canon)
}

/// Gives each package folder its own macro scope, and the packages of one cargo workspace
/// one workspace scope.
#[derive(Default)]
pub(super) struct Scopes {
    packages: u32,
    workspaces: HashMap<PathBuf, u32>,
}

impl Scopes {
    pub(super) fn next(&mut self, workspace_root: &Path) -> Scope {
        let n = self.workspaces.len() as u32;
        let workspace = *self
            .workspaces
            .entry(workspace_root.to_path_buf())
            .or_insert(n);
        self.packages += 1;
        Scope {
            package: self.packages - 1,
            workspace,
        }
    }
}
