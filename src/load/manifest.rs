//! Cargo manifests, read directly with `cargo_toml` (never through `cargo metadata`, so no
//! toolchain pin, cargo configuration or lock file can stop, redirect or block a run): a
//! workspace's members (globs, `exclude`, path dependencies), each package's targets as cargo
//! finds them, editions with workspace inheritance, and the names its dependencies go by.

use super::read::{self, is_regular_file};
use super::{Target, TargetKind};
use cargo_toml::{AbstractFilesystem, Manifest, Product};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Component, Path, PathBuf};

/// One package of a workspace, as cargo would see it.
#[derive(Debug, Clone)]
pub(crate) struct Package {
    pub(crate) name: String,
    pub(crate) manifest_path: PathBuf,
    /// cargo's package id (`path+file:///dir#name@1.0.0`).
    pub(crate) id: String,
    pub(crate) targets: Vec<Target>,
    /// The package's dependencies by the name its code uses (`db` for
    /// `db = { package = "acme-db", path = "../db" }`), with the package each names.
    pub(crate) deps: Vec<(String, String)>,
    /// The manifest's text, for `[package.metadata.poolcheck]`.
    pub(crate) text: String,
}

/// A workspace's packages, and what could not be read of it.
#[derive(Debug, Default)]
pub(crate) struct Members {
    pub(crate) root: PathBuf,
    pub(crate) packages: Vec<Package>,
    /// Problems with one member (a missing or broken manifest, a glob matching nothing): the
    /// path and the message. The other members are still analysed.
    pub(crate) warnings: Vec<(PathBuf, String)>,
}

/// Why the whole job is impossible: the manifest asked for cannot be read or is not TOML
/// (its path, and why).
#[derive(Debug)]
pub(crate) struct Unreadable(pub PathBuf, pub String);

impl Unreadable {
    pub(crate) fn message(&self) -> String {
        format!("the manifest `{}` {}", self.0.display(), self.1)
    }
}

type Parsed = Manifest<cargo_toml::Value>;

fn parse(path: &Path) -> Result<(Parsed, String), String> {
    let text = read::read_text(path)?;
    // A manifest must be TOML: cargo_toml's own parser says where it is not.
    let manifest = Parsed::from_slice_with_metadata(text.as_bytes())
        .map_err(|e| format!("is not a valid manifest: {}", manifest_error(&e, &text)))?;
    Ok((manifest, text))
}

/// A manifest's error in one line: TOML's message and the line it is on.
fn manifest_error(e: &cargo_toml::Error, text: &str) -> String {
    match e {
        cargo_toml::Error::Parse(p) => {
            let line = p.span().map(|s| {
                let at = s.start.min(text.len());
                text.as_bytes()[..at]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count()
                    + 1
            });
            match line {
                Some(l) => format!("{} (line {l})", one_line(p.message())),
                None => one_line(p.message()),
            }
        }
        other => one_line(&other.to_string()),
    }
}

