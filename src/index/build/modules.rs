//! The module tree: crate roots, `mod` items and their files (`name.rs`, `name/mod.rs`,
//! `#[path]`, inline modules), and the items each module defines and imports.

use super::{Builder, ModFile, ParsedFiles, PendingImpl};
use crate::base::source::FileId;
use crate::index::*;
use crate::ir::{FnDef, Generics, Item, Ty};
use crate::load::{CrateSpec, LoadWarning, Lookup};
use rustc_hash::FxHashMap as HashMap;
use std::path::{Path, PathBuf};

impl Builder<'_> {
    pub(super) fn add_loose_crate(&mut self, f: FileId, files: &mut ParsedFiles) {
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

    pub(super) fn add_crate(
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
    pub(super) fn renames(&self, spec: usize) -> HashMap<String, String> {
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

    pub(super) fn is_ancestor_file(&self, m: ModId, f: FileId) -> bool {
        let mut cur = Some(m);
        while let Some(x) = cur {
            if self.ix.mods[x.index()].file == f {
                return true;
            }
            cur = self.ix.mods[x.index()].parent;
        }
        false
    }

    pub(super) fn new_mod(&mut self, krate: u32, parent: Option<ModId>, file: FileId) -> ModId {
        self.ix.mods.push(Module {
            krate,
            parent,
            file,
            ..Default::default()
        });
        ModId::from_index(self.ix.mods.len() - 1)
    }

    pub(super) fn def(&mut self, m: ModId, name: String, d: Def) {
        self.ix.mods[m.index()]
            .items
            .entry(name)
            .or_default()
            .push(d);
    }

    /// The file of `mod name;` declared in `file` (a crate root or `mod.rs` when `owns_dir`),
    /// inside inline modules `inline`.
    pub(super) fn find_mod_file(
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

    // Long because it is one arm per kind of item a module defines: split up, the arms would
    // only move.
    pub(super) fn add_items(
        &mut self,
        m: ModId,
        file: FileId,
        owns_dir: bool,
        inline: Vec<String>,
        items: Vec<Item>,
        files: &mut ParsedFiles,
    ) {
        let krate = self.ix.mods[m.index()].krate;
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
                                self.ix.mods[child.index()].file = f;
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
                        let md = &mut self.ix.mods[m.index()];
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
                        self.ix.mods[m.index()]
                            .uses
                            .insert(a, vec!["::".into(), name]);
                    }
                }
                Item::Fn(f) => {
                    let id = self.push_fn(*f, m, Owner::Free, None, Generics::default(), None);
                    let name = self.ix.fns[id.index()].def.name.clone();
                    self.def(m, name, Def::Fn(id));
                }
                Item::Struct {
                    name,
                    generics,
                    fields,
                    derives,
                    ..
                } => {
                    let id = TypeId::from_index(self.ix.types.len());
                    self.ix.types.push(TypeInfo {
                        fields,
                        derives,
                        ..TypeInfo::declared(name.clone(), m, generics)
                    });
                    self.def(m, name, Def::Type(id));
                }
                Item::Enum {
                    name,
                    generics,
                    variants,
                } => {
                    let id = TypeId::from_index(self.ix.types.len());
                    self.ix.types.push(TypeInfo {
                        variants,
                        ..TypeInfo::declared(name.clone(), m, generics)
                    });
                    self.def(m, name, Def::Type(id));
                }
                Item::Trait { name, fns, .. } => {
                    let id = TraitId::from_index(self.ix.traits.len());
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
                    span: _,
                } => {
                    let id = StaticId::from_index(self.ix.statics.len());
                    self.ix.statics.push(StaticInfo {
                        name: name.clone(),
                        module: m,
                        ty,
                        init,
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

    pub(super) fn push_fn(
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
        let id = FnId::from_index(self.ix.fns.len());
        if owner != Owner::Free {
            self.ix
                .method_names
                .entry(def.name.clone())
                .or_default()
                .push(id);
        }
        let copy = self.ix.mods.get(module.index()).is_some_and(|m| {
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
    pub(super) fn index_globs(&mut self) {
        let n = self.ix.mods.len();
        let mut targets: Vec<Vec<ModId>> = vec![Vec::new(); n];
        for (m, target) in targets.iter_mut().enumerate() {
            let globs = self.ix.mods[m].globs.clone();
            for g in globs {
                match self
                    .ix
                    .resolve_use(ModId::from_index(m), &g, 0, &mut Vec::new())
                {
                    Resolved::Def(Def::Mod(t)) if t.index() != m => target.push(t),
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
                if std::mem::replace(&mut seen[t.index()], true) {
                    continue;
                }
                closure.push(t);
                stack.extend(targets[t.index()].iter().rev().copied());
            }
            for &t in &closure {
                seen[t.index()] = false;
            }
            seen[m] = false;
            self.ix.mods[m].glob_closure = closure;
        }
        self.ix.globs_ready = true;
    }
}
