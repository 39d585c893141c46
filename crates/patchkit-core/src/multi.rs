//! Multi-file patches (`git diff`, `diff -ruN`): every file part applied to
//! a set of files, with creations, deletions, renames and copies, all or
//! nothing by default.

use crate::apply::{apply_one, ApplyOptions};
use crate::error::{Error, Result};
use crate::fit::HunkReport;
use crate::lines::LineModel;
use crate::parse::{parse, ParsedFile};
use std::collections::BTreeMap;

/// Options of [`apply_patches`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PatchesOptions {
    pub apply: ApplyOptions,
    /// Leading path components to strip (`patch -p`); by default 1 for git
    /// diffs and `a/`/`b/` names, else 0.
    pub strip: Option<usize>,
    /// Apply what fits and report the rest, instead of all or nothing.
    pub partial: bool,
}

/// What a file part did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Created,
    Modified,
    Deleted,
    Renamed,
    Copied,
    /// With `partial`: the part did not apply; its files are unchanged.
    Failed,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Created => "created",
            ChangeKind::Modified => "modified",
            ChangeKind::Deleted => "deleted",
            ChangeKind::Renamed => "renamed",
            ChangeKind::Copied => "copied",
            ChangeKind::Failed => "failed",
        }
    }
}

/// The report on one file part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileReport {
    pub old_path: Option<String>,
    pub new_path: Option<String>,
    pub kind: ChangeKind,
    pub old_mode: Option<String>,
    pub new_mode: Option<String>,
    pub hunks: Vec<HunkReport>,
    /// With `partial`, why the part failed.
    pub error: Option<Error>,
}

/// The new contents of every path the patch touched (`None`: deleted), in
/// path order, and one report per file part.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PatchesResult {
    pub files: Vec<(String, Option<String>)>,
    pub reports: Vec<FileReport>,
}

/// Applies a multi-file patch to `files` (path → content, `None` or a
/// missing key for an absent file).
pub fn apply_patches(
    files: &BTreeMap<String, Option<String>>,
    patch: &str,
    options: &PatchesOptions,
) -> Result<PatchesResult> {
    let parts = parse(patch, LineModel::Exact)?;
    let mut state = State {
        input: files,
        touched: BTreeMap::new(),
    };
    let mut reports = Vec::new();
    for (index, part) in parts.iter().filter(|p| p.has_content()).enumerate() {
        let strip = options.strip.unwrap_or_else(|| part.default_strip());
        let mut report = FileReport {
            old_path: part.old_path(strip),
            new_path: part.new_path(strip),
            kind: change_kind(part),
            old_mode: part.git.old_mode.clone().or(part.git.deleted_file.clone()),
            new_mode: part.git.new_mode.clone().or(part.git.new_file.clone()),
            hunks: Vec::new(),
            error: None,
        };
        match state.apply(part, patch, index, &mut report, &options.apply) {
            Ok(()) => {}
            Err(e) if options.partial && !matches!(e, Error::Parse { .. }) => {
                report.kind = ChangeKind::Failed;
                report.error = Some(e);
            }
            Err(e) => return Err(e),
        }
        reports.push(report);
    }
    Ok(PatchesResult {
        files: state.touched.into_iter().collect(),
        reports,
    })
}

/// What `part` does to its files, as its paths and git headers say.
pub fn change_kind(part: &ParsedFile) -> ChangeKind {
    let strip = part.default_strip();
    match (part.old_path(strip), part.new_path(strip)) {
        (None, _) => ChangeKind::Created,
        (_, None) => ChangeKind::Deleted,
        _ if part.git.rename_to.is_some() => ChangeKind::Renamed,
        _ if part.git.copy_to.is_some() => ChangeKind::Copied,
        _ => ChangeKind::Modified,
    }
}

struct State<'a> {
    input: &'a BTreeMap<String, Option<String>>,
    touched: BTreeMap<String, Option<String>>,
}

