//! Loading: the only stage that touches the file system or runs `cargo metadata`. It turns
//! the command line's paths into a `Workspace`: the source text of every file that may be
//! analysed, the crates (one per Cargo target) and which files the report is limited to.

use crate::source::{FileId, Scope, SourceFile, SourceMap, Span};
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};
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
    pub target: cargo_metadata::Target,
    /// A library target: other targets of the package and other members may `use` it.
    pub is_lib: bool,
}

/// The package a crate belongs to, as cargo names it (for JSON messages).
#[derive(Debug, Clone)]
pub struct PackageRef {
    pub name: String,
    pub id: cargo_metadata::PackageId,
    pub manifest_path: PathBuf,
    /// Whether findings in this package are reported (`-p`, `--exclude`, member manifests).
    pub selected: bool,
    /// Lint levels from the package's own `[package.metadata.poolcheck]`.
    pub levels: Vec<(String, crate::lints::Level)>,
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
    pub renamed: std::collections::HashSet<FileId>,
    /// `poolcheck.toml` at the workspace root, when there is one.
    pub config: crate::config::Config,
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
        if !m.is_file() {
            return Err(Fatal(format!(
                "manifest path `{}` does not exist",
                m.display()
            )));
        }
        manifests.push(m.clone());
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
            if manifest.is_file() {
                manifests.push(manifest);
            } else if let Some(m) = enclosing_manifest(&abs) {
                manifests.push(m);
                report_dirs.push(abs.clone());
                loose_dirs.push(abs);
            } else {
                loose_dirs.push(abs);
            }
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

    let mut roots: Vec<PathBuf> = Vec::new();
    let mut specs: Vec<(PathBuf, CrateSpecDraft)> = Vec::new();
    let mut scopes = Scopes::default();
    for m in &manifests {
        let explicit_member = req.manifest_path.as_deref() == Some(m.as_path())
            || paths.iter().any(|p| p.join("Cargo.toml") == *m);
        let md = cargo_metadata::MetadataCommand::new()
            .manifest_path(m)
            .no_deps()
            .exec()
            .map_err(|e| {
                Fatal(format!(
                    "cannot read the manifest `{}`: {}",
                    m.display(),
                    one_line(&e.to_string())
                ))
            })?;
        let ws_root: PathBuf = md.workspace_root.clone().into();
        roots.push(ws_root.clone());
        let member_ids: BTreeSet<_> = md.workspace_members.iter().cloned().collect();
        let m_canon = std::fs::canonicalize(m).unwrap_or_else(|_| m.clone());
        let is_root_manifest =
            m_canon == std::fs::canonicalize(ws_root.join("Cargo.toml")).unwrap_or_default();
        for name in req.packages.iter().chain(req.exclude.iter()) {
            if !md
                .packages
                .iter()
                .any(|p| p.name.as_str() == name.as_str() && member_ids.contains(&p.id))
            {
                return Err(Fatal(format!(
                    "package `{name}` is not a member of the workspace at `{}`",
                    ws_root.display()
                )));
            }
        }
        for pkg in md.packages.iter().filter(|p| member_ids.contains(&p.id)) {
            let pkg_manifest: PathBuf = pkg.manifest_path.clone().into();
            let this_package = std::fs::canonicalize(&pkg_manifest)
                .unwrap_or_else(|_| pkg_manifest.clone())
                == m_canon;
            let selected = if !req.packages.is_empty() {
                req.packages.iter().any(|n| n.as_str() == pkg.name.as_str())
            } else if req.workspace || is_root_manifest || !explicit_member {
                true
            } else {
                this_package
            } && !req.exclude.iter().any(|n| n.as_str() == pkg.name.as_str());
            let levels = match std::fs::read_to_string(&pkg_manifest) {
                Ok(text) => crate::config::parse_member(&pkg_manifest.display().to_string(), &text)
                    .map_err(Fatal)?
                    .map(|c| c.levels)
                    .unwrap_or_default(),
                Err(_) => Vec::new(),
            };
            let package = PackageRef {
                name: pkg.name.to_string(),
                id: pkg.id.clone(),
                manifest_path: pkg_manifest.clone(),
                selected,
                levels,
            };
            let lib_name = pkg
                .targets
                .iter()
                .find(|t| t.is_lib() || t.is_proc_macro())
                .map(|t| t.name.replace('-', "_"));
            for t in &pkg.targets {
                if t.is_custom_build() {
                    continue;
                }
                let is_lib = t.is_lib()
                    || t.is_proc_macro()
                    || t.kind.iter().any(|k| {
                        matches!(
                            k,
                            cargo_metadata::TargetKind::RLib
                                | cargo_metadata::TargetKind::DyLib
                                | cargo_metadata::TargetKind::CDyLib
                                | cargo_metadata::TargetKind::StaticLib
                        )
                    });
                specs.push((
                    t.src_path.clone().into(),
                    CrateSpecDraft {
                        name: if is_lib {
                            lib_name.clone().unwrap_or_else(|| t.name.replace('-', "_"))
                        } else {
                            t.name.replace('-', "_")
                        },
                        edition: t.edition.as_str().to_string(),
                        package: package.clone(),
                        target: t.clone(),
                        is_lib,
                    },
                ));
            }
            let dir = pkg_manifest
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default();
            let scope = scopes.next(&ws_root);
            collect_rs(&dir, &mut ws, scope);
        }
    }
    let mut loose_ids: Vec<FileId> = Vec::new();
    for d in &loose_dirs {
        discover_packages(d, &mut ws, &mut specs, &mut scopes);
        loose_ids.extend(collect_rs(d, &mut ws, Scope::LOOSE));
    }
    for f in &loose_files {
        add_file(f, &mut ws, Scope::LOOSE);
    }

