//! Allow comments: `// poolcheck: allow(nested_checkout) -- reason` silences the finding on its
//! own line, on the line below it, or (above an item) anywhere in that `fn`, `impl`, `trait` or
//! `mod`. An allow without a reason, naming an unknown lint, or silencing nothing is reported.

use crate::diag::{Diagnostic, Label};
use crate::lints;
use crate::source::{FileId, SourceFile, Span};

/// One allow comment, found when its file is parsed (the text is released after that).
#[derive(Debug)]
pub struct Allow {
    span: Span,
    lints: Vec<String>,
    has_reason: bool,
    /// The byte range whose findings it silences.
    covers: (u32, u32),
    used: bool,
}

const MARK: &str = "poolcheck:";

/// Where a line's `//` comment starts: outside string and character literals.
fn comment_start(line: &str) -> Option<usize> {
    let b = line.as_bytes();
    let mut in_str = false;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            // A raw string (`r"..."`, `r#"..."#`): nothing inside it ends it but its own close.
            b'r' if !in_str
                && matches!(b.get(i + 1), Some(b'"' | b'#'))
                && !(i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_')) =>
            {
                let hashes = b[i + 1..].iter().take_while(|c| **c == b'#').count();
                if b.get(i + 1 + hashes) == Some(&b'"') {
                    let close: Vec<u8> = std::iter::once(b'"')
                        .chain(std::iter::repeat_n(b'#', hashes))
                        .collect();
                    let body = i + 2 + hashes;
                    match b[body.min(b.len())..]
                        .windows(close.len())
                        .position(|w| w == close.as_slice())
                    {
                        Some(p) => i = body + p + close.len() - 1,
                        None => return None,
                    }
                }
            }
            b'\\' if in_str => i += 1,
            b'"' => in_str = !in_str,
            b'\'' if !in_str && b.get(i + 2) == Some(&b'\'') => i += 2,
            b'/' if !in_str && b.get(i + 1) == Some(&b'/') => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

/// The allow comments of a file; `items` are the spans of its items (see `ir::File`).
pub fn find_allows(file: &SourceFile, id: FileId, items: &[Span]) -> Vec<Allow> {
    let mut out = Vec::new();
    let text = file.text();
    if !text.contains(MARK) {
        return out;
    }
    let mut from = 0;
    while let Some(pos) = text[from..].find(MARK) {
        let at = from + pos;
        from = at + MARK.len();
        let line = file.line_index(at);
        let Some(range) = file.line_range(line) else {
            continue;
        };
        let line_text = &text[range.clone()];
        let Some(slashes) = comment_start(line_text) else {
            continue;
        };
        if range.start + slashes > at || !line_text[slashes + 2..].trim_start().starts_with(MARK) {
            continue;
        }
        let rest = text[from..range.end].trim_end();
        let rest = rest.trim_start();
        let Some(args) = rest.strip_prefix("allow(") else {
            continue;
        };
        let Some(close) = args.find(')') else {
            continue;
        };
        let names: Vec<String> = args[..close]
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        let after = args[close + 1..].trim();
        let has_reason = after
            .strip_prefix("--")
            .is_some_and(|r| !r.trim().is_empty());
        let comment = Span::new(
            id,
            range.start + slashes,
            range.start + line_text.trim_end().len(),
        );
        let trailing = !line_text[..slashes].trim().is_empty();
        let covers = if trailing {
            (range.start as u32, range.end as u32)
        } else {
            // The next line of code, skipping blank lines, comments and attributes.
            let mut l = line + 1;
            let mut target = None;
            while let Some(r) = file.line_range(l) {
                let t = text[r.clone()].trim();
                if t.is_empty() || t.starts_with("//") || t.starts_with("#[") || t.starts_with("#!")
                {
                    l += 1;
                    continue;
                }
                target = Some(r);
                break;
            }
            match target {
                Some(r) => {
                    let item = items
                        .iter()
                        .filter(|s| (s.lo as usize) >= r.start && (s.lo as usize) < r.end)
                        .max_by_key(|s| s.hi);
                    match item {
                        Some(s) => (r.start as u32, s.hi),
                        None => (r.start as u32, r.end as u32),
                    }
                }
                None => (range.start as u32, range.end as u32),
            }
        };
        out.push(Allow {
            span: comment,
            lints: names,
            has_reason,
            covers,
            used: false,
        });
    }
    out
}

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
pub fn apply(
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
                if lints::find(l).is_none() {
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
                    .any(|l| lints::find(l).is_some_and(|x| enabled(x.name)))
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

#[cfg(test)]
mod tests {
    use super::comment_start;

    #[test]
    fn comments_not_strings() {
        assert_eq!(
            comment_start("    x(); // poolcheck: allow(a) -- b"),
            Some(9)
        );
        assert_eq!(
            comment_start(r#"    let s = "// poolcheck: allow(a)";"#),
            None
        );
        assert_eq!(comment_start(r#"    let s = "a \" // b"; // c"#), Some(25));
        assert_eq!(comment_start("    let c = '\"'; // c"), Some(17));
        assert_eq!(comment_start(r##"let s = r#"a "// b"#; // c"##), Some(22));
    }
}
