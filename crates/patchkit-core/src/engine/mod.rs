//! Line diff engines. An engine reads two sequences of interned line ids and
//! emits [`Run`]s in order; it never formats text (that is `hunks.rs`).
//!
//! The default engine reproduces jsdiff 5.2's `diffLines` exactly
//! ([`jsdiff`]). Its search is bounded by a [`Budget`]; inputs that would
//! exceed it go to a linear-space Myers search ([`myers`]) that still yields
//! a correct diff, minimal unless its own share of the budget runs out.
//!
//! A caller may pick another [`Algorithm`] instead: [`myers`] itself,
//! [`patience`] or [`histogram`]. Each has the same shape (sides in, runs
//! out, removals before insertions in every gap), so all of them feed the
//! one `hunks::build`.

pub mod histogram;
pub mod jsdiff;
pub mod myers;
pub mod patience;

use crate::error::{Error, Result};
use crate::intern::Interned;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// What a run of lines does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunKind {
    /// Lines present on both sides.
    Equal,
    /// Lines only in the old side.
    Delete,
    /// Lines only in the new side.
    Insert,
}

/// `len` consecutive lines of one kind. Runs are consumed in order: an
/// `Equal` run advances both sides, `Delete` the old, `Insert` the new.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Run {
    pub kind: RunKind,
    pub len: u32,
}

/// Bounds on the jsdiff-compatible search, and on the fallback's search.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Budget {
    /// Work units (one per diagonal visited or line compared) each search
    /// may spend: about 15-20 ns each in the jsdiff-compatible search on the
    /// 2-core machine of BENCHMARKS.md, a few ns in the fallback.
    pub max_work: u64,
    /// Bytes the jsdiff-compatible search may hold at once.
    pub max_memory: u64,
}

impl Default for Budget {
    /// 16 million work units (about 0.3 s at most) and 256 MiB. Over the
    /// 1,197 file pairs of two versions of typescript, lodash and react-dom,
    /// the most any pair needed was 6.6 million; a 10,000-line file with 10%
    /// of its lines changed needs 2 million; 10,000 lines rewritten need 73
    /// million (and 1.5 s) and fall back.
    fn default() -> Self {
        Budget {
            max_work: 16_000_000,
            max_memory: 256 << 20,
        }
    }
}

/// Which engine produced a result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EngineUsed {
    /// The result follows from the input's shape (identical sides, an empty
    /// side, no line in common); identical to what jsdiff computes.
    Direct,
    /// The jsdiff-compatible search.
    Jsdiff,
    /// The budget was exceeded and the linear-space fallback ran.
    Fallback,
    /// The caller's deadline passed and, as asked, the fallback ran. Such a
    /// result depends on timing, so it is never cached.
    TimeoutFallback,
    /// The caller chose [`Algorithm::Myers`].
    Myers,
    /// The caller chose [`Algorithm::Patience`].
    Patience,
    /// The caller chose [`Algorithm::Histogram`].
    Histogram,
}

/// The line diff algorithm a caller asks for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Algorithm {
    /// jsdiff 5.2's search (with the budget's fallback): jsdiff's hunks.
    #[default]
    Jsdiff,
    /// The linear-space Myers search: minimal while the work budget lasts,
    /// deterministic, aligned differently from jsdiff at times.
    Myers,
    /// Patience diff (`similar`): anchors on lines unique to both sides.
    Patience,
    /// Histogram diff (`imara-diff`, git's `--histogram`).
    Histogram,
}

impl Algorithm {
    /// The names the binding accepts, in the order it lists them.
    pub const NAMES: [&'static str; 4] = ["jsdiff", "myers", "patience", "histogram"];

    /// The algorithm named `name` (one of [`Algorithm::NAMES`]).
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "jsdiff" => Some(Algorithm::Jsdiff),
            "myers" => Some(Algorithm::Myers),
            "patience" => Some(Algorithm::Patience),
            "histogram" => Some(Algorithm::Histogram),
            _ => None,
        }
    }
}

/// The runs of a diff and the engine that produced them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineDiff {
    pub runs: Vec<Run>,
    pub engine: EngineUsed,
}

/// How a caller stops a computation: a flag it may set from another thread,
/// and a deadline. Engines check both between steps.
#[derive(Debug, Clone, Copy, Default)]
pub struct Cancel<'a> {
    pub flag: Option<&'a AtomicBool>,
    pub deadline: Option<Instant>,
}

