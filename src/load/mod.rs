//! Loading: the only stage that touches the file system. It turns the command line's paths
//! into a `Workspace`: the source text of every file that may be analysed, the crates (one per
//! Cargo target, from manifests read directly: no process is ever run) and which files the
//! report is limited to.

mod manifest;
pub mod read;

use crate::base::source::{FileId, Scope, SourceFile, SourceMap, Span};
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// A crate to analyse: a Cargo target, or a loose `.rs` file.
#[derive(Debug, Clone)]
pub struct CrateSpec {
    /// The name other crates use for it (`my_lib`); for loose files the file stem.
    pub name: String,
    pub root: FileId,
    pub edition: String,
    pub package: PackageRef,
    /// The package's dependencies by the name its code uses, with the package each names
    /// (`db` for `db = { package = "acme-db", path = "../db" }`).
    pub deps: Vec<(String, String)>,
    pub target: Target,
    /// A library target: other targets of the package and other members may `use` it.
    pub is_lib: bool,
}

/// The package a crate belongs to, as cargo names it (for JSON messages).
#[derive(Debug, Clone)]
pub struct PackageRef {
    pub name: String,
    /// cargo's package id (`path+file:///dir#name@1.0.0`).
    pub id: String,
    pub manifest_path: PathBuf,
    /// Whether findings in this package are reported (`-p`, `--exclude`, member manifests).
    pub selected: bool,
    /// Lint levels from the package's own `[package.metadata.poolcheck]`.
    pub levels: Vec<(String, crate::base::lint::Level)>,
}

/// What cargo builds a crate as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TargetKind {
    Lib,
    Bin,
    Example,
    Test,
    Bench,
}

/// A Cargo target, with what cargo's JSON messages say of it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Target {
    pub name: String,
    pub kind: TargetKind,
    /// cargo's crate types (`lib`, `cdylib`, `proc-macro`, `bin`...): for a library, also
    /// its `kind` in cargo's messages.
    pub crate_types: Vec<String>,
    pub src_path: PathBuf,
    pub edition: String,
    pub required_features: Vec<String>,
    pub doc: bool,
    pub doctest: bool,
    pub test: bool,
}

impl Target {
    fn new(
        name: String,
        kind: TargetKind,
        p: &cargo_toml::Product,
        src_path: PathBuf,
        edition: String,
    ) -> Target {
        let lib = kind == TargetKind::Lib;
        let crate_types = if lib && p.proc_macro {
            vec!["proc-macro".to_string()]
        } else if !p.crate_type.is_empty() {
            p.crate_type.clone()
        } else if lib {
            vec!["lib".into()]
        } else {
            vec!["bin".into()]
        };
        // cargo's defaults per kind, less what the manifest turns off.
        let (doc, doctest, test) = match kind {
            TargetKind::Lib => (true, true, true),
            TargetKind::Bin => (true, false, true),
            TargetKind::Test => (false, false, true),
            TargetKind::Example | TargetKind::Bench => (false, false, false),
        };
        Target {
            name,
            kind,
            crate_types,
            src_path,
            edition,
            required_features: p.required_features.clone(),
            doc: doc && p.doc,
            doctest: doctest && p.doctest,
            test: test && p.test,
        }
    }

    pub fn is_lib(&self) -> bool {
        self.kind == TargetKind::Lib
    }

    /// cargo's `kind` list for this target.
    pub fn cargo_kind(&self) -> Vec<String> {
        match self.kind {
            TargetKind::Lib => self.crate_types.clone(),
            TargetKind::Bin => vec!["bin".into()],
            TargetKind::Example => vec!["example".into()],
            TargetKind::Test => vec!["test".into()],
            TargetKind::Bench => vec!["bench".into()],
        }
    }
}

/// A problem with one input that does not stop the run (unreadable file, not UTF-8).
#[derive(Debug, Clone)]
pub struct LoadWarning {
    pub path: String,
    pub message: String,
    pub span: Option<Span>,
}

