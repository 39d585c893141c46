//! Node.js binding of `patchkit-core`. This crate only converts JS values,
//! schedules work and maps errors; every decision about diffs and patches is
//! made in the core.

#![deny(clippy::all)]

mod error;
mod js;

use error::{guard, Outcome};
use js::JsFilePatch;
use napi::bindgen_prelude::*;
use napi_derive::napi;

/// Runs a binding body with panics caught and failures thrown as coded JS
/// errors.
fn run<T>(env: &Env, body: impl FnOnce() -> Outcome<T>) -> Result<T> {
    guard(body).map_err(|failure| failure.throw(env))
}

/// Diffs `baseline` against `proposed` exactly as `@cortex-os/patchkit`'s
/// `createDiff` does on jsdiff 5.2 (`null` is an absent file).
#[napi(
    js_name = "createDiff",
    ts_args_type = "path: string, baseline: string | null, proposed: string | null, options?: PatchFormattingOptions",
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
        let options = js::diff_options(options)?;
        let patch =
            patchkit_core::create_diff(&path, before.as_deref(), after.as_deref(), &options)?;
        Ok(JsFilePatch(patch))
    })
}

/// Applies a FilePatch (its `diff`) or unified diff text to `baseline`.
/// Throws `PATCH_CONFLICT` when a hunk does not fit, `PATCH_PARSE` when the
/// text is not a unified diff.
#[napi(
    js_name = "applyPatch",
    ts_args_type = "baseline: string | null, patch: FilePatch | string",
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

/// `true` when `applyPatch` would fail with a conflict. Unparseable patches
/// still throw `PATCH_PARSE`.
#[napi(
    js_name = "hasConflicts",
    ts_args_type = "baseline: string | null, patch: FilePatch | string"
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
        left: display(&env, baseline)?,
        right: display(&env, proposed)?,
    })
}

/// The two sides of `formatJsonSideBySide`.
#[napi(object)]
pub struct SideBySide {
    pub left: String,
    pub right: String,
}

fn display(env: &Env, value: Unknown) -> Result<String> {
    match value.get_type()? {
        ValueType::Undefined => Ok("undefined".to_owned()),
        ValueType::String => unsafe { String::from_napi_value(env.raw(), value.raw()) },
        _ => {
            let json = env.get_global()?.get_named_property::<Object>("JSON")?;
            let stringify: Function<FnArgs<(Unknown, Null, u32)>, Unknown> =
                json.get_named_property("stringify")?;
            let out = stringify.apply(json, FnArgs::from((value, Null, 2)))?;
            match out.get_type()? {
                ValueType::String => unsafe { String::from_napi_value(env.raw(), out.raw()) },
                _ => Ok("null".to_owned()),
            }
        }
    }
}
