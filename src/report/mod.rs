//! What a run found, ready for an emitter, and the steps that shape it after the lints: allow
//! comments, the baseline, and the checkout graph.

pub(crate) mod baseline;
pub(crate) mod graph;
pub(crate) mod suppress;

use crate::base::diag::{Diagnostic, Severity};
use crate::base::source::SourceMap;
use crate::load::{self, CrateSpec};
use std::time::Duration;

/// What a run found, ready for an emitter.
pub struct Report {
    /// The workspace root: paths in the report are relative to it.
    pub(crate) root: std::path::PathBuf,
    pub diagnostics: Vec<Diagnostic>,
    pub sources: SourceMap,
    pub(crate) crates: Vec<CrateSpec>,
    pub files_analysed: usize,
    /// Findings left out because the baseline records them.
    pub(crate) baselined: usize,
    pub(crate) timings: Vec<(&'static str, Duration)>,
}

impl Report {
    pub(crate) fn errors(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// The crate a diagnostic belongs to (for cargo's JSON fields).
    pub(crate) fn crate_for(&self, d: &Diagnostic) -> &CrateSpec {
        match d.krate.and_then(|k| self.crates.get(k)) {
            Some(c) => c,
            None => self
                .crates
                .iter()
                .find(|c| d.primary.as_ref().is_some_and(|p| p.span.file == c.root))
                .or_else(|| self.crates.first())
                .unwrap_or(&FALLBACK_CRATE),
        }
    }
}

static FALLBACK_CRATE: std::sync::LazyLock<CrateSpec> =
    std::sync::LazyLock::new(|| load::loose_crate(&std::env::current_dir().unwrap_or_default()));
