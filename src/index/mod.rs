//! The index: per crate, the module tree (from `mod` items, `#[path]`, `mod.rs`, inline
//! modules), imports, functions and methods, structs and their fields, traits and their impls,
//! type aliases and statics; and the resolution of paths and types against it.

pub(crate) mod pool_build;

use crate::base::source::{FileId, Span};
use crate::config::catalogue::{self, Catalogue, ExtKind, KindId};
use crate::config::known;
use crate::ir::{self, FnDef, Generics, Item, Segs, Ty};
use crate::load::{CrateSpec, LoadWarning, Lookup, Workspace};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::path::{Path, PathBuf};

pub type ModId = u32;
pub type FnId = u32;
pub type TypeId = u32;
pub type TraitId = u32;
pub type StaticId = u32;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Def {
    Mod(ModId),
    Fn(FnId),
    Type(TypeId),
    Trait(TraitId),
    Alias(u32),
    Static(StaticId),
}

#[derive(Debug, Default)]
pub struct Module {
    pub krate: u32,
    pub parent: Option<ModId>,
    pub file: FileId,
    pub items: HashMap<String, Vec<Def>>,
    pub uses: HashMap<String, Segs>,
    pub globs: Vec<Segs>,
    /// The modules glob imports bring names in from, transitively, in the order a name is
    /// looked for in them (depth first, as written): computed once, so a lookup never walks
    /// the glob graph. Modules, not names: a name list per module would copy its parent's
    /// whole namespace into every `mod tests { use super::*; }`.
    pub glob_closure: Vec<ModId>,
    /// Glob imports of paths outside the workspace (`use sqlx::postgres::*`).
    pub glob_external: Vec<Segs>,
}

#[derive(Debug)]
pub struct Crate {
    pub spec: usize,
    pub name: String,
    pub root: ModId,
    pub edition: String,
    /// Workspace libraries its manifest depends on under another name: that name, and the
    /// library's crate name.
    pub renames: HashMap<String, String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    Free,
    Type(TypeId),
    Trait(TraitId),
    /// An impl on a type outside the workspace (`impl UserStore for PgPool`).
    External,
}

#[derive(Debug)]
pub struct FnInfo {
    pub def: FnDef,
    pub module: ModId,
    pub owner: Owner,
    /// The self type of the impl (for `Self` and `self`), resolved.
    pub self_ty: Option<Ty>,
    pub impl_generics: Generics,
    /// How messages name it: `message_shop_get`, `UserRepo::find`.
    pub display: String,
    /// In a file an earlier crate already read (a `tests/common/mod.rs` of the second test
    /// target on): what it finds on its own, that crate's copy found; it matters here only
    /// where this crate's code calls it.
    pub copy: bool,
}

#[derive(Debug)]
pub struct TypeInfo {
    pub name: String,
    pub module: ModId,
    /// Its type parameters with their bounds (a field of type `R` is an `R: Repo`).
    pub generics: Generics,
    pub fields: Vec<(String, Ty)>,
    pub derives: Vec<String>,
    pub methods: HashMap<String, Vec<FnId>>,
    /// `impl Deref for T { type Target = X }`, with the module the impl is in.
    pub deref: Option<(Ty, ModId)>,
    /// The field it derefs to (its only field, or the one of the target type): that field
    /// *is* the value seen through the wrapper, so it has the wrapper's location.
    pub deref_field: Option<String>,
}

#[derive(Debug)]
pub struct TraitInfo {
    pub name: String,
    pub module: ModId,
    /// Methods with a default body.
    pub defaults: HashMap<String, FnId>,
    pub declared: HashSet<String>,
    /// Every workspace impl: its methods by name.
    pub impls: Vec<HashMap<String, FnId>>,
}

#[derive(Debug)]
pub struct StaticInfo {
    pub name: String,
    pub module: ModId,
    pub ty: Ty,
    pub span: Span,
    /// For a pool built in the initializer: its wait-timeout setter (`connection_timeout`,
    /// `acquire_timeout`...) and the span of the value given to it.
    pub wait_setting: Option<(String, Span)>,
    /// A pool built in the initializer so that its checkouts can wait forever: why, where,
    /// and the pool's kind.
    pub unbounded: Option<(crate::index::pool_build::Unbounded, Span, KindId)>,
    init: Option<ir::Expr>,
}

