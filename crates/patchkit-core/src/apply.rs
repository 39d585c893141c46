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

use crate::error::{Error, Result};
use crate::fit::{self, HunkReport, HunkStatus};
use crate::lines::{split, LineModel, Piece};
use crate::parse::{parse, ParsedFile, ParsedHunk};

pub use crate::fit::ApplyOptions;

/// Applies `patch` (unified diff text for one file) to `baseline`, as
/// jsdiff 5.2 does by default (no fuzz).
///
/// `path` names the file in a conflict error (`Failed to apply patch for
/// <path>`); when `None`, the patch's own file name is used.
///
/// ```
/// let patch = "--- a\t\n+++ a\t\n@@ -1,1 +1,1 @@\n-one\n+two\n";
/// assert_eq!(patchkit_core::apply_patch("one\n", patch, None).unwrap(), "two\n");
/// ```
pub fn apply_patch(baseline: &str, patch: &str, path: Option<&str>) -> Result<String> {
    apply_patch_with(baseline, patch, path, &ApplyOptions::default())
}

/// [`apply_patch`] with options (fuzz, reverse, whitespace).
pub fn apply_patch_with(
    baseline: &str,
    patch: &str,
    path: Option<&str>,
    options: &ApplyOptions,
) -> Result<String> {
    let files = parse(patch, LineModel::Exact)?;
    let file = single_file(&files)?;
    let path = path.map(str::to_owned).unwrap_or_else(|| file_name(file));
    apply_one(baseline, file, patch, 0, &path, options).map(|(text, _)| text)
}

/// One report per hunk: where and how it fits, or why it does not.
pub fn check_patch(baseline: &str, patch: &str, options: &ApplyOptions) -> Result<Vec<HunkReport>> {
    let files = parse(patch, LineModel::Exact)?;
    let file = single_file(&files)?;
    if file.git.binary {
        return Err(Error::Binary(file_name(file)));
    }
    Ok(best_fit(baseline, file, patch, 0, options).0)
}

/// True when [`apply_patch`] would throw: a hunk that fits nowhere, or a
/// patch it cannot read. A hunk that is already applied is no conflict.
pub fn has_conflicts(baseline: &str, patch: &str) -> bool {
    check_patch(baseline, patch, &ApplyOptions::default())
        .map_or(true, |reports| !reports.iter().all(HunkReport::fits))
}

/// Applies file part `file` (the `index`-th of `patch`) to `baseline`;
/// reports every hunk.
pub(crate) fn apply_one(
    baseline: &str,
    file: &ParsedFile,
    patch: &str,
    index: usize,
    path: &str,
    options: &ApplyOptions,
) -> Result<(String, Vec<HunkReport>)> {
    if file.git.binary {
        return Err(Error::Binary(path.to_owned()));
    }
    match best_fit(baseline, file, patch, index, options) {
        (reports, Some(text)) => Ok((text, reports)),
        (reports, None) => {
            let failed = reports
                .iter()
                .find(|r| !r.fits())
                .cloned()
                .unwrap_or_default();
            Err(Error::Conflict {
                path: path.to_owned(),
                detail: Box::new(failed.into_conflict()),
            })
        }
    }
}

/// The best reading of part `index`: every hunk applying as written, in the
/// exact line model or in jsdiff's (whichever places the hunks nearer to
/// where their headers say; the exact model on a tie), else allowing
/// already-applied hunks (exact model first). Without any, the exact
/// model's reports.
fn best_fit(
    baseline: &str,
    file: &ParsedFile,
    patch: &str,
    index: usize,
    options: &ApplyOptions,
) -> (Vec<HunkReport>, Option<String>) {
    let exact = check_file(baseline, file, LineModel::Exact, options);
    let forward = |r: &(Vec<HunkReport>, Option<String>)| {
        r.1.is_some() && r.0.iter().all(|h| h.status != HunkStatus::AlreadyApplied)
    };
    let distance = |r: &(Vec<HunkReport>, Option<String>)| {
        r.0.iter().map(|h| h.offset.unsigned_abs()).sum::<u64>()
    };
    if forward(&exact) && distance(&exact) == 0 {
        return exact;
    }
    let parsed = parse(patch, LineModel::Jsdiff).ok();
    let jsdiff = parsed
        .as_ref()
        .and_then(|files| files.iter().filter(|f| f.has_content()).nth(index))
        .map(|other| check_file(baseline, other, LineModel::Jsdiff, options));
    match jsdiff {
        Some(j) if forward(&j) && (!forward(&exact) || distance(&j) < distance(&exact)) => j,
        _ if exact.1.is_some() => exact,
        Some(j) if j.1.is_some() => j,
        _ => exact,
    }
}

