//! Source files as the loader read them, and spans into them as plain data (byte offsets),
//! so that no later stage needs syn or proc-macro2 to say where something is.

use std::path::PathBuf;

pub type FileId = u32;

/// A byte range in one source file.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct Span {
    pub file: FileId,
    pub lo: u32,
    pub hi: u32,
}

impl Span {
    pub fn new(file: FileId, lo: usize, hi: usize) -> Span {
        Span {
            file,
            lo: lo as u32,
            hi: hi.max(lo) as u32,
        }
    }
    /// The empty span at this span's end (where a block closes, say).
    pub fn end(self) -> Span {
        Span {
            lo: self.hi,
            ..self
        }
    }
    pub fn to(self, other: Span) -> Span {
        if self.file != other.file {
            return self;
        }
        Span {
            file: self.file,
            lo: self.lo.min(other.lo),
            hi: self.hi.max(other.hi),
        }
    }
}

/// The package folder a file was found in, and the cargo workspace of that package: a
/// package's `macro_rules!` apply to its own files, its `#[macro_export]`ed ones to its
/// workspace. Loose files (outside every package) share one scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Scope {
    pub package: u32,
    pub workspace: u32,
}

impl Scope {
    pub const LOOSE: Scope = Scope {
        package: u32::MAX,
        workspace: u32::MAX,
    };
}

/// One file's text with its line table.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as found on disk.
    pub path: PathBuf,
    /// The path shown to users: relative to the workspace root where it can be.
    pub name: String,
    pub text: String,
    pub scope: Scope,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(path: PathBuf, name: String, text: String, scope: Scope) -> SourceFile {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceFile {
            path,
            name,
            text,
            scope,
            line_starts,
        }
    }

    /// 1-based line and 1-based column counted in characters, as rustc does.
    pub fn line_col(&self, byte: u32) -> (usize, usize) {
        let byte = (byte as usize).min(self.text.len());
        let line = match self.line_starts.binary_search(&byte) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line];
        let col = self
            .text
            .get(start..byte)
            .map(|s| s.chars().count())
            .unwrap_or(byte - start);
        (line + 1, col + 1)
    }

    /// 0-based line of a byte offset.
    pub fn line_index(&self, byte: usize) -> usize {
        match self.line_starts.binary_search(&byte.min(self.text.len())) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// Byte range of a 0-based line (with its line end), if the file has it.
    pub fn line_range(&self, line: usize) -> Option<std::ops::Range<usize>> {
        let start = *self.line_starts.get(line)?;
        let end = self
            .line_starts
            .get(line + 1)
            .copied()
            .unwrap_or(self.text.len());
        Some(start..end)
    }

    pub fn line_text(&self, line: usize) -> &str {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return "";
        };
        let end = self
            .line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len());
        self.text
            .get(start..end)
            .unwrap_or("")
            .trim_end_matches(['\n', '\r'])
    }

    pub fn snippet(&self, span: Span) -> &str {
        self.text
            .get(span.lo as usize..span.hi as usize)
            .unwrap_or("")
    }
}

/// Every file of the run, indexed by `FileId`.
#[derive(Debug, Default)]
pub struct SourceMap {
    pub files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id as usize]
    }
    /// `path:line:col` of a span's start.
    pub fn location(&self, span: Span) -> String {
        let f = self.get(span.file);
        let (l, c) = f.line_col(span.lo);
        format!("{}:{}:{}", f.name, l, c)
    }
}
