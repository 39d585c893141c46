//! applyPatch and hasConflicts, sync and async.

use crate::error::{argument, Outcome};
use crate::js;
use crate::task::{Control, Work};
use crate::{run, run_work, schedule, Job};
use napi::bindgen_prelude::*;
use napi_derive::napi;
use patchkit_core::metrics::Call;
use patchkit_core::multi::{FileReport, PatchesOptions, PatchesResult};
use patchkit_core::{ApplyOptions, Cancel, HunkReport};
use std::collections::BTreeMap;

/// Applies a FilePatch (its `diff`) or unified diff text to `baseline`.
/// Throws `PATCH_CONFLICT` when a hunk does not fit, `PATCH_PARSE` when the
/// text is not a unified diff.
#[napi(
    js_name = "applyPatch",
    ts_args_type = "baseline: TextInput | null, patch: FilePatch | TextInput, options?: ApplyPatchOptions",
    ts_return_type = "string"
)]
pub fn apply_patch(
    env: Env,
    baseline: Unknown,
    patch: Unknown,
    options: Option<Unknown>,
) -> Result<Either3<String, bool, Vec<JsHunkReport>>> {
    now(
        &env,
        Call::ApplyPatch,
        baseline,
        patch,
        Mode::Apply,
        options,
    )
}

/// `applyPatch` on libuv's threadpool.
#[napi(
    js_name = "applyPatchAsync",
    ts_args_type = "baseline: TextInput | null, patch: FilePatch | TextInput, options?: ApplyPatchOptions & AsyncOptions",
    ts_return_type = "Promise<string>"
)]
pub fn apply_patch_async(
    env: Env,
    baseline: Unknown,
    patch: Unknown,
    options: Option<Unknown>,
) -> Result<AsyncTask<Job<ApplyWork>>> {
    later(
        &env,
        Call::ApplyPatchAsync,
        baseline,
        patch,
        Mode::Apply,
        options,
    )
}

/// `true` when `applyPatch` would throw: a hunk that fits nowhere, or a
/// patch that cannot be read. Never throws for the patch's content.
#[napi(
    js_name = "hasConflicts",
    ts_args_type = "baseline: TextInput | null, patch: FilePatch | TextInput",
    ts_return_type = "boolean"
)]
pub fn has_conflicts(
    env: Env,
    baseline: Unknown,
    patch: Unknown,
) -> Result<Either3<String, bool, Vec<JsHunkReport>>> {
    now(
        &env,
        Call::HasConflicts,
        baseline,
        patch,
        Mode::HasConflicts,
        None,
    )
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
    later(
        &env,
        Call::HasConflictsAsync,
        baseline,
        patch,
        Mode::HasConflicts,
        options,
    )
}

/// Runs one apply-family call on the calling thread.
fn now(
    env: &Env,
    call: Call,
    baseline: Unknown,
    patch: Unknown,
    mode: Mode,
    options: Option<Unknown>,
) -> Result<Either3<String, bool, Vec<JsHunkReport>>> {
    run_work(env, call, || {
        let object = js::object_or_none(options, "options")?;
        read(baseline, patch, mode, apply_options(object.as_ref())?)
    })
    .map(ApplyWork::to_js)
}

/// Schedules one apply-family call on libuv's threadpool.
fn later(
    env: &Env,
    call: Call,
    baseline: Unknown,
    patch: Unknown,
    mode: Mode,
    options: Option<Unknown>,
) -> Result<AsyncTask<Job<ApplyWork>>> {
    schedule(env, call, || {
        let object = js::object_or_none(options, "options")?;
        let control = Control::from_options(env, object.as_ref())?;
        Ok((
            read(baseline, patch, mode, apply_options(object.as_ref())?)?,
            control,
        ))
    })
}

/// What an [`ApplyWork`] computes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Apply,
    HasConflicts,
    Check,
}

