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
    let (exact, _) = check_file(baseline, file, LineModel::Exact, options);
    if exact.iter().all(HunkReport::fits) {
        return Ok(exact);
    }
    Ok(jsdiff_model_reports(baseline, patch, 0, options)
        .filter(|reports| reports.iter().all(HunkReport::fits))
        .unwrap_or(exact))
}

/// True when [`apply_patch`] would fail with a conflict (a hunk that is
/// already applied is no conflict).
pub fn has_conflicts(baseline: &str, patch: &str) -> Result<bool> {
    let reports = check_patch(baseline, patch, &ApplyOptions::default())?;
    Ok(!reports.iter().all(HunkReport::fits))
}

/// Applies file part `file` (the `index`-th of `patch`) to `baseline`: in
/// the exact line model, else in jsdiff's; reports every hunk.
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
    let (reports, text) = check_file(baseline, file, LineModel::Exact, options);
    if let Some(text) = text {
        return Ok((text, reports));
    }
    if let Ok(files) = parse(patch, LineModel::Jsdiff) {
        if let Some(other) = files.iter().filter(|f| f.has_content()).nth(index) {
            if let (other_reports, Some(text)) =
                check_file(baseline, other, LineModel::Jsdiff, options)
            {
                return Ok((text, other_reports));
            }
        }
    }
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

/// The reports of part `index` read in jsdiff's line model, if it parses.
fn jsdiff_model_reports(
    baseline: &str,
    patch: &str,
    index: usize,
    options: &ApplyOptions,
) -> Option<Vec<HunkReport>> {
    let files = parse(patch, LineModel::Jsdiff).ok()?;
    let file = files.iter().filter(|f| f.has_content()).nth(index)?;
    Some(check_file(baseline, file, LineModel::Jsdiff, options).0)
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
            1,
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
    let hunks: Vec<&ParsedHunk> = applied.iter().map(|(h, _)| *h).collect();
    let hunks = hunks.as_slice();
    let mut out = Output::with_capacity(lines.len() + 16);
    let no_final_newline = final_marker_after(hunks) == Some(b'+');
    let mut cursor = 0;
    for (h, &(hunk, pos)) in applied.iter().enumerate() {
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
fn final_marker_after(hunks: &[&ParsedHunk]) -> Option<u8> {
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
    fn jsdiff_text(mut self, hunks: &[&ParsedHunk]) -> String {
        let (mut remove, mut add) = (false, false);
        for hunk in hunks.iter() {
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
    fn exact_text(mut self, hunks: &[&ParsedHunk]) -> String {
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
