//! Where each hunk of a patch fits a file: at its stated line, or at the
//! nearest offset (jsdiff's and GNU patch's order: +1, -1, +2, -2, …), with
//! optional fuzz and whitespace-insensitive matching; or, when it does not
//! fit but its result is already there, "already applied".
//!
//! Fuzz means what it means to GNU patch: with fuzz `f`, up to `f` context
//! lines at each end of a hunk may differ. Removed lines must always match
//! (jsdiff's `fuzzFactor` can delete a line the patch does not name; this
//! never does).

use crate::error::Conflict;
use crate::lines::Piece;
use crate::parse::{HunkLine, ParsedHunk};

/// How a patch is matched and applied.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ApplyOptions {
    /// Context lines at each end of a hunk that may differ (GNU `--fuzz`).
    pub fuzz: usize,
    /// Apply the patch backwards (undo it).
    pub reverse: bool,
    /// Compare lines with runs of blanks collapsed and ends trimmed.
    pub ignore_whitespace: bool,
}

/// How a hunk fits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum HunkStatus {
    /// At the line its header names.
    #[default]
    Exact,
    /// Elsewhere; `offset` says how far.
    Offset,
    /// Only with some context lines at its ends ignored; `fuzz` says how many.
    Fuzzed,
    /// It does not fit, but its new lines are already there.
    AlreadyApplied,
    /// Nowhere.
    Failed,
}

impl HunkStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            HunkStatus::Exact => "exact",
            HunkStatus::Offset => "offset",
            HunkStatus::Fuzzed => "fuzzed",
            HunkStatus::AlreadyApplied => "alreadyApplied",
            HunkStatus::Failed => "failed",
        }
    }
}

/// The verdict on one hunk.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HunkReport {
    pub index: usize,
    pub status: HunkStatus,
    /// Lines between where the header says and where the hunk fits.
    pub offset: i64,
    /// Context lines ignored at each end.
    pub fuzz: usize,
    /// 0-based line where the hunk fits (or was expected, when it failed).
    pub position: usize,
    /// 1-based line of the hunk's `@@` header in the patch.
    pub header_line: usize,
    /// For a failure: the first line the patch expected that did not match…
    pub expected: Option<String>,
    /// …and what the file holds there (`None` past its end).
    pub actual: Option<String>,
}

impl HunkReport {
    /// True unless the hunk failed.
    pub fn fits(&self) -> bool {
        self.status != HunkStatus::Failed
    }

    pub(crate) fn into_conflict(self) -> Conflict {
        let reason = format!(
            "hunk #{} (line {} of the patch) does not match at line {}",
            self.index + 1,
            self.header_line,
            self.position + 1
        );
        Conflict {
            hunk: self.index,
            line: self.position + 1,
            expected: self.expected.unwrap_or_default(),
            actual: self.actual,
            reason,
        }
    }
}

/// The hunk undone: `+` and `-` swapped, and the two ranges.
pub fn reversed<'t>(hunk: &ParsedHunk<'t>) -> ParsedHunk<'t> {
    let swap = |l: &HunkLine<'t>| HunkLine {
        op: match l.op {
            b'+' => b'-',
            b'-' => b'+',
            op => op,
        },
        ..*l
    };
    ParsedHunk {
        old_start: hunk.new_start,
        old_lines: hunk.new_lines,
        new_start: hunk.old_start,
        new_lines: hunk.old_lines,
        header_line: hunk.header_line,
        lines: hunk.lines.iter().map(swap).collect(),
    }
}

/// One side of a hunk, as the lines it must find in the file.
struct Side<'h> {
    lines: Vec<&'h str>,
    /// Context lines before the first change and after the last.
    lead: usize,
    trail: usize,
}

