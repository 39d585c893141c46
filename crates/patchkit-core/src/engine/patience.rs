//! Patience diff, computed by `similar` 3's algorithm-level API on the
//! interned line ids: a [`DiffHook`] turns its callbacks into [`Run`]s.
//! Only the algorithm is borrowed: `similar`'s `TextDiff` and unified
//! printer are never used, so the hunks, text and markers come from
//! `hunks.rs` like every engine's.
//!
//! The hook walks the callbacks by their lengths, not by the positions they
//! carry, and checks the caller's flag and deadline as it goes; the deadline
//! is also given to `similar`, which then cuts its search short (the result
//! is dropped for [`crate::Error::Timeout`]). The work budget does not apply:
//! `similar` bounds its own search (a fast path for sides with almost
//! nothing in common, cost heuristics in its Myers).
//!
//! `similar` 2.7 and 3.2 measured on the benchmark's inputs (release build,
//! median of 301 runs, interning excluded): 10,000 lines with 10% changed
//! 12.2 ms (2.7) / 4.5 ms (3.2); 10,000 lines fully rewritten 821 ms / 23 ms.
//! 3.2 is kept.

use super::{Cancel, Run, RunsBuilder};
use crate::error::{Error, Result};
use similar::algorithms::{patience, DiffHook};

/// Diffs `old` against `new` with the patience algorithm. Output runs put a
/// gap's removals before its insertions.
pub fn diff(old: &[u32], new: &[u32], cancel: Cancel) -> Result<Vec<Run>> {
    cancel.check()?;
    let mut hook = Hook {
        out: RunsBuilder::default(),
        old_seen: 0,
        new_seen: 0,
        calls: 0,
        cancel,
    };
    patience::diff_deadline(
        &mut hook,
        old,
        0..old.len(),
        new,
        0..new.len(),
        cancel.deadline,
    )?;
    cancel.check()?;
    if (hook.old_seen, hook.new_seen) != (old.len(), new.len()) {
        // Never seen; a result that does not cover both sides is replaced by
        // the crate's own Myers rather than trusted.
        return super::myers::diff(old, new, u64::MAX, cancel);
    }
    Ok(hook.out.finish())
}

struct Hook<'c> {
    out: RunsBuilder,
    old_seen: usize,
    new_seen: usize,
    calls: u32,
    cancel: Cancel<'c>,
}

impl Hook<'_> {
    fn step(&mut self) -> Result<()> {
        self.calls = self.calls.wrapping_add(1);
        if self.calls.is_multiple_of(64) {
            self.cancel.check()?;
        }
        Ok(())
    }
}

impl DiffHook for Hook<'_> {
    type Error = Error;

    fn equal(&mut self, _old: usize, _new: usize, len: usize) -> Result<()> {
        self.out.equal(len);
        self.old_seen += len;
        self.new_seen += len;
        self.step()
    }

    fn delete(&mut self, _old: usize, old_len: usize, _new: usize) -> Result<()> {
        self.out.delete(old_len);
        self.old_seen += old_len;
        self.step()
    }

    fn insert(&mut self, _old: usize, _new: usize, new_len: usize) -> Result<()> {
        self.out.insert(new_len);
        self.new_seen += new_len;
        self.step()
    }
}
