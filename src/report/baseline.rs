//! The baseline file (`--write-baseline` / `--baseline`): the findings a team has accepted for
//! now, by identity rather than by line, so that CI fails only on new ones.
//!
//! A finding's identity is its lint, its file and what the lint names it by (for
//! `nested_checkout`: the enclosing function, the guard, the pool and the callee chain), so
//! edits above it, and lines moving, leave it matched. Identities are counted: a second copy of
//! a baselined finding (the same call added again in the same function) is new.

use crate::base::diag::Diagnostic;
use crate::base::source::SourceMap;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

const VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    version: u32,
    findings: Vec<Entry>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    lint: String,
    file: String,
    identity: Vec<String>,
    /// For the reader of the file only: matching ignores it.
    #[serde(default)]
    message: String,
}

type Key = (String, String, Vec<String>);

/// Accepted findings, counted by identity.
#[derive(Debug, Default)]
pub(crate) struct Baseline {
    counts: BTreeMap<Key, usize>,
}

fn key(d: &Diagnostic, sources: &SourceMap) -> Option<Key> {
    let lint = d.code?;
    let file = &sources.get(d.primary.as_ref()?.span.file).name;
    Some((lint.to_string(), file.clone(), d.identity.clone()))
}

impl Baseline {
    /// Parses a baseline file's text (`name` is its path, for messages).
    pub(crate) fn parse(name: &str, text: &str) -> Result<Baseline, String> {
        let file: File = serde_json::from_str(text).map_err(|e| {
            format!(
                "{name}:{}:{}: not a poolcheck baseline: {e}",
                e.line(),
                e.column()
            )
        })?;
        if file.version != VERSION {
            return Err(format!(
                "{name}: baseline version {} is not supported (this poolcheck writes version {VERSION})",
                file.version
            ));
        }
        let mut counts = BTreeMap::new();
        for e in file.findings {
            *counts.entry((e.lint, e.file, e.identity)).or_insert(0) += 1;
        }
        Ok(Baseline { counts })
    }

    /// Drops the findings the baseline accounts for; returns how many it dropped.
    pub(crate) fn apply(mut self, diagnostics: &mut Vec<Diagnostic>, sources: &SourceMap) -> usize {
        let before = diagnostics.len();
        diagnostics.retain(|d| {
            let Some(k) = key(d, sources) else {
                return true;
            };
            match self.counts.get_mut(&k) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    false
                }
                _ => true,
            }
        });
        before - diagnostics.len()
    }
}

/// The baseline file for a run's findings (problems with the input are not findings).
pub(crate) fn render(diagnostics: &[Diagnostic], sources: &SourceMap) -> String {
    let mut findings: Vec<Entry> = diagnostics
        .iter()
        .filter_map(|d| {
            let (lint, file, identity) = key(d, sources)?;
            Some(Entry {
                lint,
                file,
                identity,
                message: d.message.clone(),
            })
        })
        .collect();
    findings.sort();
    let file = File {
        version: VERSION,
        findings,
    };
    let mut text = serde_json::to_string_pretty(&file).unwrap_or_default();
    text.push('\n');
    text
}

/// How many findings a baseline file holds (for the summary after writing one).
pub(crate) fn count(diagnostics: &[Diagnostic]) -> usize {
    diagnostics
        .iter()
        .filter(|d| d.code.is_some() && d.primary.is_some())
        .count()
}