#[derive(Debug, Default)]
pub struct Workspace {
    pub root: PathBuf,
    pub sources: SourceMap,
    pub crates: Vec<CrateSpec>,
    /// `.rs` files named on the command line (or found in a folder without a manifest) that
    /// become crate roots of their own when no crate's module tree reaches them.
    pub loose: Vec<FileId>,
    /// When set, only findings whose primary span is in these files are reported.
    pub report_only: Option<BTreeSet<FileId>>,
    pub warnings: Vec<LoadWarning>,
    /// Every loaded file by its canonical path, for module resolution.
    pub by_path: HashMap<PathBuf, FileId>,
    /// Files found by another path than their own (through a symbolic link).
    pub renamed: HashSet<FileId>,
    /// Files that were found but not read (not UTF-8, too large, not a regular file), by
    /// canonical path: each has its own warning, so a `mod` naming one says nothing more.
    pub unread: HashSet<PathBuf>,
    /// The canonical path of each file found by another path (a symbolic link, a `..`):
    /// by that path, made absolute and normalized.
    pub found_as: HashMap<PathBuf, PathBuf>,
    /// `poolcheck.toml` at the workspace root, when there is one.
    pub config: crate::config::Config,
}

/// A file the index looks for by path (a `mod` declaration's file), as the loader found it.
pub enum Lookup {
    Read(FileId),
    /// Found but not read (not UTF-8, too large): its own warning says why.
    Unread,
    Missing,
}

impl Workspace {
    /// The file at `path`, among those the loader found: by its canonical path, or by the path
    /// it was found at. Reads nothing: the loader found every file it will ever have.
    pub fn lookup(&self, path: &Path) -> Lookup {
        let normal = manifest::normalize(path);
        let canon = self.found_as.get(&normal).unwrap_or(&normal);
        match self.by_path.get(canon).or_else(|| self.by_path.get(path)) {
            Some(&f) => Lookup::Read(f),
            None if self.unread.contains(canon) => Lookup::Unread,
            None => Lookup::Missing,
        }
    }
}

/// What the command line asked for.
#[derive(Debug, Default, Clone)]
pub struct Request {
    pub paths: Vec<PathBuf>,
    pub manifest_path: Option<PathBuf>,
    pub packages: Vec<String>,
    pub workspace: bool,
    pub exclude: Vec<String>,
}

/// Why the tool cannot do its job at all (exit status 2).
#[derive(Debug)]
pub struct Fatal(pub String);

impl std::fmt::Display for Fatal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

