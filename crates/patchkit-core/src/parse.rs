//! Reads unified diff text into files and hunks.
//!
//! It follows jsdiff 5.2's `parsePatch` (prose before and between files is
//! skipped, `Index:` lines are recorded, `---`/`+++` headers are optional),
//! with two differences that make it safe on any text:
//! - a hunk's body is read by the counts in its `@@` header, as git and GNU
//!   patch do, so a removed line `-- x` followed by an added line `++ y` can
//!   never be taken for the next file's header; a body that disagrees with
//!   its header is an error, never a guess;
//! - text that holds no diff at all, a malformed `@@` line, and hunks out of
//!   order are errors ([`Error::Parse`] with the 1-based line number).

use crate::error::{Error, Result};
use crate::git::{strip_components, unquote_name, GitMeta};
use crate::lines::{split, LineModel, Piece};

/// One file's part of a patch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedFile<'t> {
    /// The name from an `Index:` line, if any.
    pub index: Option<&'t str>,
    pub old_name: Option<String>,
    pub new_name: Option<String>,
    pub old_header: Option<String>,
    pub new_header: Option<String>,
    /// The names of the `---`/`+++` lines as written (git C-quotes names
    /// with special characters; jsdiff's names above only drop the quotes).
    pub old_raw_name: Option<String>,
    pub new_raw_name: Option<String>,
    /// git's extended headers, if any.
    pub git: GitMeta,
    /// 1-based line of the patch text where this part starts.
    pub start_line: usize,
    pub hunks: Vec<ParsedHunk<'t>>,
}

impl ParsedFile<'_> {
    /// True when the part holds anything of a diff.
    pub fn has_content(&self) -> bool {
        !self.hunks.is_empty()
            || self.old_name.is_some()
            || self.new_name.is_some()
            || self.git.is_git()
            || self.git.binary
    }

    /// How many leading path components to strip: 1 for git diffs and for
    /// `a/…`/`b/…` name pairs, otherwise 0.
    pub fn default_strip(&self) -> usize {
        let prefixed = |n: &Option<String>, p: &str| {
            n.as_deref()
                .is_none_or(|n| n == "/dev/null" || n.starts_with(p))
        };
        let named = self.old_name.is_some() || self.new_name.is_some();
        usize::from(
            self.git.is_git()
                || (named && prefixed(&self.old_name, "a/") && prefixed(&self.new_name, "b/")),
        )
    }

    /// The path this part reads, `None` when the file is created.
    pub fn old_path(&self, strip: usize) -> Option<String> {
        if self.git.new_file.is_some() {
            return None;
        }
        // git strips rename and copy names (written without a prefix) by
        // one component less than the others, as `git apply -p` does.
        if let Some(from) = self
            .git
            .rename_from
            .as_ref()
            .or(self.git.copy_from.as_ref())
        {
            return Some(strip_components(from, strip.saturating_sub(1)));
        }
        let unquoted = self.old_raw_name.as_deref().and_then(unquote_name);
        let name = unquoted.as_deref().or(self.old_name.as_deref()).or(self
            .git
            .paths
            .as_ref()
            .map(|p| p.0.as_str()));
        if self.absent_side(&self.old_header, |h| h.old_lines) {
            return None;
        }
        match name {
            Some("/dev/null") => None,
            Some(name) => Some(strip_components(name, strip)),
            None => self.index.map(str::to_owned),
        }
    }

    /// The path this part writes, `None` when the file is deleted.
    pub fn new_path(&self, strip: usize) -> Option<String> {
        if self.git.deleted_file.is_some() {
            return None;
        }
        if let Some(to) = self.git.rename_to.as_ref().or(self.git.copy_to.as_ref()) {
            return Some(strip_components(to, strip.saturating_sub(1)));
        }
        let unquoted = self.new_raw_name.as_deref().and_then(unquote_name);
        let name = unquoted.as_deref().or(self.new_name.as_deref()).or(self
            .git
            .paths
            .as_ref()
            .map(|p| p.1.as_str()));
        if self.absent_side(&self.new_header, |h| h.new_lines) {
            return None;
        }
        match name {
            Some("/dev/null") => None,
            Some(name) => Some(strip_components(name, strip)),
            None => self.index.map(str::to_owned),
        }
    }
}

impl ParsedFile<'_> {
    /// GNU diff's `-N` marks a file that does not exist with the Epoch as its
    /// timestamp (`--- old/x\t1970-01-01 00:00:00.000000000 +0000`); GNU
    /// patch reads it so, when that side of every hunk is empty.
    fn absent_side(&self, header: &Option<String>, lines: impl Fn(&ParsedHunk) -> usize) -> bool {
        !self.git.is_git()
            && header.as_deref().is_some_and(is_epoch)
            && !self.hunks.is_empty()
            && self.hunks.iter().all(|h| lines(h) == 0)
    }
}

