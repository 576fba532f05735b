//! The pool catalogue (`lints/pools.toml`, embedded): which types are pools, cells, wrappers
//! and builders, which methods check out, and how each pool fails when it deadlocks.

use rustc_hash::FxHashMap as HashMap;
use serde::Deserialize;
use std::sync::OnceLock;

pub(crate) type KindId = u8;

#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct PoolKind {
    pub(crate) kind: String,
    pub(crate) unit: String,
    pub(crate) types: Vec<String>,
    #[serde(default)]
    pub(crate) bare: Vec<String>,
    pub(crate) checkout: Vec<String>,
    #[serde(default)]
    pub(crate) executor: Vec<String>,
    #[serde(default)]
    pub(crate) streaming: Vec<String>,
    pub(crate) builders: Vec<String>,
    #[serde(default)]
    pub(crate) bare_builders: Vec<String>,
    pub(crate) build: Vec<String>,
    pub(crate) constructors: Vec<String>,
    pub(crate) timeout_setter: String,
    pub(crate) fails: String,
    pub(crate) default_timeout: String,
    /// Checkout methods that wait only as long as they are told (`timeout_get`).
    #[serde(default)]
    pub(crate) timed: Vec<String>,
    /// Traits whose functions take the pool as their first argument (`Executor::fetch_one(&pool, q)`).
    #[serde(default)]
    pub(crate) executor_traits: Vec<String>,
    /// Trait bounds a pool may be passed for (`E: PgExecutor<'c>`, `A: Acquire<'c>`).
    #[serde(default)]
    pub(crate) executor_bounds: Vec<String>,
    /// Checkouts written as such a trait's function given the pool (`PgListener::connect_with(&pool)`).
    #[serde(default)]
    pub(crate) path_checkout: Vec<String>,
    /// A semaphore: its permit held across awaits is what it is for.
    #[serde(default)]
    pub(crate) semaphore: bool,
    /// How its wait timeout behaves (see `Wait`).
    #[serde(default)]
    pub(crate) wait: WaitModel,
}

/// How a pool kind's checkout wait is bounded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum WaitModel {
    /// A finite timeout by default, set by `timeout_setter`.
    #[default]
    Default,
    /// As `default`, but `timeout_setter(None)` turns it off (mobc).
    NoneDisables,
    /// As `default`, but a timeout too large to add to an instant makes every checkout panic
    /// (sqlx, r2d2: they compute the deadline as `Instant::now() + timeout`).
    HugePanics,
    /// No timeout unless one is set, in the builder or the config's pool settings, with a
    /// runtime to run it (deadpool: see `known::opt_in_wait`).
    OptIn,
    /// No timeout at all (a tokio semaphore).
    None,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct TypeList {
    pub(crate) types: Vec<String>,
    pub(crate) bare: Vec<String>,
    #[serde(default)]
    pub(crate) methods: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct Guards {
    pub(crate) ending_methods: Vec<String>,
    pub(crate) ending_functions: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct Catalogue {
    pub(crate) pool: Vec<PoolKind>,
    pub(crate) wrappers: TypeList,
    pub(crate) cells: TypeList,
    pub(crate) guards: Guards,
    /// Every path pattern, split, by its last segment (always a plain name): built once, so
    /// classifying a path is one hash lookup.
    #[serde(skip)]
    patterns: HashMap<String, Vec<(ExtKind, Vec<String>)>>,
}

/// What a type outside the workspace is to the analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ExtKind {
    Pool(KindId),
    Builder(KindId),
    Cell,
    Wrapper,
    Other,
}

pub(crate) const SOURCE: &str = include_str!("../../lints/pools.toml");

pub(crate) fn get() -> &'static Catalogue {
    static CAT: OnceLock<Catalogue> = OnceLock::new();
    // The catalogue is part of the binary; a test parses it, so this cannot fail at run time.
    CAT.get_or_init(|| {
        let mut c: Catalogue = toml::from_str(SOURCE).expect("lints/pools.toml is valid");
        c.compile();
        c
    })
}

impl Catalogue {
    /// Whether some pool kind's pool may be the first argument of this trait's functions.
    pub(crate) fn is_executor_trait(&self, name: &str) -> bool {
        self.pool
            .iter()
            .any(|k| k.executor_traits.iter().any(|t| t == name))
    }

    /// Whether some pool kind's pool may be passed for a parameter with this bound.
    pub(crate) fn is_executor_bound(&self, name: &str) -> bool {
        self.pool
            .iter()
            .any(|k| k.executor_bounds.iter().any(|t| t == name))
    }

    pub(crate) fn kind(&self, id: KindId) -> &PoolKind {
        &self.pool[id as usize]
    }