pub fn load(req: &Request) -> Result<Workspace, Fatal> {
    let mut ws = Workspace::default();
    let cwd = std::env::current_dir()
        .map_err(|e| Fatal(format!("cannot read the current directory: {e}")))?;
    let mut manifests: Vec<PathBuf> = Vec::new();
    let mut report_files: Vec<PathBuf> = Vec::new();
    let mut report_dirs: Vec<PathBuf> = Vec::new();
    let mut loose_dirs: Vec<PathBuf> = Vec::new();
    let mut loose_files: Vec<PathBuf> = Vec::new();

    if let Some(m) = &req.manifest_path {
        if !m.exists() {
            return Err(Fatal(format!(
                "manifest path `{}` does not exist",
                m.display()
            )));
        }
        if !read::is_regular_file(m) {
            return Err(Fatal(format!(
                "manifest path `{}` is not a regular file",
                m.display()
            )));
        }
        manifests.push(std::fs::canonicalize(m).unwrap_or_else(|_| cwd.join(m)));
    }
    let paths: Vec<PathBuf> = if req.paths.is_empty() && req.manifest_path.is_none() {
        vec![cwd.clone()]
    } else {
        req.paths.clone()
    };
    for p in &paths {
        let meta = std::fs::metadata(p)
            .map_err(|e| Fatal(format!("cannot read `{}`: {}", p.display(), io_reason(&e))))?;
        let abs = std::fs::canonicalize(p).unwrap_or_else(|_| cwd.join(p));
        if meta.is_dir() {
            let manifest = abs.join("Cargo.toml");
            if read::is_regular_file(&manifest) {
                manifests.push(manifest);
            } else if let Some(m) = enclosing_manifest(&abs) {
                manifests.push(m);
                report_dirs.push(abs.clone());
                loose_dirs.push(abs);
            } else {
                loose_dirs.push(abs);
            }
        } else if !meta.is_file() {
            return Err(Fatal(format!(
                "`{}` is not a regular file or a folder (a FIFO, a socket or a device)",
                p.display()
            )));
        } else if abs.file_name().is_some_and(|n| n == "Cargo.toml") {
            manifests.push(abs);
        } else {
            if let Some(m) = enclosing_manifest(abs.parent().unwrap_or(&abs)) {
                manifests.push(m);
            }
            report_files.push(abs.clone());
            loose_files.push(abs);
        }
    }
    manifests.sort();
    manifests.dedup();
    let asked_manifest = req
        .manifest_path
        .as_ref()
        .map(|m| std::fs::canonicalize(m).unwrap_or_else(|_| cwd.join(m)));

    // The workspaces first (manifests only: no source is read before the configuration,
    // which sets the size limit).
    let mut workspaces: Vec<(manifest::Members, Selection)> = Vec::new();
    for m in &manifests {
        let explicit_member = asked_manifest.as_ref() == Some(m)
            || paths
                .iter()
                .any(|p| std::fs::canonicalize(p).is_ok_and(|c| c.join("Cargo.toml") == *m));
        let members = manifest::workspace_of(m).map_err(|u| Fatal(u.message()))?;
        for name in req.packages.iter().chain(req.exclude.iter()) {
            if !members.packages.iter().any(|p| p.name == *name) {
                return Err(Fatal(format!(
                    "package `{name}` is not a member of the workspace at `{}`",
                    members.root.display()
                )));
            }
        }
        let is_root_manifest = members.root.join("Cargo.toml") == *m;
        let only = (!req.workspace && !is_root_manifest && explicit_member).then(|| m.clone());
        workspaces.push((members, Selection::Manifest(only)));
    }
    for d in &loose_dirs {
        let found = find_manifests(d, &mut ws.warnings);
        for members in manifest::discover(&found) {
            workspaces.push((members, Selection::All));
        }
    }
    let roots: Vec<PathBuf> = workspaces
        .iter()
        .filter(|(_, sel)| !matches!(sel, Selection::All))
        .map(|(m, _)| m.root.clone())
        .collect();
    ws.root = common_root(&roots, &loose_dirs, &loose_files, &cwd);
    ws.config = read_config(&ws.root)?;
    let cap = ws.config.max_file_bytes() as u64;

    // Links are followed while they stay in the project: the workspaces and folders asked for.
    let bounds = read::Bounds::new(
        workspaces
            .iter()
            .map(|(m, _)| m.root.clone())
            .chain(loose_dirs.iter().cloned())
            .chain(std::iter::once(ws.root.clone())),
    );
    let mut reader = Reader {
        ws: &mut ws,
        cap,
        bounds: &bounds,
    };
    let mut specs: Vec<(PathBuf, CrateSpecDraft)> = Vec::new();
    let mut scopes = Scopes::default();
    for (members, selection) in &workspaces {
        for (path, message) in &members.warnings {
            reader.ws.warnings.push(LoadWarning {
                path: path.display().to_string(),
                message: message.clone(),
                span: None,
            });
        }
        for pkg in &members.packages {
            let selected = match selection {
                Selection::All => true,
                _ if !req.packages.is_empty() => req.packages.contains(&pkg.name),
                Selection::Manifest(Some(only)) => manifest::same_file(&pkg.manifest_path, only),
                Selection::Manifest(None) => true,
            } && !req.exclude.contains(&pkg.name);
            let levels =
                crate::config::parse_member(&pkg.manifest_path.display().to_string(), &pkg.text)
                    .map_err(Fatal)?
                    .map(|c| c.levels)
                    .unwrap_or_default();
            let package = PackageRef {
                name: pkg.name.clone(),
                id: pkg.id.clone(),
                manifest_path: pkg.manifest_path.clone(),
                selected,
                levels,
            };
            let lib_name = pkg
                .targets
                .iter()
                .find(|t| t.is_lib())
                .map(|t| t.name.replace('-', "_"));
            let dir = pkg
                .manifest_path
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default();
            let scope = scopes.next(&members.root);
            reader.collect_rs(&dir, scope);
            for t in &pkg.targets {
                // A target whose root lies outside the package folder (`[lib] path =
                // "../shared/lib.rs"`) is built by cargo: its folder's files are read too,
                // while it is inside the project.
                let src = manifest::normalize(&t.src_path);
                if !src.starts_with(&dir) {
                    match src.parent() {
                        Some(p)
                            if bounds.contains(&std::fs::canonicalize(p).unwrap_or_default()) =>
                        {
                            reader.collect_rs(p, scope);
                        }
                        _ => {
                            reader.add_file(&src, scope);
                        }
                    }
                }
                let is_lib = t.is_lib();
                specs.push((
                    t.src_path.clone(),
                    CrateSpecDraft {
                        name: if is_lib {
                            lib_name.clone().unwrap_or_else(|| t.name.replace('-', "_"))
                        } else {
                            t.name.replace('-', "_")
                        },
                        edition: t.edition.clone(),
                        package: package.clone(),
                        deps: pkg.deps.clone(),
                        target: t.clone(),
                        is_lib,
                    },
                ));
            }
        }
    }
    let mut loose_ids: Vec<FileId> = Vec::new();
    for d in &loose_dirs {
        loose_ids.extend(reader.collect_rs(d, Scope::LOOSE));
    }
    for f in &loose_files {
        reader.add_file(f, Scope::LOOSE);
    }

    for f in &mut ws.sources.files {
        f.name = display_name(&f.path, &ws.root);
    }
    for w in &mut ws.warnings {
        w.path = display_name(Path::new(&w.path), &ws.root);
    }

    // Crates, in a stable order: by root path, libraries first.
    specs.sort_by(|a, b| {
        (!a.1.is_lib, &a.0, &a.1.target.name).cmp(&(!b.1.is_lib, &b.0, &b.1.target.name))
    });
    let mut seen_roots = BTreeSet::new();
    for (path, d) in specs {
        let canon = std::fs::canonicalize(&path).unwrap_or(path.clone());
        let Some(&root) = ws.by_path.get(&canon) else {
            // A root that could not be read has its own warning already.
            if !ws.unread.contains(&canon) {
                ws.warnings.push(LoadWarning {
                    path: display_name(&manifest::normalize(&path), &ws.root),
                    message: if path.exists() {
                        format!("the root of target `{}` could not be read", d.target.name)
                    } else {
                        // A published crate often leaves out the examples its manifest lists.
                        format!(
                            "the root of target `{}` does not exist: the target is not analysed",
                            d.target.name
                        )
                    },
                    span: None,
                });
            }
            continue;
        };
        if !seen_roots.insert((root, d.is_lib)) {
            // Two members of one workspace named on the command line load it twice: a
            // package either names is reported.
            if d.package.selected {
                for c in ws.crates.iter_mut().filter(|c| c.root == root) {
                    c.package.selected = true;
                }
            }
            continue;
        }
        ws.crates.push(CrateSpec {
            name: d.name,
            root,
            edition: d.edition,
            package: d.package,
            deps: d.deps,
            target: d.target,
            is_lib: d.is_lib,
        });
    }
    // `exclude` globs: crates rooted there and loose files there are not analysed.
    if ws.config.exclude.is_some() {
        let sources = &ws.sources;
        let config = &ws.config;
        ws.crates
            .retain(|c| !config.excludes(&sources.get(c.root).name));
        loose_ids.retain(|&f| !config.excludes(&sources.get(f).name));
    }
    ws.loose.extend(loose_ids);
    for f in &loose_files {
        if let Some(&id) = ws.by_path.get(f) {
            ws.loose.push(id);
        }
    }
    ws.loose.sort();
    ws.loose.dedup();

    if !report_files.is_empty() || !report_dirs.is_empty() {
        let mut only = BTreeSet::new();
        for (p, &id) in &ws.by_path {
            if report_files.contains(p) || report_dirs.iter().any(|d| p.starts_with(d)) {
                only.insert(id);
            }
        }
        ws.report_only = Some(only);
    }
    Ok(ws)
}

