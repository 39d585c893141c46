//! applyPlan: a `PatchPlan` applied natively under a root directory.

use crate::error::{argument, Failure, Outcome};
use crate::js::{self, JsFilePatch};
use crate::task::{Control, Work};
use crate::{schedule, Job};
use napi::bindgen_prelude::*;
use napi_derive::napi;
use patchkit_core::metrics::Call;
use patchkit_core::plan::{apply_plan, Operation, PlanOptions, PlanStep, StepResult};
use patchkit_core::replace::Pattern;
use patchkit_core::{ApplyOptions, Cancel};
use std::path::PathBuf;
use std::sync::Arc;

/// Applies a plan's operations (`write`, `delete`, `replace`, `patch`)
/// under `root`: each file read once, its operations applied in order in
/// memory, written once and atomically; files in parallel. All or nothing
/// unless `atomic: false`. Paths that leave `root` are refused with
/// `PATH_ESCAPE` before anything is touched.
#[napi(
    js_name = "applyPlan",
    ts_args_type = "root: string, plan: PatchPlan, options?: ApplyPlanOptions",
    ts_return_type = "Promise<PatchResult[]>"
)]
pub fn apply_plan_js(
    env: Env,
    root: Unknown,
    plan: Unknown,
    options: Option<Unknown>,
) -> Result<AsyncTask<Job<PlanWork>>> {
    schedule(&env, Call::ApplyPlan, || {
        let object = js::object_or_none(options, "options")?;
        let control = Control::from_options(&env, object.as_ref())?;
        let mut plan_options = PlanOptions {
            diff: js::diff_options(object.as_ref())?,
            ..PlanOptions::default()
        };
        if let Some(o) = object.as_ref() {
            plan_options.atomic = !matches!(js_bool(o, "atomic")?, Some(false));
            plan_options.apply = ApplyOptions {
                fuzz: js::uint_field(o, "fuzzFactor", 1000.0)?.unwrap_or(0.0) as usize,
                reverse: false,
                ignore_whitespace: js_bool(o, "ignoreWhitespace")?.unwrap_or(false),
            };
        }
        let work = PlanWork {
            root: PathBuf::from(js::text(root, "root")?.into_owned()),
            steps: read_plan(plan)?,
            options: plan_options,
        };
        Ok((work, control))
    })
}

fn js_bool(object: &Object, name: &str) -> Outcome<Option<bool>> {
    let value = object.get_named_property::<Unknown>(name)?;
    match value.get_type()? {
        ValueType::Undefined => Ok(None),
        ValueType::Boolean => Ok(Some(value.coerce_to_bool()?)),
        other => argument(format!(
            "{name} must be a boolean, got {}",
            js::type_name(other)
        )),
    }
}

fn read_plan(plan: Unknown) -> Outcome<Vec<PlanStep>> {
    let Some(plan) = js::object_or_none(Some(plan), "plan")? else {
        return argument("plan must be a PatchPlan ({ operations: [...] })");
    };
    let operations = plan.get_named_property::<Unknown>("operations")?;
    let env = operations.value().env;
    let mut is_array = false;
    unsafe { sys::napi_is_array(env, operations.raw(), &mut is_array) };
    if !is_array {
        return argument("plan.operations must be an array");
    }
    let array = unsafe { Array::from_napi_value(env, operations.raw())? };
    (0..array.len())
        .map(|i| {
            let op = array
                .get::<Unknown>(i)?
                .ok_or_else(|| Failure::Argument(format!("plan.operations[{i}] is missing")))?;
            match js::object_or_none(Some(op), &format!("plan.operations[{i}]"))? {
                Some(op) => read_step(&op, i as usize),
                None => argument(format!("plan.operations[{i}] must be an object")),
            }
        })
        .collect()
}

