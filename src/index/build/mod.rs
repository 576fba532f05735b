//! Building the index: crate by crate, the module tree from each root (files unpacked as it
//! reaches them), then the impls, trait defaults, wrappers and static pools (`finish`).

mod finish;
mod modules;

use super::*;
use crate::base::source::FileId;
use crate::config::catalogue::{self};
use crate::ir::{self, FnDef, Item, Segs};
use crate::load::Workspace;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::path::Path;

enum ModFile {
    Found(FileId),
    /// To a file the loader found and could not read (it has said why).
    Unread,
    Missing,
}

impl ModFile {
    fn found(self) -> Option<FileId> {
        match self {
            ModFile::Found(f) => Some(f),
            _ => None,
        }
    }
}

struct PendingImpl {
    module: ModId,
    def: ir::ImplDef,
}

/// Files as the parser left them: packed, each unpacked when the module tree reaches it (so
/// only one file's items are ever unpacked beside the index).
pub(crate) struct ParsedFiles {
    pub(crate) files: Vec<Option<crate::base::shelf::Slot<ir::File>>>,
    pub(crate) shelf: crate::base::shelf::Shelved,
    /// See `parse::Parsed::module_names`.
    pub(crate) module_names: HashSet<(u32, String)>,
    pub(crate) path_names: HashSet<String>,
    /// Files whose packed items could not be decoded (a bug of ours, reported as one).
    pub(crate) undecodable: Vec<FileId>,
    /// See `parse::Parsed::declares_mods`.
    pub(crate) declares_mods: Vec<bool>,
}

impl ParsedFiles {
    /// The parsed files, taken out of what the parser gave (the rest stays there).
    pub(crate) fn take_from(parsed: &mut crate::syntax::parse::Parsed) -> ParsedFiles {
        ParsedFiles {
            files: std::mem::take(&mut parsed.files),
            shelf: std::mem::take(&mut parsed.shelf),
            module_names: std::mem::take(&mut parsed.module_names),
            path_names: std::mem::take(&mut parsed.path_names),
            undecodable: Vec::new(),
            declares_mods: std::mem::take(&mut parsed.declares_mods),
        }
    }

    /// A file's items, for a crate whose module tree reaches it. `last`: no later crate can
    /// reach it, so it is unpacked for good (its chunk of the shelf goes with the last file in
    /// it); otherwise it stays packed for the others (a `tests/common/mod.rs` of several test
    /// targets, a `mod db;` of both `lib.rs` and `main.rs`).
    fn items(&mut self, f: FileId, last: bool) -> Option<ir::File> {
        let file = if last {
            let slot = self.files.get_mut(f as usize)?.take()?;
            self.shelf.take(slot)
        } else {
            self.shelf.get(self.files.get(f as usize)?.as_ref()?)
        };
        if file.is_none() {
            self.undecodable.push(f);
        }
        file
    }

    fn peek(&self, f: FileId) -> Option<ir::File> {
        self.shelf.get(self.files.get(f as usize)?.as_ref()?)
    }

    /// Whether some `mod` item could name this file: `name.rs` or `name/mod.rs` declared in its
    /// package, or a `#[path]` anywhere.
    fn may_be_module(&self, path: &Path, package: u32) -> bool {
        let name = |p: Option<&std::ffi::OsStr>| p.map(|n| n.to_string_lossy().into_owned());
        let Some(file) = name(path.file_name()) else {
            return true;
        };
        let module = if file == "mod.rs" {
            name(path.parent().and_then(Path::file_name))
        } else {
            name(path.file_stem())
        };
        self.path_names.contains(&file)
            || module.is_some_and(|m| self.module_names.contains(&(package, m)))
    }

    /// Frees a file no module tree reached (its chunk of the shelf goes with the last one).
    fn discard(&mut self, f: FileId) {
        if let Some(slot) = self.files.get_mut(f as usize).and_then(Option::take) {
            self.shelf.discard(slot);
        }
    }
}

pub(crate) fn build(ws: &Workspace, files: &mut ParsedFiles) -> Index {
    let mut b = Builder {
        ws,
        ix: Index {
            cat: catalogue::get().clone(),
            ..Index::default()
        },
        taken: HashMap::default(),
        impls: Vec::new(),
        traits_pending: Vec::new(),
        last_reader: HashMap::default(),
        first_reader: HashMap::default(),
        libs: ws
            .crates
            .iter()
            .filter(|c| c.is_lib)
            .map(|c| (c.package.name.clone(), c.name.clone()))
            .collect(),
    };
    // A file that is no crate's root, not loose, and that no `mod` item of its package and no
    // `#[path]` could name (a test fixture, a build script) is freed now: it would keep its
    // chunk of the shelf while every other file there is indexed. (A file found by another
    // path, through a link, could be named by that path: kept.)
    let roots: HashSet<FileId> = ws
        .crates
        .iter()
        .map(|c| c.root)
        .chain(ws.loose.iter().copied())
        .collect();
    for f in 0..files.files.len() as FileId {
        if !roots.contains(&f)
            && !ws.renamed.contains(&f)
            && !files.may_be_module(&ws.sources.get(f).path, ws.sources.get(f).scope.package)
        {
            files.discard(f);
        }
    }
    // Every crate sees every file it declares, so a file stays packed until the last crate
    // that can reach it takes it (see `last_readers`).
    let loose_set: HashSet<FileId> = ws.loose.iter().copied().collect();
    b.last_reader = last_readers(ws, files);
    for (i, spec) in ws.crates.iter().enumerate() {
        b.add_crate(i, spec.name.clone(), spec.root, spec.edition.clone(), files);
    }
    // Files in a package that its crates do not reach (a fixture, a file no `mod` names) are
    // not part of the program.
    for f in 0..files.files.len() as FileId {
        if !b.taken.contains_key(&f) && !loose_set.contains(&f) {
            files.discard(f);
        }
    }
    // Loose files no crate reached: each a crate of its own, unless another loose file
    // declares it as a module.
    let loose: Vec<FileId> = ws
        .loose
        .iter()
        .copied()
        .filter(|f| !b.taken.contains_key(f))
        .collect();
    let mut referenced = HashSet::default();
    for &f in &loose {
        if let Some(file) = files.peek(f) {
            for item in &file.items {
                if let Item::Mod {
                    name,
                    body: None,
                    path_attr,
                    ..
                } = item
                {
                    if let Some(child) = b.find_mod_file(f, true, &[], name, path_attr).found() {
                        if child != f {
                            referenced.insert(child);
                        }
                    }
                }
            }
        }
    }
    // Roots first; then any loose file still unreached (a module cycle among loose files).
    for pass in 0..2 {
        for &f in &loose {
            if b.taken.contains_key(&f) || (pass == 0 && referenced.contains(&f)) {
                continue;
            }
            b.add_loose_crate(f, files);
        }
    }
    let mut ix = b.finish();
    add_custom_pools(&mut ix, &ws.config.pools);
    ix
}