fn read(
    baseline: Unknown,
    patch: Unknown,
    mode: Mode,
    options: ApplyOptions,
) -> Outcome<ApplyWork> {
    let baseline = js::text_or_null(baseline, "baseline")?.map(|t| t.into_owned());
    let (text, path) = js::patch_text(patch)?;
    Ok(ApplyWork {
        baseline: baseline.unwrap_or_default(),
        text,
        path,
        mode,
        options,
    })
}

/// `fuzzFactor`, `reverse`, `ignoreWhitespace`.
fn apply_options(object: Option<&Object>) -> Outcome<ApplyOptions> {
    let mut options = ApplyOptions::default();
    let Some(object) = object else {
        return Ok(options);
    };
    if let Some(f) = js::uint_field(object, "fuzzFactor", 1000.0)? {
        options.fuzz = f as usize;
    }
    options.reverse = bool_field(object, "reverse")?;
    options.ignore_whitespace = bool_field(object, "ignoreWhitespace")?;
    Ok(options)
}

fn bool_field(object: &Object, name: &str) -> Outcome<bool> {
    let value = object.get_named_property::<Unknown>(name)?;
    match value.get_type()? {
        ValueType::Undefined => Ok(false),
        ValueType::Boolean => Ok(value.coerce_to_bool()?),
        other => argument(format!(
            "options.{name} must be a boolean, got {}",
            js::type_name(other)
        )),
    }
}

pub struct ApplyWork {
    baseline: String,
    text: String,
    path: Option<String>,
    mode: Mode,
    options: ApplyOptions,
}

impl Work for ApplyWork {
    type Output = Either3<String, bool, Vec<HunkReport>>;
    type Js = Either3<String, bool, Vec<JsHunkReport>>;

    fn run(&mut self, cancel: Cancel) -> Outcome<Self::Output> {
        cancel.check()?;
        let (baseline, text, options) = (&self.baseline, &self.text, &self.options);
        Ok(match self.mode {
            Mode::Apply => Either3::A(patchkit_core::apply_patch_with(
                baseline,
                text,
                self.path.as_deref(),
                options,
            )?),
            Mode::HasConflicts => Either3::B(patchkit_core::apply::has_conflicts(baseline, text)),
            Mode::Check => Either3::C(patchkit_core::check_patch(baseline, text, options)?),
        })
    }

    fn bytes_in(&self) -> usize {
        self.baseline.len() + self.text.len()
    }

    fn to_js(output: Self::Output) -> Self::Js {
        match output {
            Either3::A(text) => Either3::A(text),
            Either3::B(conflicted) => Either3::B(conflicted),
            Either3::C(reports) => {
                Either3::C(reports.into_iter().map(JsHunkReport::from).collect())
            }
        }
    }
}

/// How one hunk fits (`checkPatch`).
#[napi(object, js_name = "HunkCheck")]
pub struct JsHunkReport {
    /// 0-based index of the hunk in its file.
    pub index: u32,
    #[napi(ts_type = "'exact' | 'offset' | 'fuzzed' | 'alreadyApplied' | 'failed'")]
    pub status: String,
    /// Lines between where the header says and where the hunk fits.
    pub offset: f64,
    /// Context lines ignored at each end of the hunk.
    pub fuzz: u32,
    /// 1-based line of the file where the hunk fits (or, failed, the first line that did not match).
    pub line: f64,
    /// 1-based line of the hunk's `@@` header in the patch.
    pub header_line: f64,
    /// Failed: the line the patch expected.
    pub expected: Option<String>,
    /// Failed: what the file holds there (`null` past its end).
    pub actual: Option<String>,
}

impl From<HunkReport> for JsHunkReport {
    fn from(r: HunkReport) -> Self {
        JsHunkReport {
            index: r.index as u32,
            status: r.status.as_str().to_owned(),
            offset: r.offset as f64,
            fuzz: r.fuzz as u32,
            line: (r.position + 1) as f64,
            header_line: r.header_line as f64,
            expected: r.expected,
            actual: r.actual,
        }
    }
}