    ws.root = common_root(&roots, &loose_dirs, &loose_files, &cwd);
    let config_path = ws.root.join("poolcheck.toml");
    if config_path.is_file() {
        let text = std::fs::read_to_string(&config_path).map_err(|e| {
            Fatal(format!(
                "cannot read `{}`: {}",
                config_path.display(),
                io_reason(&e)
            ))
        })?;
        ws.config =
            crate::config::parse(&config_path.display().to_string(), &text).map_err(Fatal)?;
    } else if let Ok(text) = std::fs::read_to_string(ws.root.join("Cargo.toml")) {
        // No poolcheck.toml: the root manifest's `[workspace.metadata.poolcheck]` (or, for a
        // single package, `[package.metadata.poolcheck]`).
        let name = ws.root.join("Cargo.toml").display().to_string();
        if let Some(c) = crate::config::parse_manifest(&name, &text).map_err(Fatal)? {
            ws.config = c;
        }
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
            ws.warnings.push(LoadWarning {
                path: display_name(&path, &ws.root),
                message: format!("the root of target `{}` could not be read", d.target.name),
                span: None,
            });
            continue;
        };
        if !seen_roots.insert((root, d.is_lib)) {
            continue;
        }
        ws.crates.push(CrateSpec {
            name: d.name,
            root,
            edition: d.edition,
            package: d.package,
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

struct CrateSpecDraft {
    name: String,
    edition: String,
    package: PackageRef,
    target: cargo_metadata::Target,
    is_lib: bool,
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

fn one_line(s: &str) -> String {
    let s = s.trim();
    // cargo's own message is the useful part; keep it on one line.
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The text of a `--baseline` file.
pub fn read_baseline(path: &Path) -> Result<String, Fatal> {
    std::fs::read_to_string(path).map_err(|e| {
        Fatal(format!(
            "cannot read the baseline `{}`: {} (write one with `--write-baseline`)",
            path.display(),
            io_reason(&e)
        ))
    })
}

fn enclosing_manifest(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .map(|a| a.join("Cargo.toml"))
        .find(|m| m.is_file())
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

/// Reads every `.rs` file below `dir` (in parallel: on a big workspace, reading is a tenth of
/// the run); returns their ids.
fn collect_rs(dir: &Path, ws: &mut Workspace, scope: Scope) -> Vec<FileId> {
    let mut paths = Vec::new();
    let walker = WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() == 0 {
                return true;
            }
            let name = e.file_name().to_string_lossy();
            if name.starts_with('.') || is_build_output(e) {
                return false;
            }
            // A folder with its own manifest is another package (a nested example, a fixture).
            !(e.file_type().is_dir() && e.path().join("Cargo.toml").is_file())
        });
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "rs") => {
                paths.push(e.into_path())
            }
            Ok(_) => {}
            Err(e) => {
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
                ws.warnings.push(LoadWarning {
                    path,
                    message,
                    span: None,
                });
            }
        }
    }
    let read: Vec<(PathBuf, PathBuf, Option<Read>)> = paths
        .into_par_iter()
        .map(|path| {
            let canon = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
            let text = (!ws.by_path.contains_key(&canon)).then(|| read_source(&canon));
            (path, canon, text)
        })
        .collect();
    let mut ids = Vec::new();
    for (path, canon, text) in read {
        ids.extend(register(&path, canon, text, scope, ws));
    }
    ids
}

fn add_file(path: &Path, ws: &mut Workspace, scope: Scope) -> Option<FileId> {
    let canon = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let text = (!ws.by_path.contains_key(&canon)).then(|| read_source(&canon));
    register(path, canon, text, scope, ws)
}

/// A file's text, or why it cannot be analysed.
type Read = Result<String, String>;

fn read_source(path: &Path) -> Read {
    match std::fs::read(path) {
        Ok(bytes) => String::from_utf8(bytes).map_err(|e| {
            format!(
                "not valid UTF-8 (first bad byte at offset {}): skipped",
                e.utf8_error().valid_up_to()
            )
        }),
        Err(e) => Err(format!("cannot be read: {}", io_reason(&e))),
    }
}

/// Reads a file back after the parser released its text, for a diagnostic that shows it: only
/// if it is still the text that was analysed.
fn reread(path: &Path, hash: u64) -> Option<String> {
    let text = read_source(path).ok()?;
    (crate::source::text_hash(&text) == hash).then_some(text)
}

/// Whether a file was found by another path than its own (a link to it or to a folder above
/// it; a `..` in the path counts too): `mod` items may then name it by names it does not have.
fn reached_through_link(path: &Path, canon: &Path) -> bool {
    std::path::absolute(path).map_or(true, |p| p != canon)
}

/// Gives a read file its id (`text` is `None` when the file already has one).
fn register(
    path: &Path,
    canon: PathBuf,
    text: Option<Read>,
    scope: Scope,
    ws: &mut Workspace,
) -> Option<FileId> {
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
            ws.warnings.push(LoadWarning {
                path: path.display().to_string(),
                message,
                span: None,
            });
            None
        }
    }
}

