//! Turns failures into JS exceptions with a stable `code`, never a panic.
//!
//! Every thrown error is a real `Error` (`TypeError` for bad arguments)
//! whose `code` property is one of the strings of `Error::code` in the
//! core, plus `INTERNAL` for a caught panic. Conflicts also carry `path`,
//! `hunk`, `line`, `expected` and `actual`; parse errors carry `line`.

use napi::bindgen_prelude::*;
use napi::sys;
use patchkit_core::Error as CoreError;
use std::ptr;

/// Anything a binding function can fail with.
#[derive(Debug)]
pub enum Failure {
    /// A wrong argument type or option value: thrown as `TypeError`.
    Argument(String),
    /// An error from the core.
    Core(CoreError),
    /// A panic caught before it reached Node.
    Internal(String),
    /// A JS exception is already pending (thrown by a JS callback).
    Pending(napi::Error),
}

impl From<CoreError> for Failure {
    fn from(e: CoreError) -> Self {
        Failure::Core(e)
    }
}

impl From<napi::Error> for Failure {
    fn from(e: napi::Error) -> Self {
        Failure::Pending(e)
    }
}

pub type Outcome<T> = std::result::Result<T, Failure>;

pub fn argument<T>(message: impl Into<String>) -> Outcome<T> {
    Err(Failure::Argument(message.into()))
}

impl Failure {
    pub fn code(&self) -> &'static str {
        match self {
            Failure::Argument(_) => "INVALID_ARGUMENT",
            Failure::Core(e) => e.code(),
            Failure::Internal(_) => "INTERNAL",
            Failure::Pending(_) => "INTERNAL",
        }
    }

    /// Builds the JS error object for this failure.
    pub fn to_js(&self, env: &Env) -> Result<Unknown<'static>> {
        let message = match self {
            Failure::Argument(m) | Failure::Internal(m) => m.clone(),
            Failure::Core(e) => e.to_string(),
            Failure::Pending(e) => e.reason.clone(),
        };
        let raw = env.raw();
        let code = env.create_string(self.code())?;
        let msg = env.create_string(&message)?;
        let mut error = ptr::null_mut();
        let status = unsafe {
            if matches!(self, Failure::Argument(_)) {
                sys::napi_create_type_error(raw, code.raw(), msg.raw(), &mut error)
            } else {
                sys::napi_create_error(raw, code.raw(), msg.raw(), &mut error)
            }
        };
        if status != sys::Status::napi_ok {
            return Err(napi::Error::from_reason(message));
        }
        let mut object = Object::from_raw(raw, error);
        self.add_fields(&mut object)?;
        Ok(unsafe { Unknown::from_raw_unchecked(raw, error) })
    }

    fn add_fields(&self, object: &mut Object) -> Result<()> {
        match self {
            Failure::Core(CoreError::Conflict { path, detail }) => {
                object.set("path", path.as_str())?;
                object.set("hunk", detail.hunk as u32)?;
                object.set("line", detail.line as f64)?;
                object.set("expected", detail.expected.as_str())?;
                object.set("actual", detail.actual.as_deref())?;
                object.set("reason", detail.reason.as_str())?;
            }
            Failure::Core(CoreError::Parse { line, .. }) => {
                object.set("line", *line as f64)?;
            }
            Failure::Core(CoreError::Aborted) => object.set("name", "AbortError")?,
            Failure::Core(CoreError::Timeout) => object.set("name", "TimeoutError")?,
            _ => {}
        }
        Ok(())
    }

    /// Throws this failure into `env` and returns the error napi-rs expects
    /// for an exception that is already pending.
    pub fn throw(self, env: &Env) -> napi::Error {
        if let Failure::Pending(e) = self {
            return e;
        }
        match self.to_js(env) {
            Ok(error) => {
                unsafe { sys::napi_throw(env.raw(), error.raw()) };
                napi::Error::new(Status::PendingException, String::new())
            }
            Err(e) => e,
        }
    }
}

/// Runs `f`, turning a panic into [`Failure::Internal`].
pub fn guard<T>(f: impl FnOnce() -> Outcome<T>) -> Outcome<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_owned());
        Err(Failure::Internal(format!(
            "patchkit-native internal error: {what}"
        )))
    })
}
