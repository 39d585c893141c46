//! Reading JS arguments into core types and writing core results as JS
//! values. Validation lives here so every function reports bad input the
//! same way (`TypeError` with `code: 'INVALID_ARGUMENT'`).

use crate::error::{argument, Outcome};
use napi::bindgen_prelude::*;
use patchkit_core::batch::ContentInput;
use patchkit_core::content::OwnedContent;
use patchkit_core::{Budget, DiffOptions, FilePatch};
use std::borrow::Cow;

/// A `string | Buffer | Uint8Array | null` argument. Bytes are read in
/// place and decoded as UTF-8; invalid sequences become U+FFFD, exactly as
/// `buffer.toString('utf8')` decodes them. `undefined` is refused, as the
/// TypeScript patchkit refuses it (its hashing throws).
pub fn text_or_null<'a>(value: Unknown<'a>, name: &str) -> Outcome<Option<Cow<'a, str>>> {
    match value.get_type()? {
        ValueType::Null => Ok(None),
        _ => text(value, name).map(Some),
    }
}

/// A required `string | Buffer | Uint8Array` argument.
pub fn text<'a>(value: Unknown<'a>, name: &str) -> Outcome<Cow<'a, str>> {
    let env = value.value().env;
    match value.get_type()? {
        ValueType::String => Ok(Cow::Owned(unsafe {
            String::from_napi_value(env, value.raw())?
        })),
        ValueType::Object => match bytes(value) {
            Some(bytes) => Ok(String::from_utf8_lossy(bytes)),
            None => argument(format!(
                "{name} must be a string, Buffer or Uint8Array, got object"
            )),
        },
        other => argument(format!(
            "{name} must be a string, Buffer or Uint8Array, got {}",
            type_name(other)
        )),
    }
}

/// A `string | Buffer | Uint8Array | null` side of a diff, kept as given:
/// bytes stay undecoded so that the core can tell binary content (a NUL
/// among the first 8,000 bytes) from text. `undefined` is refused.
pub fn content_or_null(value: Unknown, name: &str) -> Outcome<Option<OwnedContent>> {
    match value.get_type()? {
        ValueType::Null => Ok(None),
        ValueType::Object => match bytes(value) {
            Some(bytes) => Ok(Some(OwnedContent::Bytes(bytes.to_vec()))),
            None => argument(format!(
                "{name} must be a string, Buffer or Uint8Array, got object"
            )),
        },
        _ => Ok(Some(OwnedContent::Text(text(value, name)?.into_owned()))),
    }
}

/// The bytes of a Buffer or Uint8Array, borrowed for the call.
fn bytes<'a>(value: Unknown<'a>) -> Option<&'a [u8]> {
    let env = value.value().env;
    let mut is_typed_array = false;
    let status = unsafe { sys::napi_is_typedarray(env, value.raw(), &mut is_typed_array) };
    if status != sys::Status::napi_ok || !is_typed_array {
        return None;
    }
    unsafe { <&[u8]>::from_napi_value(env, value.raw()) }.ok()
}

/// The text of a patch argument: unified diff text (string or bytes), or a
/// FilePatch-like object whose `diff` is used (as the TypeScript patchkit
/// does), with its `path` for messages.
pub fn patch_text(value: Unknown) -> Outcome<(String, Option<String>)> {
    match value.get_type()? {
        ValueType::Object if bytes(value).is_none() => {
            let object = unsafe { Object::from_napi_value(value.value().env, value.raw())? };
            let diff = text(object.get_named_property::<Unknown>("diff")?, "patch.diff")?;
            let path = match object.get_named_property::<Unknown>("path")? {
                p if p.get_type()? == ValueType::String => {
                    Some(text(p, "patch.path")?.into_owned())
                }
                _ => None,
            };
            Ok((diff.into_owned(), path))
        }
        ValueType::String | ValueType::Object => Ok((text(value, "patch")?.into_owned(), None)),
        other => argument(format!(
            "patch must be a FilePatch or unified diff text, got {}",
            type_name(other)
        )),
    }
}