pub(crate) fn one_line(s: &str) -> String {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Lexically normal form of a path (`a/./b/../c` is `a/c`): member and dependency paths are
/// compared this way, since a member that is not checked out has nothing to canonicalize.
pub(crate) fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// The workspace of the package or workspace manifest `manifest`: its root and members.
pub(crate) fn workspace_of(manifest: &Path) -> Result<Members, Unreadable> {
    let manifest = normalize(manifest);
    let (first, text) = parse(&manifest).map_err(|why| Unreadable(manifest.clone(), why))?;
    let dir = manifest.parent().unwrap_or(Path::new("")).to_path_buf();
    // Its workspace root: itself, the folder `package.workspace` names, or the nearest folder
    // above whose `[workspace]` takes it in.
    let root = if first.workspace.is_some() {
        Some((manifest.clone(), first.clone()))
    } else if let Some(rel) = first.package.as_ref().and_then(|p| p.workspace.clone()) {
        let m = normalize(&dir.join(rel).join("Cargo.toml"));
        parse(&m).ok().map(|(w, _)| (m, w))
    } else {
        enclosing_workspace(&dir)
    };
    if let Some((root_manifest, ws)) = &root {
        let root_dir = root_manifest
            .parent()
            .unwrap_or(Path::new(""))
            .to_path_buf();
        if !excluded(&root_dir, ws, &dir) {
            let root_text = if *root_manifest == manifest {
                Some(text.clone())
            } else {
                read::read_text(root_manifest).ok()
            };
            let mut members = Members {
                root: root_dir.clone(),
                ..Members::default()
            };
            collect_members(&root_dir, root_manifest, ws, root_text, &mut members);
            let asked_for_root = *root_manifest == manifest;
            if asked_for_root
                || members
                    .packages
                    .iter()
                    .any(|p| same_file(&p.manifest_path, &manifest))
            {
                return Ok(members);
            }
        }
    }
    // A package outside any workspace (or one its workspace leaves out) is its own; it still
    // inherits from the workspace above it when it asks to.
    let mut members = Members {
        root: dir.clone(),
        ..Members::default()
    };
    let inherit = root.as_ref().map(|(m, w)| (m.as_path(), w));
    add_package(&manifest, first, text, inherit, &mut members);
    Ok(members)
}

/// Whether two paths name one file (through links too).
pub(crate) fn same_file(a: &Path, b: &Path) -> bool {
    a == b
        || matches!(
            (std::fs::canonicalize(a), std::fs::canonicalize(b)),
            (Ok(x), Ok(y)) if x == y
        )
}

/// Whether a workspace's `exclude` leaves out the folder `dir`.
fn excluded(root_dir: &Path, ws: &Parsed, dir: &Path) -> bool {
    let Some(w) = &ws.workspace else { return false };
    dir.strip_prefix(root_dir).is_ok_and(|rel| {
        !rel.as_os_str().is_empty()
            && w.exclude
                .iter()
                .any(|e| rel.starts_with(normalize(Path::new(e))))
    })
}

/// The nearest manifest above `dir` with a `[workspace]`.
fn enclosing_workspace(dir: &Path) -> Option<(PathBuf, Parsed)> {
    dir.ancestors().skip(1).find_map(|a| {
        let m = a.join("Cargo.toml");
        if !is_regular_file(&m) {
            return None;
        }
        match parse(&m) {
            Ok((w, _)) if w.workspace.is_some() => Some((m, w)),
            _ => None,
        }
    })
}

fn has_glob(s: &str) -> bool {
    s.contains(['*', '?', '[', '{'])
}

/// The member folders a workspace names: its `members` (globs expanded), its root package,
/// and the path dependencies of members that lie below the root; less its `exclude`.
fn collect_members(
    root_dir: &Path,
    root_manifest: &Path,
    ws: &Parsed,
    root_text: Option<String>,
    out: &mut Members,
) {
    let Some(w) = &ws.workspace else { return };
    let mut dirs: Vec<PathBuf> = Vec::new();
    for m in &w.members {
        if has_glob(m) {
            let found = expand_glob(root_dir, m);
            if found.is_empty() {
                out.warnings.push((
                    root_manifest.to_path_buf(),
                    format!("the workspace member glob `{m}` matches no folder"),
                ));
            }
            dirs.extend(found);
        } else {
            dirs.push(normalize(&root_dir.join(m)));
        }
    }
    let mut seen: HashSet<PathBuf> = HashSet::new();
    let mut queue: Vec<(PathBuf, bool)> = dirs.into_iter().map(|d| (d, true)).collect();
    queue.reverse();
    if ws.package.is_some() {
        seen.insert(normalize(root_dir));
        if let Some(text) = root_text {
            // The root package's path dependencies below the root are members too.
            let deps = add_package(
                root_manifest,
                ws.clone(),
                text,
                Some((root_manifest, ws)),
                out,
            );
            for d in deps.into_iter().flatten() {
                if d.starts_with(root_dir) {
                    queue.push((d, false));
                }
            }
        }
    }
    while let Some((dir, named)) = queue.pop() {
        let dir = normalize(&dir);
        if !seen.insert(dir.clone()) || excluded(root_dir, ws, &dir) {
            continue;
        }
        let manifest = dir.join("Cargo.toml");
        if !is_regular_file(&manifest) {
            // A path dependency that is not there is for cargo to report when it builds;
            // a member that is not there is reported here.
            if !dir.is_dir() && !named {
                continue;
            }
            let why = match std::fs::read_dir(&dir).map(|mut e| e.next().is_none()) {
                Ok(true) => {
                    "is empty (a git submodule that is not checked out?): not analysed".into()
                }
                Ok(false) if manifest.exists() => format!(
                    "has a `Cargo.toml` that {}: not analysed",
                    read::read_text(&manifest).err().unwrap_or_default()
                ),
                Ok(false) => "has no `Cargo.toml`: not analysed".to_string(),
                Err(_) if !dir.exists() => "does not exist: not analysed".to_string(),
                Err(e) => format!("cannot be read: {}: not analysed", read::io_reason(&e)),
            };
            out.warnings
                .push((dir, format!("the workspace member {why}")));
            continue;
        }
        match parse(&manifest) {
            Ok((m, text)) => {
                // Its path dependencies (inherited ones too) below the root are members.
                let deps = add_package(&manifest, m, text, Some((root_manifest, ws)), out);
                for d in deps.into_iter().flatten() {
                    if d.starts_with(root_dir) && !seen.contains(&d) {
                        queue.push((d, false));
                    }
                }
            }
            Err(why) => out.warnings.push((
                manifest,
                format!("{why}: this workspace member is not analysed"),
            )),
        }
    }
}

/// The folders a member glob matches (`crates/*`, `libs/**`), sorted.
fn expand_glob(root: &Path, pattern: &str) -> Vec<PathBuf> {
    let norm = normalize(Path::new(pattern));
    let Ok(glob) = globset::GlobBuilder::new(&norm.to_string_lossy())
        .literal_separator(true)
        .build()
    else {
        return Vec::new();
    };
    let matcher = glob.compile_matcher();
    // Walk from the literal part of the pattern, only as deep as it can match.
    let literal: PathBuf = norm
        .components()
        .take_while(|c| !has_glob(&c.as_os_str().to_string_lossy()))
        .collect();
    let depth = if pattern.contains("**") {
        16
    } else {
        norm.components().count() - literal.components().count()
    };
    let start = root.join(&literal);
    let mut found: Vec<PathBuf> = walkdir::WalkDir::new(&start)
        .min_depth(1)
        .max_depth(depth)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        // Hidden folders and cargo's build output are never members (`members = ["*"]`).
        .filter_entry(|e| {
            !e.file_name().to_string_lossy().starts_with('.')
                && !e.path().join("CACHEDIR.TAG").is_file()
        })
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_dir() || e.path_is_symlink())
        .filter(|e| {
            e.path()
                .strip_prefix(root)
                .is_ok_and(|rel| matcher.is_match(rel))
        })
        .map(|e| e.into_path())
        .collect();
    found.sort();
    found
}

