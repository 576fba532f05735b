//! Applies the allow comments found by `syntax::allows` to the findings, and reports the
//! allows themselves: one without a reason, naming an unknown lint, or silencing nothing.

use crate::base::diag::{Diagnostic, Label};
use crate::base::lint;
use crate::base::source::{FileId, Span};
use crate::syntax::allows::Allow;

fn warning(span: Span, message: String, krate: Option<usize>, help: Option<String>) -> Diagnostic {
    let at = Label {
        span,
        text: String::new(),
    };
    Diagnostic {
        help,
        krate,
        ..Diagnostic::input_warning(message, Some(at), None)
    }
}

/// Removes the findings an allow comment silences; adds warnings about the allows themselves.
/// `enabled` says whether a lint is on (an allow of a lint that is off silences nothing, but is
/// not stale). `crate_of` gives a file's crate, for the report's package filter.
pub(crate) fn apply(
    mut allows: Vec<Vec<Allow>>,
    diagnostics: Vec<Diagnostic>,
    enabled: &dyn Fn(&str) -> bool,
    crate_of: &dyn Fn(FileId) -> Option<usize>,
) -> Vec<Diagnostic> {
    // Files outside every crate (fixtures, scripts) have no findings to silence.
    for (i, list) in allows.iter_mut().enumerate() {
        if crate_of(i as FileId).is_none() {
            list.clear();
        }
    }
    let mut kept = Vec::with_capacity(diagnostics.len());
    for d in diagnostics {
        let silenced = match (&d.primary, d.code) {
            (Some(p), Some(code)) => allows
                .get_mut(p.span.file as usize)
                .and_then(|list| {
                    list.iter_mut().find(|a| {
                        a.lints.iter().any(|l| l == code)
                            && p.span.lo >= a.covers.0
                            && p.span.lo < a.covers.1.max(a.covers.0 + 1)
                    })
                })
                .map(|a| a.used = true)
                .is_some(),
            _ => false,
        };
        if !silenced {
            kept.push(d);
        }
    }
    for (file, list) in allows.iter().enumerate() {
        let krate = crate_of(file as FileId);
        for a in list {
            let help = Some("write the reason after `--`: `// poolcheck: allow(nested_checkout) -- why this is safe`".to_string());
            for l in &a.lints {
                if lint::find(l).is_none() {
                    kept.push(warning(
                        a.span,
                        format!("unknown lint `{l}` in an allow comment"),
                        krate,
                        None,
                    ));
                }
            }
            if !a.has_reason {
                kept.push(warning(
                    a.span,
                    "this allow comment gives no reason".into(),
                    krate,
                    help,
                ));
            } else if !a.used
                && a.lints
                    .iter()
                    .any(|l| lint::find(l).is_some_and(|x| enabled(x.name)))
            {
                kept.push(warning(
                    a.span,
                    "this allow comment silences nothing".into(),
                    krate,
                    Some("remove it: no finding of the lints it names starts on the line below it or in the item below it".into()),
                ));
            }
        }
    }
    kept
}
