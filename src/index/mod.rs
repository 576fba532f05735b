//! The index: per crate, the module tree (from `mod` items, `#[path]`, `mod.rs`, inline
//! modules), imports, functions and methods, structs and their fields, traits and their impls,
//! type aliases and statics; and the resolution of paths and types against it.

mod build;
pub(crate) mod pool_build;
mod resolve;
mod types;

pub(crate) use build::{build, ParsedFiles};

use crate::base::source::{FileId, Span};
use crate::config::catalogue::{Catalogue, KindId};
use crate::ir::{self, FnDef, Generics, Segs, Ty};
use crate::load::{CrateSpec, LoadWarning};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

crate::base::ids::id_type!(
    /// A module of the index.
    ModId
);
crate::base::ids::id_type!(
    /// A function or method of the workspace.
    FnId
);
crate::base::ids::id_type!(
    /// A struct, enum or union of the workspace.
    TypeId
);
crate::base::ids::id_type!(
    /// A trait of the workspace.
    TraitId
);
crate::base::ids::id_type!(
    /// A static of the workspace (`static`, `lazy_static!`, `thread_local!`).
    StaticId
);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Def {
    Mod(ModId),
    Fn(FnId),
    Type(TypeId),
    Trait(TraitId),
    Alias(u32),
    Static(StaticId),
}

#[derive(Debug, Default)]
pub(crate) struct Module {
    pub(crate) krate: u32,
    pub(crate) parent: Option<ModId>,
    pub(crate) file: FileId,
    pub(crate) items: HashMap<String, Vec<Def>>,
    pub(crate) uses: HashMap<String, Segs>,
    pub(crate) globs: Vec<Segs>,
    /// The modules glob imports bring names in from, transitively, in the order a name is
    /// looked for in them (depth first, as written): computed once, so a lookup never walks
    /// the glob graph. Modules, not names: a name list per module would copy its parent's
    /// whole namespace into every `mod tests { use super::*; }`.
    pub(crate) glob_closure: Vec<ModId>,
    /// Glob imports of paths outside the workspace (`use sqlx::postgres::*`).
    pub(crate) glob_external: Vec<Segs>,
}

