//! Process-wide counters, cheap enough to stay on: every update is a few
//! relaxed atomic additions, no lock, no allocation.
//!
//! Latencies go into a fixed histogram of 4 buckets per doubling from 1 µs,
//! so percentiles are read to within 19%.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
use std::time::Duration;

/// The calls that are counted, one counter each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Call {
    CreateDiff,
    CreateDiffAsync,
    CreateDiffs,
    CreateDiffsSync,
    ApplyPatch,
    ApplyPatchAsync,
    HasConflicts,
    HasConflictsAsync,
    /// `checkPatch`, `applyPatches`, `applyPlan` (sync or async).
    CheckPatch,
    ApplyPatches,
    ApplyPlan,
    /// `parsePatch` (sync or async).
    ParsePatch,
}

impl Call {
    pub const ALL: [Call; 12] = [
        Call::CreateDiff,
        Call::CreateDiffAsync,
        Call::CreateDiffs,
        Call::CreateDiffsSync,
        Call::ApplyPatch,
        Call::ApplyPatchAsync,
        Call::HasConflicts,
        Call::HasConflictsAsync,
        Call::CheckPatch,
        Call::ApplyPatches,
        Call::ApplyPlan,
        Call::ParsePatch,
    ];

    /// The JS function's name.
    pub fn name(self) -> &'static str {
        match self {
            Call::CreateDiff => "createDiff",
            Call::CreateDiffAsync => "createDiffAsync",
            Call::CreateDiffs => "createDiffs",
            Call::CreateDiffsSync => "createDiffsSync",
            Call::ApplyPatch => "applyPatch",
            Call::ApplyPatchAsync => "applyPatchAsync",
            Call::HasConflicts => "hasConflicts",
            Call::HasConflictsAsync => "hasConflictsAsync",
            Call::CheckPatch => "checkPatch",
            Call::ApplyPatches => "applyPatches",
            Call::ApplyPlan => "applyPlan",
            Call::ParsePatch => "parsePatch",
        }
    }
}

/// Error codes that are counted (see [`crate::Error::code`]).
pub const ERROR_CODES: [&str; 8] = [
    "INVALID_ARGUMENT",
    "PATCH_PARSE",
    "PATCH_CONFLICT",
    "ABORTED",
    "TIMEOUT",
    "INPUT_TOO_LARGE",
    "INTERNAL",
    "OTHER",
];

const BUCKETS: usize = 4 * 40; // 1 µs .. about 12 days

struct Metrics {
    calls: [AtomicU64; 12],
    errors: [AtomicU64; 8],
    bytes_in: AtomicU64,
    diffs_computed: AtomicU64,
    cache_hits: AtomicU64,
    engine_fallbacks: AtomicU64,
    preview_bytes: AtomicU64,
    total_ns: AtomicU64,
    max_ns: AtomicU64,
    latency: [AtomicU64; BUCKETS],
}

#[allow(clippy::declare_interior_mutable_const)]
const ZERO: AtomicU64 = AtomicU64::new(0);

static METRICS: Metrics = Metrics {
    calls: [ZERO; 12],
    errors: [ZERO; 8],
    bytes_in: ZERO,
    diffs_computed: ZERO,
    cache_hits: ZERO,
    engine_fallbacks: ZERO,
    preview_bytes: ZERO,
    total_ns: ZERO,
    max_ns: ZERO,
    latency: [ZERO; BUCKETS],
};

static ENABLED: AtomicBool = AtomicBool::new(true);

/// Turns recording on or off (on by default; off only to measure its cost).
pub fn set_enabled(on: bool) {
    ENABLED.store(on, Relaxed);
}

pub fn enabled() -> bool {
    ENABLED.load(Relaxed)
}

/// Counts one call of `call` that read `bytes_in` bytes and took `elapsed`;
/// `error` is its error code, if it failed.
pub fn record_call(call: Call, bytes_in: usize, elapsed: Duration, error: Option<&str>) {
    if !enabled() {
        return;
    }
    let m = &METRICS;
    m.calls[call as usize].fetch_add(1, Relaxed);
    m.bytes_in.fetch_add(bytes_in as u64, Relaxed);
    let ns = elapsed.as_nanos().min(u64::MAX as u128) as u64;
    m.total_ns.fetch_add(ns, Relaxed);
    m.max_ns.fetch_max(ns, Relaxed);
    m.latency[bucket(ns)].fetch_add(1, Relaxed);
    if let Some(code) = error {
        let i = ERROR_CODES
            .iter()
            .position(|c| *c == code)
            .unwrap_or(ERROR_CODES.len() - 1);
        m.errors[i].fetch_add(1, Relaxed);
    }
}

