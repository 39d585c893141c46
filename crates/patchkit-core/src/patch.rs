//! `create_diff`: the whole pipeline for one file, from two texts to a
//! [`FilePatch`]. Tokenize and intern once, run one engine, build once.

use crate::content::{Content, Sides};
use crate::engine::{self, Budget, Cancel, EngineUsed};
use crate::error::Result;
use crate::hunks::{self, Built, Header, Hunk, Side};
use crate::intern::Interned;
use crate::preview::PreviewLimits;
use crate::sha::sha256_hex;
use crate::tokenize::Lines;

/// The text format of a diff.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Format {
    /// jsdiff 5.2's `createTwoFilesPatch`, byte for byte (patchkit's).
    #[default]
    Jsdiff,
    /// `git diff`'s: `diff --git`, `a/`/`b/`, `/dev/null`, file modes.
    Git,
}

impl Format {
    /// The names the binding accepts, in the order it lists them.
    pub const NAMES: [&'static str; 2] = ["jsdiff", "git"];

    /// The format named `name` (one of [`Format::NAMES`]).
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "jsdiff" => Some(Format::Jsdiff),
            "git" => Some(Format::Git),
            _ => None,
        }
    }
}

pub use crate::engine::Algorithm;

/// Options of [`create_diff`]; the defaults are the TypeScript patchkit's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DiffOptions {
    /// Context lines around each change (patchkit: `contextLines`, 3).
    pub context: u32,
    /// Preview budgets (patchkit: `maxPreviewLength`, 180 UTF-16 units;
    /// `maxPreviewLines` and `maxPreviewHunks` are unbounded by default).
    pub preview: PreviewLimits,
    /// Bounds on the jsdiff-compatible search.
    pub budget: Budget,
    /// When the caller's deadline passes during the jsdiff-compatible
    /// search, produce the fallback's diff instead of failing.
    pub fallback_on_timeout: bool,
    /// The text format (patchkit: jsdiff's).
    pub format: Format,
    /// The line diff algorithm (patchkit: jsdiff's).
    pub algorithm: Algorithm,
}

impl Default for DiffOptions {
    fn default() -> Self {
        DiffOptions {
            context: 3,
            preview: PreviewLimits::default(),
            budget: Budget::default(),
            fallback_on_timeout: false,
            format: Format::Jsdiff,
            algorithm: Algorithm::Jsdiff,
        }
    }
}

/// What a patch does to its file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeType {
    Created,
    Modified,
    Deleted,
}

impl ChangeType {
    /// `created` when only the new side has content, `deleted` when only the
    /// old side has, `modified` otherwise (also when both are empty).
    pub fn of(before: &str, after: &str) -> Self {
        ChangeType::of_lens(before.len(), after.len())
    }

    /// [`ChangeType::of`] from the sides' lengths.
    pub fn of_lens(before: usize, after: usize) -> Self {
        match (before == 0, after == 0) {
            (true, false) => ChangeType::Created,
            (false, true) => ChangeType::Deleted,
            _ => ChangeType::Modified,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ChangeType::Created => "created",
            ChangeType::Modified => "modified",
            ChangeType::Deleted => "deleted",
        }
    }
}

/// A file's diff: the Rust form of patchkit's `FilePatch`.
#[derive(Debug, Clone)]
pub struct FilePatch {
    pub path: String,
    pub change_type: ChangeType,
    pub hunks: Vec<Hunk>,
    /// Byte span in `diff` of every hunk line (hunks index into it).
    pub line_spans: Vec<(u32, u32)>,
    /// The unified diff text.
    pub diff: String,
    pub additions: u32,
    pub deletions: u32,
    pub preview: Option<String>,
    /// SHA-256 hex of the old text, `None` for an absent file.
    pub sha_before: Option<String>,
    pub sha_after: Option<String>,
    /// The engine that produced the hunks.
    pub engine: EngineUsed,
}

impl FilePatch {
    /// The lines of `hunk`, each without its `\n`.
    pub fn hunk_lines<'a>(&'a self, hunk: &Hunk) -> impl Iterator<Item = &'a str> + 'a {
        let spans = &self.line_spans[hunk.lines.start as usize..hunk.lines.end as usize];
        spans
            .iter()
            .map(|&(s, e)| self.diff.get(s as usize..e as usize).unwrap_or_default())
    }
}

