//! `apply_plan`: a list of file operations (write, delete, replace, patch)
//! applied under a root directory. Each file is read once, its operations
//! run in order in memory, and it is written once, atomically (a temporary
//! file in the same directory, flushed, then renamed over it); files are
//! handled in parallel. By default the plan is all or nothing: when any
//! operation fails, no file is written and every result says why.
//!
//! Every path is checked before anything is touched: absolute paths, `..`
//! that climbs out of the root, and symbolic links that lead outside it are
//! refused with [`Error::PathEscape`].

use crate::apply::{apply_patch_with, check_patch, ApplyOptions};
use crate::error::{Error, Result};
use crate::fit::HunkStatus;
use crate::patch::{create_diff, DiffOptions, FilePatch};
use crate::replace::{replace, Pattern};
use crate::sha::sha256_hex;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// One operation of a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operation {
    Write {
        content: String,
        mode: Option<u32>,
    },
    Delete,
    Replace {
        pattern: Pattern,
        replacement: String,
        all: bool,
    },
    Patch {
        diff: String,
    },
}

/// An operation on a path (relative to the root, `/`-separated), with an
/// optional precondition: the SHA-256 the file must have before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanStep {
    pub path: String,
    pub operation: Operation,
    pub expect_sha: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlanOptions {
    /// All or nothing (default).
    pub atomic: bool,
    /// How each operation's FilePatch is computed.
    pub diff: DiffOptions,
    /// How `patch` operations are matched.
    pub apply: ApplyOptions,
}

impl Default for PlanOptions {
    fn default() -> Self {
        PlanOptions {
            atomic: true,
            diff: DiffOptions::default(),
            apply: ApplyOptions::default(),
        }
    }
}

/// The outcome of one operation.
#[derive(Debug, Clone)]
pub struct StepResult {
    /// The file before and after this operation.
    pub patch: FilePatch,
    /// True when the operation changed the file.
    pub applied: bool,
    /// A `patch` or `replace` that did not fit.
    pub conflicted: bool,
    /// A `patch` whose changes were already there.
    pub already_applied: bool,
    pub error: Option<Error>,
}

/// Applies `steps` under `root`; one result per step, in order.
pub fn apply_plan(
    root: &Path,
    steps: &[PlanStep],
    options: &PlanOptions,
) -> Result<Vec<StepResult>> {
    let root =
        fs::canonicalize(root).map_err(|e| Error::Io(format!("root {}: {e}", root.display())))?;
    if !root.is_dir() {
        return Err(Error::Io(format!(
            "root {} is not a directory",
            root.display()
        )));
    }
    let targets: Vec<PathBuf> = steps
        .iter()
        .map(|s| confine(&root, &s.path))
        .collect::<Result<_>>()?;
    let mut groups: BTreeMap<&PathBuf, Vec<usize>> = BTreeMap::new();
    for (i, target) in targets.iter().enumerate() {
        groups.entry(target).or_default().push(i);
    }
    let groups: Vec<(&PathBuf, Vec<usize>)> = groups.into_iter().collect();
    let files: Vec<FileWork> = crate::batch::pool().install(|| {
        groups
            .par_iter()
            .map(|(target, indexes)| FileWork::run(target, indexes, steps, options))
            .collect()
    });
    let failed = files.iter().any(|f| f.failed());
    let mut results: Vec<Option<StepResult>> = vec![None; steps.len()];
    if failed && options.atomic {
        let why = first_failure(&files);
        for file in files {
            for (i, mut r) in file.results {
                if r.error.is_none() {
                    r.applied = false;
                    r.error = Some(Error::NotApplied(why.clone()));
                }
                results[i] = Some(r);
            }
        }
    } else {
        write_all(files, &mut results, options.atomic)?;
    }
    Ok(results.into_iter().flatten().collect())
}

fn first_failure(files: &[FileWork]) -> String {
    files
        .iter()
        .flat_map(|f| &f.results)
        .filter_map(|(i, r)| r.error.as_ref().map(|e| (*i, e)))
        .min_by_key(|(i, _)| *i)
        .map(|(i, e)| {
            format!(
                "the plan was not applied: operation {i} failed ({}: {e})",
                e.code()
            )
        })
        .unwrap_or_default()
}