/// Which packages of a workspace are reported.
enum Selection {
    /// Every package (a folder of crates found by walking).
    All,
    /// Every member, or only the package of this manifest (a member named on its own).
    Manifest(Option<PathBuf>),
}

/// `poolcheck.toml` at the workspace root, else the root manifest's metadata table.
fn read_config(root: &Path) -> Result<crate::config::Config, Fatal> {
    let config_path = root.join("poolcheck.toml");
    if config_path.exists() {
        let text = read::read_text(&config_path)
            .map_err(|why| Fatal(format!("`{}` {why}", config_path.display())))?;
        return crate::config::parse(&config_path.display().to_string(), &text).map_err(Fatal);
    }
    // No poolcheck.toml: the root manifest's `[workspace.metadata.poolcheck]` (or, for a
    // single package, `[package.metadata.poolcheck]`).
    let manifest = root.join("Cargo.toml");
    if let Ok(text) = read::read_text(&manifest) {
        let name = manifest.display().to_string();
        if let Some(c) = crate::config::parse_manifest(&name, &text).map_err(Fatal)? {
            return Ok(c);
        }
    }
    Ok(crate::config::Config::default())
}

struct CrateSpecDraft {
    name: String,
    edition: String,
    package: PackageRef,
    deps: Vec<(String, String)>,
    target: Target,
    is_lib: bool,
}

fn io_reason(e: &std::io::Error) -> String {
    read::io_reason(e)
}

/// The text of a `--baseline` file.
pub fn read_baseline(path: &Path) -> Result<String, Fatal> {
    read::read_text(path).map_err(|why| {
        Fatal(format!(
            "the baseline `{}` {why} (write one with `--write-baseline`)",
            path.display()
        ))
    })
}