/// The folders of a manifest's path dependencies.
fn path_deps(m: &Parsed, dir: &Path) -> Vec<PathBuf> {
    all_deps(m)
        .filter_map(|(_, d)| d.detail().and_then(|d| d.path.clone()))
        .map(|p| normalize(&dir.join(p)))
        .collect()
}

fn all_deps(m: &Parsed) -> impl Iterator<Item = (&String, &cargo_toml::Dependency)> {
    m.dependencies.iter().chain(&m.dev_dependencies).chain(
        m.target
            .values()
            .flat_map(|t| t.dependencies.iter().chain(&t.dev_dependencies)),
    )
}

/// The directory listing cargo's target discovery reads, through the loader's own reads.
struct PackageDir<'a>(&'a Path);

impl AbstractFilesystem for PackageDir<'_> {
    fn file_names_in(&self, rel_path: &str) -> std::io::Result<HashSet<Box<str>>> {
        Ok(std::fs::read_dir(self.0.join(rel_path))?
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned().into())
            .collect())
    }

    fn parse_root_workspace(
        &self,
        _hint: Option<&Path>,
    ) -> Result<(Manifest<cargo_toml::Value>, PathBuf), cargo_toml::Error> {
        // The workspace is always given: a package that asks for one it does not have is
        // completed without it.
        Err(cargo_toml::Error::Other("no workspace"))
    }
}