/// True for a `diff -u` timestamp (`YYYY-MM-DD HH:MM:SS[.frac] ±HHMM`) that
/// names the Epoch in its own time zone.
fn is_epoch(header: &str) -> bool {
    let mut parts = header.split_whitespace();
    let (Some(date), Some(time), zone, None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let (clock, fraction) = time.split_once('.').unwrap_or((time, "0"));
    if !fraction.bytes().all(|b| b == b'0') {
        return false;
    }
    let (Some([h, mi, se]), Some(day)) = (fields::<3>(clock, ':'), fields::<3>(date, '-')) else {
        return false;
    };
    if h > 23 || mi > 59 || se > 59 {
        return false;
    }
    // The Epoch falls on 1970-01-01 or, west of Greenwich, 1969-12-31.
    let day_seconds: i64 = match day {
        [1970, 1, 1] => 0,
        [1969, 12, 31] => -86_400,
        _ => return false,
    };
    let zone_seconds = match zone {
        None => 0,
        Some(z) => {
            let (sign, digits) = match z.as_bytes().first() {
                Some(b'+') => (1, &z[1..]),
                Some(b'-') => (-1, &z[1..]),
                _ => return false,
            };
            if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return false;
            }
            let (zh, zm) = (digits[..2].parse::<i64>(), digits[2..].parse::<i64>());
            match (zh, zm) {
                (Ok(zh), Ok(zm)) if zh <= 23 && zm <= 59 => sign * (zh * 3600 + zm * 60),
                _ => return false,
            }
        }
    };
    day_seconds + h * 3600 + mi * 60 + se == zone_seconds
}

/// `N` fields of ASCII digits (at most 4 each) separated by `sep`.
fn fields<const N: usize>(s: &str, sep: char) -> Option<[i64; N]> {
    let mut out = [0; N];
    let mut parts = s.split(sep);
    for slot in &mut out {
        let part = parts.next()?;
        if part.is_empty() || part.len() > 4 || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        *slot = part.parse().ok()?;
    }
    parts.next().is_none().then_some(out)
}

/// A hunk. Starts are 1-based; a start given with a count of 0 is stored one
/// higher, as jsdiff does (the line before which the lines go).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedHunk<'t> {
    pub old_start: usize,
    pub old_lines: usize,
    pub new_start: usize,
    pub new_lines: usize,
    /// 1-based line of the `@@` header in the patch text.
    pub header_line: usize,
    pub lines: Vec<HunkLine<'t>>,
}

/// One hunk line: its operation (`' '`, `'-'`, `'+'` or `'\\'`), its content
/// after the operation, and the line ending it had in the patch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HunkLine<'t> {
    pub op: u8,
    pub content: &'t str,
    pub ending: &'t str,
    /// The line was empty in the patch: a context line whose space was
    /// dropped (by an editor or a mail client), which jsdiff keeps as `''`.
    pub bare: bool,
}

/// Parses `text` read in `model`.
pub fn parse(text: &str, model: LineModel) -> Result<Vec<ParsedFile<'_>>> {
    let pieces = split(text, model);
    let mut parser = Parser {
        pieces: &pieces,
        i: 0,
    };
    let mut files = Vec::new();
    while parser.i < pieces.len() {
        files.push(parser.file()?);
    }
    if !files.iter().any(ParsedFile::has_content) {
        return Err(Error::parse(
            1,
            "no unified diff found (expected `---`/`+++` headers or an `@@` hunk)",
        ));
    }
    Ok(files)
}

struct Parser<'p, 't> {
    pieces: &'p [Piece<'t>],
    i: usize,
}