/// One report per hunk: `exact`, `offset`, `fuzzed`, `alreadyApplied` or
/// `failed`, with the offset and fuzz used and, for a failure, the first
/// mismatching line with both texts.
#[napi(
    js_name = "checkPatch",
    ts_args_type = "baseline: TextInput | null, patch: FilePatch | TextInput, options?: ApplyPatchOptions",
    ts_return_type = "HunkCheck[]"
)]
pub fn check_patch(
    env: Env,
    baseline: Unknown,
    patch: Unknown,
    options: Option<Unknown>,
) -> Result<Either3<String, bool, Vec<JsHunkReport>>> {
    now(
        &env,
        Call::CheckPatch,
        baseline,
        patch,
        Mode::Check,
        options,
    )
}

/// `checkPatch` on libuv's threadpool.
#[napi(
    js_name = "checkPatchAsync",
    ts_args_type = "baseline: TextInput | null, patch: FilePatch | TextInput, options?: ApplyPatchOptions & AsyncOptions",
    ts_return_type = "Promise<HunkCheck[]>"
)]
pub fn check_patch_async(
    env: Env,
    baseline: Unknown,
    patch: Unknown,
    options: Option<Unknown>,
) -> Result<AsyncTask<Job<ApplyWork>>> {
    later(
        &env,
        Call::CheckPatch,
        baseline,
        patch,
        Mode::Check,
        options,
    )
}

/// The reverse of a patch (a FilePatch's `diff`, or diff text, one or more
/// files): applying it undoes the original.
#[napi(
    js_name = "reversePatch",
    ts_args_type = "patch: FilePatch | TextInput",
    ts_return_type = "string"
)]
pub fn reverse_patch(env: Env, patch: Unknown) -> Result<String> {
    run(&env, None, || {
        let (text, _) = js::patch_text(patch)?;
        let bytes = text.len();
        Ok((patchkit_core::reverse_patch(&text)?, bytes))
    })
}

// ---------------------------------------------------------------------------
// applyPatches
// ---------------------------------------------------------------------------

/// Applies a multi-file patch (`git diff`, `diff -ruN`) to `files` (path →
/// content, `null` or absent for a file that does not exist). All or
/// nothing unless `partial: true`.
#[napi(
    js_name = "applyPatches",
    ts_args_type = "files: Record<string, TextInput | null>, patch: TextInput, options?: ApplyPatchesOptions",
    ts_return_type = "PatchesResult"
)]
pub fn apply_patches(
    env: Env,
    files: Unknown,
    patch: Unknown,
    options: Option<Unknown>,
) -> Result<Object<'static>> {
    let result = run_work(&env, Call::ApplyPatches, || {
        read_patches(files, patch, options)
    })?;
    patches_to_js(&env, result)
}

/// `applyPatches` on libuv's threadpool.
#[napi(
    js_name = "applyPatchesAsync",
    ts_args_type = "files: Record<string, TextInput | null>, patch: TextInput, options?: ApplyPatchesOptions & AsyncOptions",
    ts_return_type = "Promise<PatchesResult>"
)]
pub fn apply_patches_async(
    env: Env,
    files: Unknown,
    patch: Unknown,
    options: Option<Unknown>,
) -> Result<AsyncTask<Job<PatchesWork>>> {
    schedule(&env, Call::ApplyPatches, || {
        let control =
            Control::from_options(&env, js::object_or_none(options, "options")?.as_ref())?;
        Ok((read_patches(files, patch, options)?, control))
    })
}