/// Cargo packages below a folder that has no manifest of its own (a folder of checked-out
/// crates): their targets found the way cargo finds them by default (`src/lib.rs`,
/// `src/main.rs`, `src/bin/`, `tests/`, `examples/`, `benches/`, or `[lib]`/`[[bin]]` paths),
/// without running cargo for each.
fn discover_packages(
    dir: &Path,
    ws: &mut Workspace,
    specs: &mut Vec<(PathBuf, CrateSpecDraft)>,
    scopes: &mut Scopes,
) {
    let manifests: Vec<PathBuf> = WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0 || !(name.starts_with('.') || is_build_output(e))
        })
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.file_name() == "Cargo.toml")
        .map(|e| e.into_path())
        .collect();
    let mut workspace_dirs: Vec<PathBuf> = Vec::new();
    let mut parsed: Vec<(PathBuf, PathBuf, toml::Table)> = Vec::new();
    for m in manifests {
        let Some(pkg_dir) = m.parent().map(Path::to_path_buf) else {
            continue;
        };
        let text = match std::fs::read_to_string(&m) {
            Ok(t) => t,
            Err(e) => {
                ws.warnings.push(LoadWarning {
                    path: m.display().to_string(),
                    message: format!("cannot be read: {}", io_reason(&e)),
                    span: None,
                });
                continue;
            }
        };
        let manifest: toml::Table = match text.parse() {
            Ok(t) => t,
            Err(e) => {
                ws.warnings.push(LoadWarning {
                    path: m.display().to_string(),
                    message: format!("is not a valid manifest: {}", one_line(e.message())),
                    span: None,
                });
                continue;
            }
        };
        if manifest.contains_key("workspace") {
            workspace_dirs.push(pkg_dir.clone());
        }
        parsed.push((m, pkg_dir, manifest));
    }
    for (m, pkg_dir, manifest) in parsed {
        let Some(pkg) = manifest.get("package").and_then(|p| p.as_table()) else {
            continue;
        };
        let name = pkg
            .get("name")
            .and_then(|n| n.as_str())
            .unwrap_or("main")
            .to_string();
        let version = pkg
            .get("version")
            .and_then(|v| v.as_str())
            .unwrap_or("0.0.0");
        let edition = pkg
            .get("edition")
            .and_then(|v| v.as_str())
            .unwrap_or("2015")
            .to_string();
        let package = PackageRef {
            name: name.clone(),
            id: cargo_metadata::PackageId {
                repr: format!("path+file://{}#{name}@{version}", pkg_dir.display()),
            },
            manifest_path: m.clone(),
            selected: true,
            levels: Vec::new(),
        };
        // Its workspace: the nearest folder above it (or itself) whose manifest has one.
        let ws_root = pkg_dir
            .ancestors()
            .take_while(|a| a.starts_with(dir))
            .find(|a| workspace_dirs.iter().any(|w| w == a))
            .unwrap_or(&pkg_dir)
            .to_path_buf();
        collect_rs(&pkg_dir, ws, scopes.next(&ws_root));
        let lib_name = manifest
            .get("lib")
            .and_then(|l| l.get("name"))
            .and_then(|n| n.as_str())
            .unwrap_or(&name)
            .replace('-', "_");
        let mut roots: Vec<(PathBuf, String, cargo_metadata::TargetKind)> = Vec::new();
        let lib_path = manifest
            .get("lib")
            .and_then(|l| l.get("path"))
            .and_then(|p| p.as_str())
            .map(|p| pkg_dir.join(p));
        let lib = lib_path.unwrap_or_else(|| pkg_dir.join("src/lib.rs"));
        if lib.is_file() {
            roots.push((lib, lib_name.clone(), cargo_metadata::TargetKind::Lib));
        }
        if let Some(bins) = manifest.get("bin").and_then(|b| b.as_array()) {
            for b in bins {
                if let (Some(n), Some(p)) = (
                    b.get("name").and_then(|n| n.as_str()),
                    b.get("path").and_then(|p| p.as_str()),
                ) {
                    roots.push((
                        pkg_dir.join(p),
                        n.replace('-', "_"),
                        cargo_metadata::TargetKind::Bin,
                    ));
                }
            }
        }
        let main = pkg_dir.join("src/main.rs");
        if main.is_file() {
            roots.push((
                main,
                name.replace('-', "_"),
                cargo_metadata::TargetKind::Bin,
            ));
        }
        for (sub, kind) in [
            ("src/bin", cargo_metadata::TargetKind::Bin),
            ("tests", cargo_metadata::TargetKind::Test),
            ("examples", cargo_metadata::TargetKind::Example),
            ("benches", cargo_metadata::TargetKind::Bench),
        ] {
            let Ok(entries) = std::fs::read_dir(pkg_dir.join(sub)) else {
                continue;
            };
            let mut found: Vec<PathBuf> = entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter_map(|p| {
                    if p.extension().is_some_and(|x| x == "rs") {
                        Some(p)
                    } else if p.join("main.rs").is_file() {
                        Some(p.join("main.rs"))
                    } else {
                        None
                    }
                })
                .collect();
            found.sort();
            for p in found {
                let stem = if p.file_name().is_some_and(|n| n == "main.rs") {
                    p.parent().and_then(|d| d.file_name())
                } else {
                    p.file_stem()
                };
                let tname = stem
                    .map(|s| s.to_string_lossy().replace('-', "_"))
                    .unwrap_or_default();
                roots.push((p, tname, kind.clone()));
            }
        }
        for (path, tname, kind) in roots {
            let is_lib = kind == cargo_metadata::TargetKind::Lib;
            let target = synthetic_target(&tname, kind, &path, &edition);
            specs.push((
                path,
                CrateSpecDraft {
                    name: tname,
                    edition: edition.clone(),
                    package: package.clone(),
                    target,
                    is_lib,
                },
            ));
        }
    }
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

