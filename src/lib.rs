//! poolcheck finds nested pool checkouts: code that holds a guard from a pool (a connection,
//! a transaction, a permit) and, while holding it, reaches code that checks out another from
//! the same pool, a deadlock once the pool is exhausted.
//!
//! The pipeline, data flowing one way (`driver`): load → parse → index → summarize → check →
//! report → emit. The layers, each importing only those before it: `base`, `config`, `load`,
//! `ir`, `syntax`, `index`, `analysis`, `lints`, `report`, `emit`, `driver`, `cli` (README,
//! "Architecture", has the map of the rooms).
//!
//! Invariants (`tests/architecture.rs` checks those a reading of the source can):
//! - only `load` touches the file system, and nothing runs a process; a source text released
//!   after parsing is read back, for a diagnostic, by the loader's own function given to
//!   `SourceFile`, and lints get text only through `SourceMap`;
//! - only `syntax` names syn and proc-macro2: the rest reads the plain-data `ir`;
//! - library names live only in `lints/pools.toml` and `config/known.rs`;
//! - a function's summary depends only on its body and its callees' summaries;
//! - lints return data (`Finding`s, made into `Diagnostic`s one way); only `emit` knows formats;
//! - only `main` knows exit statuses;
//! - diagnostics are sorted (file, position, lint) before they are emitted, so output is
//!   byte-stable across runs and thread counts;
//! - bad input is a diagnostic, never a panic: the rest of the work still happens; a panic
//!   that happens anyway (a bug) is contained to its function, file or finding
//!   (`base::internal`).
//!
//! The public API is what is re-exported here, for the binaries and the tests.

mod analysis;
mod base;
pub mod cli;
mod config;
mod driver;
pub mod emit;
mod index;
mod ir;
mod lints;
mod load;
mod report;
mod syntax;

pub use base::diag::{Diagnostic, Label, Severity};
pub use base::lint::{Level, Lint, LINTS};
pub use base::source::{SourceFile, SourceMap, Span};
pub use driver::{analyse, set_stage_hook, Options};
pub use load::{Fatal, Request};
pub use report::Report;
