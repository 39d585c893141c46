//! getMetrics / resetMetrics: the core's process-wide counters as a JS
//! object.

use napi_derive::napi;
use patchkit_core::metrics;

/// Calls per function (a batch counts once; its files are in
/// `diffsComputed` / `cacheHits`).
#[napi(object)]
pub struct CallCounts {
    pub create_diff: f64,
    pub create_diff_async: f64,
    pub create_diffs: f64,
    pub create_diffs_sync: f64,
    pub apply_patch: f64,
    pub apply_patch_async: f64,
    pub has_conflicts: f64,
    pub has_conflicts_async: f64,
    /// `checkPatch` and `checkPatchAsync`.
    pub check_patch: f64,
    /// `applyPatches` and `applyPatchesAsync`.
    pub apply_patches: f64,
    pub apply_plan: f64,
    /// `parsePatch` and `parsePatchAsync`.
    pub parse_patch: f64,
}

/// Failed calls per error code.
#[napi(object)]
pub struct ErrorCounts {
    #[napi(js_name = "INVALID_ARGUMENT")]
    pub invalid_argument: f64,
    #[napi(js_name = "PATCH_PARSE")]
    pub patch_parse: f64,
    #[napi(js_name = "PATCH_CONFLICT")]
    pub patch_conflict: f64,
    #[napi(js_name = "ABORTED")]
    pub aborted: f64,
    #[napi(js_name = "TIMEOUT")]
    pub timeout: f64,
    #[napi(js_name = "INPUT_TOO_LARGE")]
    pub input_too_large: f64,
    #[napi(js_name = "INTERNAL")]
    pub internal: f64,
    #[napi(js_name = "OTHER")]
    pub other: f64,
}

/// Call durations (async calls: from the call to the settled promise).
/// Percentiles come from a fixed histogram, exact to within 19%.
#[napi(object)]
pub struct DurationStats {
    pub total_ms: f64,
    pub max_ms: f64,
    pub p50_ms: f64,
    pub p90_ms: f64,
    pub p99_ms: f64,
}

/// Cumulative counters since start or the last `resetMetrics()`.
#[napi(object)]
pub struct PatchkitMetrics {
    pub calls: CallCounts,
    /// Bytes of input text (both sides, or baseline and patch).
    pub bytes_in: f64,
    /// Files diffed by an engine.
    pub diffs_computed: f64,
    /// Files served from a `DiffCache`.
    pub cache_hits: f64,
    /// Files whose jsdiff-compatible search went over budget (or deadline,
    /// with `onTimeout: 'fallback'`).
    pub engine_fallbacks: f64,
    pub errors: ErrorCounts,
    pub duration: DurationStats,
    /// Bytes of `summary.preview` produced.
    pub preview_bytes: f64,
}

/// Cumulative counters since start or the last `resetMetrics()`.
#[napi(js_name = "getMetrics")]
pub fn get_metrics() -> PatchkitMetrics {
    let s = metrics::snapshot();
    let call = |name: &str| {
        s.calls
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(0.0, |(_, v)| *v as f64)
    };
    let error = |code: &str| {
        s.errors
            .iter()
            .find(|(c, _)| *c == code)
            .map_or(0.0, |(_, v)| *v as f64)
    };
    PatchkitMetrics {
        calls: CallCounts {
            create_diff: call("createDiff"),
            create_diff_async: call("createDiffAsync"),
            create_diffs: call("createDiffs"),
            create_diffs_sync: call("createDiffsSync"),
            apply_patch: call("applyPatch"),
            apply_patch_async: call("applyPatchAsync"),
            has_conflicts: call("hasConflicts"),
            has_conflicts_async: call("hasConflictsAsync"),
            check_patch: call("checkPatch"),
            apply_patches: call("applyPatches"),
            apply_plan: call("applyPlan"),
            parse_patch: call("parsePatch"),
        },
        bytes_in: s.bytes_in as f64,
        diffs_computed: s.diffs_computed as f64,
        cache_hits: s.cache_hits as f64,
        engine_fallbacks: s.engine_fallbacks as f64,
        errors: ErrorCounts {
            invalid_argument: error("INVALID_ARGUMENT"),
            patch_parse: error("PATCH_PARSE"),
            patch_conflict: error("PATCH_CONFLICT"),
            aborted: error("ABORTED"),
            timeout: error("TIMEOUT"),
            input_too_large: error("INPUT_TOO_LARGE"),
            internal: error("INTERNAL"),
            other: error("OTHER"),
        },
        duration: DurationStats {
            total_ms: s.total_ms,
            max_ms: s.max_ms,
            p50_ms: s.p50_ms,
            p90_ms: s.p90_ms,
            p99_ms: s.p99_ms,
        },
        preview_bytes: s.preview_bytes as f64,
    }
}

/// Sets every counter of `getMetrics()` back to zero.
#[napi(js_name = "resetMetrics")]
pub fn reset_metrics() {
    metrics::reset();
}
