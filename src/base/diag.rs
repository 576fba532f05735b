//! The one diagnostic model every stage reports in and every emitter renders: findings of
//! lints and problems with the input alike. Plain data; no formatting happens here.

use crate::base::source::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub(crate) fn as_str(self) -> &'static str {
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
    pub(crate) fn input_warning(
        message: String,
        at: Option<Label>,
        path: Option<String>,
    ) -> Diagnostic {
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

    /// A bug of poolcheck's met while analysing one function or file: an error, so that a CI
    /// gate notices the run is incomplete.
    pub(crate) fn internal_error(e: &crate::base::internal::InternalError) -> Diagnostic {
        Diagnostic {
            code: None,
            severity: Severity::Error,
            message: format!("internal error while analysing {}: {}", e.what, e.detail),
            primary: e.at.map(|span| Label {
                span,
                text: "poolcheck failed here".into(),
            }),
            secondary: Vec::new(),
            notes: vec![
                "this is a bug in poolcheck: what it found here is left out; the rest of the \
                 workspace is analysed and reported"
                    .into(),
            ],
            help: Some(
                "please report it to poolcheck's issue tracker, with this message and the code \
                 it points at"
                    .into(),
            ),
            krate: None,
            path: None,
            chain: Vec::new(),
            identity: Vec::new(),
        }
    }

    /// Where it is reported and what it says: diagnostics are sorted by it, and two with the
    /// same key (the same finding reached twice) are one. Without a span the path counts: two
    /// unreadable files are two warnings.
    pub(crate) fn sort_key(&self) -> (u32, u32, u32, &str, &'static str, &str) {
        let path = self.path.as_deref().unwrap_or("");
        match &self.primary {
            Some(l) => (
                l.span.file,
                l.span.lo,
                l.span.hi,
                path,
                self.code.unwrap_or(""),
                &self.message,
            ),
            None => (u32::MAX, 0, 0, path, self.code.unwrap_or(""), &self.message),
        }
    }
}
