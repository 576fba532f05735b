//! rustc's look, through codespan-reporting.

use crate::diag::{Diagnostic, Severity};
use crate::source::SourceMap;
use crate::Report;
use codespan_reporting::diagnostic::{
    Diagnostic as CsDiagnostic, Label as CsLabel, LabelStyle, Severity as CsSeverity,
};
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::{self, termcolor};
use std::io::{self, Write};
use std::ops::Range;

impl<'a> Files<'a> for SourceMap {
    type FileId = u32;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: u32) -> Result<&'a str, FilesError> {
        self.files
            .get(id as usize)
            .map(|f| f.name.as_str())
            .ok_or(FilesError::FileMissing)
    }
    fn source(&'a self, id: u32) -> Result<&'a str, FilesError> {
        self.files
            .get(id as usize)
            .filter(|f| f.has_text())
            .map(|f| f.text())
            .ok_or(FilesError::FileMissing)
    }
    fn line_index(&'a self, id: u32, byte: usize) -> Result<usize, FilesError> {
        self.files
            .get(id as usize)
            .map(|f| f.line_index(byte))
            .ok_or(FilesError::FileMissing)
    }
    fn line_range(&'a self, id: u32, line: usize) -> Result<Range<usize>, FilesError> {
        let f = self.files.get(id as usize).ok_or(FilesError::FileMissing)?;
        f.line_range(line).ok_or(FilesError::LineTooLarge {
            given: line,
            max: f.line_index(f.len()),
        })
    }
}

/// `d` for codespan. A label in a file that changed after it was analysed (its text cannot be
/// shown) becomes a note with its location.
pub fn to_codespan(sources: &SourceMap, d: &Diagnostic) -> CsDiagnostic<u32> {
    let severity = match d.severity {
        Severity::Error => CsSeverity::Error,
        Severity::Warning => CsSeverity::Warning,
    };
    let shown = |span: &crate::source::Span| {
        sources
            .files
            .get(span.file as usize)
            .is_some_and(|f| f.has_text())
    };
    let mut labels = Vec::new();
    let mut unshown = Vec::new();
    let all = d.primary.iter().map(|p| (LabelStyle::Primary, p));
    for (style, l) in all.chain(d.secondary.iter().map(|s| (LabelStyle::Secondary, s))) {
        if shown(&l.span) {
            labels.push(
                CsLabel::new(style, l.span.file, l.span.lo as usize..l.span.hi as usize)
                    .with_message(&l.text),
            );
        } else if sources.files.get(l.span.file as usize).is_some() {
            unshown.push(format!(
                "note: at {}{}{} (the file changed after it was analysed)",
                sources.location(l.span),
                if l.text.is_empty() { "" } else { ": " },
                l.text
            ));
        }
    }
    let mut notes: Vec<String> = unshown;
    notes.extend(d.notes.iter().map(|n| format!("note: {n}")));
    if let Some(h) = &d.help {
        notes.push(format!("help: {h}"));
    }
    let message = match (&d.path, &d.primary) {
        (Some(p), None) => format!("{p}: {}", d.message),
        _ => d.message.clone(),
    };
    let mut cs = CsDiagnostic::new(severity)
        .with_message(message)
        .with_labels(labels)
        .with_notes(notes);
    if let Some(c) = d.code {
        cs = cs.with_code(c);
    }
    cs
}

fn config() -> term::Config {
    term::Config {
        chars: term::Chars::ascii(),
        start_context_lines: 1,
        end_context_lines: 1,
        ..term::Config::default()
    }
}

/// One diagnostic as plain text (for JSON's `rendered`).
pub fn render_one(sources: &SourceMap, d: &Diagnostic) -> String {
    let mut buf = termcolor::NoColor::new(Vec::new());
    let _ = term::emit(&mut buf, &config(), sources, &to_codespan(sources, d));
    rustc_look(&String::from_utf8_lossy(&buf.into_inner()))
}

/// Two differences between codespan's layout and rustc's: skipped source lines (codespan: a `.`
/// in the gutter; rustc: `...` at the start of the line, colour codes dropped with it), and the
/// `-->` line (rustc starts it one column left of the gutter's `|`).
fn rustc_look(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let mut plain = String::new();
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            if c == '\u{1b}' {
                // Skip an escape sequence: ESC [ ... letter.
                for c2 in chars.by_ref() {
                    if c2.is_ascii_alphabetic() {
                        break;
                    }
                }
            } else {
                plain.push(c);
            }
        }
        if plain.trim() == "." && plain.starts_with(' ') {
            out.push_str("...\n");
        } else if plain.trim_start().starts_with("--> ") && line.starts_with("  ") {
            out.push_str(&line[1..]);
        } else {
            out.push_str(line);
        }
    }
    out
}

pub fn render(report: &Report, color: bool, quiet: bool, out: &mut dyn Write) -> io::Result<()> {
    let mut buf = if color {
        termcolor::Buffer::ansi()
    } else {
        termcolor::Buffer::no_color()
    };
    let cfg = config();
    for d in &report.diagnostics {
        term::emit(
            &mut buf,
            &cfg,
            &report.sources,
            &to_codespan(&report.sources, d),
        )
        .map_err(io::Error::other)?;
    }
    out.write_all(rustc_look(&String::from_utf8_lossy(buf.as_slice())).as_bytes())?;
    if !quiet {
        writeln!(out, "{}", super::summary_line(report))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::render_one;
    use crate::diag::{Diagnostic, Label};
    use crate::source::{Scope, SourceFile, SourceMap, Span};
    use std::path::{Path, PathBuf};

    fn same(_: &Path, _: u64) -> Option<String> {
        Some("fn main() {\n    let conn = pool.get()?;\n}\n".into())
    }
    fn changed(_: &Path, _: u64) -> Option<String> {
        None
    }

    fn map(reread: crate::source::Reread) -> SourceMap {
        let text = same(Path::new(""), 0).unwrap_or_default();
        let mut f = SourceFile::new(
            PathBuf::from("src/main.rs"),
            "src/main.rs".into(),
            text,
            Scope::LOOSE,
            reread,
        );
        f.release();
        SourceMap { files: vec![f] }
    }

    fn diagnostic() -> Diagnostic {
        let at = Label {
            span: Span::new(0, 27, 37),
            text: "checked out here".into(),
        };
        Diagnostic::input_warning("a finding".into(), Some(at), None)
    }

    #[test]
    fn released_text_is_read_back() {
        let out = render_one(&map(same), &diagnostic());
        assert!(out.contains("--> src/main.rs:2:16"), "{out}");
        assert!(out.contains("pool.get()"), "{out}");
    }

    #[test]
    fn changed_file_shows_where_not_what() {
        let out = render_one(&map(changed), &diagnostic());
        assert!(
            out.contains(
                "src/main.rs:2:16: checked out here (the file changed after it was analysed)"
            ),
            "{out}"
        );
        assert!(!out.contains("pool.get()"), "{out}");
    }
}
