//! Turns an engine's runs into hunks, unified diff text, counts and preview
//! in one pass. The grouping is jsdiff 5.2's `structuredPatch` (context
//! lines, merging of nearby changes, its placement of
//! `\ No newline at end of file`), and the text is its `formatPatch`; or,
//! with [`Header::Git`], the same hunks under git's header with the markers
//! where git puts them.
//!
//! Nothing here compares lines; every line is copied once, into the text.

use crate::engine::{Run, RunKind};
use crate::git::quote_name;
use crate::preview::{Preview, PreviewLimits};
use crate::tokenize::Lines;

/// One side of a diff: its text and its lines.
#[derive(Clone, Copy)]
pub struct Side<'a> {
    pub text: &'a str,
    pub lines: &'a Lines,
}

impl<'a> Side<'a> {
    /// Line `i` without its `\n`. Lines are cut at `\n`, an ASCII byte, so
    /// the slice always falls on character boundaries.
    fn content(&self, i: u32) -> &'a str {
        let i = i as usize;
        let end = self.lines.end(i);
        let end = if self.text.as_bytes()[end - 1] == b'\n' {
            end - 1
        } else {
            end
        };
        self.text.get(self.lines.start(i)..end).unwrap_or_default()
    }
}

/// A hunk: its ranges as jsdiff reports them (a range of 0 lines starts at
/// the line after it, unadjusted) and its lines as spans of the diff text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hunk {
    pub old_start: u32,
    pub old_lines: u32,
    pub new_start: u32,
    pub new_lines: u32,
    /// Indexes into [`Built::line_spans`].
    pub lines: std::ops::Range<u32>,
}

/// Everything derived from the runs.
#[derive(Debug, Clone, Default)]
pub struct Built {
    pub hunks: Vec<Hunk>,
    /// Byte span of each hunk line in `diff`, without its `\n`.
    pub line_spans: Vec<(u32, u32)>,
    pub diff: String,
    pub additions: u32,
    pub deletions: u32,
    pub preview: Option<String>,
}

/// The diff header lines before the first hunk. The header also decides
/// where `\ No newline at end of file` goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Header<'a> {
    /// jsdiff's: `Index:`, a rule, and `---`/`+++` lines ending in a tab;
    /// jsdiff's marker placement (see [`Markers::Jsdiff`]).
    Jsdiff { path: &'a str },
    /// git's: `diff --git a/p b/p`, `new file mode 100644` when the old side
    /// is absent (`created`), `deleted file mode 100644` when the new side is
    /// (`deleted`), `--- a/p`/`+++ b/p` with `/dev/null` for an absent side;
    /// nothing at all when nothing changed. Names are quoted as git quotes
    /// them. Markers follow each side's last line ([`Markers::Git`]).
    Git {
        path: &'a str,
        created: bool,
        deleted: bool,
    },
}

/// Where `\ No newline at end of file` goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Markers {
    /// jsdiff 5.2's rules, applied to the last hunk once it is complete,
    /// including its misplacement amid the added lines (COMPAT.md, entry 8).
    Jsdiff,
    /// git's: right after the last line of a side that lacks a final
    /// newline: a `-` or ` ` line for the old side, a `+` or ` ` line for the
    /// new (once for a context line; a line without `\n` can only match the
    /// other side's last line, so such a context line ends both sides).
    Git,
}

impl Header<'_> {
    fn markers(&self) -> Markers {
        match self {
            Header::Jsdiff { .. } => Markers::Jsdiff,
            Header::Git { .. } => Markers::Git,
        }
    }

    /// Writes the header lines; `changed` tells whether hunks follow.
    fn write(&self, changed: bool, diff: &mut String) {
        match *self {
            Header::Jsdiff { path } => {
                for part in [
                    "Index: ", path, "\n", RULE, "\n--- ", path, "\t\n+++ ", path, "\t\n",
                ] {
                    diff.push_str(part);
                }
            }
            Header::Git {
                created, deleted, ..
            } => {
                if !(changed || created || deleted) {
                    return;
                }
                let (old, new) = self.git_top(diff);
                if changed {
                    // git ends a name holding a space with a tab.
                    let tab = |name: &str| if name.contains(' ') { "\t" } else { "" };
                    for part in ["--- ", &old, tab(&old), "\n+++ ", &new, tab(&new), "\n"] {
                        diff.push_str(part);
                    }
                }
            }
        }
    }

    /// Writes a git header's `diff --git` and mode lines; returns the names
    /// of the old and new sides (`/dev/null` for an absent one).
    fn git_top(&self, diff: &mut String) -> (String, String) {
        let Header::Git {
            path,
            created,
            deleted,
        } = *self
        else {
            return Default::default();
        };
        let (a, b) = (quote_name("a/", path), quote_name("b/", path));
        for part in ["diff --git ", &a, " ", &b, "\n"] {
            diff.push_str(part);
        }
        if created {
            diff.push_str("new file mode 100644\n");
        } else if deleted {
            diff.push_str("deleted file mode 100644\n");
        }
        let null = || "/dev/null".to_owned();
        (
            if created { null() } else { a },
            if deleted { null() } else { b },
        )
    }
}