/// Adds one package: its targets, found as cargo finds them. Returns the folders of its path
/// dependencies, or `None` when it is no package (a virtual manifest).
fn add_package(
    manifest: &Path,
    mut m: Parsed,
    text: String,
    workspace: Option<(&Path, &Parsed)>,
    out: &mut Members,
) -> Option<Vec<PathBuf>> {
    let dir = manifest.parent().unwrap_or(Path::new("")).to_path_buf();
    m.package.as_ref()?;
    let fs = PackageDir(&dir);
    let completed = match workspace {
        Some((ws_manifest, ws)) => {
            let ws_dir = ws_manifest.parent().unwrap_or(Path::new(""));
            m.complete_from_abstract_filesystem(&fs, Some((ws, ws_dir)))
        }
        None => m.complete_from_abstract_filesystem::<cargo_toml::Value, _>(&fs, None),
    };
    if let Err(e) = completed {
        // Inheritance that the workspace cannot satisfy (`edition.workspace = true` with no
        // `[workspace.package] edition`): cargo refuses the package; we still analyse it,
        // with what cargo would default to, and say so.
        let why = match workspace {
            Some(_) => one_line(&e.to_string()),
            None => "inherits from a workspace, but no workspace takes it in".into(),
        };
        out.warnings.push((
            manifest.to_path_buf(),
            format!("{why}: read with cargo's defaults where it inherits"),
        ));
        m = without_inheritance(m);
        // Nothing is left to inherit, so only the targets are found.
        let _ = m.complete_from_abstract_filesystem::<cargo_toml::Value, _>(&fs, None);
    }
    let p = m.package.as_ref()?;
    let name = p.name.clone();
    let version = p
        .version
        .get()
        .map_or("0.0.0".to_string(), |v| v.to_string());
    let edition = p
        .edition
        .get()
        .map_or("2015".to_string(), |e| e.to_string());
    let mut targets = Vec::new();
    let mut push = |prod: &Product, kind: TargetKind, default_name: &str| {
        let name = prod
            .name
            .clone()
            .unwrap_or_else(|| default_name.to_string());
        // A target named without a path (`[[bench]] name = "x"` under `autobenches = false`)
        // is where cargo would look for it.
        let Some(path) = prod
            .path
            .clone()
            .or_else(|| inferred_path(&dir, kind, &name, default_name))
        else {
            return;
        };
        targets.push(Target::new(
            name,
            kind,
            prod,
            // As cargo states it: `../shared/lib.rs` stays joined, not normalized.
            dir.join(path),
            prod.edition.map_or(edition.clone(), |e| e.to_string()),
        ));
    };
    if let Some(lib) = &m.lib {
        // `[lib]` without a `path` whose `src/lib.rs` is missing: no library.
        if lib.path.is_some() {
            push(lib, TargetKind::Lib, &name.replace('-', "_"));
        }
    }
    for b in &m.bin {
        push(b, TargetKind::Bin, &name);
    }
    for e in &m.example {
        push(e, TargetKind::Example, &name);
    }
    for t in &m.test {
        push(t, TargetKind::Test, &name);
    }
    for b in &m.bench {
        push(b, TargetKind::Bench, &name);
    }
    let mut deps: BTreeMap<String, String> = BTreeMap::new();
    for (key, d) in all_deps(&m) {
        let package = d.package().unwrap_or(key).to_string();
        deps.entry(key.replace('-', "_")).or_insert(package);
    }
    let id = package_id(&dir, &name, &version);
    out.packages.push(Package {
        name,
        manifest_path: manifest.to_path_buf(),
        id,
        targets,
        deps: deps.into_iter().collect(),
        text,
    });
    Some(path_deps(&m, &dir))
}

/// A manifest whose inherited fields could not be inherited, reduced to what finding its
/// targets needs: its name, version and edition (cargo's defaults where they were inherited),
/// its auto-discovery flags, its targets, and its dependencies that are not inherited.
fn without_inheritance(mut m: Parsed) -> Parsed {
    if let Some(p) = &m.package {
        let version = p
            .version
            .get()
            .cloned()
            .unwrap_or_else(|_| cargo_toml::SemVer::new(0, 0, 0));
        let mut package = cargo_toml::Package::new(p.name.clone(), version);
        package.edition = cargo_toml::Inheritable::Set(
            p.edition
                .get()
                .copied()
                .unwrap_or(cargo_toml::Edition::E2015),
        );
        package.autolib = p.autolib;
        package.autobins = p.autobins;
        package.autoexamples = p.autoexamples;
        package.autotests = p.autotests;
        package.autobenches = p.autobenches;
        m.package = Some(package);
    }
    let own = |d: &cargo_toml::Dependency| !matches!(d, cargo_toml::Dependency::Inherited(_));
    m.dependencies.retain(|_, d| own(d));
    m.dev_dependencies.retain(|_, d| own(d));
    m.build_dependencies.retain(|_, d| own(d));
    for t in m.target.values_mut() {
        t.dependencies.retain(|_, d| own(d));
        t.dev_dependencies.retain(|_, d| own(d));
        t.build_dependencies.retain(|_, d| own(d));
    }
    m.lints = cargo_toml::Inheritable::Set(Default::default());
    m.workspace = None;
    m
}