/// Diffs `before` against `after` (`None` is an absent file, diffed as empty)
/// exactly as the TypeScript patchkit does on jsdiff 5.2.
///
/// ```
/// use patchkit_core::{create_diff, DiffOptions};
/// let patch = create_diff("a.txt", Some("one\n"), Some("two\n"), &DiffOptions::default()).unwrap();
/// assert!(patch.diff.ends_with("@@ -1,1 +1,1 @@\n-one\n+two\n"));
/// assert_eq!((patch.additions, patch.deletions), (1, 1));
/// ```
pub fn create_diff(
    path: &str,
    before: Option<&str>,
    after: Option<&str>,
    options: &DiffOptions,
) -> Result<FilePatch> {
    create_diff_with(path, before, after, options, Cancel::default())
}

/// [`create_diff`] that stops with [`crate::Error::Aborted`] once `cancel`'s
/// flag is set, or [`crate::Error::Timeout`] past its deadline.
pub fn create_diff_with(
    path: &str,
    before: Option<&str>,
    after: Option<&str>,
    options: &DiffOptions,
    cancel: Cancel,
) -> Result<FilePatch> {
    let size = before.map_or(0, str::len) + after.map_or(0, str::len);
    if size < PARALLEL_HASH_BYTES {
        return build(
            path,
            before,
            after,
            options,
            cancel,
            Digests::of(before, after),
        );
    }
    // Hashing is about a third of the work on large files: do it on a
    // second thread while this one diffs.
    let (digests, patch) = crate::batch::pool().join(
        || Digests::of(before, after),
        || build(path, before, after, options, cancel, Digests::default()),
    );
    let mut patch = patch?;
    (patch.sha_before, patch.sha_after) = (digests.before, digests.after);
    Ok(patch)
}

/// [`create_diff_with`] for sides given as bytes (e.g. a Node `Buffer`).
/// Bytes with a NUL among their first 8,000 are binary (git's rule): the
/// patch then has no hunks, no counts and no preview, its text says
/// `Binary files … differ`, and the digests are over the raw bytes. Other
/// bytes are decoded as UTF-8 (invalid sequences become U+FFFD) and diffed
/// as text.
///
/// ```
/// use patchkit_core::{create_diff_bytes, Cancel, DiffOptions};
/// let o = DiffOptions::default();
/// let bin = create_diff_bytes("p", Some(b"\0a"), Some(b"\0b"), &o, Cancel::default()).unwrap();
/// assert!(bin.hunks.is_empty());
/// assert!(bin.diff.ends_with("\nBinary files p and p differ\n"));
/// let text = create_diff_bytes("p", Some(b"a\n"), Some(b"b\n"), &o, Cancel::default()).unwrap();
/// assert_eq!((text.additions, text.deletions), (1, 1));
/// ```
pub fn create_diff_bytes(
    path: &str,
    before: Option<&[u8]>,
    after: Option<&[u8]>,
    options: &DiffOptions,
    cancel: Cancel,
) -> Result<FilePatch> {
    create_diff_content(
        path,
        before.map(Content::Bytes),
        after.map(Content::Bytes),
        options,
        cancel,
    )
}

/// [`create_diff_with`] for sides that are each text or bytes: bytes may be
/// binary (see [`create_diff_bytes`]), text never is.
pub fn create_diff_content(
    path: &str,
    before: Option<Content>,
    after: Option<Content>,
    options: &DiffOptions,
    cancel: Cancel,
) -> Result<FilePatch> {
    match Sides::read(before, after) {
        Sides::Text { before, after } => {
            create_diff_with(path, before.as_deref(), after.as_deref(), options, cancel)
        }
        Sides::Binary { before, after } => {
            cancel.without_deadline().check()?;
            let digests = Digests::of_bytes(before, after);
            Ok(binary_patch(path, before, after, options, digests))
        }
    }
}