/// Fits every hunk in `model`; when all fit, also writes the result.
fn check_file(
    baseline: &str,
    file: &ParsedFile,
    model: LineModel,
    options: &ApplyOptions,
) -> (Vec<HunkReport>, Option<String>) {
    let lines = split(baseline, model);
    let hunks: Vec<ParsedHunk> = if options.reverse {
        file.hunks.iter().map(fit::reversed).collect()
    } else {
        file.hunks.clone()
    };
    let reports = fit::fit_hunks(&lines, &hunks, options);
    if !reports.iter().all(HunkReport::fits) {
        return (reports, None);
    }
    let applied: Vec<(&ParsedHunk, usize)> = hunks
        .iter()
        .zip(&reports)
        .filter(|(_, r)| r.status != HunkStatus::AlreadyApplied)
        .map(|(h, r)| (h, r.position))
        .collect();
    let text = rebuild(&lines, &applied, model);
    (reports, Some(text))
}

fn single_file<'a, 't>(files: &'a [ParsedFile<'t>]) -> Result<&'a ParsedFile<'t>> {
    let with_content: Vec<&ParsedFile> = files.iter().filter(|f| f.has_content()).collect();
    match with_content.as_slice() {
        [file] => Ok(file),
        _ => Err(Error::parse(
            with_content.get(1).map_or(1, |f| f.start_line),
            format!(
                "the patch holds {} files; applyPatch applies one (use applyPatches for multi-file patches)",
                with_content.len()
            ),
        )),
    }
}

/// The file's name for messages: the new path, else the old one.
pub(crate) fn file_name(file: &ParsedFile) -> String {
    let strip = file.default_strip();
    file.new_path(strip)
        .or_else(|| file.old_path(strip))
        .unwrap_or_else(|| "patch".to_owned())
}

