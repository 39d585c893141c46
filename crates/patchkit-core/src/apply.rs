//! Applies unified diff text to a baseline, with jsdiff 5.2's `applyPatch`
//! algorithm: each hunk is fitted at its position or at the nearest offset
//! (alternately after and before, never over an earlier hunk), context and
//! removed lines must match exactly, and `\ No newline at end of file`
//! removes or adds the final newline.
//!
//! The algorithm runs first in the exact line model (lines end at `\n`, as
//! `create_diff` cuts them), so our own diffs always apply to give the new
//! text; only if that fails does it run in jsdiff's model (see
//! [`crate::lines`]), which also accepts patches whose line endings were
//! converted. Where both fail, the exact run's conflict is reported.

use crate::error::{Conflict, Error, Result};
use crate::lines::{split, LineModel, Piece};
use crate::parse::{parse, ParsedFile, ParsedHunk};

/// Applies `patch` (unified diff text for one file) to `baseline`.
///
/// `path` names the file in a conflict error (`Failed to apply patch for
/// <path>`); when `None`, the patch's own file name is used.
///
/// ```
/// let patch = "--- a\t\n+++ a\t\n@@ -1,1 +1,1 @@\n-one\n+two\n";
/// assert_eq!(patchkit_core::apply_patch("one\n", patch, None).unwrap(), "two\n");
/// ```
pub fn apply_patch(baseline: &str, patch: &str, path: Option<&str>) -> Result<String> {
    let files = parse(patch, LineModel::Exact)?;
    let file = single_file(&files)?;
    let path = path.map(str::to_owned).unwrap_or_else(|| file_name(file));
    let conflict = match apply_file(baseline, file, LineModel::Exact) {
        Ok(text) => return Ok(text),
        Err(conflict) => conflict,
    };
    if let Ok(files) = parse(patch, LineModel::Jsdiff) {
        if let [file] = files.as_slice() {
            if let Ok(text) = apply_file(baseline, file, LineModel::Jsdiff) {
                return Ok(text);
            }
        }
    }
    Err(Error::Conflict {
        path,
        detail: Box::new(conflict),
    })
}

/// True when [`apply_patch`] would fail with a conflict.
pub fn has_conflicts(baseline: &str, patch: &str) -> Result<bool> {
    match apply_patch(baseline, patch, None) {
        Ok(_) => Ok(false),
        Err(Error::Conflict { .. }) => Ok(true),
        Err(e) => Err(e),
    }
}

fn single_file<'a, 't>(files: &'a [ParsedFile<'t>]) -> Result<&'a ParsedFile<'t>> {
    let with_content: Vec<&ParsedFile> = files
        .iter()
        .filter(|f| !f.hunks.is_empty() || f.old_name.is_some() || f.new_name.is_some())
        .collect();
    match with_content.as_slice() {
        [file] => Ok(file),
        _ => Err(Error::parse(
            1,
            format!(
                "the patch holds {} files; applyPatch applies one (use applyPatches for multi-file patches)",
                with_content.len()
            ),
        )),
    }
}

/// The file's name for messages: the new name without a `b/` prefix.
fn file_name(file: &ParsedFile) -> String {
    let name = file
        .new_name
        .as_deref()
        .filter(|n| *n != "/dev/null")
        .or(file.old_name.as_deref())
        .or(file.index)
        .unwrap_or("patch");
    name.strip_prefix("b/").unwrap_or(name).to_owned()
}

/// jsdiff's `applyPatch` for one file in `model`.
fn apply_file(baseline: &str, file: &ParsedFile, model: LineModel) -> Result<String, Conflict> {
    let lines = split(baseline, model);
    let positions = fit_hunks(&lines, &file.hunks)?;
    Ok(rebuild(&lines, &file.hunks, &positions, model))
}

/// Finds where each hunk fits (0-based start in the baseline's lines).
fn fit_hunks(lines: &[Piece], hunks: &[ParsedHunk]) -> Result<Vec<usize>, Conflict> {
    let mut positions = Vec::with_capacity(hunks.len());
    let (mut min_line, mut offset) = (0i64, 0i64);
    for (index, hunk) in hunks.iter().enumerate() {
        let max_line = lines.len() as i64 - hunk.old_lines as i64;
        let to_pos = offset + hunk.old_start as i64 - 1;
        let found = Distances::new(to_pos, min_line, max_line)
            .find(|&local| first_mismatch(lines, hunk, to_pos + local).is_none());
        let Some(local) = found else {
            return Err(conflict_at(lines, hunk, index, to_pos));
        };
        offset += local;
        positions.push((to_pos + local) as usize);
        min_line = offset + hunk.old_start as i64 + hunk.old_lines as i64;
    }
    Ok(positions)
}