/// The absolute path `path` names under `root`, or [`Error::PathEscape`].
pub fn confine(root: &Path, path: &str) -> Result<PathBuf> {
    let escape = |why: &str| Err(Error::PathEscape(format!("{path:?}: {why}")));
    if path.is_empty() || path.contains('\0') {
        return escape("empty or holds a NUL byte");
    }
    let mut rel = PathBuf::new();
    for component in Path::new(path).components() {
        match component {
            Component::Normal(c) => rel.push(c),
            Component::CurDir => {}
            Component::ParentDir if rel.pop() => {}
            Component::ParentDir => return escape("climbs out of the root"),
            Component::RootDir | Component::Prefix(_) => return escape("is absolute"),
        }
    }
    if rel.as_os_str().is_empty() {
        return escape("names the root itself");
    }
    // The deepest existing ancestor (or the file itself) must resolve inside
    // the root, whatever symbolic links lie on the way.
    let full = root.join(&rel);
    let mut existing = full.as_path();
    while fs::symlink_metadata(existing).is_err() {
        existing = match existing.parent() {
            Some(parent) => parent,
            None => break,
        };
    }
    let Ok(real) = fs::canonicalize(existing) else {
        return escape("is a symbolic link that does not resolve");
    };
    if !real.starts_with(root) {
        return escape("leads outside the root through a symbolic link");
    }
    match full.strip_prefix(existing) {
        Ok(rest) if !rest.as_os_str().is_empty() => Ok(real.join(rest)),
        _ => Ok(real),
    }
}

/// One file's operations, computed in memory.
struct FileWork {
    target: PathBuf,
    original: Option<String>,
    content: Option<String>,
    mode: Option<u32>,
    results: Vec<(usize, StepResult)>,
}

impl FileWork {
    fn failed(&self) -> bool {
        self.results.iter().any(|(_, r)| r.error.is_some())
    }

    fn run(
        target: &Path,
        indexes: &[usize],
        steps: &[PlanStep],
        options: &PlanOptions,
    ) -> FileWork {
        let original = match fs::read(target) {
            Ok(bytes) => Some(String::from_utf8_lossy(&bytes).into_owned()),
            Err(_) => None,
        };
        let mut work = FileWork {
            target: target.to_owned(),
            content: original.clone(),
            original,
            mode: None,
            results: Vec::with_capacity(indexes.len()),
        };
        for &i in indexes {
            let result = work.step(&steps[i], options);
            work.results.push((i, result));
        }
        work
    }

    /// Runs one operation on the in-memory content.
    fn step(&mut self, step: &PlanStep, options: &PlanOptions) -> StepResult {
        let before = self.content.clone();
        let outcome = check_sha(step, before.as_deref()).and_then(|()| self.next(step, options));
        let (after, already_applied, error) = match outcome {
            Ok((after, already)) => (after, already, None),
            Err(e) => (before.clone(), false, Some(e)),
        };
        let conflicted = matches!(error, Some(Error::Conflict { .. }));
        let patch = create_diff(
            &step.path,
            before.as_deref(),
            after.as_deref(),
            &options.diff,
        )
        .unwrap_or_else(|_| empty_patch(&step.path));
        let applied = error.is_none() && after != before;
        if error.is_none() {
            self.content = after;
            if let Operation::Write { mode: Some(m), .. } = step.operation {
                self.mode = Some(m);
            }
        }
        StepResult {
            patch,
            applied,
            conflicted,
            already_applied,
            error,
        }
    }

    /// The content after `step`, and whether a patch was already applied.
    fn next(&self, step: &PlanStep, options: &PlanOptions) -> Result<(Option<String>, bool)> {
        let current = self.content.as_deref();
        let missing = || Error::file_conflict(&step.path, "the file does not exist");
        match &step.operation {
            Operation::Write { content, .. } => Ok((Some(content.clone()), false)),
            Operation::Delete => Ok((None, false)),
            Operation::Replace {
                pattern,
                replacement,
                all,
            } => {
                let text = current.ok_or_else(missing)?;
                let (new, count) = replace(text, pattern, replacement, *all)?;
                if count == 0 {
                    return Err(Error::file_conflict(
                        &step.path,
                        "the pattern was not found",
                    ));
                }
                Ok((Some(new), false))
            }
            Operation::Patch { diff } => {
                let text = current.unwrap_or("");
                let reports = check_patch(text, diff, &options.apply)?;
                if reports
                    .iter()
                    .all(|r| r.status == HunkStatus::AlreadyApplied)
                    && !reports.is_empty()
                {
                    return Ok((Some(text.to_owned()), true));
                }
                let new = apply_patch_with(text, diff, Some(&step.path), &options.apply)?;
                Ok((Some(new), false))
            }
        }
    }
}