/// The whole diff text of a binary file: the header, then `Binary files …
/// differ` (git's line; jsdiff would diff the bytes as text). Identical
/// sides give what identical text gives: jsdiff's header, git's nothing.
pub fn binary(header: Header, identical: bool) -> String {
    let mut diff = String::new();
    if identical {
        header.write(false, &mut diff);
        return diff;
    }
    let (old, new) = match header {
        Header::Jsdiff { path } => {
            for part in ["Index: ", path, "\n", RULE, "\n"] {
                diff.push_str(part);
            }
            (path.to_owned(), path.to_owned())
        }
        Header::Git { .. } => header.git_top(&mut diff),
    };
    for part in ["Binary files ", &old, " and ", &new, " differ\n"] {
        diff.push_str(part);
    }
    diff
}

/// A hunk line before it is written.
#[derive(Clone, Copy)]
enum LineRef {
    Context(u32),
    Removed(u32),
    Added(u32),
    NoNewline,
}

/// Builds the output of [`build`].
struct Writer<'a> {
    old: Side<'a>,
    new: Side<'a>,
    out: Built,
    preview: Preview,
    markers: Markers,
}

/// Groups `runs` into hunks with `context` lines and writes everything.
pub fn build(
    old: Side,
    new: Side,
    runs: &[Run],
    context: u32,
    header: Header,
    preview: PreviewLimits,
) -> Built {
    let mut w = Writer {
        old,
        new,
        out: Built::default(),
        preview: Preview::new(preview),
        markers: header.markers(),
    };
    w.out.diff.reserve(estimate_len(old, new, runs, context));
    let changed = runs.iter().any(|r| r.kind != RunKind::Equal);
    header.write(changed, &mut w.out.diff);
    Grouper {
        w: &mut w,
        context,
        runs,
    }
    .run();
    let mut out = w.out;
    out.preview = w.preview.finish();
    out
}

/// jsdiff's `structuredPatch` loop over the runs plus its trailing sentinel.
struct Grouper<'w, 'a> {
    w: &'w mut Writer<'a>,
    context: u32,
    runs: &'w [Run],
}

impl Grouper<'_, '_> {
    fn run(&mut self) {
        let (context, n) = (self.context, self.runs.len());
        let mut range_start: Option<(u32, u32)> = None;
        let mut cur: Vec<LineRef> = Vec::new();
        let (mut old_line, mut new_line) = (1u32, 1u32);
        for i in 0..=n {
            let run = self.runs.get(i).copied();
            if let Some(
                run @ Run {
                    kind: RunKind::Delete | RunKind::Insert,
                    ..
                },
            ) = run
            {
                if range_start.is_none() {
                    // The run before a change is always an equal one.
                    let prev = if i > 0 { self.runs[i - 1].len } else { 0 };
                    let lead = prev.min(context);
                    cur.extend((old_line - 1 - lead..old_line - 1).map(LineRef::Context));
                    range_start = Some((old_line - lead, new_line - lead));
                }
                if run.kind == RunKind::Delete {
                    cur.extend((old_line - 1..old_line - 1 + run.len).map(LineRef::Removed));
                    old_line += run.len;
                } else {
                    cur.extend((new_line - 1..new_line - 1 + run.len).map(LineRef::Added));
                    new_line += run.len;
                }
                continue;
            }
            let len = run.map_or(0, |r| r.len);
            if let Some((old_start, new_start)) = range_start {
                let last = i + 1 >= n; // jsdiff: i >= diff.length - 2
                if len as u64 <= 2 * context as u64 && !last {
                    cur.extend((old_line - 1..old_line - 1 + len).map(LineRef::Context));
                } else {
                    let tail = len.min(context);
                    cur.extend((old_line - 1..old_line - 1 + tail).map(LineRef::Context));
                    let hunk = Hunk {
                        old_start,
                        old_lines: old_line - old_start + tail,
                        new_start,
                        new_lines: new_line - new_start + tail,
                        lines: 0..0,
                    };
                    if last && len <= context && self.w.markers == Markers::Jsdiff {
                        self.mark_missing_newlines(&mut cur, len, hunk.old_lines);
                    }
                    self.w.hunk(hunk, &cur);
                    cur.clear();
                    range_start = None;
                }
            }
            old_line += len;
            new_line += len;
        }
    }

