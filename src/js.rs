//! Reading JS arguments into core types and writing core results as JS
//! values. Validation lives here so every function reports bad input the
//! same way (`TypeError` with `code: 'INVALID_ARGUMENT'`).

use crate::error::{argument, Outcome};
use napi::bindgen_prelude::*;
use patchkit_core::{Budget, DiffOptions, FilePatch};

/// A `string | null` argument. `undefined` is refused, as the TypeScript
/// patchkit refuses it (its hashing throws).
pub fn text_or_null(value: Unknown, name: &str) -> Outcome<Option<String>> {
    match value.get_type()? {
        ValueType::Null => Ok(None),
        ValueType::String => Ok(Some(unsafe {
            String::from_napi_value(value.value().env, value.raw())?
        })),
        other => argument(format!(
            "{name} must be a string or null, got {}",
            type_name(other)
        )),
    }
}

/// A required `string` argument.
pub fn text(value: Unknown, name: &str) -> Outcome<String> {
    match value.get_type()? {
        ValueType::String => {
            Ok(unsafe { String::from_napi_value(value.value().env, value.raw())? })
        }
        other => argument(format!("{name} must be a string, got {}", type_name(other))),
    }
}

/// The text of a patch argument: unified diff text, or a FilePatch-like
/// object whose `diff` is used (as the TypeScript patchkit does), with its
/// `path` for messages.
pub fn patch_text(value: Unknown) -> Outcome<(String, Option<String>)> {
    match value.get_type()? {
        ValueType::String => Ok((text(value, "patch")?, None)),
        ValueType::Object => {
            let object = unsafe { Object::from_napi_value(value.value().env, value.raw())? };
            let diff = text(object.get_named_property::<Unknown>("diff")?, "patch.diff")?;
            let path = match object.get_named_property::<Unknown>("path")? {
                p if p.get_type()? == ValueType::String => Some(text(p, "patch.path")?),
                _ => None,
            };
            Ok((diff, path))
        }
        other => argument(format!(
            "patch must be a FilePatch or unified diff text, got {}",
            type_name(other)
        )),
    }
}

/// `PatchFormattingOptions`: absent or `undefined` fields take patchkit's
/// defaults; present fields must be non-negative integers.
pub fn diff_options(value: Option<Unknown>) -> Outcome<DiffOptions> {
    let mut options = DiffOptions::default();
    let Some(object) = object_or_none(value, "options")? else {
        return Ok(options);
    };
    if let Some(n) = uint_field(&object, "contextLines", u32::MAX as f64)? {
        options.context = n as u32;
    }
    if let Some(n) = uint_field(&object, "maxPreviewLength", u32::MAX as f64)? {
        options.max_preview_length = n as u32;
    }
    let budget = object.get_named_property::<Unknown>("engineBudget")?;
    if let Some(budget) = object_or_none(Some(budget), "options.engineBudget")? {
        options.budget = engine_budget(&budget)?;
    }
    Ok(options)
}

fn engine_budget(object: &Object) -> Outcome<Budget> {
    let mut budget = Budget::default();
    const MAX_SAFE: f64 = 9_007_199_254_740_991.0;
    if let Some(n) = uint_field(object, "maxWork", MAX_SAFE)? {
        budget.max_work = n as u64;
    }
    if let Some(n) = uint_field(object, "maxMemoryBytes", MAX_SAFE)? {
        budget.max_memory = n as u64;
    }
    Ok(budget)
}

fn object_or_none<'a>(value: Option<Unknown<'a>>, name: &str) -> Outcome<Option<Object<'a>>> {
    let Some(value) = value else { return Ok(None) };
    match value.get_type()? {
        ValueType::Undefined | ValueType::Null => Ok(None),
        ValueType::Object => Ok(Some(unsafe {
            Object::from_napi_value(value.value().env, value.raw())?
        })),
        other => argument(format!(
            "{name} must be an object, got {}",
            type_name(other)
        )),
    }
}

/// A field that must be an integer in `0..=max` when present.
fn uint_field(object: &Object, name: &str, max: f64) -> Outcome<Option<f64>> {
    let value = object.get_named_property::<Unknown>(name)?;
    match value.get_type()? {
        ValueType::Undefined => Ok(None),
        ValueType::Number => {
            let n = unsafe { f64::from_napi_value(value.value().env, value.raw())? };
            if n.is_finite() && n >= 0.0 && n.fract() == 0.0 && n <= max {
                Ok(Some(n))
            } else {
                argument(format!(
                    "options.{name} must be an integer from 0 to {max}, got {n}"
                ))
            }
        }
        other => argument(format!(
            "options.{name} must be a number, got {}",
            type_name(other)
        )),
    }
}

pub fn type_name(t: ValueType) -> &'static str {
    match t {
        ValueType::Undefined => "undefined",
        ValueType::Null => "null",
        ValueType::Boolean => "boolean",
        ValueType::Number => "number",
        ValueType::String => "string",
        ValueType::Symbol => "symbol",
        ValueType::Object => "object",
        ValueType::Function => "function",
        ValueType::External => "external",
        ValueType::BigInt => "bigint",
        _ => "unknown",
    }
}

/// A FilePatch as the JS object patchkit returns, property for property and
/// in its order. Hunk lines are created straight from slices of `diff`.
pub struct JsFilePatch(pub FilePatch);

impl ToNapiValue for JsFilePatch {
    unsafe fn to_napi_value(raw_env: sys::napi_env, val: Self) -> Result<sys::napi_value> {
        let env = Env::from_raw(raw_env);
        let patch = &val.0;
        let change_type = patch.change_type.as_str();
        let mut object = Object::new(&env)?;
        object.set("path", patch.path.as_str())?;
        object.set("changeType", change_type)?;
        let mut hunks = env.create_array(patch.hunks.len() as u32)?;
        for (i, hunk) in patch.hunks.iter().enumerate() {
            let mut h = Object::new(&env)?;
            h.set("oldStart", hunk.old_start)?;
            h.set("oldLines", hunk.old_lines)?;
            h.set("newStart", hunk.new_start)?;
            h.set("newLines", hunk.new_lines)?;
            let mut lines = env.create_array(hunk.lines.len() as u32)?;
            for (j, line) in patch.hunk_lines(hunk).enumerate() {
                lines.set(j as u32, line)?;
            }
            h.set("lines", lines)?;
            hunks.set(i as u32, h)?;
        }
        object.set("hunks", hunks)?;
        object.set("diff", patch.diff.as_str())?;
        let mut summary = Object::new(&env)?;
        summary.set("path", patch.path.as_str())?;
        summary.set("changeType", change_type)?;
        summary.set("additions", patch.additions)?;
        summary.set("deletions", patch.deletions)?;
        if let Some(preview) = &patch.preview {
            summary.set("preview", preview.as_str())?;
        }
        object.set("summary", summary)?;
        object.set("shaBefore", patch.sha_before.as_deref())?;
        object.set("shaAfter", patch.sha_after.as_deref())?;
        Object::to_napi_value(raw_env, object)
    }
}

impl TypeName for JsFilePatch {
    fn type_name() -> &'static str {
        "FilePatch"
    }
    fn value_type() -> ValueType {
        ValueType::Object
    }
}
