//! The one diagnostic model every stage reports in and every emitter renders: findings of
//! lints and problems with the input alike. Plain data; no formatting happens here.

use crate::source::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// The lint's name; `None` for problems with the input (a file that does not parse).
    pub code: Option<&'static str>,
    pub severity: Severity,
    pub message: String,
    pub primary: Option<Label>,
    pub secondary: Vec<Label>,
    pub notes: Vec<String>,
    pub help: Option<String>,
    /// Index of the crate the primary span belongs to (for cargo's JSON fields).
    pub krate: Option<usize>,
    /// A path that is not a loaded source file (an unreadable file, a bad folder).
    pub path: Option<String>,
}

impl Diagnostic {
    pub fn sort_key(&self) -> (u32, u32, u32, &'static str, &str) {
        match &self.primary {
            Some(l) => (
                l.span.file,
                l.span.lo,
                l.span.hi,
                self.code.unwrap_or(""),
                &self.message,
            ),
            None => (u32::MAX, 0, 0, self.code.unwrap_or(""), &self.message),
        }
    }
}