fn read_patches(files: Unknown, patch: Unknown, options: Option<Unknown>) -> Outcome<PatchesWork> {
    let object = js::object_or_none(options, "options")?;
    let mut patches = PatchesOptions {
        apply: apply_options(object.as_ref())?,
        ..PatchesOptions::default()
    };
    if let Some(o) = object.as_ref() {
        patches.strip = js::uint_field(o, "strip", 1000.0)?.map(|s| s as usize);
        patches.partial = bool_field(o, "partial")?;
    }
    let files = match js::object_or_none(Some(files), "files")? {
        Some(map) => file_map(&map)?,
        None => return argument("files must be an object mapping paths to contents"),
    };
    Ok(PatchesWork {
        files,
        text: js::text(patch, "patch")?.into_owned(),
        options: patches,
    })
}

/// `{ [path]: content | null }` into a map.
fn file_map(object: &Object) -> Outcome<BTreeMap<String, Option<String>>> {
    let mut map = BTreeMap::new();
    for key in Object::keys(object)? {
        let value = object.get_named_property::<Unknown>(&key)?;
        let content = js::text_or_null(value, &format!("files[{key:?}]"))?.map(|t| t.into_owned());
        map.insert(key, content);
    }
    Ok(map)
}

pub struct PatchesWork {
    files: BTreeMap<String, Option<String>>,
    text: String,
    options: PatchesOptions,
}

impl Work for PatchesWork {
    type Output = PatchesResult;
    type Js = JsPatchesResult;

    fn run(&mut self, cancel: Cancel) -> Outcome<PatchesResult> {
        cancel.check()?;
        Ok(patchkit_core::apply_patches(
            &self.files,
            &self.text,
            &self.options,
        )?)
    }

    fn bytes_in(&self) -> usize {
        self.text.len()
            + self
                .files
                .values()
                .flatten()
                .map(String::len)
                .sum::<usize>()
    }

    fn to_js(output: PatchesResult) -> JsPatchesResult {
        JsPatchesResult(output)
    }
}

/// A [`PatchesResult`] as `{ files, reports }`.
pub struct JsPatchesResult(PatchesResult);

impl ToNapiValue for JsPatchesResult {
    unsafe fn to_napi_value(env: sys::napi_env, val: Self) -> Result<sys::napi_value> {
        let env = Env::from_raw(env);
        let object = patches_to_js(&env, val.0)?;
        Object::to_napi_value(env.raw(), object)
    }
}

impl TypeName for JsPatchesResult {
    fn type_name() -> &'static str {
        "PatchesResult"
    }
    fn value_type() -> ValueType {
        ValueType::Object
    }
}

fn patches_to_js(env: &Env, result: PatchesResult) -> Result<Object<'static>> {
    let mut files = Object::new(env)?;
    for (path, content) in &result.files {
        files.set(path.as_str(), content.as_deref())?;
    }
    let mut reports = env.create_array(result.reports.len() as u32)?;
    for (i, report) in result.reports.into_iter().enumerate() {
        reports.set(i as u32, file_report(env, report)?)?;
    }
    let mut out = Object::new(env)?;
    out.set("files", files)?;
    out.set("reports", reports)?;
    // The object is handed straight back to JS by the caller.
    Ok(unsafe { std::mem::transmute::<Object<'_>, Object<'static>>(out) })
}

fn file_report<'e>(env: &'e Env, r: FileReport) -> Result<Object<'e>> {
    let mut o = Object::new(env)?;
    o.set("oldPath", r.old_path.as_deref())?;
    o.set("newPath", r.new_path.as_deref())?;
    o.set("status", r.kind.as_str())?;
    if let Some(mode) = &r.old_mode {
        o.set("oldMode", mode.as_str())?;
    }
    if let Some(mode) = &r.new_mode {
        o.set("newMode", mode.as_str())?;
    }
    let hunks: Vec<JsHunkReport> = r.hunks.into_iter().map(JsHunkReport::from).collect();
    o.set("hunks", hunks)?;
    if let Some(error) = r.error {
        let failure = crate::error::Failure::Core(error);
        o.set("error", failure.to_js(env)?)?;
    }
    Ok(o)
}