fn synthetic_target(
    name: &str,
    kind: cargo_metadata::TargetKind,
    src: &Path,
    edition: &str,
) -> cargo_metadata::Target {
    let edition = match edition {
        "2015" => cargo_metadata::Edition::E2015,
        "2018" => cargo_metadata::Edition::E2018,
        "2024" => cargo_metadata::Edition::E2024,
        _ => cargo_metadata::Edition::E2021,
    };
    let crate_type = if kind == cargo_metadata::TargetKind::Lib {
        cargo_metadata::CrateType::Lib
    } else {
        cargo_metadata::CrateType::Bin
    };
    // Every field the builder needs is set here, so it cannot fail; the fallback keeps the
    // signature total anyway.
    cargo_metadata::TargetBuilder::default()
        .name(name.to_string())
        .kind(vec![kind])
        .crate_types(vec![crate_type])
        .src_path(cargo_metadata::camino::Utf8PathBuf::from(
            src.display().to_string(),
        ))
        .edition(edition)
        .doctest(false)
        .test(false)
        .doc(false)
        .build()
        .unwrap_or_else(|_| unreachable_target())
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

/// A synthetic package id and target for code that is not in a Cargo package, so every JSON
/// line still deserializes as `cargo_metadata::Message`.
pub fn loose_package(root: &Path, file: &Path) -> (PackageRef, cargo_metadata::Target) {
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| "main".into());
    let id = cargo_metadata::PackageId {
        repr: format!("path+file://{}#{}@0.0.0", root.display(), stem),
    };
    let target = synthetic_target(&stem, cargo_metadata::TargetKind::Lib, file, "2021");
    (
        PackageRef {
            name: stem,
            id,
            manifest_path: root.join("Cargo.toml"),
            selected: true,
            levels: Vec::new(),
        },
        target,
    )
}

fn unreachable_target() -> cargo_metadata::Target {
    serde_json::from_str(r#"{"name":"main","kind":["lib"],"src_path":"main.rs"}"#)
        .expect("a literal target")
}
