//! One line a diagnostic: `src/main.rs:27:20: error[nested_checkout]: message`.

use crate::report::Report;
use std::io::{self, Write};

pub(crate) fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for d in &report.diagnostics {
        let level = match d.code {
            Some(c) => format!("{}[{c}]", d.severity.as_str()),
            None => d.severity.as_str().to_string(),
        };
        match &d.primary {
            Some(p) => {
                let f = report.sources.get(p.span.file);
                let (l, c) = f.line_col(p.span.lo);
                writeln!(out, "{}:{l}:{c}: {level}: {}", f.name, d.message)?;
            }
            None => writeln!(
                out,
                "{}: {level}: {}",
                d.path.as_deref().unwrap_or("poolcheck"),
                d.message
            )?,
        }
    }
    Ok(())
}