#[derive(Debug, Default)]
pub struct Index {
    pub crates: Vec<Crate>,
    pub mods: Vec<Module>,
    pub fns: Vec<FnInfo>,
    pub types: Vec<TypeInfo>,
    pub traits: Vec<TraitInfo>,
    pub aliases: Vec<(ModId, Ty)>,
    pub statics: Vec<StaticInfo>,
    /// Methods of workspace impls on types outside the workspace, by the type's last name.
    pub ext_methods: HashMap<String, HashMap<String, Vec<FnId>>>,
    /// Every method of every workspace impl or trait, by name.
    pub method_names: HashMap<String, Vec<FnId>>,
    /// The workspace traits that declare each method name.
    pub method_traits: HashMap<String, Vec<u32>>,
    pub warnings: Vec<LoadWarning>,
    /// Crate specs for crates made from loose files.
    pub loose_specs: Vec<CrateSpec>,
    /// Root module of each crate by name (the first, a library, when names repeat).
    pub crate_names: HashMap<String, ModId>,
    globs_ready: bool,
    /// Files in some crate's module tree (whether or not they parsed).
    pub reached: HashSet<FileId>,
    /// The pool catalogue with the project's own pool types (`[[pools]]`) added.
    pub cat: Catalogue,
    /// Workspace types declared as pools in the configuration, and back.
    pub custom_types: HashMap<TypeId, KindId>,
    custom_kind_type: HashMap<KindId, TypeId>,
    /// `[[pools]]` entries whose type names nothing in the workspace.
    pub config_errors: Vec<String>,
}

/// What a type is to the analysis.
#[derive(Debug, Clone, PartialEq)]
pub enum TyK {
    Pool(KindId),
    Builder(KindId),
    /// A cell holding a pool (`OnceLock<PgPool>`).
    Cell(KindId),
    Adt(TypeId),
    /// A type parameter or `impl`/`dyn` type: its workspace traits, and whether a bound is
    /// sqlx's `Executor`/`Acquire` (then a pool may be passed for it).
    Generic(Vec<TraitId>, bool),
    /// A type outside the workspace, by its last name (for impls of workspace traits on it).
    Ext(String),
    /// A collection (`Vec<T>`, `[T]`, `HashSet<T>`...) of values of the inner kind: what a
    /// `for` loop over it binds.
    Elems(Box<TyK>),
    Unknown,
}

pub enum Resolved {
    Def(Def),
    /// `Type::name` or `Trait::name`.
    Assoc(Def, String),
    External(Segs, bool),
    None,
}

/// Where a `mod name;` leads.
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
pub struct ParsedFiles {
    pub files: Vec<Option<crate::base::shelf::Slot<ir::File>>>,
    pub shelf: crate::base::shelf::Shelved,
    /// See `parse::Parsed::module_names`.
    pub module_names: HashSet<(u32, String)>,
    pub path_names: HashSet<String>,
    /// Files whose packed items could not be decoded (a bug of ours, reported as one).
    pub undecodable: Vec<FileId>,
    /// See `parse::Parsed::declares_mods`.
    pub declares_mods: Vec<bool>,
}

