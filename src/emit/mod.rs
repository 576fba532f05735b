//! Emitters: the only code that knows output formats. Each renders the same `Report`.

mod clip;
pub mod github;
pub mod graph;
pub mod human;
pub mod json;
pub mod sarif;
pub mod short;

use crate::base::diag::{Diagnostic, Severity};
use crate::report::Report;
use std::io::{self, Write};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Short,
    Json,
    Sarif,
    Github,
}

pub fn render(
    report: &Report,
    format: Format,
    color: bool,
    quiet: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Human => human::render(report, color, quiet, out),
        Format::Short => short::render(report, out),
        Format::Json => json::render(report, out),
        Format::Github => github::render(report, out),
        Format::Sarif => sarif::render(report, out),
    }
}

/// `poolcheck: 2 errors in 1 file`.
pub fn summary_line(report: &Report) -> String {
    let count = |s: Severity| {
        report
            .diagnostics
            .iter()
            .filter(|d| d.severity == s)
            .count()
    };
    let (e, w) = (count(Severity::Error), count(Severity::Warning));
    let mut files: Vec<u32> = report
        .diagnostics
        .iter()
        .filter_map(|d| d.primary.as_ref().map(|p| p.span.file))
        .collect();
    files.sort();
    files.dedup();
    let plural = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    let baselined = match report.baselined {
        0 => String::new(),
        n => format!(" ({} in the baseline not shown)", plural(n, "finding")),
    };
    if e == 0 && w == 0 {
        return format!(
            "poolcheck: no problems found in {}{baselined}",
            plural(report.files_analysed, "file")
        );
    }
    let mut parts = Vec::new();
    if e > 0 {
        parts.push(plural(e, "error"));
    }
    if w > 0 {
        parts.push(plural(w, "warning"));
    }
    let nfiles = files.len().max(1);
    format!(
        "poolcheck: {} in {}{baselined}",
        parts.join(", "),
        plural(nfiles, "file")
    )
}

/// The path a diagnostic is about, as shown to users.
pub fn diag_path<'a>(report: &'a Report, d: &'a Diagnostic) -> Option<&'a str> {
    match &d.primary {
        Some(p) => Some(report.sources.get(p.span.file).name.as_str()),
        None => d.path.as_deref(),
    }
}
