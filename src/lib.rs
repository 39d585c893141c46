//! Node.js binding of `patchkit-core`. This crate only converts JS values,
//! schedules work and maps errors; every decision about diffs and patches is
//! made in the core.

#![deny(clippy::all)]

mod error;
mod js;
mod task;

use error::{guard, Outcome};
use js::{JsFilePatch, JsFilePatches};
use napi::bindgen_prelude::*;
use napi_derive::napi;
use patchkit_core::batch::DiffInput;
use patchkit_core::{Cancel, DiffOptions, FilePatch};
use task::{Control, Job, Work};

/// Runs a binding body with panics caught and failures thrown as coded JS
/// errors.
fn run<T>(env: &Env, body: impl FnOnce() -> Outcome<T>) -> Result<T> {
    guard(body).map_err(|failure| failure.throw(env))
}

/// Like [`run`] for the async functions: argument errors throw at once,
/// before any promise exists, as the sync functions do.
fn schedule<W: Work>(
    env: &Env,
    body: impl FnOnce() -> Outcome<(W, Control)>,
) -> Result<AsyncTask<Job<W>>> {
    run(env, || {
        body().map(|(work, control)| Job::new(work, control))
    })
}

// ---------------------------------------------------------------------------
// createDiff
// ---------------------------------------------------------------------------

/// Diffs `baseline` against `proposed` exactly as `@cortex-os/patchkit`'s
/// `createDiff` does on jsdiff 5.2 (`null` is an absent file).
#[napi(
    js_name = "createDiff",
    ts_args_type = "path: string, baseline: TextInput | null, proposed: TextInput | null, options?: PatchFormattingOptions",
    ts_return_type = "FilePatch"
)]
pub fn create_diff(
    env: Env,
    path: Unknown,
    baseline: Unknown,
    proposed: Unknown,
    options: Option<Unknown>,
) -> Result<JsFilePatch> {
    run(&env, || {
        let path = js::text(path, "path")?;
        let before = js::text_or_null(baseline, "baseline")?;
        let after = js::text_or_null(proposed, "proposed")?;
        let options = js::diff_options(js::object_or_none(options, "options")?.as_ref())?;
        let patch =
            patchkit_core::create_diff(&path, before.as_deref(), after.as_deref(), &options)?;
        Ok(JsFilePatch(patch))
    })
}

/// `createDiff` computed on libuv's threadpool. Rejects with `ABORTED` when
/// `options.signal` aborts and `TIMEOUT` after `options.timeoutMs` (unless
/// `onTimeout: 'fallback'`, which returns the linear-space engine's diff).
#[napi(
    js_name = "createDiffAsync",
    ts_args_type = "path: string, baseline: TextInput | null, proposed: TextInput | null, options?: AsyncDiffOptions",
    ts_return_type = "Promise<FilePatch>"
)]
pub fn create_diff_async(
    env: Env,
    path: Unknown,
    baseline: Unknown,
    proposed: Unknown,
    options: Option<Unknown>,
) -> Result<AsyncTask<Job<DiffWork>>> {
    schedule(&env, || {
        let object = js::object_or_none(options, "options")?;
        let control = Control::from_options(&env, object.as_ref())?;
        let mut options = js::diff_options(object.as_ref())?;
        options.fallback_on_timeout = control.fallback_on_timeout;
        let work = DiffWork {
            input: DiffInput {
                path: js::text(path, "path")?.into_owned(),
                before: js::text_or_null(baseline, "baseline")?.map(|t| t.into_owned()),
                after: js::text_or_null(proposed, "proposed")?.map(|t| t.into_owned()),
            },
            options,
        };
        Ok((work, control))
    })
}

pub struct DiffWork {
    input: DiffInput,
    options: DiffOptions,
}

impl Work for DiffWork {
    type Output = FilePatch;
    type Js = JsFilePatch;

    fn run(&mut self, cancel: Cancel) -> Outcome<FilePatch> {
        let i = &self.input;
        Ok(patchkit_core::create_diff_with(
            &i.path,
            i.before.as_deref(),
            i.after.as_deref(),
            &self.options,
            cancel,
        )?)
    }

    fn to_js(output: FilePatch) -> JsFilePatch {
        JsFilePatch(output)
    }
}

