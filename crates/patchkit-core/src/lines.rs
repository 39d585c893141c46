//! How `parse` and `apply` cut text into lines. Two models:
//!
//! - [`LineModel::Exact`]: a line ends at `\n`; a `\r` before it belongs to
//!   the line's content. This is how `create_diff` sees text, so applying our
//!   own diffs in this model always reproduces the new text.
//! - [`LineModel::Jsdiff`]: jsdiff 5.2's `applyPatch`/`parsePatch` model: a
//!   line ends at `\r\n`, `\n`, `\v`, `\f`, `\r` or U+0085, and the ending is
//!   kept apart from the content, so `a\r\n` and `a\n` compare equal.

/// A line model: see the module documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineModel {
    Exact,
    Jsdiff,
}

/// One piece of text between line endings, and the ending after it (empty
/// for the last piece, which is `""` when the text ends with a line ending).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece<'t> {
    pub text: &'t str,
    pub ending: &'t str,
}

/// Splits `text` as JavaScript's `text.split(re)` does, keeping the endings:
/// always one more piece than there are endings.
pub fn split(text: &str, model: LineModel) -> Vec<Piece<'_>> {
    let mut pieces = Vec::with_capacity(text.len() / 32 + 1);
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let len = ending_len(bytes, i, model);
        if len == 0 {
            i += 1;
            continue;
        }
        pieces.push(Piece {
            text: &text[start..i],
            ending: &text[i..i + len],
        });
        i += len;
        start = i;
    }
    pieces.push(Piece {
        text: &text[start..],
        ending: "",
    });
    pieces
}

/// Length in bytes of the line ending starting at `i`, or 0.
fn ending_len(bytes: &[u8], i: usize, model: LineModel) -> usize {
    match (model, bytes[i]) {
        (_, b'\n') => 1,
        (LineModel::Exact, _) => 0,
        (LineModel::Jsdiff, b'\r') if bytes.get(i + 1) == Some(&b'\n') => 2,
        (LineModel::Jsdiff, b'\r' | 0x0B | 0x0C) => 1,
        (LineModel::Jsdiff, 0xC2) if bytes.get(i + 1) == Some(&0x85) => 2,
        _ => 0,
    }
}

/// True when `text` holds a character that the jsdiff model treats as a line
/// ending and `create_diff` does not: `\v`, `\f`, U+0085, or `\r` not
/// followed by `\n`.
pub fn has_jsdiff_only_breaks(text: &str) -> bool {
    split(text, LineModel::Jsdiff)
        .iter()
        .any(|p| !matches!(p.ending, "\n" | "\r\n" | ""))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str, model: LineModel) -> Vec<(&str, &str)> {
        split(text, model)
            .iter()
            .map(|p| (p.text, p.ending))
            .collect()
    }

    #[test]
    fn exact_splits_at_newline_only() {
        assert_eq!(
            texts("a\r\nb\rc\n", LineModel::Exact),
            vec![("a\r", "\n"), ("b\rc", "\n"), ("", "")]
        );
        assert_eq!(texts("", LineModel::Exact), vec![("", "")]);
    }

    #[test]
    fn jsdiff_splits_like_its_regex() {
        assert_eq!(
            texts("a\r\nb\rc\u{b}d\u{85}e", LineModel::Jsdiff),
            vec![
                ("a", "\r\n"),
                ("b", "\r"),
                ("c", "\u{b}"),
                ("d", "\u{85}"),
                ("e", "")
            ]
        );
        assert!(has_jsdiff_only_breaks("a\rb"));
        assert!(!has_jsdiff_only_breaks("a\r\nb\n"));
    }
}