impl ParsedFiles {
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

pub fn build(ws: &Workspace, files: &mut ParsedFiles) -> Index {
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

impl Builder<'_> {
    fn add_loose_crate(&mut self, f: FileId, files: &mut ParsedFiles) {
        let path = self.ws.sources.get(f).path.clone();
        let (package, target) = crate::load::loose_package(&self.ws.root, &path);
        let name = package.name.replace('-', "_");
        let spec = CrateSpec {
            name: name.clone(),
            root: f,
            edition: "2021".into(),
            package,
            deps: Vec::new(),
            target,
            is_lib: true,
        };
        let idx = self.ws.crates.len() + self.ix.loose_specs.len();
        self.ix.loose_specs.push(spec);
        self.add_crate(idx, name, f, "2021".into(), files);
    }

    fn add_crate(
        &mut self,
        spec: usize,
        name: String,
        root: FileId,
        edition: String,
        files: &mut ParsedFiles,
    ) {
        let krate = self.ix.crates.len() as u32;
        let root_mod = self.new_mod(krate, None, root);
        self.ix.crate_names.entry(name.clone()).or_insert(root_mod);
        let renames = self.renames(spec);
        self.ix.crates.push(Crate {
            spec,
            name,
            root: root_mod,
            edition,
            renames,
        });
        self.taken.insert(root, krate);
        let Some(file) = self.items(files, root) else {
            return;
        };
        self.add_items(root_mod, root, true, Vec::new(), file.items, files);
    }

    /// A crate's dependencies on workspace libraries whose name in its code is not the
    /// library's own.
    fn renames(&self, spec: usize) -> HashMap<String, String> {
        let Some(spec) = self.ws.crates.get(spec) else {
            return HashMap::default();
        };
        spec.deps
            .iter()
            .filter_map(|(extern_name, package)| {
                let lib = self.libs.get(package)?;
                (lib != extern_name).then(|| (extern_name.clone(), lib.clone()))
            })
            .collect()
    }

    fn is_ancestor_file(&self, m: ModId, f: FileId) -> bool {
        let mut cur = Some(m);
        while let Some(x) = cur {
            if self.ix.mods[x as usize].file == f {
                return true;
            }
            cur = self.ix.mods[x as usize].parent;
        }
        false
    }

    fn new_mod(&mut self, krate: u32, parent: Option<ModId>, file: FileId) -> ModId {
        self.ix.mods.push(Module {
            krate,
            parent,
            file,
            ..Default::default()
        });
        (self.ix.mods.len() - 1) as ModId
    }

    fn def(&mut self, m: ModId, name: String, d: Def) {
        self.ix.mods[m as usize]
            .items
            .entry(name)
            .or_default()
            .push(d);
    }

    /// The file of `mod name;` declared in `file` (a crate root or `mod.rs` when `owns_dir`),
    /// inside inline modules `inline`.
    fn find_mod_file(
        &self,
        file: FileId,
        owns_dir: bool,
        inline: &[String],
        name: &str,
        path_attr: &[String],
    ) -> ModFile {
        let fpath = &self.ws.sources.get(file).path;
        let dir = fpath.parent().unwrap_or(Path::new("."));
        let mut base: PathBuf = if owns_dir {
            dir.to_path_buf()
        } else {
            dir.join(fpath.file_stem().unwrap_or_default())
        };
        for i in inline {
            base.push(i);
        }
        let candidates: Vec<PathBuf> = if path_attr.is_empty() {
            vec![
                base.join(format!("{name}.rs")),
                base.join(name).join("mod.rs"),
            ]
        } else if inline.is_empty() {
            path_attr.iter().map(|p| dir.join(p)).collect()
        } else {
            path_attr.iter().map(|p| base.join(p)).collect()
        };
        let mut unread = false;
        for c in &candidates {
            match self.ws.lookup(c) {
                Lookup::Read(f) => return ModFile::Found(f),
                Lookup::Unread => unread = true,
                Lookup::Missing => {}
            }
        }
        if unread {
            ModFile::Unread
        } else {
            ModFile::Missing
        }
    }

    fn add_items(
        &mut self,
        m: ModId,
        file: FileId,
        owns_dir: bool,
        inline: Vec<String>,
        items: Vec<Item>,
        files: &mut ParsedFiles,
    ) {
        let krate = self.ix.mods[m as usize].krate;
        for item in items {
            match item {
                Item::Mod {
                    name,
                    body,
                    path_attr,
                    span,
                } => {
                    let child = self.new_mod(krate, Some(m), file);
                    self.def(m, name.clone(), Def::Mod(child));
                    match body {
                        Some(items) => {
                            let mut inl = inline.clone();
                            let mut owns = owns_dir;
                            // `#[path = "dir"] mod m { mod x; }` looks for `dir/x.rs`, from the
                            // file's own folder even in a non-`mod.rs` file (as rustc does).
                            match path_attr.first() {
                                Some(p) => {
                                    owns |= inline.is_empty();
                                    inl.push(p.clone());
                                }
                                None => inl.push(name),
                            }
                            self.add_items(child, file, owns, inl, items, files);
                        }
                        None => match self.find_mod_file(file, owns_dir, &inline, &name, &path_attr) {
                            ModFile::Found(f) if self.is_ancestor_file(m, f) => self.ix.warnings.push(LoadWarning {
                                path: self.ws.sources.get(f).name.clone(),
                                message: format!("module `{name}` names a file that contains it (a `#[path]` cycle): not read again"),
                                span: Some(span),
                            }),
                            // The same file declared again (under another `cfg`): indexed once.
                            ModFile::Found(f) if self.taken.get(&f) == Some(&krate) => {}
                            ModFile::Found(f) => {
                                self.taken.insert(f, krate);
                                self.ix.mods[child as usize].file = f;
                                if let Some(ir_file) = self.items(files, f) {
                                    let owns = !path_attr.is_empty() || self.ws.sources.get(f).path.file_name().is_some_and(|n| n == "mod.rs");
                                    self.add_items(child, f, owns, Vec::new(), ir_file.items, files);
                                }
                            }
                            ModFile::Unread => {}
                            // `#[cfg(doc)] #[path = "notes.md"] mod notes;`: not Rust.
                            ModFile::Missing if !path_attr.is_empty()
                                && path_attr.iter().all(|p| !p.ends_with(".rs")) => {}
                            ModFile::Missing => self.ix.warnings.push(LoadWarning {
                                path: self.ws.sources.get(file).name.clone(),
                                message: format!("the file of module `{name}` was not found: its code is not analysed"),
                                span: Some(span),
                            }),
                        },
                    }
                }
                Item::Use(entries) => {
                    for e in entries {
                        let md = &mut self.ix.mods[m as usize];
                        match e.name {
                            Some(n) => {
                                md.uses.insert(n, e.path);
                            }
                            None => md.globs.push(e.path),
                        }
                    }
                }
                Item::ExternCrate { name, alias } => {
                    if let Some(a) = alias {
                        self.ix.mods[m as usize]
                            .uses
                            .insert(a, vec!["::".into(), name]);
                    }
                }
                Item::Fn(f) => {
                    let id = self.push_fn(*f, m, Owner::Free, None, Generics::default(), None);
                    let name = self.ix.fns[id as usize].def.name.clone();
                    self.def(m, name, Def::Fn(id));
                }
                Item::Struct {
                    name,
                    generics,
                    fields,
                    derives,
                    ..
                } => {
                    let id = self.ix.types.len() as TypeId;
                    self.ix.types.push(TypeInfo {
                        name: name.clone(),
                        module: m,
                        generics,
                        fields,
                        derives,
                        methods: HashMap::default(),
                        deref: None,
                        deref_field: None,
                    });
                    self.def(m, name, Def::Type(id));
                }
                Item::Enum { name } => {
                    let id = self.ix.types.len() as TypeId;
                    self.ix.types.push(TypeInfo {
                        name: name.clone(),
                        module: m,
                        generics: Generics::default(),
                        fields: Vec::new(),
                        derives: Vec::new(),
                        methods: HashMap::default(),
                        deref: None,
                        deref_field: None,
                    });
                    self.def(m, name, Def::Type(id));
                }
                Item::Trait { name, fns, .. } => {
                    let id = self.ix.traits.len() as TraitId;
                    self.ix.traits.push(TraitInfo {
                        name: name.clone(),
                        module: m,
                        defaults: HashMap::default(),
                        declared: fns.iter().map(|f| f.name.clone()).collect(),
                        impls: Vec::new(),
                    });
                    self.traits_pending.push((id, fns));
                    self.def(m, name, Def::Trait(id));
                }
                Item::Alias { name, ty } => {
                    let id = self.ix.aliases.len() as u32;
                    self.ix.aliases.push((m, ty));
                    self.def(m, name, Def::Alias(id));
                }
                Item::Static {
                    name,
                    ty,
                    init,
                    span,
                } => {
                    let id = self.ix.statics.len() as StaticId;
                    self.ix.statics.push(StaticInfo {
                        name: name.clone(),
                        module: m,
                        ty,
                        init,
                        span,
                        wait_setting: None,
                        unbounded: None,
                    });
                    self.def(m, name, Def::Static(id));
                }
                Item::Impl(def) => self.impls.push(PendingImpl {
                    module: m,
                    def: *def,
                }),
            }
        }
    }

    fn push_fn(
        &mut self,
        def: FnDef,
        module: ModId,
        owner: Owner,
        self_ty: Option<Ty>,
        impl_generics: Generics,
        owner_name: Option<&str>,
    ) -> FnId {
        let display = match owner_name {
            Some(o) => format!("{o}::{}", def.name),
            None => def.name.clone(),
        };
        let id = self.ix.fns.len() as FnId;
        if owner != Owner::Free {
            self.ix
                .method_names
                .entry(def.name.clone())
                .or_default()
                .push(id);
        }
        let copy = self.ix.mods.get(module as usize).is_some_and(|m| {
            self.first_reader
                .get(&m.file)
                .is_some_and(|&k| k != m.krate)
        });
        self.ix.fns.push(FnInfo {
            def,
            module,
            owner,
            self_ty,
            impl_generics,
            display,
            copy,
        });
        id
    }

    /// Resolves every glob import once and records, per module, which names they bring in.
    fn index_globs(&mut self) {
        let n = self.ix.mods.len();
        let mut targets: Vec<Vec<ModId>> = vec![Vec::new(); n];
        for (m, target) in targets.iter_mut().enumerate() {
            let globs = self.ix.mods[m].globs.clone();
            for g in globs {
                match self.ix.resolve_use(m as ModId, &g, 0, &mut Vec::new()) {
                    Resolved::Def(Def::Mod(t)) if t as usize != m => target.push(t),
                    Resolved::External(p, _) => self.ix.mods[m].glob_external.push(p),
                    _ => {}
                }
            }
        }
        let mut seen = vec![false; n];
        for m in 0..n {
            if targets[m].is_empty() {
                continue;
            }
            let mut closure = Vec::new();
            seen[m] = true;
            let mut stack: Vec<ModId> = targets[m].iter().rev().copied().collect();
            while let Some(t) = stack.pop() {
                if std::mem::replace(&mut seen[t as usize], true) {
                    continue;
                }
                closure.push(t);
                stack.extend(targets[t as usize].iter().rev().copied());
            }
            for &t in &closure {
                seen[t as usize] = false;
            }
            seen[m] = false;
            self.ix.mods[m].glob_closure = closure;
        }
        self.ix.globs_ready = true;
    }

    fn finish(mut self) -> Index {
        self.ix.reached = self.taken.keys().copied().collect();
        for (tid, t) in self.ix.traits.iter().enumerate() {
            for m in &t.declared {
                self.ix
                    .method_traits
                    .entry(m.clone())
                    .or_default()
                    .push(tid as u32);
            }
        }
        self.index_globs();
        // Reserved at once: doubling a vector this size costs three times its bytes at once.
        let pending = self.impls.iter().map(|i| i.def.fns.len()).sum::<usize>()
            + self
                .traits_pending
                .iter()
                .map(|(_, f)| f.len())
                .sum::<usize>();
        self.ix.fns.reserve_exact(pending);
        for (tid, fns) in std::mem::take(&mut self.traits_pending) {
            let tname = self.ix.traits[tid as usize].name.clone();
            let module = self.ix.traits[tid as usize].module;
            for f in fns {
                if f.body.is_some() {
                    let name = f.name.clone();
                    let self_ty = Some(Ty::Path {
                        segs: vec!["Self".into()],
                        args: Vec::new(),
                    });
                    let id = self.push_fn(
                        f,
                        module,
                        Owner::Trait(tid),
                        self_ty,
                        Generics::default(),
                        Some(&tname),
                    );
                    self.ix.traits[tid as usize].defaults.insert(name, id);
                }
            }
        }
        for imp in std::mem::take(&mut self.impls) {
            let m = imp.module;
            let d = imp.def;
            let target = match &d.self_ty {
                Ty::Path { segs, .. } => match self.ix.resolve(m, segs) {
                    Resolved::Def(Def::Type(t)) => Some(Def::Type(t)),
                    Resolved::Def(Def::Alias(a)) => match self.ix.alias_target(a, 0) {
                        Some(Def::Type(t)) => Some(Def::Type(t)),
                        _ => None,
                    },
                    _ => None,
                },
                _ => None,
            };
            let trait_id = d.trait_.as_ref().and_then(|t| match self.ix.resolve(m, t) {
                Resolved::Def(Def::Trait(id)) => Some(id),
                _ => None,
            });
            let owner_name = match (&target, &d.self_ty) {
                (Some(Def::Type(t)), _) => self.ix.types[*t as usize].name.clone(),
                (_, ty) => ty.last_name().unwrap_or("_").to_string(),
            };
            if let (Some(Def::Type(t)), Some(target_ty)) = (&target, &d.deref_target) {
                self.ix.types[*t as usize].deref = Some((target_ty.clone(), m));
            }
            let owner = match target {
                Some(Def::Type(t)) => Owner::Type(t),
                _ => Owner::External,
            };
            let mut methods = HashMap::default();
            for f in d.fns {
                let name = f.name.clone();
                let id = self.push_fn(
                    f,
                    m,
                    owner,
                    Some(d.self_ty.clone()),
                    d.generics.clone(),
                    Some(&owner_name),
                );
                methods.insert(name.clone(), id);
                match owner {
                    Owner::Type(t) => self.ix.types[t as usize]
                        .methods
                        .entry(name)
                        .or_default()
                        .push(id),
                    _ => {
                        if trait_id.is_some() || d.trait_.is_some() {
                            self.ix
                                .ext_methods
                                .entry(owner_name.clone())
                                .or_default()
                                .entry(name)
                                .or_default()
                                .push(id);
                        }
                    }
                }
            }
            if let Some(tid) = trait_id {
                // Default methods an impl does not override are that impl's too.
                let defaults: Vec<(String, FnId)> = self.ix.traits[tid as usize]
                    .defaults
                    .iter()
                    .map(|(k, v)| (k.clone(), *v))
                    .collect();
                for (name, id) in defaults {
                    methods.entry(name.clone()).or_insert(id);
                    if let Owner::Type(t) = owner {
                        let e = self.ix.types[t as usize].methods.entry(name).or_default();
                        if e.is_empty() {
                            e.push(id);
                        }
                    }
                }
                self.ix.traits[tid as usize].impls.push(methods);
            }
        }
        // Structs deriving rocket_db_pools' `Database` deref to their single field.
        for t in &mut self.ix.types {
            if t.deref.is_none()
                && t.derives
                    .iter()
                    .any(|d| known::POOL_WRAPPING_DERIVES.contains(&d.as_str()))
                && t.fields.len() == 1
            {
                t.deref = Some((t.fields[0].1.clone(), t.module));
            }
            if let Some((target, _)) = &t.deref {
                let same: Vec<&String> = t
                    .fields
                    .iter()
                    .filter(|(_, fty)| fty == target)
                    .map(|(n, _)| n)
                    .collect();
                t.deref_field = match (same.as_slice(), t.fields.as_slice()) {
                    ([one], _) => Some((*one).clone()),
                    (_, [(only, _)]) => Some(only.clone()),
                    _ => None,
                };
            }
        }
        // Where a static pool's wait timeout is set, read once from its initializer (which is
        // not kept).
        for i in 0..self.ix.statics.len() {
            let st = &self.ix.statics[i];
            let kind = self.ix.ty_kind(st.module, &[], &st.ty, None);
            let (setting, unbounded) = match (kind, &st.init) {
                (TyK::Pool(k), Some(init)) => {
                    let kind = self.ix.cat.kind(k);
                    let setter = &kind.timeout_setter;
                    (
                        find_method_arg(init, setter).map(|a| (setter.clone(), a.span)),
                        crate::index::pool_build::in_initializer(init, kind)
                            .map(|(p, s)| (p, s, k)),
                    )
                }
                _ => (None, None),
            };
            let st = &mut self.ix.statics[i];
            st.wait_setting = setting;
            st.unbounded = unbounded;
            st.init = None;
        }
        // The index lives to the end of the run: give back what its vectors grew into.
        let ix = &mut self.ix;
        ix.fns.shrink_to_fit();
        ix.types.shrink_to_fit();
        ix.traits.shrink_to_fit();
        ix.mods.shrink_to_fit();
        for m in &mut ix.mods {
            m.items.shrink_to_fit();
            m.uses.shrink_to_fit();
        }
        self.ix
    }
}

impl Index {
    /// Every function's body (packed), taken out of the index for the one walk that needs it.
    pub fn take_bodies(&mut self) -> Vec<Option<ir::Body>> {
        self.fns.iter_mut().map(|f| f.def.body.take()).collect()
    }