/// Writes a file the user asked for (`--write-baseline`).
pub fn write_file(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

fn enclosing_manifest(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .map(|a| a.join("Cargo.toml"))
        .find(|m| read::is_regular_file(m))
}

/// Cargo's build folder: a `target` beside a manifest, or one cargo has marked. A `src/target/`
/// module folder (the `cc` crate has one) is source.
fn is_build_output(e: &walkdir::DirEntry) -> bool {
    let p = e.path();
    e.file_type().is_dir()
        && e.file_name() == "target"
        && (p.parent().is_some_and(|d| d.join("Cargo.toml").is_file())
            || p.join("CACHEDIR.TAG").is_file()
            || p.join(".rustc_info.json").is_file())
}

/// A walk below `dir` that skips hidden folders and cargo's build output, and follows folder
/// links only while they stay inside `bounds` (each refused link is a warning).
fn walk<'a>(
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
fn walk_warning(e: &walkdir::Error, dir: &Path) -> LoadWarning {
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
fn find_manifests(dir: &Path, warnings: &mut Vec<LoadWarning>) -> Vec<PathBuf> {
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
struct Reader<'a> {
    ws: &'a mut Workspace,
    cap: u64,
    bounds: &'a read::Bounds,
}

impl Reader<'_> {
    /// Reads every `.rs` file below `dir` (in parallel: on a big workspace, reading is a
    /// tenth of the run); returns their ids.
    fn collect_rs(&mut self, dir: &Path, scope: Scope) -> Vec<FileId> {
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

    fn add_file(&mut self, path: &Path, scope: Scope) -> Option<FileId> {
        let canon = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let text = (!self.ws.by_path.contains_key(&canon)).then(|| read_source(&canon, self.cap));
        self.register(path, canon, text, scope)
    }

    /// Gives a read file its id (`text` is `None` when the file already has one).
    fn register(
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

fn read_source(path: &Path, cap: u64) -> Read {
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
fn reread(path: &Path, hash: u64, len: usize) -> Option<String> {
    let bytes = read::read_capped(path, len as u64).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    (crate::base::source::text_hash(&text) == hash).then_some(text)
}

/// Whether a file was found by another path than its own (a link to it or to a folder above
/// it; a `..` in the path counts too): `mod` items may then name it by names it does not have.
fn reached_through_link(path: &Path, canon: &Path) -> bool {
    std::path::absolute(path).map_or(true, |p| p != canon)
}

/// Gives each package folder its own macro scope, and the packages of one cargo workspace
/// one workspace scope.
#[derive(Default)]
struct Scopes {
    packages: u32,
    workspaces: HashMap<PathBuf, u32>,
}

impl Scopes {
    fn next(&mut self, workspace_root: &Path) -> Scope {
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

fn common_root(roots: &[PathBuf], dirs: &[PathBuf], files: &[PathBuf], cwd: &Path) -> PathBuf {
    if let Some(r) = roots.first() {
        return r.clone();
    }
    if let Some(d) = dirs.first() {
        return d.clone();
    }
    if let Some(f) = files.first() {
        return f
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| cwd.to_path_buf());
    }
    cwd.to_path_buf()
}

fn display_name(path: &Path, root: &Path) -> String {
    match path.strip_prefix(root) {
        Ok(rel) if !rel.as_os_str().is_empty() => rel.display().to_string(),
        _ => path.display().to_string(),
    }
}

/// A package id and target for code that is not in a Cargo package, so every JSON line still
/// deserializes as cargo's message.
/// The crate of a loose `main.rs` in `root`: what a diagnostic outside every crate is
/// reported under.
pub fn loose_crate(root: &Path) -> CrateSpec {
    let (package, target) = loose_package(root, &root.join("main.rs"));
    CrateSpec {
        name: "main".into(),
        root: 0,
        edition: "2021".into(),
        package,
        deps: Vec::new(),
        target,
        is_lib: true,
    }
}

pub fn loose_package(root: &Path, file: &Path) -> (PackageRef, Target) {
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| "main".into());
    let target = Target {
        name: stem.clone(),
        kind: TargetKind::Lib,
        crate_types: vec!["lib".into()],
        src_path: file.to_path_buf(),
        edition: "2021".into(),
        required_features: Vec::new(),
        doc: false,
        doctest: false,
        test: false,
    };
    (
        PackageRef {
            id: manifest::package_id(root, &stem, "0.0.0"),
            name: stem,
            manifest_path: root.join("Cargo.toml"),
            selected: true,
            levels: Vec::new(),
        },
        target,
    )
}
