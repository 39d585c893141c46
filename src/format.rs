//! The formatters, which need no core logic: `formatUnifiedDiff` returns the
//! patch's text and `formatJsonSideBySide` uses the host's `JSON.stringify`.

use crate::{error, js, run};
use napi::bindgen_prelude::*;
use napi_derive::napi;

/// Returns the patch's unified diff text (`patch.diff`).
#[napi(js_name = "formatUnifiedDiff", ts_args_type = "patch: FilePatch")]
pub fn format_unified_diff(env: Env, patch: Unknown) -> Result<String> {
    run(&env, None, || match patch.get_type()? {
        ValueType::Object => Ok((js::patch_text(patch)?.0, 0)),
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
