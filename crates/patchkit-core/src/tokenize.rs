//! Splits text into lines the way jsdiff 5.2's `diffLines` does: a line ends
//! after `\n` (so `\r\n` stays with its line and a lone `\r` is an ordinary
//! character); a final piece without `\n` is a line of its own.
//!
//! Lines are kept as end offsets into the text, never copied.

use crate::error::{Error, Result};

/// The largest text this crate accepts: offsets are stored as `u32`.
pub const MAX_TEXT_BYTES: usize = u32::MAX as usize;

/// The most lines a text may have: the engines pack line counts in 30 bits.
pub const MAX_LINES: usize = 1 << 30;

/// Lines of one text, as byte offsets. Line `i` spans `start(i)..end(i)` and
/// includes its terminator.
#[derive(Debug, Default, Clone)]
pub struct Lines {
    ends: Vec<u32>,
}

impl Lines {
    /// Tokenizes `text`. Fails only when the text exceeds [`MAX_TEXT_BYTES`].
    pub fn new(text: &[u8]) -> Result<Self> {
        if text.len() > MAX_TEXT_BYTES {
            return Err(Error::TooLarge(format!(
                "input of {} bytes exceeds the limit of {MAX_TEXT_BYTES} bytes",
                text.len()
            )));
        }
        let mut ends = Vec::with_capacity(text.len() / 32 + 1);
        ends.extend(memchr::memchr_iter(b'\n', text).map(|i| i as u32 + 1));
        if ends.last().map_or(0, |&e| e as usize) < text.len() {
            ends.push(text.len() as u32);
        }
        if ends.len() > MAX_LINES {
            return Err(Error::TooLarge(format!(
                "input of {} lines exceeds the limit of {MAX_LINES} lines",
                ends.len()
            )));
        }
        Ok(Lines { ends })
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    pub fn start(&self, i: usize) -> usize {
        if i == 0 {
            0
        } else {
            self.ends[i - 1] as usize
        }
    }

    pub fn end(&self, i: usize) -> usize {
        self.ends[i] as usize
    }

    /// Line `i` of `text` with its terminator.
    pub fn get<'t>(&self, text: &'t [u8], i: usize) -> &'t [u8] {
        &text[self.start(i)..self.end(i)]
    }

    /// Line `i` without its final `\n` (a `\r` before it is kept, as jsdiff
    /// keeps it in hunk lines).
    pub fn content<'t>(&self, text: &'t [u8], i: usize) -> &'t [u8] {
        let line = self.get(text, i);
        line.strip_suffix(b"\n").unwrap_or(line)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        let lines = Lines::new(text.as_bytes()).unwrap();
        (0..lines.len())
            .map(|i| std::str::from_utf8(lines.get(text.as_bytes(), i)).unwrap())
            .collect()
    }

    #[test]
    fn splits_after_newlines_only() {
        assert_eq!(split(""), Vec::<&str>::new());
        assert_eq!(split("\n"), vec!["\n"]);
        assert_eq!(split("a\nb"), vec!["a\n", "b"]);
        assert_eq!(split("a\r\nb\r\n"), vec!["a\r\n", "b\r\n"]);
        assert_eq!(split("a\rb\n\r"), vec!["a\rb\n", "\r"]);
        assert_eq!(split("\n\nx"), vec!["\n", "\n", "x"]);
    }

    #[test]
    fn content_keeps_carriage_return() {
        let text = b"a\r\nb";
        let lines = Lines::new(text).unwrap();
        assert_eq!(lines.content(text, 0), b"a\r");
        assert_eq!(lines.content(text, 1), b"b");
    }
}
