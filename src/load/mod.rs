//! Loading: the only stage that touches the file system. It turns the command line's paths
//! into a `Workspace`: the source text of every file that may be analysed, the crates (one per
//! Cargo target, from manifests read directly: no process is ever run) and which files the
//! report is limited to.

#[cfg(test)]
pub(crate) mod fixture;
mod manifest;
pub(crate) mod read;
mod sources;

use sources::{find_manifests, Reader, Scopes};

use crate::base::source::{FileId, Scope, SourceMap, Span};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// A crate to analyse: a Cargo target, or a loose `.rs` file.
#[derive(Debug, Clone)]
pub(crate) struct CrateSpec {
    /// The name other crates use for it (`my_lib`); for loose files the file stem.
    pub(crate) name: String,
    pub(crate) root: FileId,
    pub(crate) edition: String,
    pub(crate) package: PackageRef,
    /// The package's dependencies by the name its code uses, with the package each names
    /// (`db` for `db = { package = "acme-db", path = "../db" }`).
    pub(crate) deps: Vec<(String, String)>,
    pub(crate) target: Target,
    /// A library target: other targets of the package and other members may `use` it.
    pub(crate) is_lib: bool,
}

/// The package a crate belongs to, as cargo names it (for JSON messages).
#[derive(Debug, Clone)]
pub(crate) struct PackageRef {
    pub(crate) name: String,
    /// cargo's package id (`path+file:///dir#name@1.0.0`).
    pub(crate) id: String,
    pub(crate) manifest_path: PathBuf,
    /// Whether findings in this package are reported (`-p`, `--exclude`, member manifests).
    pub(crate) selected: bool,
    /// Lint levels from the package's own `[package.metadata.poolcheck]`.
    pub(crate) levels: Vec<(String, crate::base::lint::Level)>,
}

/// What cargo builds a crate as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum TargetKind {
    Lib,
    Bin,
    Example,
    Test,
    Bench,
}