fn check_sha(step: &PlanStep, current: Option<&str>) -> Result<()> {
    let Some(expected) = &step.expect_sha else {
        return Ok(());
    };
    let found = current.map_or_else(|| "(absent)".to_owned(), |t| sha256_hex(t.as_bytes()));
    if found.eq_ignore_ascii_case(expected) {
        return Ok(());
    }
    Err(Error::StaleBase {
        path: step.path.clone(),
        expected: expected.clone(),
        found,
    })
}

fn empty_patch(path: &str) -> FilePatch {
    create_diff(path, Some(""), Some(""), &DiffOptions::default()).expect("an empty diff")
}

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Writes every changed file: first all temporary files (flushed to disk),
/// then the renames, so a failure before the renames changes nothing.
fn write_all(files: Vec<FileWork>, results: &mut [Option<StepResult>], atomic: bool) -> Result<()> {
    let changed: Vec<&FileWork> = files
        .iter()
        .filter(|f| f.content != f.original || f.mode.is_some())
        .collect();
    let staged = stage_all(&changed);
    if atomic {
        if let Some(e) = staged.iter().find_map(|s| s.as_ref().err()).cloned() {
            staged.into_iter().flatten().for_each(Staged::discard);
            return Err(e);
        }
    }
    let mut dirs = std::collections::BTreeSet::new();
    for staged in staged.into_iter().flatten() {
        if let Some(dir) = staged.target.parent() {
            dirs.insert(dir.to_owned());
        }
        staged.commit()?;
    }
    // One flush per directory makes the renames durable.
    for dir in dirs {
        if let Ok(handle) = fs::File::open(&dir) {
            let _ = handle.sync_all();
        }
    }
    for file in files {
        for (i, r) in file.results {
            results[i] = Some(r);
        }
    }
    Ok(())
}

/// Stages files on up to 16 threads: the time goes to waiting for the disk
/// to flush, not to the CPU, so more threads than cores pay.
fn stage_all(files: &[&FileWork]) -> Vec<Result<Staged>> {
    let threads = files.len().clamp(1, 16);
    let chunk = files.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = files
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(|f| stage(f)).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| {
                h.join()
                    .unwrap_or_else(|_| vec![Err(Error::Io("a writer thread failed".into()))])
            })
            .collect()
    })
}

/// A file ready to be put in place: its temporary copy, or its removal.
struct Staged {
    target: PathBuf,
    temp: Option<PathBuf>,
}

fn stage(file: &FileWork) -> Result<Staged> {
    let io = |e: std::io::Error| Error::Io(format!("{}: {e}", file.target.display()));
    let Some(content) = &file.content else {
        return Ok(Staged {
            target: file.target.clone(),
            temp: None,
        });
    };
    let dir = file
        .target
        .parent()
        .ok_or_else(|| Error::Io("no parent directory".into()))?;
    fs::create_dir_all(dir).map_err(io)?;
    let name = file
        .target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
    let temp = dir.join(format!(".{name}.patchkit-{}-{n}.tmp", std::process::id()));
    let mut out = fs::File::create(&temp).map_err(io)?;
    let written = out
        .write_all(content.as_bytes())
        .and_then(|()| out.sync_all());
    let mode = set_mode(&temp, &file.target, file.mode);
    if let Err(e) = written.and(mode) {
        let _ = fs::remove_file(&temp);
        return Err(io(e));
    }
    Ok(Staged {
        target: file.target.clone(),
        temp: Some(temp),
    })
}

#[cfg(unix)]
fn set_mode(temp: &Path, target: &Path, mode: Option<u32>) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = match mode {
        Some(m) => Some(m & 0o7777),
        None => fs::metadata(target)
            .ok()
            .map(|m| m.permissions().mode() & 0o7777),
    };
    match mode {
        Some(m) => fs::set_permissions(temp, fs::Permissions::from_mode(m)),
        None => Ok(()),
    }
}

