//! `poolcheck.toml`: lint levels for the workspace. Parsed from text the loader read; a
//! mistake is an error that names the file, line and column and what is allowed there.

pub(crate) mod catalogue;
pub(crate) mod known;

use crate::base::lint::{self, Level};
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// One of the project's own pool types (`[[pools]]`).
#[derive(Debug, Clone)]
pub(crate) struct PoolDecl {
    /// As written in the workspace: `crate::db::DbPool`, or a path outside it.
    pub(crate) path: String,
    pub(crate) checkout: Vec<String>,
    pub(crate) unit: String,
    /// `file:line:col` of the `type` value, for a type that names nothing.
    pub(crate) at: String,
}

#[derive(Debug, Default, Clone)]
pub(crate) struct Config {
    pub(crate) pools: Vec<PoolDecl>,
    /// Lint levels from the file, before the command line's.
    pub(crate) levels: Vec<(String, Level)>,
    /// Paths (relative to the workspace root) that are not analysed or reported.
    pub(crate) exclude: Option<globset::GlobSet>,
    /// `max_file_size_mb`: bigger files (generated tables, bindings) are not parsed.
    pub(crate) max_file_mb: Option<u64>,
    /// `[guard_held_across_await] allowed`: awaited calls a guard may be held across.
    pub(crate) await_allowed: Vec<String>,
}

/// Files above this size are generated code: parsing one takes seconds and gigabytes.
pub(crate) const DEFAULT_MAX_FILE_MB: u64 = 10;

impl Config {
    pub(crate) fn max_file_bytes(&self) -> usize {
        (self.max_file_mb.unwrap_or(DEFAULT_MAX_FILE_MB) as usize).saturating_mul(1 << 20)
    }