#[derive(Debug)]
pub(crate) struct Crate {
    pub(crate) spec: usize,
    pub(crate) root: ModId,
    pub(crate) edition: String,
    /// Workspace libraries its manifest depends on under another name: that name, and the
    /// library's crate name.
    pub(crate) renames: HashMap<String, String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Owner {
    Free,
    Type(TypeId),
    Trait(TraitId),
    /// An impl on a type outside the workspace (`impl UserStore for PgPool`).
    External,
}

#[derive(Debug)]
pub(crate) struct FnInfo {
    pub(crate) def: FnDef,
    pub(crate) module: ModId,
    pub(crate) owner: Owner,
    /// The self type of the impl (for `Self` and `self`), resolved.
    pub(crate) self_ty: Option<Ty>,
    pub(crate) impl_generics: Generics,
    /// How messages name it: `message_shop_get`, `UserRepo::find`.
    pub(crate) display: String,
    /// In a file an earlier crate already read (a `tests/common/mod.rs` of the second test
    /// target on): what it finds on its own, that crate's copy found; it matters here only
    /// where this crate's code calls it.
    pub(crate) copy: bool,
}

#[derive(Debug)]
pub(crate) struct TypeInfo {
    pub(crate) name: String,
    pub(crate) module: ModId,
    /// Its type parameters with their bounds (a field of type `R` is an `R: Repo`).
    pub(crate) generics: Generics,
    pub(crate) fields: Vec<(String, Ty)>,
    /// An enum's variants with their fields.
    pub(crate) variants: Vec<(String, Vec<(String, Ty)>)>,
    pub(crate) derives: Vec<String>,
    pub(crate) methods: HashMap<String, Vec<FnId>>,
    /// `impl Deref for T { type Target = X }`, with the module the impl is in.
    pub(crate) deref: Option<(Ty, ModId)>,
    /// The field it derefs to (its only field, or the one of the target type): that field
    /// *is* the value seen through the wrapper, so it has the wrapper's location.
    pub(crate) deref_field: Option<String>,
}

impl TypeInfo {
    /// A type as declared, before impls give it methods and a `Deref` target.
    pub(crate) fn declared(name: String, module: ModId, generics: Generics) -> TypeInfo {
        TypeInfo {
            name,
            module,
            generics,
            fields: Vec::new(),
            variants: Vec::new(),
            derives: Vec::new(),
            methods: HashMap::default(),
            deref: None,
            deref_field: None,
        }
    }
}

#[derive(Debug)]
pub(crate) struct TraitInfo {
    pub(crate) name: String,
    pub(crate) module: ModId,
    /// Methods with a default body.
    pub(crate) defaults: HashMap<String, FnId>,
    pub(crate) declared: HashSet<String>,
    /// Every workspace impl: its methods by name.
    pub(crate) impls: Vec<HashMap<String, FnId>>,
}

#[derive(Debug)]
pub(crate) struct StaticInfo {
    pub(crate) name: String,
    pub(crate) module: ModId,
    pub(crate) ty: Ty,
    /// For a pool built in the initializer: its wait-timeout setter (`connection_timeout`,
    /// `acquire_timeout`...) and the span of the value given to it.
    pub(crate) wait_setting: Option<(String, Span)>,
    /// A pool built in the initializer so that its checkouts can wait forever: why, where,
    /// and the pool's kind.
    pub(crate) unbounded: Option<(crate::index::pool_build::Unbounded, Span, KindId)>,
    init: Option<ir::Expr>,
}

#[derive(Debug, Default)]
pub(crate) struct Index {
    pub(crate) crates: Vec<Crate>,
    pub(crate) mods: Vec<Module>,
    pub(crate) fns: Vec<FnInfo>,
    pub(crate) types: Vec<TypeInfo>,
    pub(crate) traits: Vec<TraitInfo>,
    pub(crate) aliases: Vec<(ModId, Ty)>,
    pub(crate) statics: Vec<StaticInfo>,
    /// Methods of workspace impls on types outside the workspace, by the type's last name.
    pub(crate) ext_methods: HashMap<String, HashMap<String, Vec<FnId>>>,
    /// Every method of every workspace impl or trait, by name.
    pub(crate) method_names: HashMap<String, Vec<FnId>>,
    /// The workspace traits that declare each method name.
    pub(crate) method_traits: HashMap<String, Vec<TraitId>>,
    pub(crate) warnings: Vec<LoadWarning>,
    /// Crate specs for crates made from loose files.
    pub(crate) loose_specs: Vec<CrateSpec>,
    /// Root module of each crate by name (the first, a library, when names repeat).
    pub(crate) crate_names: HashMap<String, ModId>,
    globs_ready: bool,
    /// Files in some crate's module tree (whether or not they parsed).
    pub(crate) reached: HashSet<FileId>,
    /// The pool catalogue with the project's own pool types (`[[pools]]`) added.
    pub(crate) cat: Catalogue,
    /// Workspace types declared as pools in the configuration, and back.
    pub(crate) custom_types: HashMap<TypeId, KindId>,
    custom_kind_type: HashMap<KindId, TypeId>,
    /// `[[pools]]` entries whose type names nothing in the workspace.
    pub(crate) config_errors: Vec<String>,
}

/// What a type is to the analysis.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum TyK {
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

pub(crate) enum Resolved {
    Def(Def),
    /// `Type::name` or `Trait::name`.
    Assoc(Def, String),
    External(Segs, bool),
    None,
}

/// Where a `mod name;` leads.
impl Index {
    /// Every function's body (packed), taken out of the index for the one walk that needs it.
    pub(crate) fn take_bodies(&mut self) -> Vec<Option<ir::Body>> {
        self.fns.iter_mut().map(|f| f.def.body.take()).collect()
    }

    /// A bug met while analysing function `f`, for its internal-error diagnostic.
    pub(crate) fn fn_internal_error(
        &self,
        f: FnId,
        detail: String,
    ) -> crate::base::internal::InternalError {
        let info = self.fns.get(f.index());
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

    pub(crate) fn crate_of(&self, m: ModId) -> &Crate {
        &self.crates[self.mods[m.index()].krate as usize]
    }
}

/// The index of a fixture (see `load::fixture`), with its workspace and its packed bodies.
#[cfg(test)]
pub(crate) fn fixture(text: &str) -> (crate::load::Workspace, Index, crate::base::shelf::Shelved) {
    let mut ws = crate::load::fixture::workspace(text);
    let mut parsed = crate::syntax::parse::parse_all(&mut ws.sources, usize::MAX);
    let mut files = ParsedFiles::take_from(&mut parsed);
    let ix = build(&ws, &mut files);
    (ws, ix, parsed.bodies)
}