impl<'t> Parser<'_, 't> {
    fn line(&self, i: usize) -> Option<&'t str> {
        self.pieces.get(i).map(|p| p.text)
    }

    /// jsdiff's `parseIndex`: metadata, optional headers, then hunks.
    fn file(&mut self) -> Result<ParsedFile<'t>> {
        let mut file = ParsedFile {
            start_line: self.i + 1,
            ..ParsedFile::default()
        };
        while let Some(line) = self.line(self.i) {
            // Once a git part has begun, a `diff --git` or `Index:` line
            // starts the next file (a rename, a mode change or an empty new
            // file has no `---`/`+++` headers to stop at).
            let next_file = line.starts_with("diff --git ") || line.starts_with("Index:");
            if is_header_start(line) || (file.git.is_git() && next_file) {
                break;
            }
            if let Some(name) = index_name(line) {
                file.index = Some(name);
            }
            file.git.read(line);
            self.i += 1;
        }
        self.file_header(&mut file);
        self.file_header(&mut file);
        while let Some(line) = self.line(self.i) {
            if starts_next_file(line) {
                break;
            } else if line.starts_with("@@") {
                let hunk = self.hunk()?;
                check_order(file.hunks.last(), &hunk)?;
                file.hunks.push(hunk);
            } else {
                self.i += 1;
            }
        }
        Ok(file)
    }

    fn file_header(&mut self, file: &mut ParsedFile<'t>) {
        let Some(line) = self.line(self.i) else {
            return;
        };
        let Some((old, rest)) = file_header(line) else {
            return;
        };
        let (name, header) = match rest.split_once('\t') {
            Some((name, header)) => (name, Some(header)),
            None => (rest, None),
        };
        let raw = Some(name.to_owned());
        let mut name = name.replace("\\\\", "\\");
        if name.len() >= 2 && name.starts_with('"') && name.ends_with('"') {
            name = name[1..name.len() - 1].to_owned();
        }
        let header = header.map(|h| h.split('\t').next().unwrap_or("").trim().to_owned());
        if old {
            (file.old_name, file.old_header, file.old_raw_name) = (Some(name), header, raw);
        } else {
            (file.new_name, file.new_header, file.new_raw_name) = (Some(name), header, raw);
        }
        self.i += 1;
    }

    /// Reads one hunk, its body bounded by the header's counts.
    fn hunk(&mut self) -> Result<ParsedHunk<'t>> {
        let header_line = self.i + 1;
        let text = self.line(self.i).unwrap_or_default();
        let [old_start, old_lines, new_start, new_lines] = hunk_numbers(text).ok_or_else(|| {
            Error::parse(
                header_line,
                "malformed hunk header (expected `@@ -a,b +c,d @@`)",
            )
        })?;
        self.i += 1;
        let mut hunk = ParsedHunk {
            old_start: old_start + (old_lines == 0) as usize,
            old_lines,
            new_start: new_start + (new_lines == 0) as usize,
            new_lines,
            header_line,
            lines: Vec::new(),
        };
        let (mut old_left, mut new_left) = (old_lines, new_lines);
        while let Some(piece) = self.pieces.get(self.i) {
            let last = self.i + 1 == self.pieces.len();
            let op = match piece.text.as_bytes().first() {
                None if !last => b' ',
                Some(&op) if matches!(op, b' ' | b'-' | b'+' | b'\\') => op,
                _ => break,
            };
            let done = old_left == 0 && new_left == 0;
            if done && op != b'\\' {
                self.reject_extra_lines(&hunk, op, piece.text)?;
                break;
            }
            match op {
                b' ' if old_left > 0 && new_left > 0 => {
                    (old_left, new_left) = (old_left - 1, new_left - 1)
                }
                b'-' if old_left > 0 => old_left -= 1,
                b'+' if new_left > 0 => new_left -= 1,
                b'\\' => {}
                _ => return Err(too_long(&hunk, self.i + 1)),
            }
            hunk.lines.push(HunkLine {
                op,
                content: piece.text.get(1..).unwrap_or(""),
                ending: piece.ending,
                bare: piece.text.is_empty(),
            });
            self.i += 1;
        }
        if old_left > 0 || new_left > 0 {
            return Err(Error::parse(
                self.i + 1,
                format!(
                    "the hunk at line {header_line} ends early: {old_left} old and {new_left} new line(s) missing"
                ),
            ));
        }
        Ok(hunk)
    }

    /// After a complete hunk, a further hunk line means the header's counts
    /// are wrong. Empty lines, `-- ` (a mail signature) and file headers end
    /// the hunk normally.
    fn reject_extra_lines(&self, hunk: &ParsedHunk, op: u8, text: &str) -> Result<()> {
        let ends_normally = text.is_empty() || text == "-- " || starts_next_file(text);
        if ends_normally || op == b'\\' {
            return Ok(());
        }
        Err(too_long(hunk, self.i + 1))
    }
}

fn too_long(hunk: &ParsedHunk, line: usize) -> Error {
    Error::parse(
        line,
        format!(
            "the hunk at line {} has more lines than its header says (-{},{} +{},{})",
            hunk.header_line,
            hunk.old_start - (hunk.old_lines == 0) as usize,
            hunk.old_lines,
            hunk.new_start - (hunk.new_lines == 0) as usize,
            hunk.new_lines
        ),
    )
}