/// `PatchFormattingOptions`: absent or `undefined` fields take patchkit's
/// defaults; present fields must be non-negative integers.
pub fn diff_options(object: Option<&Object>) -> Outcome<DiffOptions> {
    let mut options = DiffOptions::default();
    let Some(object) = object else {
        return Ok(options);
    };
    if let Some(n) = uint_field(object, "contextLines", u32::MAX as f64)? {
        options.context = n as u32;
    }
    if let Some(n) = uint_field(object, "maxPreviewLength", u32::MAX as f64)? {
        options.preview.length = n as u32;
    }
    if let Some(n) = uint_field(object, "maxPreviewLines", u32::MAX as f64)? {
        options.preview.lines = Some(n as u32);
    }
    if let Some(n) = uint_field(object, "maxPreviewHunks", u32::MAX as f64)? {
        options.preview.hunks = Some(n as u32);
    }
    if let Some(format) = choice_field(object, "format", &patchkit_core::Format::NAMES)? {
        options.format = patchkit_core::Format::from_name(format).unwrap_or_default();
    }
    if let Some(name) = choice_field(object, "algorithm", &patchkit_core::Algorithm::NAMES)? {
        options.algorithm = patchkit_core::Algorithm::from_name(name).unwrap_or_default();
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

/// An optional options object: `undefined` and `null` are "no options".
pub fn object_or_none<'a>(value: Option<Unknown<'a>>, name: &str) -> Outcome<Option<Object<'a>>> {
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

/// A field that must be a string when present.
pub fn string_field(object: &Object, name: &str) -> Outcome<Option<String>> {
    let value = object.get_named_property::<Unknown>(name)?;
    match value.get_type()? {
        ValueType::Undefined => Ok(None),
        ValueType::String => Ok(Some(text(value, name)?.into_owned())),
        other => argument(format!(
            "options.{name} must be a string, got {}",
            type_name(other)
        )),
    }
}

/// A field that must be one of `allowed` when present; any other value
/// (also a non-string) is refused with the list of allowed values.
pub fn choice_field(
    object: &Object,
    name: &str,
    allowed: &[&'static str],
) -> Outcome<Option<&'static str>> {
    let value = object.get_named_property::<Unknown>(name)?;
    let given = match value.get_type()? {
        ValueType::Undefined => return Ok(None),
        ValueType::String => text(value, name)?,
        other => std::borrow::Cow::Borrowed(type_name(other)),
    };
    if let Some(&found) = allowed.iter().find(|&&a| a == given) {
        return Ok(Some(found));
    }
    let list = allowed
        .iter()
        .map(|a| format!("'{a}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let shown = match value.get_type()? {
        ValueType::String => format!("'{given}'"),
        _ => given.into_owned(),
    };
    argument(format!("options.{name} must be one of {list}, got {shown}"))
}

/// A field that must be an integer in `0..=max` when present.
pub fn uint_field(object: &Object, name: &str, max: f64) -> Outcome<Option<f64>> {
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
pub struct JsFilePatch(pub std::sync::Arc<FilePatch>);

/// V8's longest string, in UTF-16 code units (UTF-8 bytes are never fewer).
pub const MAX_JS_STRING: usize = (1 << 29) - 24;

impl ToNapiValue for JsFilePatch {
    unsafe fn to_napi_value(raw_env: sys::napi_env, val: Self) -> Result<sys::napi_value> {
        let env = Env::from_raw(raw_env);
        let patch = &val.0;
        if patch.diff.len() > MAX_JS_STRING {
            let failure = crate::error::Failure::Core(patchkit_core::Error::TooLarge(format!(
                "the diff text of {} ({} bytes) is longer than a JavaScript string can be",
                patch.path,
                patch.diff.len()
            )));
            return Err(failure.throw(&env));
        }
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

/// A list of FilePatches.
pub struct JsFilePatches(pub Vec<std::sync::Arc<FilePatch>>);

impl ToNapiValue for JsFilePatches {
    unsafe fn to_napi_value(env: sys::napi_env, val: Self) -> Result<sys::napi_value> {
        let env_ = Env::from_raw(env);
        let mut array = env_.create_array(val.0.len() as u32)?;
        for (i, patch) in val.0.into_iter().enumerate() {
            array.set(i as u32, JsFilePatch(patch))?;
        }
        Array::to_napi_value(env, array)
    }
}

impl TypeName for JsFilePatches {
    fn type_name() -> &'static str {
        "FilePatch[]"
    }
    fn value_type() -> ValueType {
        ValueType::Object
    }
}

/// `{ path, baseline, proposed }[]` for the batch functions.
pub fn diff_entries(value: Unknown) -> Outcome<Vec<ContentInput>> {
    let env = value.value().env;
    let mut is_array = false;
    unsafe { sys::napi_is_array(env, value.raw(), &mut is_array) };
    if !is_array {
        return argument("entries must be an array of { path, baseline, proposed }");
    }
    let array = unsafe { Array::from_napi_value(env, value.raw())? };
    let mut inputs = Vec::with_capacity(array.len() as usize);
    for i in 0..array.len() {
        let entry = array.get::<Unknown>(i)?;
        let entry = match entry.map(|e| e.get_type()).transpose()? {
            Some(ValueType::Object) => unsafe {
                Object::from_napi_value(
                    env,
                    entry.map(|e| e.raw()).unwrap_or(std::ptr::null_mut()),
                )?
            },
            _ => return argument(format!("entries[{i}] must be an object")),
        };
        let field = |name: &str| entry.get_named_property::<Unknown>(name);
        inputs.push(ContentInput {
            path: text(field("path")?, &format!("entries[{i}].path"))?.into_owned(),
            before: content_or_null(field("baseline")?, &format!("entries[{i}].baseline"))?,
            after: content_or_null(field("proposed")?, &format!("entries[{i}].proposed"))?,
        });
    }
    Ok(inputs)
}

/// `formatJsonSideBySide`'s text for one value.
pub fn display(env: &Env, value: Unknown) -> Result<String> {
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

/// `options.cache`: a `DiffCache` instance, or nothing.
pub fn cache_option(
    object: Option<&Object>,
) -> Outcome<Option<std::sync::Arc<patchkit_core::cache::DiffCache>>> {
    let Some(object) = object else {
        return Ok(None);
    };
    let value = object.get_named_property::<Unknown>("cache")?;
    match value.get_type()? {
        ValueType::Undefined | ValueType::Null => Ok(None),
        ValueType::Object => {
            let env = value.value().env;
            match unsafe { ClassInstance::<crate::JsDiffCache>::from_napi_value(env, value.raw()) }
            {
                Ok(cache) => Ok(Some(cache.inner.clone())),
                Err(_) => argument("options.cache must be a DiffCache"),
            }
        }
        other => argument(format!(
            "options.cache must be a DiffCache, got {}",
            type_name(other)
        )),
    }
}
