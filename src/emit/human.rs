//! rustc's look, through codespan-reporting.

use super::clip::{self, Clip};
use crate::base::diag::{Diagnostic, Severity};
use crate::base::source::SourceMap;
use crate::report::Report;
use codespan_reporting::diagnostic::{
    Diagnostic as CsDiagnostic, Label as CsLabel, LabelStyle, Severity as CsSeverity,
};
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::{self, termcolor};
use std::collections::HashMap;
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

/// A file as one diagnostic quotes it: its lines over `clip::MAX_LINE` cut around the labels
/// on them, every other line as it is (so line numbers and gaps stay the file's).
struct Quoted {
    text: String,
    line_starts: Vec<usize>,
    /// Per line: where it starts in the original, and how it is clipped.
    lines: Vec<(usize, Option<Clip>)>,
}

/// The sources as one diagnostic quotes them: files with long lines under a label are
/// replaced by their `Quoted` form.
struct QuotedFiles<'a> {
    sources: &'a SourceMap,
    quoted: HashMap<u32, Quoted>,
}

impl<'a> QuotedFiles<'a> {
    fn new(sources: &'a SourceMap, labels: &[&crate::base::diag::Label]) -> QuotedFiles<'a> {
        let mut quoted = HashMap::new();
        let mut files: Vec<u32> = labels.iter().map(|l| l.span.file).collect();
        files.sort_unstable();
        files.dedup();
        for file in files {
            let Some(f) = sources.files.get(file as usize) else {
                continue;
            };
            let long = labels.iter().filter(|l| l.span.file == file).any(|l| {
                let (a, b) = (
                    f.line_index(l.span.lo as usize),
                    f.line_index(l.span.hi as usize),
                );
                (a..=b).any(|i| f.line_range(i).is_some_and(|r| r.len() > clip::MAX_LINE))
            });
            if !long || !f.has_text() {
                continue;
            }
            let text = f.text();
            let mut q = Quoted {
                text: String::new(),
                line_starts: Vec::new(),
                lines: Vec::new(),
            };
            let mut i = 0;
            while let Some(range) = f.line_range(i) {
                let whole = text.get(range.clone()).unwrap_or("");
                let line = whole.trim_end_matches(['\n', '\r']);
                let ending = whole.get(line.len()..).unwrap_or("");
                let marks: Vec<std::ops::Range<usize>> = labels
                    .iter()
                    .filter(|l| l.span.file == file)
                    .filter(|l| {
                        (l.span.lo as usize) <= range.end && (l.span.hi as usize) >= range.start
                    })
                    .map(|l| {
                        let lo = (l.span.lo as usize)
                            .saturating_sub(range.start)
                            .min(line.len());
                        let hi = (l.span.hi as usize)
                            .saturating_sub(range.start)
                            .min(line.len());
                        lo..hi.max(lo)
                    })
                    .collect();
                let c = clip::clip(line, &marks);
                q.line_starts.push(q.text.len());
                match &c {
                    Some(c) => q.text.push_str(&c.text(line)),
                    None => q.text.push_str(line),
                }
                q.text.push_str(ending);
                q.lines.push((range.start, c));
                if range.end >= text.len() {
                    break;
                }
                i += 1;
            }
            quoted.insert(file, q);
        }
        QuotedFiles { sources, quoted }
    }

    /// Where an offset of the original file is in the quoted text.
    fn map(&self, file: u32, byte: usize) -> usize {
        let Some(q) = self.quoted.get(&file) else {
            return byte;
        };
        let line = self.sources.get(file).line_index(byte);
        match (q.lines.get(line), q.line_starts.get(line)) {
            (Some((start, Some(c))), Some(&at)) => at + c.map(byte - start),
            (Some((start, None)), Some(&at)) => at + (byte - start),
            _ => q.text.len(),
        }
    }
}

impl<'a> Files<'a> for QuotedFiles<'a> {
    type FileId = u32;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: u32) -> Result<&'a str, FilesError> {
        self.sources.name(id)
    }
    fn source(&'a self, id: u32) -> Result<&'a str, FilesError> {
        match self.quoted.get(&id) {
            Some(q) => Ok(&q.text),
            None => self.sources.source(id),
        }
    }
    fn line_index(&'a self, id: u32, byte: usize) -> Result<usize, FilesError> {
        match self.quoted.get(&id) {
            Some(q) => Ok(match q.line_starts.binary_search(&byte) {
                Ok(i) => i,
                Err(i) => i.saturating_sub(1),
            }),
            None => self.sources.line_index(id, byte),
        }
    }
    fn line_range(&'a self, id: u32, line: usize) -> Result<Range<usize>, FilesError> {
        match self.quoted.get(&id) {
            Some(q) => {
                let start = *q.line_starts.get(line).ok_or(FilesError::LineTooLarge {
                    given: line,
                    max: q.line_starts.len().saturating_sub(1),
                })?;
                let end = q.line_starts.get(line + 1).copied().unwrap_or(q.text.len());
                Ok(start..end)
            }
            None => self.sources.line_range(id, line),
        }
    }
    /// The column in the original line, not in its clipped quote.
    fn column_number(&'a self, id: u32, line: usize, byte: usize) -> Result<usize, FilesError> {
        let (Some(q), f) = (self.quoted.get(&id), self.sources.get(id)) else {
            let source = self.sources.source(id)?;
            let range = self.sources.line_range(id, line)?;
            return Ok(codespan_reporting::files::column_index(source, range, byte) + 1);
        };
        let (start, clip) = q.lines.get(line).cloned().unwrap_or((0, None));
        let at = byte.saturating_sub(q.line_starts.get(line).copied().unwrap_or(0));
        let orig = start + clip.map_or(at, |c| c.unmap(at));
        Ok(f.text().get(start..orig).map_or(0, |s| s.chars().count()) + 1)
    }
}