/// The patch of binary sides: no hunks, the text of [`hunks::binary`].
pub(crate) fn binary_patch(
    path: &str,
    before: Option<&[u8]>,
    after: Option<&[u8]>,
    options: &DiffOptions,
    digests: Digests,
) -> FilePatch {
    let identical = before == after;
    let (old, new) = (before.unwrap_or_default(), after.unwrap_or_default());
    FilePatch {
        path: path.to_owned(),
        change_type: ChangeType::of_lens(old.len(), new.len()),
        hunks: Vec::new(),
        line_spans: Vec::new(),
        diff: hunks::binary(
            header(path, options, before.is_some(), after.is_some()),
            identical,
        ),
        additions: 0,
        deletions: 0,
        preview: None,
        sha_before: digests.before,
        sha_after: digests.after,
        engine: EngineUsed::Direct,
    }
}

/// The header `options.format` asks for; `old`/`new` tell which sides exist.
fn header<'a>(path: &'a str, options: &DiffOptions, old: bool, new: bool) -> Header<'a> {
    match options.format {
        Format::Jsdiff => Header::Jsdiff { path },
        Format::Git => Header::Git {
            path,
            created: !old && new,
            deleted: old && !new,
        },
    }
}

/// The SHA-256 hex digests of both sides (`None` for an absent file).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Digests {
    pub before: Option<String>,
    pub after: Option<String>,
}

impl Digests {
    /// Hashes both sides.
    pub fn of(before: Option<&str>, after: Option<&str>) -> Self {
        Digests::of_bytes(before.map(str::as_bytes), after.map(str::as_bytes))
    }

    /// Hashes both sides' bytes.
    pub fn of_bytes(before: Option<&[u8]>, after: Option<&[u8]>) -> Self {
        let hash = |t: Option<&[u8]>| t.map(sha256_hex);
        Digests {
            before: hash(before),
            after: hash(after),
        }
    }
}

/// Below this size (both sides), a second thread costs more than it saves.
const PARALLEL_HASH_BYTES: usize = 128 << 10;

/// Builds the patch for sides whose digests are known.
pub(crate) fn build(
    path: &str,
    before: Option<&str>,
    after: Option<&str>,
    options: &DiffOptions,
    cancel: Cancel,
    digests: Digests,
) -> Result<FilePatch> {
    let (old, new) = (before.unwrap_or(""), after.unwrap_or(""));
    let (old_lines, new_lines) = (Lines::new(old.as_bytes())?, Lines::new(new.as_bytes())?);
    let ids = Interned::new(old.as_bytes(), &old_lines, new.as_bytes(), &new_lines);
    if options.fallback_on_timeout {
        cancel.without_deadline().check()?;
    } else {
        cancel.check()?;
    }
    let line_diff = engine::diff_lines_with(
        &ids,
        options.algorithm,
        options.budget,
        cancel,
        options.fallback_on_timeout,
    )?;
    drop(ids);
    let built = hunks::build(
        Side {
            text: old,
            lines: &old_lines,
        },
        Side {
            text: new,
            lines: &new_lines,
        },
        &line_diff.runs,
        options.context,
        header(path, options, before.is_some(), after.is_some()),
        options.preview,
    );
    let Built {
        hunks,
        line_spans,
        diff,
        additions,
        deletions,
        preview,
    } = built;
    Ok(FilePatch {
        path: path.to_owned(),
        change_type: ChangeType::of(old, new),
        hunks,
        line_spans,
        diff,
        additions,
        deletions,
        preview,
        sha_before: digests.before,
        sha_after: digests.after,
        engine: line_diff.engine,
    })
}

impl FilePatch {
    /// Bytes this patch holds on the heap (what a cache entry costs).
    pub fn heap_size(&self) -> usize {
        let strings = self.path.len()
            + self.diff.len()
            + self.preview.as_ref().map_or(0, String::len)
            + self.sha_before.as_ref().map_or(0, String::len)
            + self.sha_after.as_ref().map_or(0, String::len);
        strings
            + self.hunks.len() * std::mem::size_of::<Hunk>()
            + self.line_spans.len() * std::mem::size_of::<(u32, u32)>()
            + std::mem::size_of::<FilePatch>()
    }
}