impl State<'_> {
    /// The current content of `path`: as an earlier part left it, else as
    /// given.
    fn get(&self, path: &str) -> Option<&str> {
        match self.touched.get(path) {
            Some(content) => content.as_deref(),
            None => self.input.get(path).and_then(|c| c.as_deref()),
        }
    }

    fn apply(
        &mut self,
        part: &ParsedFile,
        patch: &str,
        index: usize,
        report: &mut FileReport,
        options: &ApplyOptions,
    ) -> Result<()> {
        let name = report
            .new_path
            .clone()
            .or(report.old_path.clone())
            .unwrap_or_default();
        let baseline = match &report.old_path {
            Some(old) => self
                .get(old)
                .ok_or_else(|| Error::file_conflict(old, "the file does not exist"))?
                .to_owned(),
            None => String::new(),
        };
        let (text, hunks) = if part.hunks.is_empty() && !part.git.binary {
            (baseline.clone(), Vec::new())
        } else {
            apply_one(&baseline, part, patch, index, &name, options)?
        };
        report.hunks = hunks;
        match report.kind {
            ChangeKind::Created => {
                let new = report.new_path.clone().unwrap_or_default();
                if self.get(&new).is_some_and(|existing| existing != text) {
                    return Err(Error::file_conflict(
                        &new,
                        "the file to create already exists",
                    ));
                }
                self.touched.insert(new, Some(text));
            }
            ChangeKind::Deleted => {
                let old = report.old_path.clone().unwrap_or_default();
                if !text.is_empty() {
                    return Err(Error::file_conflict(
                        &old,
                        "the deleted file still has content",
                    ));
                }
                self.touched.insert(old, None);
            }
            ChangeKind::Renamed => {
                self.touched
                    .insert(report.old_path.clone().unwrap_or_default(), None);
                self.touched
                    .insert(report.new_path.clone().unwrap_or_default(), Some(text));
            }
            _ => {
                self.touched
                    .insert(report.new_path.clone().unwrap_or_default(), Some(text));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GIT: &str = "diff --git a/a.txt b/a.txt\nindex 1..2 100644\n--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-one\n+uno\n\
diff --git a/new.txt b/new.txt\nnew file mode 100644\n--- /dev/null\n+++ b/new.txt\n@@ -0,0 +1 @@\n+fresh\n\
diff --git a/gone.txt b/gone.txt\ndeleted file mode 100644\n--- a/gone.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-bye\n\
diff --git a/old.txt b/moved.txt\nsimilarity index 100%\nrename from old.txt\nrename to moved.txt\n";

    fn files() -> BTreeMap<String, Option<String>> {
        [
            ("a.txt", "one\n"),
            ("gone.txt", "bye\n"),
            ("old.txt", "keep\n"),
        ]
        .into_iter()
        .map(|(p, c)| (p.to_owned(), Some(c.to_owned())))
        .collect()
    }

    #[test]
    fn applies_every_kind_of_change() {
        let result = apply_patches(&files(), GIT, &PatchesOptions::default()).unwrap();
        let got: BTreeMap<_, _> = result.files.into_iter().collect();
        assert_eq!(got["a.txt"].as_deref(), Some("uno\n"));
        assert_eq!(got["new.txt"].as_deref(), Some("fresh\n"));
        assert_eq!(got["gone.txt"], None);
        assert_eq!(got["old.txt"], None);
        assert_eq!(got["moved.txt"].as_deref(), Some("keep\n"));
        let kinds: Vec<_> = result.reports.iter().map(|r| r.kind).collect();
        use ChangeKind::*;
        assert_eq!(kinds, vec![Modified, Created, Deleted, Renamed]);
    }

    #[test]
    fn all_or_nothing_unless_partial() {
        let mut input = files();
        input.insert("a.txt".into(), Some("other\n".into()));
        let err = apply_patches(&input, GIT, &PatchesOptions::default()).unwrap_err();
        assert_eq!(err.code(), "PATCH_CONFLICT");
        let partial = PatchesOptions {
            partial: true,
            ..Default::default()
        };
        let result = apply_patches(&input, GIT, &partial).unwrap();
        assert_eq!(result.reports[0].kind, ChangeKind::Failed);
        assert!(result.files.iter().all(|(p, _)| p != "a.txt"));
        input.remove("old.txt");
        let err = apply_patches(&input, GIT, &partial).unwrap();
        assert_eq!(err.reports[3].kind, ChangeKind::Failed);
    }
}