impl<'a> Cancel<'a> {
    /// Stops when `flag` is set.
    pub fn flag(flag: &'a AtomicBool) -> Self {
        Cancel {
            flag: Some(flag),
            deadline: None,
        }
    }

    /// `Err(Aborted)` once the flag is set, `Err(Timeout)` past the deadline.
    pub fn check(&self) -> Result<()> {
        if self.flag.is_some_and(|f| f.load(Ordering::Relaxed)) {
            return Err(Error::Aborted);
        }
        match self.deadline {
            Some(deadline) if Instant::now() >= deadline => Err(Error::Timeout),
            _ => Ok(()),
        }
    }

    /// The same, without the deadline.
    pub fn without_deadline(self) -> Self {
        Cancel {
            deadline: None,
            ..self
        }
    }
}

/// Why a bounded search gave up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Stop {
    OverBudget,
    Cancelled(Error),
}

/// Diffs two interned sides with jsdiff 5.2's result, or the fallback's when
/// the budget does not allow it.
///
/// With `fallback_on_timeout`, a deadline reached during the jsdiff search
/// does not fail: the fallback runs instead (without the deadline).
pub fn diff_lines(
    ids: &Interned,
    budget: Budget,
    cancel: Cancel,
    fallback_on_timeout: bool,
) -> Result<LineDiff> {
    diff_lines_with(ids, Algorithm::Jsdiff, budget, cancel, fallback_on_timeout)
}

/// Diffs two interned sides with `algorithm`.
///
/// Identical sides, an empty side and sides with no line in common have one
/// diff whatever the algorithm, answered without a search. With
/// `fallback_on_timeout`, a deadline reached during the search does not
/// fail: the Myers search runs instead, without the deadline.
pub fn diff_lines_with(
    ids: &Interned,
    algorithm: Algorithm,
    budget: Budget,
    cancel: Cancel,
    fallback_on_timeout: bool,
) -> Result<LineDiff> {
    if let Some(runs) = direct(ids) {
        return Ok(LineDiff {
            runs,
            engine: EngineUsed::Direct,
        });
    }
    let (old, new) = (&ids.old[..], &ids.new[..]);
    let (result, engine) = match algorithm {
        Algorithm::Jsdiff => return jsdiff_or_fallback(ids, budget, cancel, fallback_on_timeout),
        Algorithm::Myers => {
            // Myers is the timeout fallback itself: with one, it has no deadline.
            let cancel = if fallback_on_timeout {
                cancel.without_deadline()
            } else {
                cancel
            };
            (
                myers::diff(old, new, budget.max_work, cancel),
                EngineUsed::Myers,
            )
        }
        Algorithm::Patience => (patience::diff(old, new, cancel), EngineUsed::Patience),
        Algorithm::Histogram => (
            histogram::diff(old, new, ids.distinct, cancel),
            EngineUsed::Histogram,
        ),
    };
    match result {
        Ok(runs) => Ok(LineDiff { runs, engine }),
        Err(Error::Timeout) if fallback_on_timeout => Ok(LineDiff {
            runs: myers::diff(old, new, budget.max_work, cancel.without_deadline())?,
            engine: EngineUsed::TimeoutFallback,
        }),
        Err(e) => Err(e),
    }
}

/// jsdiff's search, or the Myers fallback past the budget (or, when asked,
/// the deadline).
fn jsdiff_or_fallback(
    ids: &Interned,
    budget: Budget,
    cancel: Cancel,
    fallback_on_timeout: bool,
) -> Result<LineDiff> {
    // The search visits about d × min(d, n, m) / 2 diagonals for an edit
    // distance d (the shorter side bounds how many diagonals stay alive).
    // When even a lower bound of d puts that far past the budget, the search
    // is certain to give up, so it is not started. Otherwise the search
    // counts its own work and stops at the budget.
    let d = ids.min_edit_distance() as u64;
    let shorter = ids.old.len().min(ids.new.len()) as u64;
    let estimate = d.saturating_mul(d.min(shorter)) / 2;
    let hopeless = estimate > budget.max_work.saturating_mul(4);
    let searched = if hopeless {
        Err(Stop::OverBudget)
    } else {
        jsdiff::diff(&ids.old, &ids.new, budget, cancel)
    };
    let engine = match searched {
        Ok(runs) => {
            return Ok(LineDiff {
                runs,
                engine: EngineUsed::Jsdiff,
            })
        }
        Err(Stop::Cancelled(Error::Timeout)) if fallback_on_timeout => EngineUsed::TimeoutFallback,
        Err(Stop::Cancelled(e)) => return Err(e),
        Err(Stop::OverBudget) => EngineUsed::Fallback,
    };
    let cancel = if fallback_on_timeout {
        cancel.without_deadline()
    } else {
        cancel
    };
    let runs = myers::diff(&ids.old, &ids.new, budget.max_work, cancel)?;
    Ok(LineDiff { runs, engine })
}

