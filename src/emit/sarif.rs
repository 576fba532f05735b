//! SARIF 2.1.0 (for code scanning): one log, one run; every lint a rule; every finding a result
//! with its primary location, related locations (where the guard was taken and where it ends),
//! a code flow along the call chain, and a fingerprint that does not move with line numbers.

use crate::base::diag::{Diagnostic, Label, Severity};
use crate::base::lint::{self, Level};
use crate::report::Report;
use serde_json::{json, Value};
use std::io::{self, Write};

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// The text under a page's `## heading`, up to the next heading.
fn section(page: &str, heading: &str) -> String {
    let Some(start) = page.find(heading) else {
        return String::new();
    };
    let rest = &page[start + heading.len()..];
    let end = rest.find("\n## ").unwrap_or(rest.len());
    rest[..end].trim().replace('\n', " ")
}

fn location(report: &Report, l: &Label, message: bool) -> Value {
    let f = report.sources.get(l.span.file);
    let (sl, sc) = f.line_col(l.span.lo);
    let (el, ec) = f.line_col(l.span.hi);
    let mut loc = json!({
        "physicalLocation": {
            "artifactLocation": { "uri": f.name.replace('\\', "/"), "uriBaseId": "%SRCROOT%" },
            "region": {
                "startLine": sl, "startColumn": sc, "endLine": el, "endColumn": ec,
                "byteOffset": l.span.lo, "byteLength": l.span.hi - l.span.lo
            }
        }
    });
    if message && !l.text.is_empty() {
        loc["message"] = json!({ "text": l.text });
    }
    loc
}

/// FNV-1a over the finding's identity: stable across runs and line moves.
fn fingerprint(d: &Diagnostic, file: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in std::iter::once(d.code.unwrap_or(""))
        .chain(std::iter::once(file))
        .chain(d.identity.iter().map(String::as_str))
    {
        for b in part.bytes().chain(std::iter::once(0)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

fn result(report: &Report, d: &Diagnostic, rule_index: usize) -> Value {
    let mut r = json!({
        "ruleId": d.code.unwrap_or(""),
        "ruleIndex": rule_index,
        "level": level(d.severity),
        "message": { "text": d.message },
    });
    if let Some(p) = &d.primary {
        r["locations"] = json!([location(report, p, false)]);
        let file = &report.sources.get(p.span.file).name;
        r["partialFingerprints"] = json!({ "poolcheckFinding/v1": fingerprint(d, file) });
    }
    let related: Vec<Value> = d
        .secondary
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let mut v = location(report, l, true);
            v["id"] = json!(i + 1);
            v
        })
        .collect();
    if !related.is_empty() {
        r["relatedLocations"] = Value::Array(related);
    }
    if !d.chain.is_empty() {
        let steps: Vec<Value> = d
            .chain
            .iter()
            .map(|l| json!({ "location": location(report, l, true) }))
            .collect();
        r["codeFlows"] = json!([{ "threadFlows": [{ "locations": steps }] }]);
    }
    let mut notes: Vec<String> = d.notes.clone();
    if let Some(h) = &d.help {
        notes.push(format!("help: {h}"));
    }
    if !notes.is_empty() {
        r["properties"] = json!({ "notes": notes });
    }
    r
}

/// `nested_checkout` -> `NestedCheckout`.
fn pascal_case(name: &str) -> String {
    name.split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

pub(crate) fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let rules: Vec<Value> = lint::LINTS
        .iter()
        .map(|l| {
            json!({
                "id": l.name,
                // SARIF wants `name` readable and different from the opaque `id`.
                "name": pascal_case(l.name),
                "shortDescription": { "text": l.summary },
                "fullDescription": { "text": section(l.page, "## What it does") },
                "help": { "text": l.page, "markdown": l.page },
                "defaultConfiguration": { "level": match l.default { Level::Deny => "error", Level::Warn => "warning", Level::Allow => "none" } },
            })
        })
        .collect();
    let mut results = Vec::new();
    let mut notifications = Vec::new();
    for d in &report.diagnostics {
        match d
            .code
            .and_then(|c| lint::LINTS.iter().position(|l| l.name == c))
        {
            Some(i) => results.push(result(report, d, i)),
            None => {
                let message = match (&d.path, &d.primary) {
                    (Some(p), None) => format!("{p}: {}", d.message),
                    _ => d.message.clone(),
                };
                let mut n = json!({ "level": level(d.severity), "message": { "text": message } });
                if let Some(p) = &d.primary {
                    n["locations"] = json!([location(report, p, false)]);
                }
                notifications.push(n);
            }
        }
    }
    let root = format!(
        "file://{}/",
        report.root.display().to_string().trim_end_matches('/')
    );
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "poolcheck",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://crates.io/crates/poolcheck",
                "rules": rules,
            }},
            "originalUriBaseIds": { "%SRCROOT%": { "uri": root } },
            "invocations": [{ "executionSuccessful": true, "toolExecutionNotifications": notifications }],
            "results": results,
        }]
    });
    // Serialized first, so that a closed pipe is reported as one, not as a JSON error.
    let text = serde_json::to_string_pretty(&log).map_err(io::Error::other)?;
    out.write_all(text.as_bytes())?;
    out.write_all(b"\n")
}