    /// A bug met while analysing function `f`, for its internal-error diagnostic.
    pub fn fn_internal_error(
        &self,
        f: FnId,
        detail: String,
    ) -> crate::base::internal::InternalError {
        let info = self.fns.get(f as usize);
        crate::base::internal::InternalError {
            lost: crate::base::internal::Lost::Function,
            what: match info {
                Some(i) => format!("function `{}`", i.display),
                None => format!("function #{f}"),
            },
            at: info.map(|i| i.def.span),
            detail,
        }
    }

    pub fn crate_of(&self, m: ModId) -> &Crate {
        &self.crates[self.mods[m as usize].krate as usize]
    }

    fn crate_root(&self, m: ModId) -> ModId {
        self.crate_of(m).root
    }

    /// The workspace crate a crate name means inside module `m`: a dependency renamed in its
    /// package's manifest (`db = { package = "acme-db", .. }`), else a crate of that name.
    fn workspace_crate(&self, m: ModId, name: &str) -> Option<ModId> {
        let renamed = self
            .mods
            .get(m as usize)
            .and_then(|md| self.crates.get(md.krate as usize))
            .and_then(|c| c.renames.get(name));
        self.crate_names
            .get(renamed.map_or(name, String::as_str))
            .copied()
    }

    /// Resolves a path written in module `m` (not `Self`: callers substitute it).
    pub fn resolve(&self, m: ModId, segs: &[String]) -> Resolved {
        self.resolve_depth(m, segs, 0)
    }

