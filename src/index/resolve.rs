//! Path resolution: `crate::`, `self::`, `super::`, workspace crates by name (and their
//! renames), imports and globs, type aliases, and associated items.

use super::*;
use crate::config::catalogue::ExtKind;
use crate::ir::{Segs, Ty};

impl Index {
    pub(super) fn crate_root(&self, m: ModId) -> ModId {
        self.crate_of(m).root
    }

    /// The workspace crate a crate name means inside module `m`: a dependency renamed in its
    /// package's manifest (`db = { package = "acme-db", .. }`), else a crate of that name.
    pub(super) fn workspace_crate(&self, m: ModId, name: &str) -> Option<ModId> {
        let renamed = self
            .mods
            .get(m.index())
            .and_then(|md| self.crates.get(md.krate as usize))
            .and_then(|c| c.renames.get(name));
        self.crate_names
            .get(renamed.map_or(name, String::as_str))
            .copied()
    }

    /// Resolves a path written in module `m` (not `Self`: callers substitute it).
    pub(crate) fn resolve(&self, m: ModId, segs: &[String]) -> Resolved {
        self.resolve_depth(m, segs, 0)
    }

    pub(super) fn resolve_depth(&self, m: ModId, segs: &[String], depth: u32) -> Resolved {
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
                    cur = self.mods[cur.index()].parent.unwrap_or(cur);
                    i += 1;
                }
                (Resolved::Def(Def::Mod(cur)), &segs[i..])
            }
            first => (self.lookup(m, first, depth, &mut Vec::new()), &segs[1..]),
        };
        self.walk_rest(start, rest, depth)
    }

    pub(super) fn walk_rest(&self, mut cur: Resolved, rest: &[String], depth: u32) -> Resolved {
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
    pub(crate) fn alias_target(&self, a: u32, depth: u32) -> Option<Def> {
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
    pub(super) fn lookup<'a>(
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

    pub(super) fn lookup_in<'a>(
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
        let md = &self.mods[m.index()];
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
                let tm = &self.mods[t.index()];
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

    pub(super) fn resolve_use<'a>(
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
}

#[cfg(test)]
mod tests {
    use crate::index::{fixture, Def, Index, ModId, Resolved};

    /// What `path` written in the top module of `file` resolves to, in words.
    fn resolve(text: &str, file: &str, path: &str) -> String {
        let (ws, ix, _) = fixture(text);
        let m = top_module(&ws, &ix, file);
        let segs = segments(path);
        describe(&ix, &ix.resolve(m, &segs))
    }

    /// The module a file is (not one inline in it).
    fn top_module(ws: &crate::load::Workspace, ix: &Index, file: &str) -> ModId {
        let f = ws.by_path[std::path::Path::new(file)];
        ix.mods
            .iter()
            .position(|m| m.file == f && m.parent.is_none_or(|p| ix.mods[p.index()].file != f))
            .map(ModId::from_index)
            .expect("the file is a module")
    }

    /// A path as the syntax lowers it: a leading `::` is a segment of its own.
    fn segments(path: &str) -> Vec<String> {
        match path.strip_prefix("::") {
            Some(rest) => std::iter::once("::")
                .chain(rest.split("::"))
                .map(String::from)
                .collect(),
            None => path.split("::").map(String::from).collect(),
        }
    }

    /// What `path` written in the module `module` (inline modules from the top of `file`,
    /// `""` for the top itself) resolves to, in words; a module, and a function's module, by
    /// its path from its crate.
    fn resolve_in(text: &str, file: &str, module: &str, path: &str) -> String {
        let (ws, ix, _) = fixture(text);
        let top = top_module(&ws, &ix, file);
        let m = if module.is_empty() {
            top
        } else {
            match ix.resolve(top, &segments(module)) {
                Resolved::Def(Def::Mod(m)) => m,
                other => panic!("`{module}` is {}, not a module", describe(&ix, &other)),
            }
        };
        let segs = segments(path);
        match ix.resolve(m, &segs) {
            Resolved::Def(Def::Mod(m)) => format!("mod {}", module_path(&ws, &ix, m)),
            Resolved::Def(Def::Fn(f)) => {
                let info = &ix.fns[f.index()];
                let module = module_path(&ws, &ix, info.module);
                format!("fn {module}::{}", info.display)
            }
            r => describe(&ix, &r),
        }
    }

    /// A module by its crate's name and the names of the modules down to it (`app::api::users`).
    fn module_path(ws: &crate::load::Workspace, ix: &Index, m: ModId) -> String {
        let mut names = Vec::new();
        let mut cur = m;
        while let Some(parent) = ix.mods[cur.index()].parent {
            let name = ix.mods[parent.index()]
                .items
                .iter()
                .find(|(_, defs)| defs.contains(&Def::Mod(cur)))
                .map(|(n, _)| n.clone())
                .expect("a module is an item of its parent");
            names.push(name);
            cur = parent;
        }
        names.push(ws.crates[ix.crate_of(m).spec].name.clone());
        names.reverse();
        names.join("::")
    }

    fn describe(ix: &Index, r: &Resolved) -> String {
        let def = |d: &Def| match d {
            Def::Mod(m) => format!("mod in {}", ix.mods[m.index()].file),
            Def::Fn(f) => format!("fn {}", ix.fns[f.index()].display),
            Def::Type(t) => format!("type {}", ix.types[t.index()].name),
            Def::Trait(t) => format!("trait {}", ix.traits[t.index()].name),
            Def::Alias(a) => format!("alias {a}"),
            Def::Static(s) => format!("static {}", ix.statics[s.index()].name),
        };
        match r {
            Resolved::Def(d) => def(d),
            Resolved::Assoc(d, name) => format!("{}::{name}", def(d)),
            Resolved::External(p, resolved) => format!("external {} ({resolved})", p.join("::")),
            Resolved::None => "nothing".into(),
        }
    }

    #[test]
    fn a_use_brings_a_function_of_another_module() {
        let fx = "
//- /app/src/main.rs crate:app
mod db;
use db::open;
fn main() { open(); }
//- /app/src/db.rs
pub fn open() {}
";
        assert_eq!(resolve(fx, "/app/src/main.rs", "open"), "fn open");
        assert_eq!(
            resolve(fx, "/app/src/main.rs", "crate::db::open"),
            "fn open"
        );
        assert_eq!(resolve(fx, "/app/src/db.rs", "super::db::open"), "fn open");
    }

    #[test]
    fn a_use_of_a_type_brings_it_under_its_own_name() {
        let fx = "
//- /app/src/main.rs crate:app
mod repo;
use repo::UserRepo;
fn main() {}
//- /app/src/repo.rs
pub struct UserRepo;
impl UserRepo { pub fn find(&self) {} }
";
        assert_eq!(resolve(fx, "/app/src/main.rs", "UserRepo"), "type UserRepo");
        assert_eq!(
            resolve(fx, "/app/src/main.rs", "UserRepo::find"),
            "type UserRepo::find"
        );
    }

    #[test]
    fn a_renamed_use_brings_the_item_under_the_new_name_only() {
        let fx = "
//- /app/src/main.rs crate:app
mod handlers;
use handlers::create_order as create;
fn main() { create(); }
//- /app/src/handlers.rs
pub fn create_order() {}
";
        assert_eq!(resolve(fx, "/app/src/main.rs", "create"), "fn create_order");
        // The old name is not imported: a bare name nothing defines is the outside world's.
        assert_eq!(
            resolve(fx, "/app/src/main.rs", "create_order"),
            "external create_order (false)"
        );
    }

    #[test]
    fn a_nested_use_brings_every_name_of_its_tree() {
        let fx = "
//- /app/src/main.rs crate:app
mod services;
use services::{billing, orders::{place_order, OrderService}};
fn main() {}
//- /app/src/services/mod.rs
pub mod billing;
pub mod orders;
//- /app/src/services/billing.rs
pub fn charge() {}
//- /app/src/services/orders.rs
pub struct OrderService;
pub fn place_order() {}
";
        assert_eq!(
            resolve_in(fx, "/app/src/main.rs", "", "billing"),
            "mod app::services::billing"
        );
        assert_eq!(
            resolve(fx, "/app/src/main.rs", "billing::charge"),
            "fn charge"
        );
        assert_eq!(
            resolve(fx, "/app/src/main.rs", "place_order"),
            "fn place_order"
        );
        assert_eq!(
            resolve(fx, "/app/src/main.rs", "OrderService"),
            "type OrderService"
        );
    }

    #[test]
    fn a_use_of_self_in_a_group_brings_the_module_itself() {
        let fx = "
//- /app/src/main.rs crate:app
mod db;
use db::{self, connect};
fn main() {}
//- /app/src/db.rs
pub fn connect() {}
pub fn migrate() {}
";
        assert_eq!(resolve_in(fx, "/app/src/main.rs", "", "db"), "mod app::db");
        assert_eq!(resolve(fx, "/app/src/main.rs", "db::migrate"), "fn migrate");
        assert_eq!(resolve(fx, "/app/src/main.rs", "connect"), "fn connect");
    }

    #[test]
    fn a_glob_import_brings_every_item_of_the_module() {
        let fx = "
//- /app/src/main.rs crate:app
mod db;
use db::*;
fn main() {}
//- /app/src/db.rs
pub struct Database;
pub fn open_pool() {}
pub static POOL: u32 = 0;
";
        assert_eq!(resolve(fx, "/app/src/main.rs", "Database"), "type Database");
        assert_eq!(resolve(fx, "/app/src/main.rs", "open_pool"), "fn open_pool");
        assert_eq!(resolve(fx, "/app/src/main.rs", "POOL"), "static POOL");
    }

    #[test]
    fn an_item_of_the_module_shadows_a_glob_import() {
        let fx = "
//- /app/src/main.rs crate:app
mod db;
mod legacy;
use db::*;
use legacy::open_pool;
fn connect() {}
fn main() {}
//- /app/src/db.rs
pub fn connect() {}
pub fn open_pool() {}
//- /app/src/legacy.rs
pub fn open_pool() {}
";
        // `connect` is main's own function, `open_pool` the one named by the explicit `use`.
        let main = "/app/src/main.rs";
        assert_eq!(resolve_in(fx, main, "", "connect"), "fn app::connect");
        assert_eq!(
            resolve_in(fx, main, "", "open_pool"),
            "fn app::legacy::open_pool"
        );
        assert_eq!(
            resolve_in(fx, main, "", "db::open_pool"),
            "fn app::db::open_pool"
        );
    }

    #[test]
    fn a_glob_through_a_pub_use_glob_reaches_the_inner_module() {
        let fx = "
//- /app/src/main.rs crate:app
mod storage;
use storage::*;
fn main() {}
//- /app/src/storage/mod.rs
mod postgres;
pub use self::postgres::*;
//- /app/src/storage/postgres.rs
pub struct PgUserStore;
pub fn connect_pg() {}
";
        assert_eq!(
            resolve(fx, "/app/src/main.rs", "PgUserStore"),
            "type PgUserStore"
        );
        assert_eq!(
            resolve(fx, "/app/src/main.rs", "connect_pg"),
            "fn connect_pg"
        );
        assert_eq!(
            resolve(fx, "/app/src/main.rs", "storage::connect_pg"),
            "fn connect_pg"
        );
    }

    #[test]
    fn a_glob_brings_a_module_in_and_paths_go_on_through_it() {
        let fx = "
//- /app/src/main.rs crate:app
mod api;
use api::*;
fn main() {}
//- /app/src/api/mod.rs
pub mod users;
//- /app/src/api/users.rs
pub fn list_users() {}
";
        assert_eq!(
            resolve_in(fx, "/app/src/main.rs", "", "users"),
            "mod app::api::users"
        );
        assert_eq!(
            resolve(fx, "/app/src/main.rs", "users::list_users"),
            "fn list_users"
        );
    }

    #[test]
    fn a_glob_of_an_outside_module_gives_the_names_the_catalogue_knows_there() {
        let fx = "
//- /app/src/main.rs crate:app
use sqlx::postgres::*;
fn main() {}
";
        assert_eq!(
            resolve(fx, "/app/src/main.rs", "PgPool"),
            "external sqlx::postgres::PgPool (true)"
        );
        // A name the catalogue does not know there: nothing says where it comes from.
        assert_eq!(
            resolve(fx, "/app/src/main.rs", "PgRow"),
            "external PgRow (false)"
        );
    }

    #[test]
    fn a_pub_use_re_exports_an_item_at_the_crate_root() {
        let fx = "
//- /app/src/main.rs crate:app
mod db;
mod handlers;
pub use db::Pool;
fn main() {}
//- /app/src/db.rs
pub struct Pool;
//- /app/src/handlers.rs
use crate::Pool;
pub fn index() {}
";
        assert_eq!(
            resolve(fx, "/app/src/handlers.rs", "crate::Pool"),
            "type Pool"
        );
        assert_eq!(resolve(fx, "/app/src/handlers.rs", "Pool"), "type Pool");
        assert_eq!(
            resolve(fx, "/app/src/handlers.rs", "super::Pool"),
            "type Pool"
        );
    }

    #[test]
    fn a_re_export_chain_of_two_steps_reaches_the_definition() {
        let fx = "
//- /db/src/lib.rs crate:db
mod pool;
pub use pool::DbPool;
//- /db/src/pool/mod.rs
mod postgres;
pub use self::postgres::PgDbPool as DbPool;
//- /db/src/pool/postgres.rs
pub struct PgDbPool;
impl PgDbPool { pub fn checkout(&self) {} }
//- /app/src/main.rs crate:app deps:db
use db::DbPool;
fn main() {}
";
        assert_eq!(resolve(fx, "/db/src/lib.rs", "DbPool"), "type PgDbPool");
        assert_eq!(resolve(fx, "/app/src/main.rs", "DbPool"), "type PgDbPool");
        assert_eq!(
            resolve(fx, "/app/src/main.rs", "db::DbPool::checkout"),
            "type PgDbPool::checkout"
        );
    }

    #[test]
    fn self_super_and_crate_paths_start_where_they_say() {
        let fx = "
//- /app/src/main.rs crate:app
mod api;
fn shutdown() {}
fn main() {}
//- /app/src/api/mod.rs
pub mod orders;
pub fn router() {}
//- /app/src/api/orders.rs
pub fn list_orders() {}
";
        let orders = "/app/src/api/orders.rs";
        assert_eq!(resolve(fx, orders, "self::list_orders"), "fn list_orders");
        assert_eq!(resolve(fx, orders, "super::router"), "fn router");
        assert_eq!(resolve(fx, orders, "super::super::shutdown"), "fn shutdown");
        assert_eq!(resolve(fx, orders, "crate::shutdown"), "fn shutdown");
        assert_eq!(
            resolve(fx, orders, "crate::api::orders::list_orders"),
            "fn list_orders"
        );
        assert_eq!(resolve_in(fx, orders, "", "super"), "mod app::api");
        assert_eq!(resolve_in(fx, orders, "", "crate"), "mod app");
        // `self::` names only the module's own items: the parent's are not in scope.
        assert_eq!(resolve(fx, orders, "self::router"), "nothing");
    }

    #[test]
    fn an_inline_module_is_a_module_of_its_file() {
        let fx = "
//- /app/src/main.rs crate:app
mod repository {
    pub fn find_user() {}
    pub mod queries {
        pub fn by_email() {}
        pub fn user() { super::find_user() }
    }
}
fn main() {}
";
        let main = "/app/src/main.rs";
        assert_eq!(resolve(fx, main, "repository::find_user"), "fn find_user");
        assert_eq!(
            resolve(fx, main, "repository::queries::by_email"),
            "fn by_email"
        );
        assert_eq!(
            resolve_in(fx, main, "", "repository::queries"),
            "mod app::repository::queries"
        );
        assert_eq!(
            resolve_in(fx, main, "repository::queries", "super::find_user"),
            "fn app::repository::find_user"
        );
        assert_eq!(
            resolve_in(fx, main, "repository::queries", "by_email"),
            "fn app::repository::queries::by_email"
        );
        assert_eq!(
            resolve_in(fx, main, "repository", "queries::user"),
            "fn app::repository::queries::user"
        );
    }

    #[test]
    fn a_workspace_crate_is_reached_by_its_name_from_another_crate() {
        let fx = "
//- /db/src/lib.rs crate:db
pub mod users;
pub fn connect() {}
//- /db/src/users.rs
pub struct UserRepo;
//- /app/src/main.rs crate:app deps:db
mod routes;
fn connect() {}
fn main() {}
//- /app/src/routes.rs
use db::users::UserRepo;
pub fn mount() {}
";
        // The app's own `connect` is not the library's.
        let main = "/app/src/main.rs";
        assert_eq!(resolve_in(fx, main, "", "connect"), "fn app::connect");
        assert_eq!(resolve_in(fx, main, "", "db::connect"), "fn db::connect");
        assert_eq!(resolve_in(fx, main, "", "::db::connect"), "fn db::connect");
        assert_eq!(resolve_in(fx, "/app/src/main.rs", "", "db"), "mod db");
        assert_eq!(
            resolve(fx, "/app/src/routes.rs", "UserRepo"),
            "type UserRepo"
        );
        assert_eq!(
            resolve_in(fx, "/app/src/routes.rs", "", "db::users"),
            "mod db::users"
        );
    }

    #[test]
    fn a_crate_renamed_in_the_manifest_is_reached_by_its_new_name() {
        let fx = "
//- /db/src/lib.rs crate:db
pub fn open_pool() {}
//- /app/src/main.rs crate:app deps:store=db
use store::open_pool as open;
fn main() { store::open_pool(); }
";
        let main = "/app/src/main.rs";
        assert_eq!(
            resolve_in(fx, main, "", "store::open_pool"),
            "fn db::open_pool"
        );
        assert_eq!(
            resolve_in(fx, main, "", "::store::open_pool"),
            "fn db::open_pool"
        );
        assert_eq!(resolve_in(fx, main, "", "open"), "fn db::open_pool");
        assert_eq!(resolve_in(fx, "/app/src/main.rs", "", "store"), "mod db");
        // The rename is the app's: the library's own code does not know it.
        assert_eq!(
            resolve(fx, "/db/src/lib.rs", "store::open_pool"),
            "external store::open_pool (false)"
        );
    }

    #[test]
    fn a_path_outside_the_workspace_is_external() {
        let fx = "
//- /app/src/main.rs crate:app
use sqlx::PgPool;
use deadpool_postgres::Pool as PgConnPool;
fn main() {}
";
        let main = "/app/src/main.rs";
        // Written in full with nothing imported: an outside crate, as far as anyone knows.
        assert_eq!(
            resolve(fx, main, "sqlx::PgPool"),
            "external sqlx::PgPool (false)"
        );
        // Through an import, or from the root: known to be that crate's.
        assert_eq!(resolve(fx, main, "PgPool"), "external sqlx::PgPool (true)");
        assert_eq!(
            resolve(fx, main, "PgPool::connect"),
            "external sqlx::PgPool::connect (true)"
        );
        assert_eq!(
            resolve(fx, main, "PgConnPool"),
            "external deadpool_postgres::Pool (true)"
        );
        assert_eq!(
            resolve(fx, main, "::r2d2::Pool"),
            "external r2d2::Pool (true)"
        );
    }

    #[test]
    fn a_path_to_nothing_resolves_to_nothing() {
        let fx = "
//- /app/src/main.rs crate:app
mod db;
fn main() {}
//- /app/src/db.rs
pub fn connect() {}
";
        let main = "/app/src/main.rs";
        assert_eq!(resolve(fx, main, "db::disconnect"), "nothing");
        assert_eq!(resolve(fx, main, "crate::db::disconnect"), "nothing");
        assert_eq!(resolve(fx, main, "self::connect"), "nothing");
        // A function has no items under it.
        assert_eq!(resolve(fx, main, "db::connect::retry"), "nothing");
    }
}
