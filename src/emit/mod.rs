//! Emitters: the only code that knows output formats. Each renders the same `Report`.

mod clip;
pub(crate) mod github;
pub(crate) mod graph;
pub(crate) mod human;
pub(crate) mod json;
pub(crate) mod sarif;
pub(crate) mod short;

use crate::base::diag::Severity;
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
pub(crate) fn summary_line(report: &Report) -> String {
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