/// Where cargo finds a target that its manifest names without a path.
fn inferred_path(dir: &Path, kind: TargetKind, name: &str, package: &str) -> Option<String> {
    let folder = match kind {
        TargetKind::Lib => {
            return Some("src/lib.rs".into()).filter(|p| is_regular_file(&dir.join(p)))
        }
        TargetKind::Bin if name == package && is_regular_file(&dir.join("src/main.rs")) => {
            return Some("src/main.rs".into())
        }
        TargetKind::Bin => "src/bin",
        TargetKind::Example => "examples",
        TargetKind::Test => "tests",
        TargetKind::Bench => "benches",
    };
    [
        format!("{folder}/{name}.rs"),
        format!("{folder}/{name}/main.rs"),
    ]
    .into_iter()
    .find(|p| is_regular_file(&dir.join(p)))
}

/// cargo's id of a path package: `path+file:///dir#1.0.0` when the folder is named after the
/// package, else `path+file:///dir#name@1.0.0` (the folder as a file URL, escaped as cargo
/// escapes it).
pub(crate) fn package_id(dir: &Path, name: &str, version: &str) -> String {
    let url = url::Url::from_directory_path(dir)
        .or_else(|_| url::Url::from_file_path(dir))
        .map(|u| u.as_str().trim_end_matches('/').to_string())
        .unwrap_or_else(|_| format!("file://{}", dir.display()));
    if dir.file_name().is_some_and(|n| n.to_string_lossy() == name) {
        format!("path+{url}#{version}")
    } else {
        format!("path+{url}#{name}@{version}")
    }
}

/// The packages found below a folder that has no manifest of its own (a folder of checked-out
/// crates), each in its own workspace: manifests that are not the root of one, and not inside
/// a workspace found here, are read as workspaces of their own.
pub(crate) fn discover(manifests: &[PathBuf]) -> Vec<Members> {
    let mut claimed: BTreeSet<PathBuf> = BTreeSet::new();
    let mut out = Vec::new();
    // Workspace roots first, so their members are read as theirs.
    let mut order: Vec<(bool, &PathBuf)> = manifests
        .iter()
        .map(|m| {
            let is_ws = read::read_text(m)
                .ok()
                .and_then(|t| t.parse::<toml::Table>().ok())
                .is_some_and(|t| t.contains_key("workspace"));
            (!is_ws, m)
        })
        .collect();
    order.sort();
    for (_, m) in order {
        if claimed.contains(m) {
            continue;
        }
        claimed.insert(m.clone());
        match workspace_of(m) {
            Ok(members) => {
                claimed.extend(members.packages.iter().map(|p| p.manifest_path.clone()));
                out.push(members);
            }
            Err(Unreadable(_, why)) => out.push(Members {
                root: m.parent().unwrap_or(Path::new("")).to_path_buf(),
                packages: Vec::new(),
                warnings: vec![(m.clone(), why)],
            }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_ids_are_cargos() {
        assert_eq!(
            package_id(Path::new("/tmp/pid/foo-bar"), "foo-bar", "0.1.0"),
            "path+file:///tmp/pid/foo-bar#0.1.0"
        );
        assert_eq!(
            package_id(Path::new("/tmp/pid/a b"), "foo-bar", "0.0.0"),
            "path+file:///tmp/pid/a%20b#foo-bar@0.0.0"
        );
    }

    #[test]
    fn paths_are_normalized_lexically() {
        assert_eq!(normalize(Path::new("/a/./b/../c")), PathBuf::from("/a/c"));
        assert_eq!(normalize(Path::new("../x")), PathBuf::from("../x"));
    }
}