impl<'h> Side<'h> {
    /// The old side (`' '` and `'-'` lines) or the new one (`' '`, `'+'`).
    fn of(hunk: &ParsedHunk<'h>, new: bool) -> Self {
        let changed = if new { b'+' } else { b'-' };
        let mine: Vec<&HunkLine> = hunk
            .lines
            .iter()
            .filter(|l| l.op == b' ' || l.op == changed)
            .collect();
        let is_change = |l: &HunkLine| l.op == b'+' || l.op == b'-';
        let lead = hunk
            .lines
            .iter()
            .take_while(|l| !is_change(l))
            .filter(|l| l.op == b' ')
            .count();
        let trail = hunk
            .lines
            .iter()
            .rev()
            .take_while(|l| !is_change(l))
            .filter(|l| l.op == b' ')
            .count();
        Side {
            lines: mine.iter().map(|l| l.content).collect(),
            lead,
            trail,
        }
    }
}

struct Matcher<'a, 't> {
    file: &'a [Piece<'t>],
    ignore_whitespace: bool,
}

impl Matcher<'_, '_> {
    /// The index (within `side`) of the first line that does not match
    /// when `side` is placed at `pos`, skipping `skip.0` lines at its start
    /// and `skip.1` at its end.
    fn first_mismatch(&self, side: &[&str], pos: i64, skip: (usize, usize)) -> Option<usize> {
        let end = side.len().saturating_sub(skip.1);
        (skip.0..end).find(|&j| {
            let actual = usize::try_from(pos + j as i64)
                .ok()
                .and_then(|i| self.file.get(i));
            !actual.is_some_and(|a| self.same(a.text, side[j]))
        })
    }

    fn same(&self, a: &str, b: &str) -> bool {
        a == b || (self.ignore_whitespace && a.split_whitespace().eq(b.split_whitespace()))
    }

    /// The file's lines, without the empty piece after a final newline.
    fn real_len(&self) -> usize {
        match self.file.last() {
            Some(last) if last.text.is_empty() => self.file.len() - 1,
            _ => self.file.len(),
        }
    }

    /// True when `lines` match the file's real lines at `pos`.
    fn fits_within(&self, lines: &[&str], pos: i64) -> bool {
        pos >= 0
            && pos as usize + lines.len() <= self.real_len()
            && self.first_mismatch(lines, pos, (0, 0)).is_none()
    }

    /// The first position, nearest to `nominal`, where `side` fits.
    fn search(
        &self,
        side: &Side,
        nominal: i64,
        min: i64,
        skip: (usize, usize),
        strict: bool,
    ) -> Option<i64> {
        // Context ignored under fuzz at the hunk's end may run past the end
        // of the file (as GNU patch allows); everything else must be inside.
        let max = self.file.len() as i64 - (side.lines.len() - skip.1) as i64;
        Distances::new(nominal, min, max)
            .map(|local| nominal + local)
            // jsdiff tries the stated place even outside the bounds.
            .filter(|&pos| pos >= min.min(nominal) && (!strict || (0..=max).contains(&pos)))
            .find(|&pos| self.first_mismatch(&side.lines, pos, skip).is_none())
    }
}

/// Fits every hunk in order, each after the previous one.
pub(crate) fn fit_hunks(
    file: &[Piece],
    hunks: &[ParsedHunk],
    options: &ApplyOptions,
) -> Vec<HunkReport> {
    let m = Matcher {
        file,
        ignore_whitespace: options.ignore_whitespace,
    };
    let mut reports = Vec::with_capacity(hunks.len());
    let (mut offset, mut min_line, mut floor) = (0i64, 0i64, 0i64);
    for (index, hunk) in hunks.iter().enumerate() {
        let report = fit_one(
            &m,
            hunk,
            index,
            offset,
            min_line.max(floor),
            floor,
            options.fuzz,
        );
        if report.fits() {
            let len = match report.status {
                HunkStatus::AlreadyApplied => hunk.new_lines,
                _ => hunk.old_lines,
            } as i64;
            // Where the next hunk's old lines sit, relative to its header:
            // behind an already-applied hunk the file holds its new lines.
            offset = report.position as i64 - (hunk.old_start as i64 - 1);
            if report.status == HunkStatus::AlreadyApplied {
                offset += hunk.new_lines as i64 - hunk.old_lines as i64;
            }
            min_line = report.position as i64 + len + 1;
            floor = report.position as i64 + len;
        }
        reports.push(report);
    }
    reports
}

