//! applyPatch and hasConflicts, sync and async.

use crate::error::Outcome;
use crate::js;
use crate::task::{Control, Work};
use crate::{run, schedule, Job};
use napi::bindgen_prelude::*;
use napi_derive::napi;
use patchkit_core::metrics::Call;
use patchkit_core::Cancel;

/// Applies a FilePatch (its `diff`) or unified diff text to `baseline`.
/// Throws `PATCH_CONFLICT` when a hunk does not fit, `PATCH_PARSE` when the
/// text is not a unified diff.
#[napi(
    js_name = "applyPatch",
    ts_args_type = "baseline: TextInput | null, patch: FilePatch | TextInput",
    ts_return_type = "string"
)]
pub fn apply_patch(env: Env, baseline: Unknown, patch: Unknown) -> Result<String> {
    run(&env, Some(Call::ApplyPatch), || {
        let mut work = read(baseline, patch, false)?;
        let bytes = work.bytes_in();
        match work.run(Cancel::default())? {
            Either::A(text) => Ok((text, bytes)),
            Either::B(_) => unreachable!("apply work returns text"),
        }
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
    schedule(&env, Call::ApplyPatchAsync, || {
        let control =
            Control::from_options(&env, js::object_or_none(options, "options")?.as_ref())?;
        Ok((read(baseline, patch, false)?, control))
    })
}

/// `true` when `applyPatch` would fail with a conflict. Unparseable patches
/// still throw `PATCH_PARSE`.
#[napi(
    js_name = "hasConflicts",
    ts_args_type = "baseline: TextInput | null, patch: FilePatch | TextInput"
)]
pub fn has_conflicts(env: Env, baseline: Unknown, patch: Unknown) -> Result<bool> {
    run(&env, Some(Call::HasConflicts), || {
        let mut work = read(baseline, patch, true)?;
        let bytes = work.bytes_in();
        match work.run(Cancel::default())? {
            Either::B(conflicted) => Ok((conflicted, bytes)),
            Either::A(_) => unreachable!("check work returns a boolean"),
        }
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
    schedule(&env, Call::HasConflictsAsync, || {
        let control =
            Control::from_options(&env, js::object_or_none(options, "options")?.as_ref())?;
        Ok((read(baseline, patch, true)?, control))
    })
}

fn read(baseline: Unknown, patch: Unknown, check_only: bool) -> Outcome<ApplyWork> {
    let baseline = js::text_or_null(baseline, "baseline")?.map(|t| t.into_owned());
    let (text, path) = js::patch_text(patch)?;
    Ok(ApplyWork {
        baseline: baseline.unwrap_or_default(),
        text,
        path,
        check_only,
    })
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

    fn bytes_in(&self) -> usize {
        self.baseline.len() + self.text.len()
    }

    fn to_js(output: Self::Output) -> Self::Js {
        output
    }
}