    fn resolve_depth(&self, m: ModId, segs: &[String], depth: u32) -> Resolved {
        if segs.is_empty() || depth > 12 {
            return Resolved::None;
        }
        let (start, rest): (Resolved, &[String]) = match segs[0].as_str() {
            "::" => match segs.get(1) {
                Some(c) => match self.workspace_crate(m, c) {
                    Some(r) => (Resolved::Def(Def::Mod(r)), &segs[2..]),
                    None => return Resolved::External(segs[1..].to_vec(), true),
                },
                None => return Resolved::None,
            },
            "crate" => (Resolved::Def(Def::Mod(self.crate_root(m))), &segs[1..]),
            "self" => (Resolved::Def(Def::Mod(m)), &segs[1..]),
            "super" => {
                let mut cur = m;
                let mut i = 0;
                while segs.get(i).is_some_and(|s| s == "super") {
                    cur = self.mods[cur as usize].parent.unwrap_or(cur);
                    i += 1;
                }
                (Resolved::Def(Def::Mod(cur)), &segs[i..])
            }
            first => (self.lookup(m, first, depth, &mut Vec::new()), &segs[1..]),
        };
        self.walk_rest(start, rest, depth)
    }

    fn walk_rest(&self, mut cur: Resolved, rest: &[String], depth: u32) -> Resolved {
        for (i, seg) in rest.iter().enumerate() {
            cur = match cur {
                Resolved::Def(Def::Mod(md)) => self.lookup_in(md, seg, depth + 1, &mut Vec::new()),
                Resolved::Def(d @ (Def::Type(_) | Def::Trait(_))) => {
                    return Resolved::Assoc(d, seg.clone())
                }
                Resolved::Def(Def::Alias(a)) => match self.alias_target(a, depth) {
                    Some(d) => return Resolved::Assoc(d, seg.clone()),
                    None => return Resolved::None,
                },
                Resolved::External(mut p, r) => {
                    p.extend(rest[i..].iter().cloned());
                    return Resolved::External(p, r);
                }
                _ => return Resolved::None,
            };
        }
        cur
    }

