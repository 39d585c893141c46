//! Many files at once: diffs computed in parallel on one bounded rayon pool,
//! results in input order.
//!
//! The pool is created on first use with `PATCHKIT_THREADS` threads (default:
//! the number of cores). [`configure_threads`] sets the size before that.

use crate::cache::DiffCache;
use crate::content::{Content, OwnedContent};
use crate::engine::{Cancel, EngineUsed};
use crate::error::{Error, Result};
use crate::metrics;
use crate::patch::{create_diff_content, DiffOptions, FilePatch};
use rayon::prelude::*;
use std::sync::{Arc, Mutex, OnceLock};

/// One file of a batch, as text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DiffInput {
    pub path: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// One file of a batch whose sides are each text or bytes; bytes may be
/// binary (see [`crate::create_diff_bytes`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContentInput {
    pub path: String,
    pub before: Option<OwnedContent>,
    pub after: Option<OwnedContent>,
}

/// What [`diff_one`] and [`create_diffs`] read from an input.
pub trait Input: Sync {
    fn path(&self) -> &str;
    /// Both sides; `None` is an absent file.
    fn sides(&self) -> (Option<Content<'_>>, Option<Content<'_>>);
}

impl Input for DiffInput {
    fn path(&self) -> &str {
        &self.path
    }
    fn sides(&self) -> (Option<Content<'_>>, Option<Content<'_>>) {
        (
            self.before.as_deref().map(Content::Text),
            self.after.as_deref().map(Content::Text),
        )
    }
}

impl Input for ContentInput {
    fn path(&self) -> &str {
        &self.path
    }
    fn sides(&self) -> (Option<Content<'_>>, Option<Content<'_>>) {
        (
            self.before.as_ref().map(OwnedContent::as_content),
            self.after.as_ref().map(OwnedContent::as_content),
        )
    }
}

static POOL: OnceLock<rayon::ThreadPool> = OnceLock::new();
static REQUESTED: Mutex<Option<usize>> = Mutex::new(None);

/// Sets the pool size. Allowed until the pool has started; afterwards only
/// the size it already has is accepted.
pub fn configure_threads(threads: usize) -> Result<()> {
    if threads == 0 || threads > 1024 {
        return Err(Error::InvalidArgument(format!(
            "threads must be from 1 to 1024, got {threads}"
        )));
    }
    if let Some(pool) = POOL.get() {
        if pool.current_num_threads() != threads {
            return Err(Error::InvalidArgument(format!(
                "the thread pool has already started with {} threads; configure it before the first batch",
                pool.current_num_threads()
            )));
        }
        return Ok(());
    }
    *REQUESTED.lock().unwrap_or_else(|e| e.into_inner()) = Some(threads);
    Ok(())
}

/// The number of threads the pool has or will have.
pub fn threads() -> usize {
    POOL.get()
        .map(|p| p.current_num_threads())
        .unwrap_or_else(requested_threads)
}

fn requested_threads() -> usize {
    let configured = *REQUESTED.lock().unwrap_or_else(|e| e.into_inner());
    configured
        .or_else(|| {
            std::env::var("PATCHKIT_THREADS")
                .ok()?
                .parse()
                .ok()
                .filter(|&n| n > 0 && n <= 1024)
        })
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()))
}

/// The shared pool.
pub fn pool() -> &'static rayon::ThreadPool {
    POOL.get_or_init(|| {
        let built = rayon::ThreadPoolBuilder::new()
            .num_threads(requested_threads())
            .thread_name(|i| format!("patchkit-{i}"))
            .build();
        // Building only fails when threads cannot be spawned at all; a
        // one-thread pool is the last resort.
        built.unwrap_or_else(|_| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(1)
                .build()
                .expect("a one-thread pool")
        })
    })
}

/// Diffs one input, through `cache` when given, and counts it in the
/// metrics.
pub fn diff_one(
    input: &impl Input,
    options: &DiffOptions,
    cancel: Cancel,
    cache: Option<&DiffCache>,
) -> Result<Arc<FilePatch>> {
    let (path, (before, after)) = (input.path(), input.sides());
    let (patch, hit) = match cache {
        Some(cache) => cache.create_diff_content(path, before, after, options, cancel)?,
        None => (
            Arc::new(create_diff_content(path, before, after, options, cancel)?),
            false,
        ),
    };
    let fell_back = matches!(
        patch.engine,
        EngineUsed::Fallback | EngineUsed::TimeoutFallback
    );
    metrics::record_diff(
        hit,
        fell_back,
        patch.preview.as_ref().map_or(0, String::len),
    );
    Ok(patch)
}

/// Diffs every input on the pool. Fails with the first error (in input
/// order) if any file fails.
pub fn create_diffs(
    inputs: &[impl Input],
    options: &DiffOptions,
    cancel: Cancel,
    cache: Option<&DiffCache>,
) -> Result<Vec<Arc<FilePatch>>> {
    pool().install(|| {
        inputs
            .par_iter()
            .map(|i| diff_one(i, options, cancel, cache))
            .collect::<Vec<_>>()
            .into_iter()
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_input_order_and_equal_single_calls() {
        let inputs: Vec<DiffInput> = (0..50)
            .map(|i| DiffInput {
                path: format!("f{i}"),
                before: Some(format!("a\nb{i}\nc\n")),
                after: (i % 7 != 0).then(|| format!("a\nB{i}\nc\n")),
            })
            .collect();
        let options = DiffOptions::default();
        let batch = create_diffs(&inputs, &options, Cancel::default(), None).unwrap();
        for (input, patch) in inputs.iter().zip(&batch) {
            let single = crate::create_diff(
                &input.path,
                input.before.as_deref(),
                input.after.as_deref(),
                &options,
            )
            .unwrap();
            assert_eq!(patch.path, input.path);
            assert_eq!(patch.diff, single.diff);
        }
    }

    #[test]
    fn a_cancelled_batch_fails() {
        let flag = std::sync::atomic::AtomicBool::new(true);
        let inputs = vec![DiffInput::default(); 3];
        let err =
            create_diffs(&inputs, &DiffOptions::default(), Cancel::flag(&flag), None).unwrap_err();
        assert_eq!(err.code(), "ABORTED");
    }

    #[test]
    fn thread_counts_are_checked() {
        assert!(configure_threads(0).is_err());
        assert!(configure_threads(5000).is_err());
    }
}
