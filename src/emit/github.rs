//! GitHub Actions workflow commands: `::error file=..,line=..,col=..,endLine=..,endColumn=..,
//! title=..::message`, one a line, escaped as the runner requires.

use crate::base::diag::Severity;
use crate::report::Report;
use std::io::{self, Write};

/// Escaping for the message part.
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escaping for a property value (also `:` and `,`).
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

pub(crate) fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for d in &report.diagnostics {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let title = match d.code {
            Some(c) => format!("poolcheck: {c}"),
            None => "poolcheck".to_string(),
        };
        let mut message = d.message.clone();
        for n in &d.notes {
            message.push_str("\nnote: ");
            message.push_str(n);
        }
        if let Some(h) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(h);
        }
        match &d.primary {
            Some(p) => {
                let f = report.sources.get(p.span.file);
                let (l0, c0) = f.line_col(p.span.lo);
                let (l1, c1) = f.line_col(p.span.hi);
                writeln!(
                    out,
                    "::{command} file={},line={l0},col={c0},endLine={l1},endColumn={c1},title={}::{}",
                    property(&f.name),
                    property(&title),
                    data(&message)
                )?;
            }
            None => {
                let path = d.path.as_deref().unwrap_or("poolcheck");
                writeln!(
                    out,
                    "::{command} title={}::{}",
                    property(&title),
                    data(&format!("{path}: {message}"))
                )?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(data("50% done\nnext"), "50%25 done%0Anext");
        assert_eq!(property("a:b,c"), "a%3Ab%2Cc");
    }
}
