//! cargo's `--message-format json` stream: one `compiler-message` object a line, built from
//! `cargo_metadata`'s own types so that every line deserializes as `cargo_metadata::Message`.

use crate::base::diag::{Diagnostic, Label, Severity};
use crate::report::Report;
use cargo_metadata::diagnostic as cm;
use std::io::{self, Write};

fn span(report: &Report, l: &Label, primary: bool) -> Option<cm::DiagnosticSpan> {
    let f = report.sources.get(l.span.file);
    let (ls, cs) = f.line_col(l.span.lo);
    let (le, ce) = f.line_col(l.span.hi);
    let text: Vec<cm::DiagnosticSpanLine> = (ls..=le)
        .filter_map(|line| {
            let t = f.line_text(line);
            let start = f.line_range(line - 1).map_or(0, |r| r.start);
            // The span's part of this line, in bytes of the line.
            let lo = (l.span.lo as usize).saturating_sub(start).min(t.len());
            let hi = (l.span.hi as usize)
                .saturating_sub(start)
                .min(t.len())
                .max(lo);
            let (shown, hs, he) = match super::clip::clip(t, std::slice::from_ref(&(lo..hi))) {
                // A long line is quoted around the span, as the human output quotes it.
                Some(c) => {
                    let shown = c.text(t);
                    let col = |b: usize| shown.get(..c.map(b)).map_or(0, |s| s.chars().count()) + 1;
                    let (a, b) = (col(lo), col(hi));
                    (shown, a, b)
                }
                None => {
                    let hs = if line == ls { cs } else { 1 };
                    let he = if line == le {
                        ce
                    } else {
                        t.chars().count() + 1
                    };
                    (t.to_string(), hs, he)
                }
            };
            cm::DiagnosticSpanLineBuilder::default()
                .text(shown)
                .highlight_start(hs)
                .highlight_end(he)
                .build()
                .ok()
        })
        .collect();
    cm::DiagnosticSpanBuilder::default()
        .file_name(f.name.clone())
        .byte_start(l.span.lo)
        .byte_end(l.span.hi)
        .line_start(ls)
        .line_end(le)
        .column_start(cs)
        .column_end(ce)
        .is_primary(primary)
        .text(text)
        .label(Some(l.text.clone()))
        .suggested_replacement(None)
        .suggestion_applicability(None)
        .expansion(None)
        .build()
        .ok()
}

fn child(level: cm::DiagnosticLevel, message: &str) -> Option<cm::Diagnostic> {
    cm::DiagnosticBuilder::default()
        .message(message)
        .code(None)
        .level(level)
        .spans(Vec::new())
        .children(Vec::new())
        .rendered(None)
        .build()
        .ok()
}

fn diagnostic(report: &Report, d: &Diagnostic) -> Option<cm::Diagnostic> {
    let mut spans = Vec::new();
    if let Some(p) = &d.primary {
        spans.extend(span(report, p, true));
    }
    for s in &d.secondary {
        spans.extend(span(report, s, false));
    }
    let mut children: Vec<cm::Diagnostic> = d
        .notes
        .iter()
        .filter_map(|n| child(cm::DiagnosticLevel::Note, n))
        .collect();
    if let Some(h) = &d.help {
        children.extend(child(cm::DiagnosticLevel::Help, h));
    }
    let code = d.code.and_then(|c| {
        cm::DiagnosticCodeBuilder::default()
            .code(c)
            .explanation(None)
            .build()
            .ok()
    });
    let message = match (&d.path, &d.primary) {
        (Some(p), None) => format!("{p}: {}", d.message),
        _ => d.message.clone(),
    };
    cm::DiagnosticBuilder::default()
        .message(message)
        .code(code)
        .level(match d.severity {
            Severity::Error => cm::DiagnosticLevel::Error,
            Severity::Warning => cm::DiagnosticLevel::Warning,
        })
        .spans(spans)
        .children(children)
        .rendered(Some(super::human::render_one(&report.sources, d)))
        .build()
        .ok()
}

/// A target as cargo describes it in its messages.
fn cargo_target(t: &crate::load::Target) -> io::Result<cargo_metadata::Target> {
    let mut v = serde_json::json!({
        "name": t.name,
        "kind": t.cargo_kind(),
        "crate_types": t.crate_types,
        "src_path": t.src_path.display().to_string(),
        "edition": t.edition,
        "doc": t.doc,
        "doctest": t.doctest,
        "test": t.test,
    });
    if !t.required_features.is_empty() {
        v["required-features"] = serde_json::json!(t.required_features);
    }
    serde_json::from_value(v).map_err(io::Error::other)
}

pub(crate) fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for d in &report.diagnostics {
        let Some(message) = diagnostic(report, d) else {
            continue;
        };
        let krate = report.crate_for(d);
        let Ok(msg) = cargo_metadata::CompilerMessageBuilder::default()
            .package_id(cargo_metadata::PackageId {
                repr: krate.package.id.clone(),
            })
            .target(cargo_target(&krate.target)?)
            .message(message)
            .build()
        else {
            continue;
        };
        let mut value = serde_json::to_value(cargo_metadata::Message::CompilerMessage(msg))
            .map_err(io::Error::other)?;
        // cargo writes the package's manifest path on every message; cargo_metadata's type
        // does not carry it.
        if let Some(obj) = value.as_object_mut() {
            obj.insert(
                "manifest_path".into(),
                serde_json::Value::String(krate.package.manifest_path.display().to_string()),
            );
        }
        let mut line = serde_json::to_string(&value).map_err(io::Error::other)?;
        line.push('\n');
        out.write_all(line.as_bytes())?;
    }
    Ok(())
}