/// `d` for codespan. A label in a file that changed after it was analysed (its text cannot be
/// shown) becomes a note with its location.
fn to_codespan(files: &QuotedFiles, d: &Diagnostic) -> CsDiagnostic<u32> {
    let sources = files.sources;
    let severity = match d.severity {
        Severity::Error => CsSeverity::Error,
        Severity::Warning => CsSeverity::Warning,
    };
    let shown = |span: &crate::base::source::Span| {
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
            let (lo, hi) = (
                files.map(l.span.file, l.span.lo as usize),
                files.map(l.span.file, l.span.hi as usize),
            );
            labels.push(CsLabel::new(style, l.span.file, lo..hi.max(lo)).with_message(&l.text));
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

fn labels(d: &Diagnostic) -> Vec<&crate::base::diag::Label> {
    d.primary.iter().chain(&d.secondary).collect()
}

/// One diagnostic as plain text (for JSON's `rendered`).
pub(crate) fn render_one(sources: &SourceMap, d: &Diagnostic) -> String {
    let mut buf = termcolor::NoColor::new(Vec::new());
    let files = QuotedFiles::new(sources, &labels(d));
    let _ = term::emit(&mut buf, &config(), &files, &to_codespan(&files, d));
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

pub(crate) fn render(
    report: &Report,
    color: bool,
    quiet: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut buf = if color {
        termcolor::Buffer::ansi()
    } else {
        termcolor::Buffer::no_color()
    };
    let cfg = config();
    for d in &report.diagnostics {
        let files = QuotedFiles::new(&report.sources, &labels(d));
        term::emit(&mut buf, &cfg, &files, &to_codespan(&files, d)).map_err(io::Error::other)?;
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
    use crate::base::diag::{Diagnostic, Label};
    use crate::base::source::{Scope, SourceFile, SourceMap, Span};
    use std::path::{Path, PathBuf};

    fn same(_: &Path, _: u64, _: usize) -> Option<String> {
        Some("fn main() {\n    let conn = pool.get()?;\n}\n".into())
    }
    fn changed(_: &Path, _: u64, _: usize) -> Option<String> {
        None
    }

    fn map(reread: crate::base::source::Reread) -> SourceMap {
        let text = same(Path::new(""), 0, 0).unwrap_or_default();
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
