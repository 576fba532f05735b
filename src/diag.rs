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
    /// The call chain, one step a label, from the primary span down to the checkout.
    pub chain: Vec<Label>,
    /// What identifies the finding whatever lines move around it: the enclosing function,
    /// the callees and the guard (for SARIF fingerprints).
    pub identity: Vec<String>,
}

impl Diagnostic {
    /// A problem with the input (a file, a module, an allow comment), not a lint's finding.
    pub fn input_warning(message: String, at: Option<Label>, path: Option<String>) -> Diagnostic {
        Diagnostic {
            code: None,
            severity: Severity::Warning,
            message,
            primary: at,
            secondary: Vec::new(),
            notes: Vec::new(),
            help: None,
            krate: None,
            path,
            chain: Vec::new(),
            identity: Vec::new(),
        }
    }

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