    /// This catalogue with the project's own pool types (from `[[pools]]`) added as kinds of
    /// their own; returns it with the new kinds' ids, in order.
    pub(crate) fn with_custom(
        &self,
        pools: &[crate::config::PoolDecl],
    ) -> (Catalogue, Vec<KindId>) {
        let mut c = self.clone();
        let mut ids = Vec::new();
        for p in pools {
            ids.push(c.pool.len() as KindId);
            c.pool.push(PoolKind {
                kind: "custom".into(),
                unit: p.unit.clone(),
                types: vec![p.path.trim_start_matches("::").to_string()],
                bare: Vec::new(),
                checkout: p.checkout.clone(),
                executor: Vec::new(),
                streaming: Vec::new(),
                builders: Vec::new(),
                bare_builders: Vec::new(),
                build: Vec::new(),
                constructors: Vec::new(),
                timeout_setter: String::new(),
                fails: format!("`{}` is the project's own pool (poolcheck.toml): whether a waiting checkout fails after a timeout or hangs depends on how it is built", p.path),
                default_timeout: String::new(),
                ..PoolKind::default()
            });
        }
        c.patterns.clear();
        c.compile();
        (c, ids)
    }

    fn compile(&mut self) {
        let mut add = |kind: ExtKind, pattern: &str| {
            let segs: Vec<String> = pattern.split("::").map(str::to_string).collect();
            if let Some(last) = segs.last().cloned() {
                self.patterns.entry(last).or_default().push((kind, segs));
            }
        };
        for (i, k) in self.pool.iter().enumerate() {
            for t in &k.types {
                add(ExtKind::Pool(i as KindId), t);
            }
            for t in &k.builders {
                add(ExtKind::Builder(i as KindId), t);
            }
        }
        for t in &self.cells.types {
            add(ExtKind::Cell, t);
        }
        for t in &self.wrappers.types {
            add(ExtKind::Wrapper, t);
        }
    }

    /// Classifies an external path (`resolved` is true when an import or a full path says
    /// where it comes from; otherwise only bare names count).
    pub(crate) fn classify(&self, path: &[String], resolved: bool) -> ExtKind {
        let path: &[String] = match path.first() {
            Some(f) if f == "::" => &path[1..],
            _ => path,
        };
        let Some(last) = path.last() else {
            return ExtKind::Other;
        };
        if path.len() == 1 && !resolved {
            for (i, k) in self.pool.iter().enumerate() {
                if k.bare.iter().any(|b| b == last) {
                    return ExtKind::Pool(i as KindId);
                }
                if k.bare_builders.iter().any(|b| b == last) {
                    return ExtKind::Builder(i as KindId);
                }
            }
            if self.cells.bare.iter().any(|b| b == last) {
                return ExtKind::Cell;
            }
            if self.wrappers.bare.iter().any(|b| b == last) {
                return ExtKind::Wrapper;
            }
        }
        if let Some(cands) = self.patterns.get(last.as_str()) {
            for (kind, pat) in cands {
                if matches_segs(pat, path) {
                    return *kind;
                }
            }
        }
        ExtKind::Other
    }
}

fn matches_segs(pat: &[String], path: &[String]) -> bool {
    match pat.first().map(String::as_str) {
        None => path.is_empty(),
        Some("**") => (0..=path.len()).any(|i| matches_segs(&pat[1..], &path[i..])),
        Some("*") => !path.is_empty() && matches_segs(&pat[1..], &path[1..]),
        Some(seg) => path.first().is_some_and(|x| x == seg) && matches_segs(&pat[1..], &path[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Vec<String> {
        s.split("::").map(str::to_string).collect()
    }

    #[test]
    fn catalogue_parses_and_classifies() {
        let c = get();
        assert!(matches!(
            c.classify(&p("sqlx::postgres::PgPool"), true),
            ExtKind::Pool(_)
        ));
        assert!(
            matches!(c.classify(&p("diesel::r2d2::Pool"), true), ExtKind::Pool(k) if c.kind(k).kind == "r2d2")
        );
        assert!(
            matches!(c.classify(&p("diesel_async::pooled_connection::bb8::Pool"), true), ExtKind::Pool(k) if c.kind(k).kind == "bb8")
        );
        assert!(
            matches!(c.classify(&p("deadpool_diesel::postgres::Pool"), true), ExtKind::Pool(k) if c.kind(k).kind == "deadpool")
        );
        assert_eq!(
            c.classify(&p("std::collections::HashMap"), true),
            ExtKind::Other
        );
        assert_eq!(c.classify(&p("Pool"), false), ExtKind::Other);
        assert_eq!(c.classify(&p("OnceLock"), false), ExtKind::Cell);
        assert!(matches!(
            c.classify(&p("sqlx::postgres::PgPoolOptions"), true),
            ExtKind::Builder(_)
        ));
    }
}
