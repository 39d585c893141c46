//! Many threads sharing one cache and the process-wide metrics: every
//! result equals a fresh single-threaded computation and the counters add
//! up. (The core has no unsafe code — `#![forbid(unsafe_code)]` — so data
//! races are ruled out by the compiler; this checks the logic under
//! contention.)

use patchkit_core::batch::{diff_one, DiffInput};
use patchkit_core::cache::DiffCache;
use patchkit_core::{create_diff, Cancel, DiffOptions};
use std::sync::Arc;

fn input(i: usize) -> DiffInput {
    let base: String = (0..50)
        .map(|k| format!("line {k} of {}\n", i % 13))
        .collect();
    DiffInput {
        path: format!("f{}", i % 13),
        after: Some(base.replace("line 7 ", "LINE 7 ")),
        before: Some(base),
    }
}

#[test]
fn threads_sharing_a_cache_get_fresh_results() {
    let cache = Arc::new(DiffCache::new(8, 1 << 20));
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let cache = cache.clone();
            std::thread::spawn(move || {
                for i in 0..400 {
                    let inp = input(i * 7 + t);
                    let got = diff_one(
                        &inp,
                        &DiffOptions::default(),
                        Cancel::default(),
                        Some(&cache),
                    )
                    .unwrap();
                    let fresh = create_diff(
                        &inp.path,
                        inp.before.as_deref(),
                        inp.after.as_deref(),
                        &DiffOptions::default(),
                    )
                    .unwrap();
                    assert_eq!(got.diff, fresh.diff);
                    assert_eq!(got.sha_after, fresh.sha_after);
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let stats = cache.stats();
    assert_eq!(stats.hits + stats.misses, 8 * 400);
    assert!(stats.entries <= 8);
    // Two threads that miss on the same key both insert it; the second
    // replaces the first, so misses can exceed entries plus evictions.
    assert!(stats.misses >= stats.entries as u64 + stats.evictions);
}