/// The index (within the hunk) of the first context or removed line that
/// does not match when the hunk is placed at `pos`, if any.
fn first_mismatch(lines: &[Piece], hunk: &ParsedHunk, pos: i64) -> Option<usize> {
    let mut at = pos;
    for (j, line) in hunk.lines.iter().enumerate() {
        if line.op == b' ' || line.op == b'-' {
            let actual = usize::try_from(at).ok().and_then(|i| lines.get(i));
            if actual.map(|p| p.text) != Some(line.content) {
                return Some(j);
            }
            at += 1;
        }
    }
    None
}

fn conflict_at(lines: &[Piece], hunk: &ParsedHunk, index: usize, to_pos: i64) -> Conflict {
    let j = first_mismatch(lines, hunk, to_pos).unwrap_or(0);
    let before = hunk.lines[..j]
        .iter()
        .filter(|l| l.op == b' ' || l.op == b'-')
        .count() as i64;
    let at = to_pos + before;
    Conflict {
        hunk: index,
        line: (at + 1).max(1) as usize,
        expected: hunk
            .lines
            .get(j)
            .map(|l| l.content.to_owned())
            .unwrap_or_default(),
        actual: usize::try_from(at)
            .ok()
            .and_then(|i| lines.get(i))
            .map(|p| p.text.to_owned()),
    }
}

/// Writes the result in one pass over the baseline. Hunks are in order and
/// apart (the parser guarantees it), so this equals jsdiff's sequence of
/// splices on its parallel arrays of lines and line endings.
fn rebuild<'t>(
    lines: &[Piece<'t>],
    hunks: &[ParsedHunk<'t>],
    positions: &[usize],
    model: LineModel,
) -> String {
    let mut out = Output::with_capacity(lines.len() + 16);
    let no_final_newline = final_marker_after(hunks) == Some(b'+');
    let mut cursor = 0;
    for (h, (hunk, &pos)) in hunks.iter().zip(positions).enumerate() {
        while cursor < pos.min(lines.len()) {
            out.copy(lines, cursor);
            cursor += 1;
        }
        for (j, line) in hunk.lines.iter().enumerate() {
            match line.op {
                b' ' => {
                    out.copy(lines, cursor);
                    cursor += 1;
                }
                b'-' => cursor += 1,
                b'+' => {
                    let ending = if line.ending.is_empty() {
                        "\n"
                    } else {
                        line.ending
                    };
                    let last = h + 1 == hunks.len() && j + 2 == hunk.lines.len();
                    let own = if last && no_final_newline { "" } else { "\n" };
                    out.push(line.content, ending, own);
                }
                _ => {}
            }
        }
    }
    while cursor < lines.len() {
        out.copy(lines, cursor);
        cursor += 1;
    }
    match model {
        LineModel::Jsdiff => out.jsdiff_text(hunks),
        LineModel::Exact => out.exact_text(hunks),
    }
}

/// The operation before the last hunk's closing `\ No newline` line.
fn final_marker_after(hunks: &[ParsedHunk]) -> Option<u8> {
    let lines = &hunks.last()?.lines;
    match lines.as_slice() {
        [.., before, marker] if marker.op == b'\\' => Some(before.op),
        _ => None,
    }
}

/// The result lines, with their endings kept two ways: positionally, as
/// jsdiff's parallel `delimiters` array (`endings`), and per line (`own`).
struct Output<'t> {
    lines: Vec<&'t str>,
    endings: Vec<&'t str>,
    own: Vec<&'t str>,
}

impl<'t> Output<'t> {
    fn with_capacity(n: usize) -> Self {
        Output {
            lines: Vec::with_capacity(n),
            endings: Vec::with_capacity(n),
            own: Vec::with_capacity(n),
        }
    }