    /// The workspace type an alias names, if any.
    pub fn alias_target(&self, a: u32, depth: u32) -> Option<Def> {
        let (m, ty) = &self.aliases[a as usize];
        if depth > 8 {
            return None;
        }
        match ty {
            Ty::Path { segs, .. } => match self.resolve_depth(*m, segs, depth + 1) {
                Resolved::Def(Def::Alias(b)) if b != a => self.alias_target(b, depth + 1),
                Resolved::Def(d @ Def::Type(_)) => Some(d),
                _ => None,
            },
            _ => None,
        }
    }

    /// A name as seen from inside module `m`: its items, its imports, its glob imports, then
    /// crates of the workspace, then the outside world.
    fn lookup<'a>(
        &'a self,
        m: ModId,
        name: &'a str,
        depth: u32,
        seen: &mut Vec<(ModId, &'a str)>,
    ) -> Resolved {
        match self.lookup_in(m, name, depth, seen) {
            Resolved::None => {}
            r => return r,
        }
        if let Some(root) = self.workspace_crate(m, name) {
            return Resolved::Def(Def::Mod(root));
        }
        // Nothing says where it comes from: the prelude, or a name the catalogue knows bare.
        Resolved::External(vec![name.to_string()], false)
    }

    fn lookup_in<'a>(
        &'a self,
        m: ModId,
        name: &'a str,
        depth: u32,
        seen: &mut Vec<(ModId, &'a str)>,
    ) -> Resolved {
        if depth > 12 || seen.iter().any(|(sm, sn)| *sm == m && *sn == name) {
            return Resolved::None;
        }
        seen.push((m, name));
        let md = &self.mods[m as usize];
        if let Some(defs) = md.items.get(name) {
            if let Some(d) = defs.first() {
                return Resolved::Def(*d);
            }
        }
        if let Some(path) = md.uses.get(name) {
            let r = self.resolve_use(m, path, depth + 1, seen);
            if !matches!(r, Resolved::None) {
                return r;
            }
        }
        let mut external_glob: Option<&Segs> = None;
        if self.globs_ready {
            let provider = md.glob_closure.iter().copied().find(|&t| {
                let tm = &self.mods[t as usize];
                tm.items.contains_key(name) || tm.uses.contains_key(name)
            });
            if let Some(provider) = provider {
                match self.lookup_in(provider, name, depth + 1, seen) {
                    Resolved::None => {}
                    r => return r,
                }
            }
            external_glob = md.glob_external.first();
        }
        // Before the glob names are indexed (while resolving the globs themselves), globs are
        // not followed: walking them here would branch at every level.
        if let Some(p) = external_glob {
            // A name from `use sqlx::postgres::*;`: where it comes from, if the catalogue
            // knows it there.
            let mut p = p.clone();
            p.push(name.to_string());
            if self.cat.classify(&p, true) != ExtKind::Other {
                return Resolved::External(p, true);
            }
        }
        Resolved::None
    }

