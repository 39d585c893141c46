//! The summary preview: the `+`/`-` lines of all hunks joined with `\n`, cut
//! to a length in UTF-16 code units (JavaScript's `String.length`) with `…`
//! appended. Unlike the TypeScript patchkit, the cut never splits a
//! surrogate pair: a character that does not fit whole is left out.

/// Builds a preview incrementally, copying no more than the limit allows.
#[derive(Debug)]
pub struct Preview {
    text: String,
    units: usize,
    limit: usize,
    lines: usize,
    truncated: bool,
}

impl Preview {
    pub fn new(limit: usize) -> Self {
        Preview {
            text: String::new(),
            units: 0,
            limit,
            lines: 0,
            truncated: false,
        }
    }

    /// Appends one hunk line (with its `+`/`-` prefix).
    pub fn push_line(&mut self, line: &str) {
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
        let units = utf16_len(s);
        if self.units + units <= self.limit {
            self.text.push_str(s);
            self.units += units;
            return;
        }
        for ch in s.chars() {
            let w = ch.len_utf16();
            if self.units + w > self.limit {
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

    fn preview(lines: &[&str], limit: usize) -> Option<String> {
        let mut p = Preview::new(limit);
        lines.iter().for_each(|l| p.push_line(l));
        p.finish()
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