/// Fits one hunk: at its stated place (as written, or as already applied),
/// then at the nearest offset (again as written, then as already applied),
/// then with growing fuzz. `min` bounds the offset search (jsdiff's
/// `minLine`), `floor` every position (never over an earlier hunk).
fn fit_one(
    m: &Matcher,
    hunk: &ParsedHunk,
    index: usize,
    offset: i64,
    min: i64,
    floor: i64,
    fuzz: usize,
) -> HunkReport {
    let old = Side::of(hunk, false);
    let new = Side::of(hunk, true);
    let stated = hunk.old_start as i64 - 1;
    let nominal = stated + offset;
    // A hunk's old and new lines start at the same place of the file: the
    // content before them is shared.
    let nominal_new = nominal;
    let report = |status, pos: i64, fuzz| HunkReport {
        index,
        status,
        offset: pos - stated,
        fuzz,
        position: pos.max(0) as usize,
        header_line: hunk.header_line,
        expected: None,
        actual: None,
    };
    let already = |pos: i64| {
        let mut r = report(HunkStatus::AlreadyApplied, pos, 0);
        r.offset = pos - (hunk.new_start as i64 - 1);
        r
    };
    let at = |pos: i64| (pos >= floor).then_some(pos);
    // A hunk's result can be told apart only if it has lines of its own: a
    // pure deletion without context "fits" an empty new side anywhere.
    let changes = hunk.lines.iter().any(|l| l.op == b'+' || l.op == b'-');
    let checkable = !new.lines.is_empty() && changes;
    // A deletion of everything is already applied to an empty file.
    let emptied = new.lines.is_empty()
        && !old.lines.is_empty()
        && m.file.iter().all(|p| p.text.is_empty())
        && m.file.len() == 1;
    if emptied {
        return already(0);
    }
    // Lines added at the end of a file (no context after them): applied
    // again, the old side still fits, so look for the new side first, as
    // git and GNU patch do by anchoring such a hunk to the file's end.
    let pure_insertion = changes && hunk.lines.iter().all(|l| l.op != b'-');
    if pure_insertion
        && old.trail == 0
        && !old.lines.is_empty()
        && nominal_new >= floor
        && m.fits_within(&new.lines, nominal_new)
    {
        return already(nominal_new);
    }
    if m.first_mismatch(&old.lines, nominal, (0, 0)).is_none() && at(nominal).is_some() {
        return report(HunkStatus::Exact, nominal, 0).with_status_for(stated);
    }
    if checkable && nominal_new >= floor && m.fits_within(&new.lines, nominal_new) {
        return already(nominal_new);
    }
    if let Some(pos) = m.search(&old, nominal, min, (0, 0), false).and_then(at) {
        return report(HunkStatus::Offset, pos, 0).with_status_for(stated);
    }
    if checkable {
        let max = m.real_len() as i64 - new.lines.len() as i64;
        let found = Distances::new(nominal_new, min.min(nominal_new), max)
            .map(|local| nominal_new + local)
            .find(|&pos| pos >= floor && m.fits_within(&new.lines, pos));
        if let Some(pos) = found {
            return already(pos);
        }
    }
    for f in 1..=fuzz {
        let skip = (f.min(old.lead), f.min(old.trail));
        if skip == (0, 0) {
            break;
        }
        if let Some(pos) = m.search(&old, nominal, min, skip, true).and_then(at) {
            return report(HunkStatus::Fuzzed, pos, f);
        }
    }
    failed(m, &old, report(HunkStatus::Failed, nominal, 0))
}

impl HunkReport {
    /// `Exact` when the hunk sits where its header says, `Offset` otherwise.
    fn with_status_for(mut self, stated: i64) -> Self {
        self.status = if self.position as i64 == stated && self.offset == 0 {
            HunkStatus::Exact
        } else {
            HunkStatus::Offset
        };
        self
    }
}

