//! Values: the type and location of a path, a field (through `Deref` wrappers and type
//! parameters' bounds), and the pool kind a value has.

use super::{Val, Walker};
use crate::analysis::facts::{Res, ResExpr};
use crate::config::catalogue::KindId;
use crate::index::{Def, Resolved, TyK, TypeId};
use crate::ir::{Generics, Segs, Ty};

impl Walker<'_> {
    pub(super) fn type_of_path(&self, segs: &Segs) -> TyK {
        if segs.len() == 1 && segs[0] == "Self" {
            return self.self_kind.clone().unwrap_or(TyK::Unknown);
        }
        self.ix.ty_kind(
            self.module,
            &self.generics,
            &Ty::Path {
                segs: segs.clone(),
                args: Vec::new(),
            },
            self.self_kind.as_ref(),
        )
    }

    pub(super) fn path_val(&mut self, segs: &Segs) -> Val {
        if segs.len() == 1 {
            if let Some(v) = self.lookup_var(&segs[0]) {
                return v.val.clone();
            }
        }
        match self.ix.resolve(self.module, segs) {
            Resolved::Def(Def::Static(s)) => {
                let st = &self.ix.statics[s.index()];
                let ty = self.ix.ty_kind(st.module, &[], &st.ty, None);
                Val::of(ty, Some(ResExpr::Known(Res::Static(s))))
            }
            _ => Val::unknown(),
        }
    }

    pub(super) fn field(&self, base: Val, member: &str) -> Val {
        let mut ty = base.ty.clone();
        for _ in 0..4 {
            if let TyK::Adt(t) = ty {
                let info = &self.ix.types[t.index()];
                if let Some((_, fty)) = info.fields.iter().find(|(n, _)| n == member) {
                    // A field of a type parameter: its bounds from the struct, else from the
                    // impl being walked (`struct Service<R>` with `impl<R: Repo> Service<R>`).
                    let mut generics: Vec<&Generics> = Vec::new();
                    if info.generics.params.iter().any(|(_, b)| !b.is_empty()) {
                        generics.push(&info.generics);
                    }
                    generics.extend(self.generics.iter().copied());
                    generics.push(&info.generics);
                    let k = self
                        .ix
                        .ty_kind(info.module, &generics, fty, Some(&TyK::Adt(t)));
                    // The field a wrapper derefs to is the wrapper's value: `self.pool` inside
                    // `Database` is wherever that `Database` lives.
                    if info.deref_field.as_deref() == Some(member) && base.loc.is_some() {
                        return Val::of(k, base.loc);
                    }
                    return Val::of(k, Some(ResExpr::Known(Res::Field(t, member.to_string()))));
                }
                if let Some((dty, dm)) = &info.deref {
                    ty = self.ix.ty_kind(*dm, &[], dty, Some(&TyK::Adt(t)));
                    continue;
                }
            }
            break;
        }
        if member == "0" {
            // `state.0` on a wrapper the type was already seen through.
            return Val {
                guard: None,
                ..base
            };
        }
        Val::unknown()
    }

    /// The pool kind a value has: a pool, a workspace type that derefs to one, or a type
    /// parameter bounded by sqlx's `Executor`/`Acquire` (a pool may be passed for it).
    pub(super) fn pool_kind(&self, ty: &TyK) -> Option<KindId> {
        let mut ty = ty.clone();
        for _ in 0..4 {
            match ty {
                TyK::Pool(k) => return Some(k),
                TyK::Generic(_, true) => {
                    return self
                        .cat
                        .pool
                        .iter()
                        .position(|k| !k.executor.is_empty())
                        .map(|i| i as KindId)
                }
                TyK::Adt(t) => match &self.ix.types[t.index()].deref {
                    Some((dty, dm)) => ty = self.ix.ty_kind(*dm, &[], dty, Some(&TyK::Adt(t))),
                    None => return None,
                },
                _ => return None,
            }
        }
        None
    }

    /// The workspace enum and variant a path names (`DbPool::Pool`, `Self::Conn`).
    pub(super) fn variant(&self, path: &Segs) -> Option<(TypeId, usize)> {
        let (t, name) = match path.as_slice() {
            [first, name] if first == "Self" => match &self.self_kind {
                Some(TyK::Adt(t)) => (*t, name.clone()),
                _ => return None,
            },
            _ => match self.ix.resolve(self.module, path) {
                Resolved::Assoc(Def::Type(t), name) => (t, name),
                _ => return None,
            },
        };
        let v = self.ix.types[t.index()]
            .variants
            .iter()
            .position(|(n, _)| *n == name)?;
        Some((t, v))
    }

    /// The kind of field `i` of variant `v` of enum `t`.
    pub(super) fn variant_field(&self, t: TypeId, v: usize, field: &str) -> Option<TyK> {
        let info = &self.ix.types[t.index()];
        let (_, fields) = info.variants.get(v)?;
        let (_, fty) = fields.iter().find(|(n, _)| n == field)?;
        Some(
            self.ix
                .ty_kind(info.module, &[&info.generics], fty, Some(&TyK::Adt(t))),
        )
    }

    /// A value built by a variant's constructor (`DbConn::Pool(conn)`): it holds the guard
    /// given to it, and a variant whose one field is a pool is where that pool is
    /// (`DbPool::Pool(&self.pool)` is `self.pool`; `DbPool::Conn(conn)` is no pool).
    pub(super) fn constructed(&self, t: TypeId, v: usize, vals: &[Val]) -> Val {
        let pool_field = matches!(self.variant_field(t, v, "0"), Some(TyK::Pool(_)));
        Val {
            ty: TyK::Adt(t),
            loc: match vals {
                [one] if pool_field => one.loc.clone(),
                _ => None,
            },
            guard: vals.iter().find_map(|v| v.guard),
            future: None,
            body: None,
        }
    }
}
