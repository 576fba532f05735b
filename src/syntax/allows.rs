//! Allow comments: `// poolcheck: allow(nested_checkout) -- reason` silences the finding on its
//! own line, on the line below it, or (above an item) anywhere in that `fn`, `impl`, `trait` or
//! `mod`. Found here while a file's text is at hand; applied to the findings by `report`.

use crate::base::source::{FileId, SourceFile, Span};

/// One allow comment, found when its file is parsed (the text is released after that).
#[derive(Debug)]
pub(crate) struct Allow {
    pub(crate) span: Span,
    pub(crate) lints: Vec<String>,
    pub(crate) has_reason: bool,
    /// The byte range whose findings it silences.
    pub(crate) covers: (u32, u32),
    pub(crate) used: bool,
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
pub(crate) fn find_allows(file: &SourceFile, id: FileId, items: &[Span]) -> Vec<Allow> {
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
