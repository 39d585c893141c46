//! createDiff in its sync, async and batch forms.

use crate::error::Outcome;
use crate::js::{self, JsFilePatch, JsFilePatches};
use crate::task::{Control, Work};
use crate::{run, schedule, Job};
use napi::bindgen_prelude::*;
use napi_derive::napi;
use patchkit_core::batch::{self, ContentInput, Input};
use patchkit_core::cache::DiffCache;
use patchkit_core::content::Content;
use patchkit_core::metrics::Call;
use patchkit_core::{Cancel, DiffOptions, FilePatch};
use std::sync::Arc;

/// Diffs `baseline` against `proposed` exactly as `@cortex-os/patchkit`'s
/// `createDiff` does on jsdiff 5.2 (`null` is an absent file). A Buffer or
/// Uint8Array with a NUL byte among its first 8,000 bytes is binary: no
/// hunks, `Binary files … differ` (README, "Binary content").
#[napi(
    js_name = "createDiff",
    ts_args_type = "path: string, baseline: TextInput | null, proposed: TextInput | null, options?: DiffOptions",
    ts_return_type = "FilePatch"
)]
pub fn create_diff(
    env: Env,
    path: Unknown,
    baseline: Unknown,
    proposed: Unknown,
    options: Option<Unknown>,
) -> Result<JsFilePatch> {
    run(&env, Some(Call::CreateDiff), || {
        let object = js::object_or_none(options, "options")?;
        let options = js::diff_options(object.as_ref())?;
        let cache = js::cache_option(object.as_ref())?;
        let input = ContentInput {
            path: js::text(path, "path")?.into_owned(),
            before: js::content_or_null(baseline, "baseline")?,
            after: js::content_or_null(proposed, "proposed")?,
        };
        let patch = batch::diff_one(&input, &options, Cancel::default(), cache.as_deref())?;
        Ok((JsFilePatch(patch), input_bytes(&input)))
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
    schedule(&env, Call::CreateDiffAsync, || {
        let (options, cache, control) = async_options(&env, options)?;
        let input = ContentInput {
            path: js::text(path, "path")?.into_owned(),
            before: js::content_or_null(baseline, "baseline")?,
            after: js::content_or_null(proposed, "proposed")?,
        };
        Ok((
            DiffWork {
                input,
                options,
                cache,
            },
            control,
        ))
    })
}

/// The options of an async diff call: formatting, cache, and control.
fn async_options(
    env: &Env,
    options: Option<Unknown>,
) -> Outcome<(DiffOptions, Option<Arc<DiffCache>>, Control)> {
    let object = js::object_or_none(options, "options")?;
    let control = Control::from_options(env, object.as_ref())?;
    let mut diff_options = js::diff_options(object.as_ref())?;
    diff_options.fallback_on_timeout = control.fallback_on_timeout;
    Ok((diff_options, js::cache_option(object.as_ref())?, control))
}

fn input_bytes(input: &ContentInput) -> usize {
    let (before, after) = input.sides();
    before.map_or(0, Content::len) + after.map_or(0, Content::len)
}

pub struct DiffWork {
    input: ContentInput,
    options: DiffOptions,
    cache: Option<Arc<DiffCache>>,
}

impl Work for DiffWork {
    type Output = Arc<FilePatch>;
    type Js = JsFilePatch;

    fn run(&mut self, cancel: Cancel) -> Outcome<Self::Output> {
        Ok(batch::diff_one(
            &self.input,
            &self.options,
            cancel,
            self.cache.as_deref(),
        )?)
    }

    fn bytes_in(&self) -> usize {
        input_bytes(&self.input)
    }

    fn to_js(output: Self::Output) -> JsFilePatch {
        JsFilePatch(output)
    }
}

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
    schedule(&env, Call::CreateDiffs, || {
        let (options, cache, control) = async_options(&env, options)?;
        let inputs = js::diff_entries(entries)?;
        Ok((
            BatchWork {
                inputs,
                options,
                cache,
            },
            control,
        ))
    })
}

/// `createDiffs` on the calling thread (still parallel on the pool).
#[napi(
    js_name = "createDiffsSync",
    ts_args_type = "entries: DiffEntry[], options?: DiffOptions",
    ts_return_type = "FilePatch[]"
)]
pub fn create_diffs_sync(
    env: Env,
    entries: Unknown,
    options: Option<Unknown>,
) -> Result<JsFilePatches> {
    run(&env, Some(Call::CreateDiffsSync), || {
        let object = js::object_or_none(options, "options")?;
        let options = js::diff_options(object.as_ref())?;
        let cache = js::cache_option(object.as_ref())?;
        let inputs = js::diff_entries(entries)?;
        let patches = batch::create_diffs(&inputs, &options, Cancel::default(), cache.as_deref())?;
        Ok((JsFilePatches(patches), inputs.iter().map(input_bytes).sum()))
    })
}

pub struct BatchWork {
    inputs: Vec<ContentInput>,
    options: DiffOptions,
    cache: Option<Arc<DiffCache>>,
}

impl Work for BatchWork {
    type Output = Vec<Arc<FilePatch>>;
    type Js = JsFilePatches;

    fn run(&mut self, cancel: Cancel) -> Outcome<Self::Output> {
        Ok(batch::create_diffs(
            &self.inputs,
            &self.options,
            cancel,
            self.cache.as_deref(),
        )?)
    }

    fn bytes_in(&self) -> usize {
        self.inputs.iter().map(input_bytes).sum()
    }

    fn to_js(output: Self::Output) -> JsFilePatches {
        JsFilePatches(output)
    }
}

/// Sets process-wide settings. `threads`: the size of the pool that runs
/// batches (default: `PATCHKIT_THREADS` or the number of cores); it can be
/// set only before the first batch. `metrics`: `false` stops recording
/// (`getMetrics()` then stands still); on by default.
#[napi(ts_args_type = "settings: { threads?: number; metrics?: boolean }")]
pub fn configure(env: Env, settings: Unknown) -> Result<Configured> {
    run(&env, None, || {
        let settings = js::object_or_none(Some(settings), "settings")?;
        if let Some(object) = settings.as_ref() {
            if let Some(threads) = js::uint_field(object, "threads", 1024.0)? {
                batch::configure_threads(threads as usize)?;
            }
            let metrics = object.get_named_property::<Unknown>("metrics")?;
            match metrics.get_type()? {
                ValueType::Undefined => {}
                ValueType::Boolean => {
                    patchkit_core::metrics::set_enabled(metrics.coerce_to_bool()?)
                }
                other => {
                    return crate::error::argument(format!(
                        "settings.metrics must be a boolean, got {}",
                        js::type_name(other)
                    ))
                }
            }
        }
        let threads = batch::threads() as u32;
        let metrics = patchkit_core::metrics::enabled();
        Ok((Configured { threads, metrics }, 0))
    })
}

/// The settings in force after `configure`.
#[napi(object)]
pub struct Configured {
    pub threads: u32,
    pub metrics: bool,
}
