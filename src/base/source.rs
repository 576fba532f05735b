//! Source files as the loader read them, and spans into them as plain data (byte offsets),
//! so that no later stage needs syn or proc-macro2 to say where something is.

use std::path::PathBuf;

pub(crate) type FileId = u32;

/// A byte range in one source file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Span {
    pub file: FileId,
    pub lo: u32,
    pub hi: u32,
}

impl Span {
    pub(crate) fn new(file: FileId, lo: usize, hi: usize) -> Span {
        Span {
            file,
            lo: lo as u32,
            hi: hi.max(lo) as u32,
        }
    }
    /// The empty span at this span's end (where a block closes, say).
    pub(crate) fn end(self) -> Span {
        Span {
            lo: self.hi,
            ..self
        }
    }
    pub(crate) fn to(self, other: Span) -> Span {
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

// Packed (see `ir::Shelf`) as file, start and length: a length is most often one byte
// where an end offset is three, and every expression of every packed body has a span.
impl serde::Serialize for Span {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (self.file, self.lo, self.hi.saturating_sub(self.lo)).serialize(s)
    }
}

impl<'de> serde::Deserialize<'de> for Span {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (file, lo, len) = <(FileId, u32, u32)>::deserialize(d)?;
        Ok(Span {
            file,
            lo,
            hi: lo.saturating_add(len),
        })
    }
}

/// The package folder a file was found in, and the cargo workspace of that package: a
/// package's `macro_rules!` apply to its own files, its `#[macro_export]`ed ones to its
/// workspace. Loose files (outside every package) share one scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Scope {
    pub(crate) package: u32,
    pub(crate) workspace: u32,
}

impl Scope {
    pub(crate) const LOOSE: Scope = Scope {
        package: u32::MAX,
        workspace: u32::MAX,
    };
}

/// Reads a file's text back: `None` when it cannot be read or is no longer the text that was
/// analysed (its hash differs; it is read up to the length analysed, and one byte more to
/// tell). Given by the loader, the only stage that reads files.
pub(crate) type Reread = fn(&std::path::Path, u64, usize) -> Option<String>;

/// One file: its line table always, its text while parsing and again when a diagnostic shows
/// it. The text of a whole workspace is a quarter of the run's memory and, once the file is
/// lowered, only the few files with diagnostics need it: so the parser releases it and the
/// first reader after that reads the file back (checked against the hash of what was parsed).
#[derive(Debug)]
pub struct SourceFile {
    /// The path as found on disk.
    pub path: PathBuf,
    /// The path shown to users: relative to the workspace root where it can be.
    pub name: String,
    pub(crate) scope: Scope,
    len: u32,
    hash: u64,
    line_starts: Vec<u32>,
    text: std::sync::OnceLock<Option<String>>,
    reread: Reread,
}

/// The hash a re-read text is checked against.
pub(crate) fn text_hash(text: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    h.write(text.as_bytes());
    h.write_usize(text.len());
    h.finish()
}

impl SourceFile {
    pub(crate) fn new(
        path: PathBuf,
        name: String,
        text: String,
        scope: Scope,
        reread: Reread,
    ) -> SourceFile {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i as u32 + 1));
        SourceFile {
            path,
            name,
            scope,
            len: text.len() as u32,
            hash: text_hash(&text),
            line_starts,
            text: std::sync::OnceLock::from(Some(text)),
            reread,
        }
    }

    /// The text, read back if it was released; empty if the file changed since it was parsed.
    pub(crate) fn text(&self) -> &str {
        self.text
            .get_or_init(|| (self.reread)(&self.path, self.hash, self.len()))
            .as_deref()
            .unwrap_or("")
    }

    /// Whether the text can be shown: false when the file changed after it was parsed.
    pub(crate) fn has_text(&self) -> bool {
        !self.text().is_empty() || self.len == 0
    }

    /// Drops the text until someone asks for it again.
    pub(crate) fn release(&mut self) {
        self.text.take();
    }

    /// Length in bytes of the text that was analysed.
    pub(crate) fn len(&self) -> usize {
        self.len as usize
    }

    fn start(&self, line: usize) -> Option<usize> {
        self.line_starts.get(line).map(|&s| s as usize)
    }

    /// 1-based line and 1-based column counted in characters, as rustc does.
    pub fn line_col(&self, byte: u32) -> (usize, usize) {
        let byte = (byte as usize).min(self.len());
        let line = self.line_index(byte);
        let start = self.start(line).unwrap_or(0);
        let col = self
            .text()
            .get(start..byte)
            .map(|s| s.chars().count())
            .unwrap_or(byte - start);
        (line + 1, col + 1)
    }

    /// 0-based line of a byte offset (from the line table alone: no text needed).
    pub(crate) fn line_index(&self, byte: usize) -> usize {
        let byte = byte.min(self.len()) as u32;
        match self.line_starts.binary_search(&byte) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// Byte range of a 0-based line (with its line end), if the file has it.
    pub(crate) fn line_range(&self, line: usize) -> Option<std::ops::Range<usize>> {
        let start = self.start(line)?;
        let end = self.start(line + 1).unwrap_or(self.len());
        Some(start..end)
    }

    pub fn line_text(&self, line: usize) -> &str {
        let Some(range) = self.line_range(line.saturating_sub(1)) else {
            return "";
        };
        self.text()
            .get(range)
            .unwrap_or("")
            .trim_end_matches(['\n', '\r'])
    }

    pub(crate) fn snippet(&self, span: Span) -> &str {
        self.text()
            .get(span.lo as usize..span.hi as usize)
            .unwrap_or("")
    }
}

/// Every file of the run, indexed by `FileId`.
#[derive(Debug, Default)]
pub struct SourceMap {
    pub(crate) files: Vec<SourceFile>,
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