/// Writes the result in one pass over the baseline. Hunks are in order and
/// apart (the parser guarantees it), so this equals jsdiff's sequence of
/// splices on its parallel arrays of lines and line endings.
fn rebuild<'t>(
    lines: &[Piece<'t>],
    applied: &[(&ParsedHunk<'t>, usize)],
    model: LineModel,
) -> String {
    let mut out = Output {
        lines: Vec::with_capacity(lines.len() + 16),
        endings: Vec::with_capacity(lines.len() + 16),
    };
    let exact = model == LineModel::Exact;
    let mut cursor = 0;
    for (h, &(hunk, pos)) in applied.iter().enumerate() {
        while cursor < pos.min(lines.len()) {
            out.copy(lines, cursor, exact);
            cursor += 1;
        }
        for (j, line) in hunk.lines.iter().enumerate() {
            match line.op {
                // Context ignored under fuzz may lie past the end of the file.
                b' ' if cursor >= lines.len() => {}
                b' ' => {
                    out.copy(lines, cursor, exact);
                    cursor += 1;
                }
                b'-' => cursor += 1,
                b'+' => {
                    let ending = if line.ending.is_empty() {
                        "\n"
                    } else {
                        line.ending
                    };
                    // A `\r` before the closing "no newline" marker is content.
                    let closing = h + 1 == applied.len()
                        && j + 2 == hunk.lines.len()
                        && hunk.lines[j + 1].op == b'\\';
                    out.push(line.content, ending, exact && !closing);
                }
                _ => {}
            }
        }
    }
    while cursor < lines.len() {
        out.copy(lines, cursor, exact);
        cursor += 1;
    }
    let hunks: Vec<&ParsedHunk> = applied.iter().map(|(h, _)| *h).collect();
    out.end_of_file(&hunks, model);
    out.join()
}

/// The result as jsdiff holds it: lines and, apart, their endings (one
/// fewer: the last line has none unless it is the empty piece after a final
/// line ending).
struct Output<'t> {
    lines: Vec<&'t str>,
    endings: Vec<&'t str>,
}

impl<'t> Output<'t> {
    /// Copies baseline piece `c`; the last piece has no ending.
    fn copy(&mut self, pieces: &[Piece<'t>], c: usize, crlf: bool) {
        let piece = pieces[c];
        if c + 1 < pieces.len() {
            self.push(piece.text, piece.ending, crlf);
        } else {
            self.lines.push(piece.text);
        }
    }

    /// Adds a line and its ending. With `crlf`, a line read in the exact
    /// model as `…\r` + `\n` is kept as `…` + `\r\n`, as jsdiff's model reads
    /// it: the same bytes, unless the ending is later dropped at the end of
    /// the file, where jsdiff drops the whole `\r\n`.
    fn push(&mut self, text: &'t str, ending: &'t str, crlf: bool) {
        match text.strip_suffix('\r') {
            Some(trimmed) if crlf && ending == "\n" => {
                self.lines.push(trimmed);
                self.endings.push("\r\n");
            }
            _ => {
                self.lines.push(text);
                self.endings.push(ending);
            }
        }
    }

    /// jsdiff's reading of `\ No newline at end of file`: after a `+` line
    /// the file loses its trailing empty lines (its final newline), after a
    /// `-` line it gains one.
    ///
    /// In the exact model, two corrections make every diff jsdiff writes
    /// apply back to its new text. Only the marker that closes the last hunk
    /// speaks of the new side (after a `+` line: no final newline); jsdiff
    /// also writes one amid a hunk's lines to mark the old side's last line,
    /// whose removal leaves the new side ending with a newline. And a patch
    /// that empties the file leaves it empty (jsdiff marks the emptied side
    /// "no newline" and would write `"\n"`).
    fn end_of_file(&mut self, hunks: &[&ParsedHunk], model: LineModel) {
        let (mut remove, mut add) = (false, false);
        for (h, hunk) in hunks.iter().enumerate() {
            for (j, _) in hunk.lines.iter().enumerate().filter(|(_, l)| l.op == b'\\') {
                let closes = h + 1 == hunks.len() && j + 1 == hunk.lines.len();
                let after = j.checked_sub(1).map(|p| hunk.lines[p].op);
                match (model, after) {
                    (LineModel::Jsdiff, Some(b'+')) => remove = true,
                    (LineModel::Jsdiff, Some(b'-')) => add = true,
                    (LineModel::Exact, Some(b'+')) if closes => remove = true,
                    (LineModel::Exact, Some(b'-')) if closes => add = true,
                    (LineModel::Exact, _) if !closes => add = true,
                    _ => {}
                }
            }
        }
        let emptied = self.endings.is_empty() && self.lines.iter().all(|l| l.is_empty());
        if remove {
            while self.lines.last().is_some_and(|l| l.is_empty()) {
                self.lines.pop();
                self.endings.pop();
            }
        } else if add && !(model == LineModel::Exact && emptied) {
            self.lines.push("");
            self.endings.push("\n");
        }
    }

    /// jsdiff: `lines[k] + delimiters[k]` for all but the last line, joined.
    fn join(&self) -> String {
        let len = self
            .lines
            .iter()
            .chain(&self.endings)
            .map(|s| s.len())
            .sum();
        let mut text = String::with_capacity(len);
        for (k, line) in self.lines.iter().enumerate() {
            text.push_str(line);
            if k + 1 < self.lines.len() {
                text.push_str(self.endings.get(k).copied().unwrap_or(""));
            }
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