/// jsdiff's search with no budget and no shortcut, for tests that check the
/// shortcuts against it.
#[doc(hidden)]
pub fn jsdiff_search(old: &[u32], new: &[u32]) -> Vec<Run> {
    let budget = Budget {
        max_work: u64::MAX,
        max_memory: u64::MAX,
    };
    jsdiff::diff(old, new, budget, Cancel::default()).unwrap_or_default()
}

/// The cases whose jsdiff result is known without a search.
fn direct(ids: &Interned) -> Option<Vec<Run>> {
    let (old, new) = (ids.old.len() as u32, ids.new.len() as u32);
    if ids.old == ids.new {
        return Some(if old == 0 { vec![] } else { vec![equal(old)] });
    }
    if old == 0 {
        return Some(vec![insert(new)]);
    }
    if new == 0 {
        return Some(vec![delete(old)]);
    }
    if ids.nothing_in_common() {
        return Some(vec![delete(old), insert(new)]);
    }
    None
}

pub(crate) fn equal(len: u32) -> Run {
    Run {
        kind: RunKind::Equal,
        len,
    }
}
pub(crate) fn delete(len: u32) -> Run {
    Run {
        kind: RunKind::Delete,
        len,
    }
}
pub(crate) fn insert(len: u32) -> Run {
    Run {
        kind: RunKind::Insert,
        len,
    }
}

/// Checks that `runs` consume exactly `old` and `new` lines and that every
/// `Equal` line really is equal. Used by tests of every engine.
pub fn runs_are_valid(runs: &[Run], old: &[u32], new: &[u32]) -> bool {
    let (mut i, mut j) = (0usize, 0usize);
    for run in runs {
        let len = run.len as usize;
        match run.kind {
            RunKind::Equal => {
                if i + len > old.len() || j + len > new.len() || old[i..i + len] != new[j..j + len]
                {
                    return false;
                }
                i += len;
                j += len;
            }
            RunKind::Delete => i += len,
            RunKind::Insert => j += len,
        }
    }
    i == old.len() && j == new.len()
}

/// Lines removed plus lines added.
pub fn edit_count(runs: &[Run]) -> u64 {
    runs.iter()
        .filter(|r| r.kind != RunKind::Equal)
        .map(|r| r.len as u64)
        .sum()
}

/// Collects runs, merging every gap between equal runs into one removal
/// followed by one insertion (the order `hunks.rs` and jsdiff expect).
#[derive(Default)]
pub(crate) struct RunsBuilder {
    runs: Vec<Run>,
    deleted: usize,
    inserted: usize,
}

impl RunsBuilder {
    pub(crate) fn equal(&mut self, len: usize) {
        if len == 0 {
            return;
        }
        self.flush();
        match self.runs.last_mut() {
            Some(last) if last.kind == RunKind::Equal => last.len += len as u32,
            _ => self.runs.push(equal(len as u32)),
        }
    }
    pub(crate) fn delete(&mut self, len: usize) {
        self.deleted += len;
    }
    pub(crate) fn insert(&mut self, len: usize) {
        self.inserted += len;
    }
    fn flush(&mut self) {
        if self.deleted > 0 {
            self.runs.push(delete(self.deleted as u32));
        }
        if self.inserted > 0 {
            self.runs.push(insert(self.inserted as u32));
        }
        (self.deleted, self.inserted) = (0, 0);
    }
    pub(crate) fn finish(mut self) -> Vec<Run> {
        self.flush();
        self.runs
    }
}