/// Each file's last reader: the last crate that can reach it, by its own root, or as a module
/// below the folder of a crate root that declares modules, or anywhere through a `#[path]`.
/// (A `src/main.rs` that only `use`s its library reaches no file of it.)
fn last_readers(ws: &Workspace, files: &ParsedFiles) -> HashMap<FileId, usize> {
    let mut crates_of: HashMap<u32, Vec<(usize, &Path)>> = HashMap::default();
    let mut rooted: HashMap<FileId, usize> = HashMap::default();
    for (i, spec) in ws.crates.iter().enumerate() {
        rooted.insert(spec.root, i);
        if files.declares_mods.get(spec.root as usize) == Some(&false) {
            continue;
        }
        let root = ws.sources.get(spec.root);
        let dir = root.path.parent().unwrap_or(Path::new(""));
        crates_of
            .entry(root.scope.package)
            .or_default()
            .push((i, dir));
    }
    let mut out: HashMap<FileId, usize> = HashMap::default();
    for f in 0..files.files.len() as FileId {
        if files.files.get(f as usize).is_none_or(Option::is_none) {
            continue;
        }
        let file = ws.sources.get(f);
        let by_path = file
            .path
            .file_name()
            .is_some_and(|n| files.path_names.contains(n.to_string_lossy().as_ref()));
        let by_module = crates_of.get(&file.scope.package).and_then(|crates| {
            crates
                .iter()
                .rev()
                .find(|(_, dir)| by_path || file.path.starts_with(dir))
                .map(|(i, _)| *i)
        });
        if let Some(i) = by_module.max(rooted.get(&f).copied()) {
            out.insert(f, i);
        }
    }
    out
}

/// The project's own pool types (`[[pools]]`): a workspace type becomes a pool of a kind of its
/// own; a path outside the workspace is matched like the catalogue's.
fn add_custom_pools(ix: &mut Index, pools: &[crate::config::PoolDecl]) {
    if pools.is_empty() {
        return;
    }
    let (cat, kinds) = ix.cat.with_custom(pools);
    for (decl, kind) in pools.iter().zip(kinds) {
        let segs: Segs = decl.path.split("::").map(str::to_string).collect();
        let local = matches!(
            segs.first().map(String::as_str),
            Some("crate" | "self" | "super")
        );
        let found = ix
            .crates
            .iter()
            .find_map(|c| match ix.resolve(c.root, &segs) {
                Resolved::Def(Def::Type(t)) => Some(t),
                Resolved::Def(Def::Alias(a)) => match ix.alias_target(a, 0) {
                    Some(Def::Type(t)) => Some(t),
                    _ => None,
                },
                _ => None,
            });
        match found {
            Some(t) => {
                ix.custom_types.insert(t, kind);
                ix.custom_kind_type.insert(kind, t);
            }
            None if local => ix.config_errors.push(format!(
                "{}: `{}` names no type in the workspace (write the path from the crate root, like `crate::db::DbPool`)",
                decl.at, decl.path
            )),
            // Outside the workspace: the catalogue matches it by its path.
            None => {}
        }
    }
    ix.cat = cat;
}

struct Builder<'a> {
    ws: &'a Workspace,
    ix: Index,
    /// Which files a module tree has taken (per crate, to stop `#[path]` cycles).
    taken: HashMap<FileId, u32>,
    impls: Vec<PendingImpl>,
    traits_pending: Vec<(TraitId, Vec<FnDef>)>,
    /// Each package's library crate name, by package name.
    libs: HashMap<String, String>,
    /// Each file's last reader (see `last_readers`); a loose file has none.
    last_reader: HashMap<FileId, usize>,
    /// Each file's first reader (a crate of the index).
    first_reader: HashMap<FileId, u32>,
}

impl Builder<'_> {
    /// A file's items for the crate being indexed (`self.ix.crates`' last).
    fn items(&mut self, files: &mut ParsedFiles, f: FileId) -> Option<ir::File> {
        let current = self.ix.crates.last().map(|c| c.spec);
        if let Some(k) = self.ix.crates.len().checked_sub(1) {
            self.first_reader.entry(f).or_insert(k as u32);
        }
        let last = match self.last_reader.get(&f) {
            Some(&i) => Some(i) == current,
            // No crate of a package reaches it (a loose file): its own crate takes it.
            None => true,
        };
        files.items(f, last)
    }
}
