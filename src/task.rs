//! Work that runs on libuv's threadpool as a napi `AsyncTask`: one generic
//! [`Job`] for every async function, with panics caught, cancellation by
//! `AbortSignal` or deadline, and rejections carrying the same coded errors
//! as the sync functions.

use crate::error::{guard, Failure, Outcome};
use napi::bindgen_prelude::*;
use patchkit_core::metrics::{self, Call};
use patchkit_core::Cancel;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What a job computes off the main thread, and how its result becomes JS.
pub trait Work: Send + 'static {
    type Output: Send + 'static;
    type Js: ToNapiValue + TypeName;
    fn run(&mut self, cancel: Cancel) -> Outcome<Self::Output>;
    /// Bytes of input, for the metrics.
    fn bytes_in(&self) -> usize;
    fn to_js(output: Self::Output) -> Self::Js;
}

/// How an async call may be stopped: `signal`, `timeoutMs`, `onTimeout`.
pub struct Control {
    pub flag: Arc<AtomicBool>,
    pub deadline: Option<Instant>,
    pub fallback_on_timeout: bool,
    hook: Option<AbortHook>,
}

/// `signal.addEventListener` / `removeEventListener`.
type ListenerMethod<'a> = Function<'a, FnArgs<(&'a str, Function<'a, (), ()>)>, Unknown<'a>>;

/// The listener this call added to the caller's `AbortSignal`.
struct AbortHook {
    signal: ObjectRef,
    listener: FunctionRef<(), ()>,
}

impl Control {
    /// Reads `signal`, `timeoutMs` and `onTimeout` from an options object.
    pub fn from_options(env: &Env, options: Option<&Object>) -> Outcome<Control> {
        let mut control = Control {
            flag: Arc::new(AtomicBool::new(false)),
            deadline: None,
            fallback_on_timeout: false,
            hook: None,
        };
        let Some(options) = options else {
            return Ok(control);
        };
        if let Some(ms) = crate::js::uint_field(options, "timeoutMs", 2_147_483_647.0)? {
            control.deadline = Some(Instant::now() + Duration::from_millis(ms as u64));
        }
        control.fallback_on_timeout =
            match crate::js::string_field(options, "onTimeout")?.as_deref() {
                None | Some("error") => false,
                Some("fallback") => true,
                Some(other) => {
                    return crate::error::argument(format!(
                        "options.onTimeout must be 'error' or 'fallback', got '{other}'"
                    ))
                }
            };
        let signal = options.get_named_property::<Unknown>("signal")?;
        match signal.get_type()? {
            ValueType::Undefined | ValueType::Null => {}
            ValueType::Object => control.watch(env, signal)?,
            other => {
                return crate::error::argument(format!(
                    "options.signal must be an AbortSignal, got {}",
                    crate::js::type_name(other)
                ))
            }
        }
        Ok(control)
    }

    /// Marks the job aborted when `signal` fires (or already has).
    fn watch(&mut self, env: &Env, signal: Unknown) -> Outcome<()> {
        let signal = unsafe { Object::from_napi_value(env.raw(), signal.raw())? };
        let aborted = signal
            .get_named_property::<Unknown>("aborted")?
            .coerce_to_bool()?;
        if aborted {
            self.flag.store(true, Ordering::SeqCst);
            return Ok(());
        }
        let flag = self.flag.clone();
        let listener =
            env.create_function_from_closure::<(), (), _>("patchkitAbort", move |_| {
                flag.store(true, Ordering::SeqCst);
                Ok(())
            })?;
        let add: ListenerMethod = signal
            .get_named_property("addEventListener")
            .map_err(|_| Failure::Argument("options.signal must be an AbortSignal".to_owned()))?;
        add.apply(signal, FnArgs::from(("abort", listener)))?;
        self.hook = Some(AbortHook {
            signal: signal.create_ref()?,
            listener: listener.create_ref()?,
        });
        Ok(())
    }

    fn cancel(&self) -> Cancel<'_> {
        Cancel {
            flag: Some(&self.flag),
            deadline: self.deadline,
        }
    }

    /// Removes the listener from the signal (on the JS thread).
    fn release(&mut self, env: &Env) -> Result<()> {
        let Some(hook) = self.hook.take() else {
            return Ok(());
        };
        let signal = hook.signal.get_value(env)?;
        let listener = hook.listener.borrow_back(env)?;
        let remove: ListenerMethod = signal.get_named_property("removeEventListener")?;
        remove.apply(signal, FnArgs::from(("abort", listener)))?;
        hook.signal.unref(env)
    }
}

/// A [`Work`] scheduled as an `AsyncTask`.
pub struct Job<W: Work> {
    work: W,
    control: Control,
    failure: Option<Failure>,
    call: Call,
    started: Instant,
}

impl<W: Work> Job<W> {
    pub fn new(work: W, control: Control, call: Call) -> AsyncTask<Self> {
        AsyncTask::new(Job {
            work,
            control,
            failure: None,
            call,
            started: Instant::now(),
        })
    }

    fn record(&self, error: Option<&str>) {
        let elapsed = self.started.elapsed();
        metrics::record_call(self.call, self.work.bytes_in(), elapsed, error);
    }
}

impl<W: Work> Task for Job<W> {
    type Output = W::Output;
    type JsValue = W::Js;

    fn compute(&mut self) -> Result<Self::Output> {
        let cancel = self.control.cancel();
        let work = &mut self.work;
        // The deadline is the work's to enforce (it may fall back instead);
        // an abort stops the job before it starts.
        guard(|| {
            cancel.without_deadline().check()?;
            work.run(cancel)
        })
        .map_err(|failure| {
            let reason = failure.code().to_owned();
            self.failure = Some(failure);
            napi::Error::from_reason(reason)
        })
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> Result<Self::JsValue> {
        self.record(None);
        Ok(W::to_js(output))
    }

    fn reject(&mut self, env: Env, err: napi::Error) -> Result<Self::JsValue> {
        let failure = self
            .failure
            .take()
            .unwrap_or_else(|| Failure::Internal(err.reason.clone()));
        self.record(Some(failure.code()));
        Err(napi::Error::from(failure.to_js(&env)?))
    }

    fn finally(mut self, env: Env) -> Result<()> {
        self.control.release(&env)
    }
}

/// Work whose `Control` is unused keeps `Cancel` alive only for the call.
impl Drop for Control {
    fn drop(&mut self) {
        // A hook not released on the JS thread (the task was dropped without
        // running) leaves its reference for V8 to collect with the signal.
        if let Some(hook) = self.hook.take() {
            std::mem::forget(hook.signal);
        }
    }
}
