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
        let f = ws.by_path[std::path::Path::new(file)];
        let m = ix
            .mods
            .iter()
            .position(|m| m.file == f && m.parent.is_none_or(|p| ix.mods[p.index()].file != f))
            .map(ModId::from_index)
            .expect("the file is a module");
        let segs: Vec<String> = path.split("::").map(String::from).collect();
        describe(&ix, &ix.resolve(m, &segs))
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
}