/// Counts one file diffed: computed or served from a cache, whether the
/// engine fell back, and the preview's size.
pub fn record_diff(from_cache: bool, fell_back: bool, preview_bytes: usize) {
    if !enabled() {
        return;
    }
    let m = &METRICS;
    if from_cache {
        m.cache_hits.fetch_add(1, Relaxed);
    } else {
        m.diffs_computed.fetch_add(1, Relaxed);
    }
    if fell_back {
        m.engine_fallbacks.fetch_add(1, Relaxed);
    }
    m.preview_bytes.fetch_add(preview_bytes as u64, Relaxed);
}

fn bucket(ns: u64) -> usize {
    let us = (ns / 1000).max(1);
    let octave = 63 - us.leading_zeros() as usize;
    // Two bits below the leading one pick the quarter of the octave.
    let quarter = if octave >= 2 {
        (us >> (octave - 2)) & 3
    } else {
        (us << (2 - octave)) & 3
    } as usize;
    (octave * 4 + quarter).min(BUCKETS - 1)
}

/// The upper bound of a bucket, in nanoseconds.
fn bucket_limit(i: usize) -> u64 {
    let (octave, quarter) = (i / 4, (i % 4) as u64);
    let base = 1u64 << octave;
    (base + base * (quarter + 1) / 4) * 1000
}

/// A snapshot of every counter.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshot {
    pub calls: Vec<(&'static str, u64)>,
    pub errors: Vec<(&'static str, u64)>,
    pub bytes_in: u64,
    pub diffs_computed: u64,
    pub cache_hits: u64,
    pub engine_fallbacks: u64,
    pub preview_bytes: u64,
    pub total_ms: f64,
    pub max_ms: f64,
    pub p50_ms: f64,
    pub p90_ms: f64,
    pub p99_ms: f64,
}

pub fn snapshot() -> Snapshot {
    let m = &METRICS;
    let counts: Vec<u64> = m.latency.iter().map(|c| c.load(Relaxed)).collect();
    let total: u64 = counts.iter().sum();
    let percentile = |p: f64| -> f64 {
        if total == 0 {
            return 0.0;
        }
        let rank = ((p * total as f64).ceil() as u64).max(1);
        let mut seen = 0;
        for (i, c) in counts.iter().enumerate() {
            seen += c;
            if seen >= rank {
                return bucket_limit(i) as f64 / 1e6;
            }
        }
        0.0
    };
    Snapshot {
        calls: Call::ALL
            .iter()
            .map(|c| (c.name(), m.calls[*c as usize].load(Relaxed)))
            .collect(),
        errors: ERROR_CODES
            .iter()
            .zip(&m.errors)
            .map(|(c, n)| (*c, n.load(Relaxed)))
            .collect(),
        bytes_in: m.bytes_in.load(Relaxed),
        diffs_computed: m.diffs_computed.load(Relaxed),
        cache_hits: m.cache_hits.load(Relaxed),
        engine_fallbacks: m.engine_fallbacks.load(Relaxed),
        preview_bytes: m.preview_bytes.load(Relaxed),
        total_ms: m.total_ns.load(Relaxed) as f64 / 1e6,
        max_ms: m.max_ns.load(Relaxed) as f64 / 1e6,
        p50_ms: percentile(0.5),
        p90_ms: percentile(0.9),
        p99_ms: percentile(0.99),
    }
}

/// Sets every counter back to zero.
pub fn reset() {
    let m = &METRICS;
    for c in m.calls.iter().chain(&m.errors).chain(&m.latency) {
        c.store(0, Relaxed);
    }
    for c in [
        &m.bytes_in,
        &m.diffs_computed,
        &m.cache_hits,
        &m.engine_fallbacks,
        &m.preview_bytes,
        &m.total_ns,
        &m.max_ns,
    ] {
        c.store(0, Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_grow_by_quarters_of_an_octave() {
        assert_eq!(bucket(0), 0);
        assert_eq!(bucket(1_000), 0);
        for ns in [3_000u64, 10_000, 999_999, 5_000_000_000] {
            let b = bucket(ns);
            assert!(bucket_limit(b) >= ns, "{ns} within bucket {b}");
            assert!(
                b == 0 || bucket_limit(b - 1) < ns + 1000,
                "{ns} not in a lower bucket"
            );
        }
    }
}
