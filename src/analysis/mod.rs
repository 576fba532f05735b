//! The analysis: one walk over each function body records its facts (`walk` → `facts`); then,
//! bottom-up over the call graph, each function's summary (`summary`); the lints read both
//! through `query`. A function's summary depends only on its own facts and its callees'
//! summaries.

mod facts;
mod query;
mod summary;
mod walk;

pub(crate) use facts::*;
pub(crate) use query::{res_name, Ctx};
pub(crate) use summary::{summarize, Analysis, Reach, Step, StepKind};

/// A fixture (see `load::fixture`) indexed and summarized.
#[cfg(test)]
pub(crate) fn fixture(text: &str) -> (crate::load::Workspace, crate::index::Index, Analysis) {
    let (ws, mut ix, bodies) = crate::index::fixture(text);
    let taken = ix.take_bodies();
    let an = summarize(&ix, taken, bodies);
    (ws, ix, an)
}

/// A workspace function by its display name (`Repo::find`, `handler`).
#[cfg(test)]
pub(crate) fn fn_named(ix: &crate::index::Index, name: &str) -> crate::index::FnId {
    match ix.fns.iter().position(|f| f.display == name) {
        Some(i) => crate::index::FnId::from_index(i),
        None => panic!(
            "no function `{name}` among {:?}",
            ix.fns.iter().map(|f| &f.display).collect::<Vec<_>>()
        ),
    }
}