    fn resolve_use<'a>(
        &'a self,
        m: ModId,
        path: &'a [String],
        depth: u32,
        seen: &mut Vec<(ModId, &'a str)>,
    ) -> Resolved {
        if path.is_empty() {
            return Resolved::None;
        }
        match path[0].as_str() {
            "::" | "crate" | "self" | "super" => self.resolve_depth(m, path, depth),
            first => {
                // 2018 paths: a local item or import of this module, else a crate.
                let start = match self.lookup_in(m, first, depth, seen) {
                    Resolved::None => match self.workspace_crate(m, first) {
                        Some(root) => Resolved::Def(Def::Mod(root)),
                        None => Resolved::External(vec![first.to_string()], true),
                    },
                    r => r,
                };
                self.walk_rest(start, &path[1..], depth)
            }
        }
    }

    /// What a type written in module `m` is, with the generics in scope.
    pub fn ty_kind(&self, m: ModId, generics: &[&Generics], ty: &Ty, self_ty: Option<&TyK>) -> TyK {
        self.ty_kind_depth(m, generics, ty, self_ty, 0)
    }

    fn ty_kind_depth(
        &self,
        m: ModId,
        generics: &[&Generics],
        ty: &Ty,
        self_ty: Option<&TyK>,
        depth: u32,
    ) -> TyK {
        if depth > 10 {
            return TyK::Unknown;
        }
        let cat = &self.cat;
        match ty {
            Ty::Ref(inner) => self.ty_kind_depth(m, generics, inner, self_ty, depth + 1),
            Ty::Slice(inner) => TyK::Elems(Box::new(self.ty_kind_depth(
                m,
                generics,
                inner,
                self_ty,
                depth + 1,
            ))),
            Ty::Impl(bounds) | Ty::Dyn(bounds) => self.bounds_kind(m, bounds),
            Ty::Path { segs, args } => {
                if segs.len() == 1 && segs[0] == "Self" {
                    return self_ty.cloned().unwrap_or(TyK::Unknown);
                }
                if segs.len() == 1 {
                    for g in generics {
                        if let Some((_, b)) = g.params.iter().find(|(n, _)| *n == segs[0]) {
                            return self.bounds_kind(m, b);
                        }
                    }
                }
                match self.resolve(m, segs) {
                    Resolved::Def(Def::Type(t)) => match self.custom_types.get(&t) {
                        Some(&k) => TyK::Pool(k),
                        None => TyK::Adt(t),
                    },
                    Resolved::Def(Def::Alias(a)) => {
                        let (am, aty) = &self.aliases[a as usize];
                        self.ty_kind_depth(*am, &[], aty, self_ty, depth + 1)
                    }
                    Resolved::Def(Def::Trait(t)) => TyK::Generic(vec![t], false),
                    Resolved::External(p, resolved) => match cat.classify(&p, resolved) {
                        ExtKind::Pool(k) => TyK::Pool(k),
                        ExtKind::Builder(k) => TyK::Builder(k),
                        ExtKind::Cell => match args
                            .first()
                            .map(|a| self.ty_kind_depth(m, generics, a, self_ty, depth + 1))
                        {
                            Some(TyK::Pool(k)) => TyK::Cell(k),
                            Some(other) => other,
                            None => TyK::Unknown,
                        },
                        ExtKind::Wrapper => match args.first() {
                            Some(a) => self.ty_kind_depth(m, generics, a, self_ty, depth + 1),
                            None => TyK::Unknown,
                        },
                        ExtKind::Other => match p.last().map(String::as_str) {
                            // A map of pools: its values.
                            Some(l) if known::MAPS.contains(&l) => match args.get(1) {
                                Some(a) => TyK::Elems(Box::new(self.ty_kind_depth(
                                    m,
                                    generics,
                                    a,
                                    self_ty,
                                    depth + 1,
                                ))),
                                None => TyK::Unknown,
                            },
                            Some(l) if known::SEQUENCES.contains(&l) => match args.first() {
                                Some(a) => TyK::Elems(Box::new(self.ty_kind_depth(
                                    m,
                                    generics,
                                    a,
                                    self_ty,
                                    depth + 1,
                                ))),
                                None => TyK::Unknown,
                            },
                            Some(l) => TyK::Ext(l.to_string()),
                            None => TyK::Unknown,
                        },
                    },
                    _ => TyK::Unknown,
                }
            }
            _ => TyK::Unknown,
        }
    }