/// Hunks must come in order and must not overlap in the old file.
fn check_order(prev: Option<&ParsedHunk>, hunk: &ParsedHunk) -> Result<()> {
    match prev {
        Some(p) if hunk.old_start < p.old_start + p.old_lines => Err(Error::parse(
            hunk.header_line,
            format!(
                "hunks out of order or overlapping: this hunk starts at old line {}, inside or before the hunk at line {}",
                hunk.old_start, p.header_line
            ),
        )),
        _ => Ok(()),
    }
}

/// jsdiff: `/^(\-\-\-|\+\+\+|@@)\s/`
fn is_header_start(line: &str) -> bool {
    ["---", "+++", "@@"]
        .iter()
        .any(|p| starts_with_then_space(line, p))
}

/// jsdiff: `/^(Index:|diff|\-\-\-|\+\+\+)\s/`, and a `Binary files … differ`
/// line (which `diff -ruN` prints for a binary file, with no header).
fn starts_next_file(line: &str) -> bool {
    ["Index:", "diff", "---", "+++"]
        .iter()
        .any(|p| starts_with_then_space(line, p))
        || crate::git::binary_files(line).is_some()
}

fn starts_with_then_space(line: &str, prefix: &str) -> bool {
    line.strip_prefix(prefix)
        .and_then(|rest| rest.chars().next())
        .is_some_and(char::is_whitespace)
}

/// jsdiff: `/^(?:Index:|diff(?: -r \w+)+)\s+(.+?)\s*$/`
fn index_name(line: &str) -> Option<&str> {
    let rest = if let Some(rest) = line.strip_prefix("Index:") {
        rest
    } else {
        let mut rest = line.strip_prefix("diff")?;
        let mut revisions = 0;
        while let Some(r) = rest.strip_prefix(" -r ") {
            let word = r
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(r.len());
            if word == 0 {
                return None;
            }
            rest = &r[word..];
            revisions += 1;
        }
        if revisions == 0 {
            return None;
        }
        rest
    };
    if !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let name = rest.trim();
    (!name.is_empty()).then_some(name)
}

/// jsdiff: `/^(---|\+\+\+)\s+(.*)$/`; returns (is_old, rest).
fn file_header(line: &str) -> Option<(bool, &str)> {
    let (old, rest) = if let Some(rest) = line.strip_prefix("---") {
        (true, rest)
    } else {
        (false, line.strip_prefix("+++")?)
    };
    if !rest.starts_with(char::is_whitespace) {
        return None;
    }
    Some((old, rest.trim_start().trim_end_matches('\r')))
}

/// The numbers of the first `@@ -a[,b] +c[,d] @@` in `line` (counts default
/// to 1, as jsdiff reads them).
fn hunk_numbers(line: &str) -> Option<[usize; 4]> {
    let mut from = 0;
    while let Some(at) = line[from..].find("@@ -") {
        let start = from + at + 4;
        if let Some(numbers) = hunk_numbers_at(&line[start..]) {
            return Some(numbers);
        }
        from = start;
    }
    None
}

fn hunk_numbers_at(s: &str) -> Option<[usize; 4]> {
    let (old_start, s) = number(s)?;
    let (old_lines, s) = match s.strip_prefix(',') {
        Some(s) => number(s)?,
        None => (1, s),
    };
    let s = s.strip_prefix(" +")?;
    let (new_start, s) = number(s)?;
    let (new_lines, s) = match s.strip_prefix(',') {
        Some(s) => number(s)?,
        None => (1, s),
    };
    s.starts_with(" @@")
        .then_some([old_start, old_lines, new_start, new_lines])
}