// ---------------------------------------------------------------------------
// Batches
// ---------------------------------------------------------------------------

/// Diffs many files at once, in parallel on the shared thread pool, off the
/// main thread. Results are in input order.
#[napi(
    js_name = "createDiffs",
    ts_args_type = "entries: DiffEntry[], options?: AsyncDiffOptions",
    ts_return_type = "Promise<FilePatch[]>"
)]
pub fn create_diffs(
    env: Env,
    entries: Unknown,
    options: Option<Unknown>,
) -> Result<AsyncTask<Job<BatchWork>>> {
    schedule(&env, || {
        let object = js::object_or_none(options, "options")?;
        let control = Control::from_options(&env, object.as_ref())?;
        let mut options = js::diff_options(object.as_ref())?;
        options.fallback_on_timeout = control.fallback_on_timeout;
        let inputs = js::diff_entries(entries)?;
        Ok((BatchWork { inputs, options }, control))
    })
}

/// `createDiffs` on the calling thread (still parallel on the pool).
#[napi(
    js_name = "createDiffsSync",
    ts_args_type = "entries: DiffEntry[], options?: PatchFormattingOptions",
    ts_return_type = "FilePatch[]"
)]
pub fn create_diffs_sync(
    env: Env,
    entries: Unknown,
    options: Option<Unknown>,
) -> Result<JsFilePatches> {
    run(&env, || {
        let options = js::diff_options(js::object_or_none(options, "options")?.as_ref())?;
        let inputs = js::diff_entries(entries)?;
        let patches = patchkit_core::batch::create_diffs(&inputs, &options, Cancel::default())?;
        Ok(JsFilePatches(patches))
    })
}

pub struct BatchWork {
    inputs: Vec<DiffInput>,
    options: DiffOptions,
}

impl Work for BatchWork {
    type Output = Vec<FilePatch>;
    type Js = JsFilePatches;

    fn run(&mut self, cancel: Cancel) -> Outcome<Vec<FilePatch>> {
        Ok(patchkit_core::batch::create_diffs(
            &self.inputs,
            &self.options,
            cancel,
        )?)
    }

    fn to_js(output: Vec<FilePatch>) -> JsFilePatches {
        JsFilePatches(output)
    }
}

/// Sets process-wide settings before first use. `threads`: the size of the
/// pool that runs batches (default: `PATCHKIT_THREADS` or the number of
/// cores); it can be set only before the first batch.
#[napi(
    ts_args_type = "settings: { threads?: number }",
    ts_return_type = "{ threads: number }"
)]
pub fn configure(env: Env, settings: Unknown) -> Result<Configured> {
    run(&env, || {
        let settings = js::object_or_none(Some(settings), "settings")?;
        if let Some(object) = settings.as_ref() {
            if let Some(threads) = js::uint_field(object, "threads", 1024.0)? {
                patchkit_core::batch::configure_threads(threads as usize)?;
            }
        }
        Ok(Configured {
            threads: patchkit_core::batch::threads() as u32,
        })
    })
}

/// The settings in force after `configure`.
#[napi(object)]
pub struct Configured {
    pub threads: u32,
}

// ---------------------------------------------------------------------------
// applyPatch / hasConflicts
// ---------------------------------------------------------------------------

/// Applies a FilePatch (its `diff`) or unified diff text to `baseline`.
/// Throws `PATCH_CONFLICT` when a hunk does not fit, `PATCH_PARSE` when the
/// text is not a unified diff.
#[napi(
    js_name = "applyPatch",
    ts_args_type = "baseline: TextInput | null, patch: FilePatch | TextInput",
    ts_return_type = "string"
)]
pub fn apply_patch(env: Env, baseline: Unknown, patch: Unknown) -> Result<String> {
    run(&env, || {
        let baseline = js::text_or_null(baseline, "baseline")?;
        let (text, path) = js::patch_text(patch)?;
        Ok(patchkit_core::apply_patch(
            baseline.as_deref().unwrap_or(""),
            &text,
            path.as_deref(),
        )?)
    })
}