    pub(crate) fn excludes(&self, rel: &str) -> bool {
        self.exclude.as_ref().is_some_and(|g| g.is_match(rel))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    #[serde(default)]
    lints: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    #[serde(default)]
    pools: Vec<RawPool>,
    max_file_size_mb: Option<u64>,
    guard_held_across_await: Option<RawAwait>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAwait {
    #[serde(default)]
    allowed: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPool {
    #[serde(rename = "type")]
    ty: Spanned<String>,
    checkout: Vec<String>,
    #[serde(default)]
    unit: Option<String>,
}

fn at(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0)
        + 1;
    (line, col)
}

/// A `Cargo.toml`, read only for `[workspace.metadata.poolcheck]` and
/// `[package.metadata.poolcheck]` (every other key is cargo's business).
#[derive(Deserialize)]
struct Manifest {
    workspace: Option<MetadataHolder>,
    package: Option<MetadataHolder>,
}

#[derive(Deserialize)]
struct MetadataHolder {
    metadata: Option<ToolTables>,
}

#[derive(Deserialize)]
struct ToolTables {
    poolcheck: Option<Raw>,
}

fn located(name: &str, text: &str, e: toml::de::Error) -> String {
    let (l, c) = e.span().map(|s| at(text, s.start)).unwrap_or((1, 1));
    format!("{name}:{l}:{c}: {}", e.message().trim())
}

/// Parses `text` (the contents of `name`, a `poolcheck.toml`).
pub(crate) fn parse(name: &str, text: &str) -> Result<Config, String> {
    let raw: Raw = toml::from_str(text).map_err(|e| located(name, text, e))?;
    from_raw(name, text, raw)
}

/// The poolcheck table of a manifest: `[workspace.metadata.poolcheck]`, else
/// `[package.metadata.poolcheck]`; `None` when it has neither.
pub(crate) fn parse_manifest(name: &str, text: &str) -> Result<Option<Config>, String> {
    let m: Manifest = toml::from_str(text).map_err(|e| located(name, text, e))?;
    let table = |h: Option<MetadataHolder>| h.and_then(|h| h.metadata).and_then(|t| t.poolcheck);
    match table(m.workspace).or_else(|| table(m.package)) {
        Some(raw) => from_raw(name, text, raw).map(Some),
        None => Ok(None),
    }
}

/// A workspace member's own `[package.metadata.poolcheck]` (it refines the workspace's levels).
pub(crate) fn parse_member(name: &str, text: &str) -> Result<Option<Config>, String> {
    let m: Manifest = toml::from_str(text).map_err(|e| located(name, text, e))?;
    match m.package.and_then(|h| h.metadata).and_then(|t| t.poolcheck) {
        Some(raw) => from_raw(name, text, raw).map(Some),
        None => Ok(None),
    }
}

fn from_raw(name: &str, text: &str, raw: Raw) -> Result<Config, String> {
    let mut levels = Vec::new();
    for (k, v) in raw.lints {
        let Some(lint) = lint::find(k.get_ref()) else {
            let (l, c) = at(text, k.span().start);
            let known: Vec<&str> = lint::LINTS.iter().map(|l| l.name).collect();
            return Err(format!(
                "{name}:{l}:{c}: unknown lint `{}` (known lints: {})",
                k.get_ref(),
                known.join(", ")
            ));
        };
        let level = match v.get_ref().as_str() {
            "allow" => Level::Allow,
            "warn" => Level::Warn,
            "deny" => Level::Deny,
            other => {
                let (l, c) = at(text, v.span().start);
                return Err(format!(
                    "{name}:{l}:{c}: `{other}` is not a level: use \"allow\", \"warn\" or \"deny\""
                ));
            }
        };
        levels.push((lint.name.to_string(), level));
    }
    let mut exclude = None;
    if !raw.exclude.is_empty() {
        let mut b = globset::GlobSetBuilder::new();
        for g in &raw.exclude {
            match globset::Glob::new(g.get_ref()) {
                Ok(glob) => {
                    b.add(glob);
                }
                Err(e) => {
                    let (l, c) = at(text, g.span().start);
                    return Err(format!(
                        "{name}:{l}:{c}: `{}` is not a glob: {}",
                        g.get_ref(),
                        e.kind()
                    ));
                }
            }
        }
        exclude = Some(b.build().map_err(|e| format!("{name}: {e}"))?);
    }
    let pools = raw
        .pools
        .into_iter()
        .map(|p| {
            let (l, c) = at(text, p.ty.span().start);
            PoolDecl {
                path: p.ty.get_ref().clone(),
                checkout: p.checkout,
                unit: p.unit.unwrap_or_else(|| "connection".into()),
                at: format!("{name}:{l}:{c}"),
            }
        })
        .collect();
    Ok(Config {
        levels,
        exclude,
        pools,
        max_file_mb: raw.max_file_size_mb,
        await_allowed: raw
            .guard_held_across_await
            .map(|a| a.allowed)
            .unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_and_located_mistakes() {
        let c = parse("poolcheck.toml", "[lints]\nnested_checkout = \"warn\"\n").expect("valid");
        assert_eq!(c.levels, vec![("nested_checkout".to_string(), Level::Warn)]);
        let e = parse("poolcheck.toml", "[lints]\nnested_checkout = \"loud\"\n")
            .expect_err("bad level");
        assert!(
            e.starts_with("poolcheck.toml:2:19: `loud` is not a level"),
            "{e}"
        );
        let e = parse("poolcheck.toml", "[lints]\nnested = \"warn\"\n").expect_err("bad lint");
        assert!(
            e.starts_with("poolcheck.toml:2:1: unknown lint `nested`"),
            "{e}"
        );
        let e = parse("poolcheck.toml", "\n[lint]\n").expect_err("bad key");
        assert!(e.starts_with("poolcheck.toml:2:"), "{e}");
        let c = parse("poolcheck.toml", "exclude = [\"benches/**\"]\n").expect("valid");
        assert!(c.excludes("benches/load.rs") && !c.excludes("src/lib.rs"));
        let manifest = "[package]\nname = \"api\"\n\n[package.metadata.poolcheck]\nlints = { nested_checkout = \"warn\" }\n";
        let c = parse_manifest("Cargo.toml", manifest)
            .expect("valid")
            .expect("a table");
        assert_eq!(c.levels, vec![("nested_checkout".to_string(), Level::Warn)]);
        let ws = "[workspace]\nmembers = []\n\n[workspace.metadata.poolcheck]\nlint = 1\n";
        let e = parse_manifest("Cargo.toml", ws).expect_err("unknown key");
        assert!(e.starts_with("Cargo.toml:5:1:"), "{e}");
        assert!(parse_manifest("Cargo.toml", "[package]\nname = \"x\"\n")
            .expect("valid")
            .is_none());
        let c = parse("poolcheck.toml", "max_file_size_mb = 64\n").expect("valid");
        assert_eq!(c.max_file_bytes(), 64 << 20);
        let e = parse("poolcheck.toml", "max_file_size_mb = \"big\"\n").expect_err("not a size");
        assert!(e.starts_with("poolcheck.toml:1:20:"), "{e}");
        let e = parse("poolcheck.toml", "exclude = [\"src/[\"]\n").expect_err("bad glob");
        assert!(
            e.starts_with("poolcheck.toml:1:12: `src/[` is not a glob"),
            "{e}"
        );
    }
}