/// Fills in the first line that did not match at the hunk's stated place.
fn failed(m: &Matcher, old: &Side, mut report: HunkReport) -> HunkReport {
    let pos = report.position as i64;
    let j = m.first_mismatch(&old.lines, pos, (0, 0)).unwrap_or(0);
    report.position = (pos + j as i64).max(0) as usize;
    report.expected = old.lines.get(j).map(|s| (*s).to_owned());
    report.actual = m.file.get(report.position).map(|p| p.text.to_owned());
    // The final piece after a last newline is not a line of the file.
    if report.position + 1 == m.file.len() && m.file[report.position].text.is_empty() {
        report.actual = None;
    }
    report
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
    use crate::lines::{split, LineModel};
    use crate::parse::parse;

    #[test]
    fn distances_alternate_like_jsdiff() {
        let seq: Vec<i64> = Distances::new(2, 0, 4).collect();
        assert_eq!(seq, vec![0, 1, -1, 2, -2]);
        let seq: Vec<i64> = Distances::new(0, 0, 3).collect();
        assert_eq!(seq, vec![0, 1, 2, 3]);
    }

    fn check(file: &str, patch: &str, options: ApplyOptions) -> Vec<HunkReport> {
        let files = parse(patch, LineModel::Exact).unwrap();
        fit_hunks(&split(file, LineModel::Exact), &files[0].hunks, &options)
    }

    const PATCH: &str = "@@ -2,3 +2,3 @@\n b\n-c\n+C\n d\n";

    #[test]
    fn reports_exact_offset_already_applied_and_failed() {
        let exact = check("a\nb\nc\nd\n", PATCH, ApplyOptions::default());
        assert_eq!(
            (exact[0].status, exact[0].offset, exact[0].position),
            (HunkStatus::Exact, 0, 1)
        );
        let moved = check("x\nx\na\nb\nc\nd\n", PATCH, ApplyOptions::default());
        assert_eq!((moved[0].status, moved[0].offset), (HunkStatus::Offset, 2));
        let done = check("a\nb\nC\nd\n", PATCH, ApplyOptions::default());
        assert_eq!(done[0].status, HunkStatus::AlreadyApplied);
        let bad = check("a\nb\nq\nd\n", PATCH, ApplyOptions::default());
        assert_eq!(bad[0].status, HunkStatus::Failed);
        assert_eq!(
            (bad[0].expected.as_deref(), bad[0].actual.as_deref()),
            (Some("c"), Some("q"))
        );
        assert_eq!(bad[0].position, 2);
    }

    #[test]
    fn fuzz_ignores_edge_context_but_never_removed_lines() {
        let edges_differ = "a\nB\nc\nD\n";
        let strict = check(edges_differ, PATCH, ApplyOptions::default());
        assert_eq!(strict[0].status, HunkStatus::Failed);
        let fuzzy = check(
            edges_differ,
            PATCH,
            ApplyOptions {
                fuzz: 1,
                ..Default::default()
            },
        );
        assert_eq!((fuzzy[0].status, fuzzy[0].fuzz), (HunkStatus::Fuzzed, 1));
        let removed_differs = "a\nb\nX\nd\n";
        let fuzzy = check(
            removed_differs,
            PATCH,
            ApplyOptions {
                fuzz: 3,
                ..Default::default()
            },
        );
        assert_eq!(fuzzy[0].status, HunkStatus::Failed);
    }

    #[test]
    fn whitespace_and_reverse() {
        let spaced = check(
            "a\n  b\nc  \nd\n",
            PATCH,
            ApplyOptions {
                ignore_whitespace: true,
                ..Default::default()
            },
        );
        assert_eq!(spaced[0].status, HunkStatus::Exact);
        let files = parse(PATCH, LineModel::Exact).unwrap();
        let back = reversed(&files[0].hunks[0]);
        let undone = fit_hunks(
            &split("a\nb\nC\nd\n", LineModel::Exact),
            &[back],
            &ApplyOptions::default(),
        );
        assert_eq!(undone[0].status, HunkStatus::Exact);
    }
}