/// A Cargo target, with what cargo's JSON messages say of it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Target {
    pub(crate) name: String,
    pub(crate) kind: TargetKind,
    /// cargo's crate types (`lib`, `cdylib`, `proc-macro`, `bin`...): for a library, also
    /// its `kind` in cargo's messages.
    pub(crate) crate_types: Vec<String>,
    pub(crate) src_path: PathBuf,
    pub(crate) edition: String,
    pub(crate) required_features: Vec<String>,
    pub(crate) doc: bool,
    pub(crate) doctest: bool,
    pub(crate) test: bool,
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

    pub(crate) fn is_lib(&self) -> bool {
        self.kind == TargetKind::Lib
    }

    /// cargo's `kind` list for this target.
    pub(crate) fn cargo_kind(&self) -> Vec<String> {
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
pub(crate) struct LoadWarning {
    pub(crate) path: String,
    pub(crate) message: String,
    pub(crate) span: Option<Span>,
}

#[derive(Debug, Default)]
pub(crate) struct Workspace {
    pub(crate) root: PathBuf,
    pub(crate) sources: SourceMap,
    pub(crate) crates: Vec<CrateSpec>,
    /// `.rs` files named on the command line (or found in a folder without a manifest) that
    /// become crate roots of their own when no crate's module tree reaches them.
    pub(crate) loose: Vec<FileId>,
    /// When set, only findings whose primary span is in these files are reported.
    pub(crate) report_only: Option<BTreeSet<FileId>>,
    pub(crate) warnings: Vec<LoadWarning>,
    /// Every loaded file by its canonical path, for module resolution.
    pub(crate) by_path: HashMap<PathBuf, FileId>,
    /// Files found by another path than their own (through a symbolic link).
    pub(crate) renamed: HashSet<FileId>,
    /// Files that were found but not read (not UTF-8, too large, not a regular file), by
    /// canonical path: each has its own warning, so a `mod` naming one says nothing more.
    pub(crate) unread: HashSet<PathBuf>,
    /// The canonical path of each file found by another path (a symbolic link, a `..`):
    /// by that path, made absolute and normalized.
    pub(crate) found_as: HashMap<PathBuf, PathBuf>,
    /// `poolcheck.toml` at the workspace root, when there is one.
    pub(crate) config: crate::config::Config,
}

/// A file the index looks for by path (a `mod` declaration's file), as the loader found it.
pub(crate) enum Lookup {
    Read(FileId),
    /// Found but not read (not UTF-8, too large): its own warning says why.
    Unread,
    Missing,
}

impl Workspace {
    /// The file at `path`, among those the loader found: by its canonical path, or by the path
    /// it was found at. Reads nothing: the loader found every file it will ever have.
    pub(crate) fn lookup(&self, path: &Path) -> Lookup {
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

/// Everything poolcheck reads of a project, in one step: what was asked for, the workspaces
/// and their packages, the configuration, the sources.
pub(crate) fn load(req: &Request) -> Result<Workspace, Fatal> {
    let mut ws = Workspace::default();
    let cwd = std::env::current_dir()
        .map_err(|e| Fatal(format!("cannot read the current directory: {e}")))?;
    let asked = asked(req, &cwd)?;
    // The workspaces first (manifests only: no source is read before the configuration,
    // which sets the size limit).
    let workspaces = workspaces(req, &asked, &mut ws.warnings)?;
    let roots: Vec<PathBuf> = workspaces
        .iter()
        .filter(|(_, sel)| !matches!(sel, Selection::All))
        .map(|(m, _)| m.root.clone())
        .collect();
    ws.root = common_root(&roots, &asked.loose_dirs, &asked.loose_files, &cwd);
    ws.config = read_config(&ws.root)?;
    let cap = ws.config.max_file_bytes() as u64;

    // Links are followed while they stay in the project: the workspaces and folders asked for.
    let bounds = read::Bounds::new(
        workspaces
            .iter()
            .map(|(m, _)| m.root.clone())
            .chain(asked.loose_dirs.iter().cloned())
            .chain(std::iter::once(ws.root.clone())),
    );
    let mut reader = Reader {
        ws: &mut ws,
        cap,
        bounds: &bounds,
    };
    let specs = read_packages(&mut reader, req, &workspaces)?;
    let mut loose_ids: Vec<FileId> = Vec::new();
    for d in &asked.loose_dirs {
        loose_ids.extend(reader.collect_rs(d, Scope::LOOSE));
    }
    for f in &asked.loose_files {
        reader.add_file(f, Scope::LOOSE);
    }
    for f in &mut ws.sources.files {
        f.name = display_name(&f.path, &ws.root);
    }
    for w in &mut ws.warnings {
        w.path = display_name(Path::new(&w.path), &ws.root);
    }
    add_crates(&mut ws, specs);
    select(&mut ws, loose_ids, &asked);
    Ok(ws)
}

/// What the command line names: manifests, folders and files, and of those what is reported.
#[derive(Default)]
struct Asked {
    paths: Vec<PathBuf>,
    manifests: Vec<PathBuf>,
    /// `--manifest-path`, canonical.
    manifest: Option<PathBuf>,
    report_files: Vec<PathBuf>,
    report_dirs: Vec<PathBuf>,
    loose_dirs: Vec<PathBuf>,
    loose_files: Vec<PathBuf>,
}

fn asked(req: &Request, cwd: &Path) -> Result<Asked, Fatal> {
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
        vec![cwd.to_path_buf()]
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
    let manifest = req
        .manifest_path
        .as_ref()
        .map(|m| std::fs::canonicalize(m).unwrap_or_else(|_| cwd.join(m)));

    Ok(Asked {
        paths,
        manifests,
        manifest,
        report_files,
        report_dirs,
        loose_dirs,
        loose_files,
    })
}

/// The workspaces of the manifests asked for, each with which of its packages are reported,
/// and those found in folders without a manifest of their own.
fn workspaces(
    req: &Request,
    asked: &Asked,
    warnings: &mut Vec<LoadWarning>,
) -> Result<Vec<(manifest::Members, Selection)>, Fatal> {
    let mut workspaces: Vec<(manifest::Members, Selection)> = Vec::new();
    for m in &asked.manifests {
        let explicit_member = asked.manifest.as_ref() == Some(m)
            || asked
                .paths
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
    for d in &asked.loose_dirs {
        let found = find_manifests(d, warnings);
        for members in manifest::discover(&found) {
            workspaces.push((members, Selection::All));
        }
    }
    Ok(workspaces)
}

/// Reads every package's sources; returns each target's root path with its crate to be.
fn read_packages(
    reader: &mut Reader,
    req: &Request,
    workspaces: &[(manifest::Members, Selection)],
) -> Result<Vec<(PathBuf, CrateSpecDraft)>, Fatal> {
    let bounds = reader.bounds;
    let mut specs: Vec<(PathBuf, CrateSpecDraft)> = Vec::new();
    let mut scopes = Scopes::default();
    for (members, selection) in workspaces {
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
    Ok(specs)
}

/// The crates, one a target whose root was read, in a stable order: by root path, libraries
/// first.
fn add_crates(ws: &mut Workspace, mut specs: Vec<(PathBuf, CrateSpecDraft)>) {
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
}

/// What is analysed and reported: `exclude` globs applied, loose files kept, and the files
/// named on the command line.
fn select(ws: &mut Workspace, mut loose_ids: Vec<FileId>, asked: &Asked) {
    // `exclude` globs: crates rooted there and loose files there are not analysed.
    if ws.config.exclude.is_some() {
        let sources = &ws.sources;
        let config = &ws.config;
        ws.crates
            .retain(|c| !config.excludes(&sources.get(c.root).name));
        loose_ids.retain(|&f| !config.excludes(&sources.get(f).name));
    }
    ws.loose.extend(loose_ids);
    for f in &asked.loose_files {
        if let Some(&id) = ws.by_path.get(f) {
            ws.loose.push(id);
        }
    }
    ws.loose.sort();
    ws.loose.dedup();

    if !asked.report_files.is_empty() || !asked.report_dirs.is_empty() {
        let mut only = BTreeSet::new();
        for (p, &id) in &ws.by_path {
            if asked.report_files.contains(p) || asked.report_dirs.iter().any(|d| p.starts_with(d))
            {
                only.insert(id);
            }
        }
        ws.report_only = Some(only);
    }
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
pub(crate) fn read_baseline(path: &Path) -> Result<String, Fatal> {
    read::read_text(path).map_err(|why| {
        Fatal(format!(
            "the baseline `{}` {why} (write one with `--write-baseline`)",
            path.display()
        ))
    })
}

/// Writes a file the user asked for (`--write-baseline`).
pub(crate) fn write_file(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

fn enclosing_manifest(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .map(|a| a.join("Cargo.toml"))
        .find(|m| read::is_regular_file(m))
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
pub(crate) fn loose_crate(root: &Path) -> CrateSpec {
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

pub(crate) fn loose_package(root: &Path, file: &Path) -> (PackageRef, Target) {
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
