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
