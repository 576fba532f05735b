//! Types as the analysis sees them (`TyK`): pools, builders, cells, wrappers seen through,
//! collections of pools, workspace types and trait bounds; and the methods a receiver of a
//! type can call.

use super::*;
use crate::config::catalogue::ExtKind;
use crate::config::known;
use crate::ir::{self, Generics, Segs, Ty};

impl Index {
    /// What a type written in module `m` is, with the generics in scope.
    pub(crate) fn ty_kind(
        &self,
        m: ModId,
        generics: &[&Generics],
        ty: &Ty,
        self_ty: Option<&TyK>,
    ) -> TyK {
        self.ty_kind_depth(m, generics, ty, self_ty, 0)
    }

    pub(super) fn ty_kind_depth(
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

    pub(super) fn bounds_kind(&self, m: ModId, bounds: &[Segs]) -> TyK {
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
    pub(crate) fn methods_of(&self, k: &TyK, name: &str) -> Vec<FnId> {
        match k {
            TyK::Adt(t) => self.types[t.index()]
                .methods
                .get(name)
                .cloned()
                .unwrap_or_default(),
            TyK::Generic(traits, _) => {
                let mut out = Vec::new();
                for &tr in traits {
                    let info = &self.traits[tr.index()];
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
                    return self.types[t.index()]
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
pub(super) fn find_method_arg<'e>(e: &'e ir::Expr, name: &str) -> Option<&'e ir::Expr> {
    ir::walk::descendants(e)
        .find_map(|x| match &x.kind {
            ir::ExprKind::MethodCall { method, args, .. } if method == name => Some(args),
            _ => None,
        })
        .and_then(|args| args.first())
}