fn number(s: &str) -> Option<(usize, &str)> {
    let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let n = s[..end].parse().ok()?;
    Some((n, &s[end..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_jsdiff_patch() {
        let text = "Index: a\n===\n--- a\t\n+++ a\t\n@@ -1,2 +1,2 @@\n x\n-y\n+z\n";
        let files = parse(text, LineModel::Exact).unwrap();
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].index, Some("a"));
        assert_eq!(files[0].new_name.as_deref(), Some("a"));
        let ops: Vec<u8> = files[0].hunks[0].lines.iter().map(|l| l.op).collect();
        assert_eq!(ops, b" -+");
    }

    #[test]
    fn header_like_lines_inside_a_hunk_are_content() {
        let text = "--- a\t\n+++ a\t\n@@ -1,1 +1,1 @@\n--- x\n+++ y\n@@ -5,1 +5,1 @@\n-a\n+b\n";
        let files = parse(text, LineModel::Exact).unwrap();
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].hunks.len(), 2);
        assert_eq!(files[0].hunks[0].lines[0].content, "-- x");
    }

    #[test]
    fn counts_are_enforced() {
        let long = "@@ -1,1 +1,1 @@\n-a\n+b\n+c\n";
        let err = parse(long, LineModel::Exact).unwrap_err();
        assert_eq!(err.code(), "PATCH_PARSE");
        assert!(err.to_string().contains("more lines"), "{err}");
        let short = "@@ -1,2 +1,2 @@\n-a\n+b\n";
        let err = parse(short, LineModel::Exact).unwrap_err();
        assert!(err.to_string().contains("ends early"), "{err}");
    }

    #[test]
    fn rejects_text_without_a_diff_and_bad_headers() {
        assert_eq!(
            parse("hello\n", LineModel::Exact).unwrap_err().code(),
            "PATCH_PARSE"
        );
        let err = parse("--- a\n+++ a\n@@ -x +1 @@\n", LineModel::Exact).unwrap_err();
        assert!(matches!(err, Error::Parse { line: 3, .. }), "{err:?}");
    }

    #[test]
    fn a_git_part_without_headers_ends_at_the_next_file() {
        let text = "diff --git a/e.txt b/e.txt\nnew file mode 100644\nIndex: f.txt\n===\n--- f.txt\t\n+++ f.txt\t\n@@ -1 +1 @@\n-a\n+b\n";
        let files = parse(text, LineModel::Exact).unwrap();
        assert_eq!(files.len(), 2);
        assert_eq!(files[0].new_path(1).as_deref(), Some("e.txt"));
        assert!(files[0].hunks.is_empty() && files[0].old_path(1).is_none());
        assert_eq!(files[1].index, Some("f.txt"));
        assert!(!files[1].git.is_git());
        assert_eq!(
            files[1].old_path(files[1].default_strip()).as_deref(),
            Some("f.txt")
        );
    }

    #[test]
    fn an_epoch_timestamp_marks_an_absent_file() {
        assert!(is_epoch("1970-01-01 00:00:00.000000000 +0000"));
        assert!(is_epoch("1969-12-31 19:00:00.000000000 -0500"));
        assert!(is_epoch("1970-01-01 01:00:00 +0100"));
        assert!(!is_epoch("1970-01-01 00:00:01.000000000 +0000"));
        assert!(!is_epoch("1970-01-01 00:00:00.5 +0000"));
        assert!(!is_epoch("2024-01-01 00:00:00 +0000"));
        assert!(!is_epoch("baseline"));
        assert!(!is_epoch("1970-01-01 1152921504606846976:00:00 +0000"));
        assert!(!is_epoch("1970-01-01 00:-60:00 +0000"));
        assert!(!is_epoch("1970-01-01 00:00:00 -+100"));
        assert!(!is_epoch("1970-01-01 00:00:00 +0060"));
        assert!(is_epoch("1970-01-01 00:00:00"));
        assert!(is_epoch("1969-12-31 16:00:00.000000000 -0800"));
        assert!(!is_epoch("1969-12-31 16:00:00.000000000 +0800"));
        assert!(!is_epoch("1970-01-01 00:00:00 +0000 extra"));
        let created = "--- old/x\t1970-01-01 00:00:00.000000000 +0000\n+++ new/x\t2024-05-01 10:00:00.000000000 +0000\n@@ -0,0 +1 @@\n+x\n";
        let files = parse(created, LineModel::Exact).unwrap();
        assert_eq!(
            (files[0].old_path(1), files[0].new_path(1)),
            (None, Some("x".into()))
        );
        let deleted = "--- old/x\t2024-05-01 10:00:00 +0000\n+++ new/x\t1970-01-01 00:00:00 +0000\n@@ -1 +0,0 @@\n-x\n";
        let files = parse(deleted, LineModel::Exact).unwrap();
        assert_eq!(
            (files[0].old_path(1), files[0].new_path(1)),
            (Some("x".into()), None)
        );
        // An Epoch date on a side the hunks fill is only a date.
        let dated = "--- x\t1970-01-01 00:00:00 +0000\n+++ x\t1970-01-01 00:00:00 +0000\n@@ -1 +1 @@\n-x\n+y\n";
        let files = parse(dated, LineModel::Exact).unwrap();
        assert_eq!(
            (files[0].old_path(0), files[0].new_path(0)),
            (Some("x".into()), Some("x".into()))
        );
    }

    #[test]
    fn counts_default_to_one_and_empty_ranges_move_up() {
        let files = parse("@@ -3 +3,0 @@\n-a\n", LineModel::Exact).unwrap();
        let h = &files[0].hunks[0];
        assert_eq!(
            (h.old_start, h.old_lines, h.new_start, h.new_lines),
            (3, 1, 4, 0)
        );
    }
}
