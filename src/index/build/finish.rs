//! The last step of building the index: trait default methods, impls attached to their types
//! and traits, wrapper types and the fields they deref to, and what each static pool's
//! initializer sets.

use super::{Builder, PendingImpl};
use crate::config::known;
use crate::index::pool_build;
use crate::index::types::find_method_arg;
use crate::index::*;
use crate::ir::{Generics, Ty};
use rustc_hash::FxHashMap as HashMap;

impl Builder<'_> {
    pub(super) fn finish(mut self) -> Index {
        self.ix.reached = self.taken.keys().copied().collect();
        for (tid, t) in self.ix.traits.iter().enumerate() {
            for m in &t.declared {
                self.ix
                    .method_traits
                    .entry(m.clone())
                    .or_default()
                    .push(TraitId::from_index(tid));
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
            let tname = self.ix.traits[tid.index()].name.clone();
            let module = self.ix.traits[tid.index()].module;
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
                    self.ix.traits[tid.index()].defaults.insert(name, id);
                }
            }
        }
        for imp in std::mem::take(&mut self.impls) {
            self.attach_impl(imp);
        }
        self.wrappers();
        self.static_settings();
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

    /// One impl: its methods become its type's (or, for a type outside the workspace, methods
    /// of that name), with its trait's default methods it does not override.
    fn attach_impl(&mut self, imp: PendingImpl) {
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
            (Some(Def::Type(t)), _) => self.ix.types[t.index()].name.clone(),
            (_, ty) => ty.last_name().unwrap_or("_").to_string(),
        };
        if let (Some(Def::Type(t)), Some(target_ty)) = (&target, &d.deref_target) {
            self.ix.types[t.index()].deref = Some((target_ty.clone(), m));
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
                Owner::Type(t) => self.ix.types[t.index()]
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
            let defaults: Vec<(String, FnId)> = self.ix.traits[tid.index()]
                .defaults
                .iter()
                .map(|(k, v)| (k.clone(), *v))
                .collect();
            for (name, id) in defaults {
                methods.entry(name.clone()).or_insert(id);
                if let Owner::Type(t) = owner {
                    let e = self.ix.types[t.index()].methods.entry(name).or_default();
                    if e.is_empty() {
                        e.push(id);
                    }
                }
            }
            self.ix.traits[tid.index()].impls.push(methods);
        }
    }

    /// Which types are wrappers of a pool (a `Deref` impl, rocket_db_pools' `Database`
    /// derive), and the field they deref to.
    fn wrappers(&mut self) {
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
    }

    /// Where each static pool's wait timeout is set, read once from its initializer (which is
    /// not kept).
    fn static_settings(&mut self) {
        for i in 0..self.ix.statics.len() {
            let st = &self.ix.statics[i];
            let kind = self.ix.ty_kind(st.module, &[], &st.ty, None);
            let (setting, unbounded) = match (kind, &st.init) {
                (TyK::Pool(k), Some(init)) => {
                    let kind = self.ix.cat.kind(k);
                    let setter = &kind.timeout_setter;
                    (
                        find_method_arg(init, setter).map(|a| (setter.clone(), a.span)),
                        pool_build::in_initializer(init, kind).map(|(p, s)| (p, s, k)),
                    )
                }
                _ => (None, None),
            };
            let st = &mut self.ix.statics[i];
            st.wait_setting = setting;
            st.unbounded = unbounded;
            st.init = None;
        }
    }
}
