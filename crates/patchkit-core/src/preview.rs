//! The summary preview: the `+`/`-` lines of all hunks joined with `\n`, cut
//! to a length in UTF-16 code units (JavaScript's `String.length`) with `…`
//! appended. Unlike the TypeScript patchkit, the cut never splits a
//! surrogate pair: a character that does not fit whole is left out.
//!
//! Two optional budgets cut it earlier, marked the same way: a number of
//! lines and a number of hunks.

/// How much of the changes a preview may show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PreviewLimits {
    /// UTF-16 code units (patchkit's `maxPreviewLength`).
    pub length: u32,
    /// `+`/`-` lines, if bounded.
    pub lines: Option<u32>,
    /// Hunks whose lines may appear, if bounded.
    pub hunks: Option<u32>,
}

impl Default for PreviewLimits {
    fn default() -> Self {
        PreviewLimits {
            length: 180,
            lines: None,
            hunks: None,
        }
    }
}

/// Builds a preview incrementally, copying no more than the limits allow.
#[derive(Debug)]
pub struct Preview {
    text: String,
    units: usize,
    limits: PreviewLimits,
    lines: usize,
    hunks: usize,
    in_new_hunk: bool,
    truncated: bool,
}

impl Preview {
    pub fn new(limits: PreviewLimits) -> Self {
        Preview {
            text: String::new(),
            units: 0,
            limits,
            lines: 0,
            hunks: 0,
            in_new_hunk: false,
            truncated: false,
        }
    }

    /// Marks the start of a hunk.
    pub fn start_hunk(&mut self) {
        self.in_new_hunk = true;
    }

    /// Appends one hunk line (with its `+`/`-` prefix).
    pub fn push_line(&mut self, line: &str) {
        if std::mem::take(&mut self.in_new_hunk) {
            self.hunks += 1;
        }
        let over_hunks = self.limits.hunks.is_some_and(|h| self.hunks > h as usize);
        let over_lines = self.limits.lines.is_some_and(|l| self.lines >= l as usize);
        if over_hunks || over_lines {
            self.truncated = true;
            self.lines += 1;
            return;
        }
        if self.lines > 0 {
            self.push("\n");
        }
        self.lines += 1;
        self.push(line);
    }

    fn push(&mut self, s: &str) {
        if self.truncated {
            return;
        }
        let limit = self.limits.length as usize;
        let units = utf16_len(s);
        if self.units + units <= limit {
            self.text.push_str(s);
            self.units += units;
            return;
        }
        for ch in s.chars() {
            let w = ch.len_utf16();
            if self.units + w > limit {
                break;
            }
            self.text.push(ch);
            self.units += w;
        }
        self.truncated = true;
    }

    /// The preview, or `None` when no line was added.
    pub fn finish(mut self) -> Option<String> {
        if self.lines == 0 {
            return None;
        }
        if self.truncated {
            self.text.push('…');
        }
        Some(self.text)
    }
}

/// Length of `s` in UTF-16 code units.
pub fn utf16_len(s: &str) -> usize {
    // Every byte that starts a character counts one unit; four-byte
    // characters (outside the BMP) count one more.
    s.bytes()
        .map(|b| ((b & 0xC0) != 0x80) as usize + (b >= 0xF0) as usize)
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn preview(lines: &[&str], limit: u32) -> Option<String> {
        let mut p = Preview::new(PreviewLimits {
            length: limit,
            ..PreviewLimits::default()
        });
        lines.iter().for_each(|l| p.push_line(l));
        p.finish()
    }

    #[test]
    fn line_and_hunk_budgets_cut_with_an_ellipsis() {
        let limits = |lines, hunks| PreviewLimits {
            length: 1000,
            lines,
            hunks,
        };
        let mut p = Preview::new(limits(Some(2), None));
        ["+a", "-b", "+c"].iter().for_each(|l| p.push_line(l));
        assert_eq!(p.finish().as_deref(), Some("+a\n-b…"));
        let mut p = Preview::new(limits(None, Some(1)));
        p.start_hunk();
        p.push_line("+a");
        p.start_hunk();
        p.push_line("+b");
        assert_eq!(p.finish().as_deref(), Some("+a…"));
        let mut p = Preview::new(limits(Some(0), None));
        p.push_line("+a");
        assert_eq!(p.finish().as_deref(), Some("…"));
    }

    #[test]
    fn joins_and_cuts_like_string_slice() {
        assert_eq!(preview(&[], 10), None);
        assert_eq!(preview(&["+a", "-b"], 5).as_deref(), Some("+a\n-b"));
        assert_eq!(preview(&["+a", "-b"], 4).as_deref(), Some("+a\n-…"));
        assert_eq!(preview(&["+a"], 0).as_deref(), Some("…"));
    }

    #[test]
    fn never_splits_a_surrogate_pair() {
        // "+😀" is 3 UTF-16 units; a limit of 2 would cut the pair in half.
        assert_eq!(preview(&["+😀"], 2).as_deref(), Some("+…"));
        assert_eq!(preview(&["+😀"], 3).as_deref(), Some("+😀"));
        assert_eq!(utf16_len("a😀é"), 4);
    }
}