fn read_step(op: &Object, i: usize) -> Outcome<PlanStep> {
    let field = |name: &str| -> Outcome<Unknown> { Ok(op.get_named_property::<Unknown>(name)?) };
    let text = |name: &str| -> Outcome<String> {
        Ok(js::text(field(name)?, &format!("plan.operations[{i}].{name}"))?.into_owned())
    };
    let kind = text("kind")?;
    let operation = match kind.as_str() {
        "write" => Operation::Write {
            content: text("content")?,
            mode: js::uint_field(op, "mode", 0o7777 as f64)?.map(|m| m as u32),
        },
        "delete" => Operation::Delete,
        "patch" => Operation::Patch {
            diff: text("diff")?,
        },
        "replace" => Operation::Replace {
            pattern: pattern(field("match")?, js_bool(op, "regex")?.unwrap_or(false), i)?,
            replacement: text("replacement")?,
            all: js_bool(op, "all")?.unwrap_or(false),
        },
        other => {
            return argument(format!(
                "plan.operations[{i}].kind must be write, delete, replace or patch, got '{other}'"
            ))
        }
    };
    let expect_sha = js::string_field(op, "expectSha")?;
    Ok(PlanStep {
        path: text("path")?,
        operation,
        expect_sha,
    })
}

/// A `match`: a string (literal unless `regex: true`) or a RegExp.
fn pattern(value: Unknown, regex: bool, i: usize) -> Outcome<Pattern> {
    match value.get_type()? {
        ValueType::String => {
            let source = js::text(value, "match")?.into_owned();
            Ok(if regex {
                Pattern::Regex {
                    source,
                    flags: String::new(),
                }
            } else {
                Pattern::Literal(source)
            })
        }
        ValueType::Object => {
            let object = unsafe { Object::from_napi_value(value.value().env, value.raw())? };
            let source = js::string_field(&object, "source")?;
            let flags = js::string_field(&object, "flags")?;
            match (source, flags) {
                (Some(source), Some(flags)) => Ok(Pattern::Regex { source, flags }),
                _ => argument(format!(
                    "plan.operations[{i}].match must be a string or a RegExp"
                )),
            }
        }
        other => argument(format!(
            "plan.operations[{i}].match must be a string or a RegExp, got {}",
            js::type_name(other)
        )),
    }
}

pub struct PlanWork {
    root: PathBuf,
    steps: Vec<PlanStep>,
    options: PlanOptions,
}

impl Work for PlanWork {
    type Output = Vec<StepResult>;
    type Js = JsPlanResults;

    fn run(&mut self, cancel: Cancel) -> Outcome<Self::Output> {
        cancel.check()?;
        Ok(apply_plan(&self.root, &self.steps, &self.options)?)
    }

    fn bytes_in(&self) -> usize {
        self.steps.len()
    }

    fn to_js(output: Self::Output) -> JsPlanResults {
        JsPlanResults(output)
    }
}

/// `PatchResult[]`.
pub struct JsPlanResults(Vec<StepResult>);

impl ToNapiValue for JsPlanResults {
    unsafe fn to_napi_value(raw: sys::napi_env, val: Self) -> Result<sys::napi_value> {
        let env = Env::from_raw(raw);
        let mut array = env.create_array(val.0.len() as u32)?;
        for (i, r) in val.0.into_iter().enumerate() {
            let mut o = Object::new(&env)?;
            o.set("patch", JsFilePatch(Arc::new(r.patch)))?;
            o.set("applied", r.applied)?;
            if r.conflicted {
                o.set("conflicted", true)?;
            }
            if r.already_applied {
                o.set("alreadyApplied", true)?;
            }
            if let Some(e) = r.error {
                o.set("error", Failure::Core(e).to_js(&env)?)?;
            }
            array.set(i as u32, o)?;
        }
        Array::to_napi_value(raw, array)
    }
}

impl TypeName for JsPlanResults {
    fn type_name() -> &'static str {
        "PatchResult[]"
    }
    fn value_type() -> ValueType {
        ValueType::Object
    }
}
