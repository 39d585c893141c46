//! Node.js binding of `patchkit-core`. This crate only converts JS values,
//! schedules work and maps errors; every decision about diffs and patches is
//! made in the core.
//!
//! - `diff.rs`: createDiff, createDiffAsync, createDiffs, createDiffsSync, configure
//! - `apply.rs`: applyPatch, hasConflicts, checkPatch, applyPatches (each
//!   also async) and reversePatch
//! - `cache.rs`: the `DiffCache` class
//! - `metrics.rs`: getMetrics, resetMetrics, and the per-call recording
//! - `format.rs`: formatUnifiedDiff, formatJsonSideBySide
//! - `plan.rs`: applyPlan
//! - `parse.rs`: parsePatch, parsePatchAsync
//! - `js.rs` (values in and out), `task.rs` (async jobs), `error.rs` (errors)

#![deny(clippy::all)]

pub mod apply;
pub mod cache;
pub mod diff;
mod error;
pub mod format;
mod js;
pub mod metrics;
pub mod parse;
pub mod plan;
mod task;

pub use cache::JsDiffCache;

use error::{guard, Outcome};
use napi::bindgen_prelude::*;
use patchkit_core::metrics::Call;
use task::{Control, Job, Work};

/// Runs a sync binding body: panics caught, the call counted in the
/// metrics, failures thrown as coded JS errors.
fn run<T>(env: &Env, call: Option<Call>, body: impl FnOnce() -> Outcome<(T, usize)>) -> Result<T> {
    let started = std::time::Instant::now();
    let outcome = guard(body);
    if let Some(call) = call {
        let bytes = outcome.as_ref().map_or(0, |(_, bytes)| *bytes);
        let error = outcome.as_ref().err().map(|f| f.code());
        patchkit_core::metrics::record_call(call, bytes, started.elapsed(), error);
    }
    outcome
        .map(|(value, _)| value)
        .map_err(|failure| failure.throw(env))
}

/// Runs a [`Work`] on the calling thread: the sync form of an async
/// function, with the same reading of its arguments.
fn run_work<W: Work>(
    env: &Env,
    call: Call,
    read: impl FnOnce() -> Outcome<W>,
) -> Result<W::Output> {
    run(env, Some(call), || {
        let mut work = read()?;
        let bytes = work.bytes_in();
        Ok((work.run(patchkit_core::Cancel::default())?, bytes))
    })
}

/// Schedules async work: argument errors throw at once, before any promise
/// exists, as the sync functions do.
fn schedule<W: Work>(
    env: &Env,
    call: Call,
    body: impl FnOnce() -> Outcome<(W, Control)>,
) -> Result<AsyncTask<Job<W>>> {
    match guard(body) {
        Ok((work, control)) => Ok(Job::new(work, control, call)),
        Err(failure) => {
            patchkit_core::metrics::record_call(call, 0, Default::default(), Some(failure.code()));
            Err(failure.throw(env))
        }
    }
}