/// `applyPatch` on libuv's threadpool.
#[napi(
    js_name = "applyPatchAsync",
    ts_args_type = "baseline: TextInput | null, patch: FilePatch | TextInput, options?: AsyncOptions",
    ts_return_type = "Promise<string>"
)]
pub fn apply_patch_async(
    env: Env,
    baseline: Unknown,
    patch: Unknown,
    options: Option<Unknown>,
) -> Result<AsyncTask<Job<ApplyWork>>> {
    schedule(&env, || apply_work(&env, baseline, patch, options, false))
}

/// `true` when `applyPatch` would fail with a conflict. Unparseable patches
/// still throw `PATCH_PARSE`.
#[napi(
    js_name = "hasConflicts",
    ts_args_type = "baseline: TextInput | null, patch: FilePatch | TextInput"
)]
pub fn has_conflicts(env: Env, baseline: Unknown, patch: Unknown) -> Result<bool> {
    run(&env, || {
        let baseline = js::text_or_null(baseline, "baseline")?;
        let (text, _) = js::patch_text(patch)?;
        Ok(patchkit_core::apply::has_conflicts(
            baseline.as_deref().unwrap_or(""),
            &text,
        )?)
    })
}

/// `hasConflicts` on libuv's threadpool.
#[napi(
    js_name = "hasConflictsAsync",
    ts_args_type = "baseline: TextInput | null, patch: FilePatch | TextInput, options?: AsyncOptions",
    ts_return_type = "Promise<boolean>"
)]
pub fn has_conflicts_async(
    env: Env,
    baseline: Unknown,
    patch: Unknown,
    options: Option<Unknown>,
) -> Result<AsyncTask<Job<ApplyWork>>> {
    schedule(&env, || apply_work(&env, baseline, patch, options, true))
}

fn apply_work(
    env: &Env,
    baseline: Unknown,
    patch: Unknown,
    options: Option<Unknown>,
    check_only: bool,
) -> Outcome<(ApplyWork, Control)> {
    let object = js::object_or_none(options, "options")?;
    let control = Control::from_options(env, object.as_ref())?;
    let baseline = js::text_or_null(baseline, "baseline")?.map(|t| t.into_owned());
    let (text, path) = js::patch_text(patch)?;
    let work = ApplyWork {
        baseline: baseline.unwrap_or_default(),
        text,
        path,
        check_only,
    };
    Ok((work, control))
}

pub struct ApplyWork {
    baseline: String,
    text: String,
    path: Option<String>,
    check_only: bool,
}

impl Work for ApplyWork {
    type Output = Either<String, bool>;
    type Js = Either<String, bool>;

    fn run(&mut self, cancel: Cancel) -> Outcome<Self::Output> {
        cancel.check()?;
        if self.check_only {
            let conflicted = patchkit_core::apply::has_conflicts(&self.baseline, &self.text)?;
            return Ok(Either::B(conflicted));
        }
        let text = patchkit_core::apply_patch(&self.baseline, &self.text, self.path.as_deref())?;
        Ok(Either::A(text))
    }

    fn to_js(output: Self::Output) -> Self::Js {
        output
    }
}

// ---------------------------------------------------------------------------
// Formatters
// ---------------------------------------------------------------------------

/// Returns the patch's unified diff text (`patch.diff`).
#[napi(js_name = "formatUnifiedDiff", ts_args_type = "patch: FilePatch")]
pub fn format_unified_diff(env: Env, patch: Unknown) -> Result<String> {
    run(&env, || match patch.get_type()? {
        ValueType::Object => Ok(js::patch_text(patch)?.0),
        other => error::argument(format!(
            "patch must be a FilePatch, got {}",
            js::type_name(other)
        )),
    })
}

/// Both values as display text: strings as they are, `undefined` as
/// `'undefined'`, anything else through `JSON.stringify(value, null, 2)`.
#[napi(
    js_name = "formatJsonSideBySide",
    ts_args_type = "baseline: unknown, proposed: unknown"
)]
pub fn format_json_side_by_side(
    env: Env,
    baseline: Unknown,
    proposed: Unknown,
) -> Result<SideBySide> {
    Ok(SideBySide {
        left: js::display(&env, baseline)?,
        right: js::display(&env, proposed)?,
    })
}

/// The two sides of `formatJsonSideBySide`.
#[napi(object)]
pub struct SideBySide {
    pub left: String,
    pub right: String,
}