    fn bounds_kind(&self, m: ModId, bounds: &[Segs]) -> TyK {
        let mut traits = Vec::new();
        let mut executor = false;
        for b in bounds {
            match self.resolve(m, b) {
                Resolved::Def(Def::Trait(t)) => traits.push(t),
                // `impl Deref<Target = Pool>`-style bounds are not followed.
                Resolved::External(p, _)
                    if p.last().is_some_and(|l| self.cat.is_executor_bound(l)) =>
                {
                    executor = true;
                }
                _ => {}
            }
        }
        TyK::Generic(traits, executor)
    }

    /// The methods named `name` that a value of kind `k` may call in the workspace.
    pub fn methods_of(&self, k: &TyK, name: &str) -> Vec<FnId> {
        match k {
            TyK::Adt(t) => self.types[*t as usize]
                .methods
                .get(name)
                .cloned()
                .unwrap_or_default(),
            TyK::Generic(traits, _) => {
                let mut out = Vec::new();
                for &tr in traits {
                    let info = &self.traits[tr as usize];
                    if !info.declared.contains(name) {
                        continue;
                    }
                    for imp in &info.impls {
                        if let Some(&f) = imp.get(name) {
                            if !out.contains(&f) {
                                out.push(f);
                            }
                        }
                    }
                    if out.is_empty() {
                        if let Some(&d) = info.defaults.get(name) {
                            out.push(d);
                        }
                    }
                }
                out
            }
            TyK::Ext(n) => self
                .ext_methods
                .get(n)
                .and_then(|m| m.get(name))
                .cloned()
                .unwrap_or_default(),
            TyK::Pool(k) => {
                // A workspace type declared as a pool: its own methods.
                if let Some(t) = self.custom_kind_type.get(k) {
                    return self.types[*t as usize]
                        .methods
                        .get(name)
                        .cloned()
                        .unwrap_or_default();
                }
                // Impls of workspace traits on the pool type (`impl UserStore for PgPool`).
                let kind = self.cat.kind(*k);
                let mut out = Vec::new();
                for t in kind.types.iter().chain(kind.bare.iter()) {
                    let last = t.rsplit("::").next().unwrap_or(t);
                    if let Some(ms) = self.ext_methods.get(last).and_then(|m| m.get(name)) {
                        for f in ms {
                            if !out.contains(f) {
                                out.push(*f);
                            }
                        }
                    }
                }
                out
            }
            _ => Vec::new(),
        }
    }
}

/// The first argument of the first call of method `name` in an initializer.
fn find_method_arg<'e>(e: &'e ir::Expr, name: &str) -> Option<&'e ir::Expr> {
    ir::walk::descendants(e)
        .find_map(|x| match &x.kind {
            ir::ExprKind::MethodCall { method, args, .. } if method == name => Some(args),
            _ => None,
        })
        .and_then(|args| args.first())
}