    /// jsdiff's end-of-file rules for `\ No newline at end of file`,
    /// including its placement before the additions when the old side ends
    /// without a newline and the hunk has no trailing context.
    fn mark_missing_newlines(&self, cur: &mut Vec<LineRef>, tail: u32, old_lines: u32) {
        let old_text = self.w.old.text;
        let old_eof_newline = old_text.ends_with('\n');
        let new_eof_newline = self.w.new.text.ends_with('\n');
        let no_nl_before_adds = tail == 0 && cur.len() > old_lines as usize;
        if !old_eof_newline && no_nl_before_adds && !old_text.is_empty() {
            cur.insert(old_lines as usize, LineRef::NoNewline);
        }
        if (!old_eof_newline && !no_nl_before_adds) || !new_eof_newline {
            cur.push(LineRef::NoNewline);
        }
    }
}

impl Writer<'_> {
    /// Writes one hunk: its `@@` line (an empty range printed one lower, as
    /// unified diffs do) and its lines; counts and previews them.
    fn hunk(&mut self, mut hunk: Hunk, lines: &[LineRef]) {
        let shown = |start: u32, count: u32| if count == 0 { start - 1 } else { start };
        let at = format!(
            "@@ -{},{} +{},{} @@\n",
            shown(hunk.old_start, hunk.old_lines),
            hunk.old_lines,
            shown(hunk.new_start, hunk.new_lines),
            hunk.new_lines
        );
        self.out.diff.push_str(&at);
        self.preview.start_hunk();
        let first = self.out.line_spans.len() as u32;
        for &line in lines {
            self.line(line);
        }
        hunk.lines = first..self.out.line_spans.len() as u32;
        self.out.hunks.push(hunk);
    }

    fn write_line(&mut self, line: LineRef) {
        let (prefix, content) = match line {
            LineRef::Context(i) => (' ', self.old.content(i)),
            LineRef::Removed(i) => ('-', self.old.content(i)),
            LineRef::Added(i) => ('+', self.new.content(i)),
            LineRef::NoNewline => ('\\', " No newline at end of file"),
        };
        let diff = &mut self.out.diff;
        let start = diff.len();
        diff.push(prefix);
        diff.push_str(content);
        let end = diff.len();
        diff.push('\n');
        self.out.line_spans.push((start as u32, end as u32));
        match prefix {
            '+' => self.out.additions += 1,
            '-' => self.out.deletions += 1,
            _ => return,
        }
        self.preview.push_line(&self.out.diff[start..end]);
    }

    /// Writes one hunk line, then git's marker when the line ends a side
    /// that lacks a final newline.
    fn line(&mut self, line: LineRef) {
        self.write_line(line);
        if self.markers == Markers::Git && self.ends_unterminated_side(line) {
            self.write_line(LineRef::NoNewline);
        }
    }

    fn ends_unterminated_side(&self, line: LineRef) -> bool {
        let ends =
            |side: &Side, i: u32| i as usize + 1 == side.lines.len() && !side.text.ends_with('\n');
        match line {
            LineRef::Context(i) | LineRef::Removed(i) => ends(&self.old, i),
            LineRef::Added(j) => ends(&self.new, j),
            LineRef::NoNewline => false,
        }
    }
}

const RULE: &str = "===================================================================";

/// An upper estimate of the text size, so the output is allocated once.
fn estimate_len(old: Side, new: Side, runs: &[Run], context: u32) -> usize {
    let changed: usize = runs
        .iter()
        .filter(|r| r.kind != RunKind::Equal)
        .map(|r| r.len as usize)
        .sum();
    let average = (old.text.len() + new.text.len()) / (old.lines.len() + new.lines.len()).max(1);
    let lines = changed + runs.len() * 2 * context as usize;
    (lines * (average + 2)).min(old.text.len() + new.text.len() + 2 * lines) + 256
}
