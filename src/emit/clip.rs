//! Long lines clipped around what a diagnostic points at, as rustc does: a minified line of
//! 65 kB is quoted as the part near its labels, between `...`, so that output stays
//! proportionate to the findings rather than to the lines they are on.

use std::ops::Range;

/// The longest line quoted whole, in bytes: longer ones are minified or generated code. (rustc
/// clips at the terminal's width; real code's long lines read better whole.)
pub(crate) const MAX_LINE: usize = 500;
/// About how much of a clipped line is shown.
const SHOWN: usize = 160;
/// Context kept on each side of the labelled part of a clipped line.
const MARGIN: usize = 40;
const ELLIPSIS: &str = "...";

/// What is shown of one line: the bytes `from..to` of the original, with `...` before and
/// after where something was cut.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Clip {
    pub(crate) from: usize,
    pub(crate) to: usize,
    pub(crate) before: bool,
    pub(crate) after: bool,
}

impl Clip {
    /// The shown text.
    pub(crate) fn text(&self, line: &str) -> String {
        let mut out = String::with_capacity(self.to - self.from + 2 * ELLIPSIS.len());
        if self.before {
            out.push_str(ELLIPSIS);
        }
        out.push_str(line.get(self.from..self.to).unwrap_or(""));
        if self.after {
            out.push_str(ELLIPSIS);
        }
        out
    }

    /// Where a byte offset of the original line lands in the shown text (offsets outside the
    /// window land on its nearest edge).
    pub(crate) fn map(&self, at: usize) -> usize {
        let prefix = if self.before { ELLIPSIS.len() } else { 0 };
        prefix + at.clamp(self.from, self.to) - self.from
    }

    /// The original offset of a byte of the shown text (the inverse of `map` inside the
    /// window).
    pub(crate) fn unmap(&self, at: usize) -> usize {
        let prefix = if self.before { ELLIPSIS.len() } else { 0 };
        (self.from + at.saturating_sub(prefix)).min(self.to)
    }
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// How to show `line` (without its line break) given the byte ranges within it that labels
/// mark: `None` when it is short enough to show whole.
pub(crate) fn clip(line: &str, marks: &[Range<usize>]) -> Option<Clip> {
    if line.len() <= MAX_LINE {
        return None;
    }
    let lo = marks
        .iter()
        .map(|m| m.start)
        .min()
        .unwrap_or(0)
        .min(line.len());
    let hi = marks
        .iter()
        .map(|m| m.end)
        .max()
        .unwrap_or(0)
        .clamp(lo, line.len());
    // Labels far apart on one line: the first one's surroundings, still bounded.
    let hi = if hi - lo > 4 * SHOWN { lo + SHOWN } else { hi };
    let mut from = lo.saturating_sub(MARGIN);
    let mut to = (hi + MARGIN).max(from + SHOWN).min(line.len());
    if to - from < SHOWN {
        from = to.saturating_sub(SHOWN);
    }
    from = floor_boundary(line, from);
    to = ceil_boundary(line, to);
    Some(Clip {
        from,
        to,
        before: from > 0,
        after: to < line.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_lines_are_whole() {
        assert_eq!(
            clip("let conn = pool.get()?;", &[(11, 21)].map(|(a, b)| a..b)),
            None
        );
    }

    #[test]
    fn a_long_line_is_cut_around_its_labels() {
        let line = format!("{}pool.get(){}", "a".repeat(5000), "b".repeat(5000));
        let c = clip(&line, &[(5000, 5010)].map(|(a, b)| a..b)).expect("clipped");
        let shown = c.text(&line);
        assert!(
            shown.starts_with("...") && shown.ends_with("..."),
            "{shown}"
        );
        assert!(shown.contains("pool.get()"), "{shown}");
        assert!(shown.len() <= SHOWN + 2 * MARGIN + 6, "{}", shown.len());
        let at = c.map(5000);
        assert_eq!(&shown[at..at + 10], "pool.get()");
        assert_eq!(c.unmap(at), 5000);
    }

    #[test]
    fn cuts_fall_on_character_boundaries() {
        let line = "é".repeat(3000);
        let c = clip(&line, &[(3001, 3003)].map(|(a, b)| a..b)).expect("clipped");
        let _ = c.text(&line);
        assert!(line.is_char_boundary(c.from) && line.is_char_boundary(c.to));
    }
}