#[cfg(not(unix))]
fn set_mode(_: &Path, _: &Path, _: Option<u32>) -> std::io::Result<()> {
    Ok(())
}

impl Staged {
    fn commit(self) -> Result<()> {
        let io = |e: std::io::Error| Error::Io(format!("{}: {e}", self.target.display()));
        match &self.temp {
            Some(temp) => fs::rename(temp, &self.target).map_err(io)?,
            None => match fs::remove_file(&self.target) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(io(e)),
                _ => {}
            },
        }
        Ok(())
    }

    fn discard(self) {
        if let Some(temp) = self.temp {
            let _ = fs::remove_file(temp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root() -> PathBuf {
        let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("patchkit-plan-{}-{n}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn step(path: &str, operation: Operation) -> PlanStep {
        PlanStep {
            path: path.into(),
            operation,
            expect_sha: None,
        }
    }

    fn write(content: &str) -> Operation {
        Operation::Write {
            content: content.into(),
            mode: None,
        }
    }

    #[test]
    fn applies_operations_in_order_per_file() {
        let dir = root();
        fs::write(dir.join("a.txt"), "one\ntwo\n").unwrap();
        let steps = vec![
            step(
                "a.txt",
                Operation::Replace {
                    pattern: Pattern::Literal("two".into()),
                    replacement: "2".into(),
                    all: false,
                },
            ),
            step("sub/b.txt", write("new\n")),
            step(
                "a.txt",
                Operation::Patch {
                    diff: "@@ -1,2 +1,2 @@\n-one\n+1\n 2\n".into(),
                },
            ),
            step(
                "a.txt",
                Operation::Patch {
                    diff: "@@ -1,2 +1,2 @@\n-one\n+1\n 2\n".into(),
                },
            ),
        ];
        let results = apply_plan(&dir, &steps, &PlanOptions::default()).unwrap();
        let errors: Vec<_> = results.iter().map(|r| r.error.clone()).collect();
        assert!(errors.iter().all(Option::is_none), "{errors:?}");
        assert_eq!(fs::read_to_string(dir.join("a.txt")).unwrap(), "1\n2\n");
        assert_eq!(fs::read_to_string(dir.join("sub/b.txt")).unwrap(), "new\n");
        assert!(results[0].applied && results[1].applied && results[2].applied);
        assert!(!results[3].applied && results[3].already_applied);
        assert_eq!(results[2].patch.diff.lines().last(), Some(" 2"));
    }

    #[test]
    fn a_failed_operation_changes_nothing() {
        let dir = root();
        fs::write(dir.join("a.txt"), "one\n").unwrap();
        let steps = vec![
            step("b.txt", write("b\n")),
            step(
                "a.txt",
                Operation::Patch {
                    diff: "@@ -1 +1 @@\n-zzz\n+1\n".into(),
                },
            ),
        ];
        let results = apply_plan(&dir, &steps, &PlanOptions::default()).unwrap();
        assert!(!dir.join("b.txt").exists());
        assert_eq!(
            results[0].error.as_ref().map(Error::code),
            Some("NOT_APPLIED")
        );
        assert!(results[1].conflicted);
        let stale = PlanStep {
            expect_sha: Some("0".repeat(64)),
            ..step("a.txt", write("x"))
        };
        let results = apply_plan(&dir, &[stale], &PlanOptions::default()).unwrap();
        assert_eq!(
            results[0].error.as_ref().map(Error::code),
            Some("STALE_BASE")
        );
        assert_eq!(fs::read_to_string(dir.join("a.txt")).unwrap(), "one\n");
    }

    #[test]
    fn paths_are_confined() {
        let dir = root();
        for bad in ["/etc/passwd", "../x", "a/../../x", "", "a\0b"] {
            let err =
                apply_plan(&dir, &[step(bad, write("x"))], &PlanOptions::default()).unwrap_err();
            assert_eq!(err.code(), "PATH_ESCAPE", "{bad:?}");
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("/tmp", dir.join("out")).unwrap();
            let err = apply_plan(&dir, &[step("out/x", write("x"))], &PlanOptions::default())
                .unwrap_err();
            assert_eq!(err.code(), "PATH_ESCAPE");
        }
        assert!(apply_plan(
            &dir,
            &[step("a/../ok.txt", write("x"))],
            &PlanOptions::default()
        )
        .is_ok());
    }
}