    /// Copies baseline line `c`; the last piece has no ending.
    fn copy(&mut self, pieces: &[Piece<'t>], c: usize) {
        let piece = pieces[c];
        self.lines.push(piece.text);
        self.own.push(piece.ending);
        if c + 1 < pieces.len() {
            self.endings.push(piece.ending);
        }
    }

    fn push(&mut self, text: &'t str, ending: &'t str, own: &'t str) {
        self.lines.push(text);
        self.endings.push(ending);
        self.own.push(own);
    }

    /// jsdiff's reading of `\ No newline at end of file` (after a `+` line
    /// it drops every trailing empty line, after a `-` line it adds one),
    /// then its join: `lines[k] + delimiters[k]` for all but the last line.
    fn jsdiff_text(mut self, hunks: &[ParsedHunk]) -> String {
        let (mut remove, mut add) = (false, false);
        for hunk in hunks {
            for (j, _) in hunk.lines.iter().enumerate().filter(|(_, l)| l.op == b'\\') {
                match j.checked_sub(1).map(|p| hunk.lines[p].op) {
                    Some(b'+') => remove = true,
                    Some(b'-') => add = true,
                    _ => {}
                }
            }
        }
        if remove {
            while self.lines.last().is_some_and(|l| l.is_empty()) {
                self.lines.pop();
                self.endings.pop();
            }
        } else if add {
            self.lines.push("");
            self.endings.push("\n");
        }
        let mut text = String::with_capacity(self.len());
        for (k, line) in self.lines.iter().enumerate() {
            text.push_str(line);
            if k + 1 < self.lines.len() {
                text.push_str(self.endings.get(k).copied().unwrap_or(""));
            }
        }
        text
    }

    /// Every line followed by its own ending. `\ No newline at end of file`
    /// is read so that every diff jsdiff writes applies back to its new
    /// text: jsdiff writes it last, after the new side's last line, when that
    /// line has no newline (handled in `rebuild`); after a context line when
    /// both sides lack one (nothing to do); and otherwise to mark the old
    /// side, at a place that can fall amid the added lines: then the new
    /// side's last line does end with a newline.
    fn exact_text(mut self, hunks: &[ParsedHunk]) -> String {
        let any_marker = hunks.iter().flat_map(|h| &h.lines).any(|l| l.op == b'\\');
        if any_marker && !matches!(final_marker_after(hunks), Some(b'+' | b' ')) {
            let last_real = (0..self.lines.len())
                .rev()
                .find(|&k| !(self.lines[k].is_empty() && self.own[k].is_empty()));
            if let Some(k) = last_real.filter(|&k| self.own[k].is_empty()) {
                self.own[k] = "\n";
            }
        }
        let mut text = String::with_capacity(self.len());
        for (line, ending) in self.lines.iter().zip(&self.own) {
            text.push_str(line);
            text.push_str(ending);
        }
        text
    }

    fn len(&self) -> usize {
        self.lines.iter().chain(&self.own).map(|s| s.len()).sum()
    }
}

/// jsdiff's distance iterator: 0 first, then +1, -1, +2, -2, … within
/// `[min_line, max_line]` around `start`, continuing on one side once the
/// other is exhausted.
struct Distances {
    start: i64,
    min_line: i64,
    max_line: i64,
    first: bool,
    want_forward: bool,
    forward_done: bool,
    backward_done: bool,
    local: i64,
}

impl Distances {
    fn new(start: i64, min_line: i64, max_line: i64) -> Self {
        Distances {
            start,
            min_line,
            max_line,
            first: true,
            want_forward: true,
            forward_done: false,
            backward_done: false,
            local: 1,
        }
    }
}

impl Iterator for Distances {
    type Item = i64;

    fn next(&mut self) -> Option<i64> {
        if std::mem::take(&mut self.first) {
            return Some(0);
        }
        loop {
            if self.want_forward && !self.forward_done {
                if self.backward_done {
                    self.local += 1;
                } else {
                    self.want_forward = false;
                }
                if self.start + self.local <= self.max_line {
                    return Some(self.local);
                }
                self.forward_done = true;
            }
            if self.backward_done {
                return None;
            }
            if !self.forward_done {
                self.want_forward = true;
            }
            if self.min_line <= self.start - self.local {
                let local = self.local;
                self.local += 1;
                return Some(-local);
            }
            self.backward_done = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_alternate_like_jsdiff() {
        let seq: Vec<i64> = Distances::new(2, 0, 4).collect();
        assert_eq!(seq, vec![0, 1, -1, 2, -2]);
        let seq: Vec<i64> = Distances::new(0, 0, 3).collect();
        assert_eq!(seq, vec![0, 1, 2, 3]);
    }

    #[test]
    fn applies_with_an_offset_and_reports_conflicts() {
        let patch = "@@ -1,2 +1,2 @@\n a\n-b\n+c\n";
        assert_eq!(apply_patch("x\na\nb\n", patch, None).unwrap(), "x\na\nc\n");
        let err = apply_patch("a\nz\n", patch, Some("f.txt")).unwrap_err();
        assert_eq!(err.to_string(), "Failed to apply patch for f.txt");
        let Error::Conflict { detail, .. } = err else {
            panic!()
        };
        assert_eq!((detail.hunk, detail.line), (0, 2));
        assert_eq!(
            (detail.expected.as_str(), detail.actual.as_deref()),
            ("b", Some("z"))
        );
    }

    #[test]
    fn handles_missing_final_newlines() {
        let patch = "@@ -1,1 +1,1 @@\n-a\n\\ No newline at end of file\n+a\n";
        assert_eq!(apply_patch("a", patch, None).unwrap(), "a\n");
        let patch = "@@ -1,1 +1,1 @@\n-a\n+b\n\\ No newline at end of file\n";
        assert_eq!(apply_patch("a\n", patch, None).unwrap(), "b");
    }
}
