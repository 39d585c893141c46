//! A bounded LRU of computed patches, keyed by path, both sides' SHA-256
//! digests and every option that shapes the output.
//!
//! The digests are always computed from the content, never taken from the
//! caller, so a hit is exactly what a fresh computation would return. The
//! cache is shared by threads (a mutex around the LRU; the patch itself is
//! built outside the lock) and holds at most `max_entries` patches and
//! `max_bytes` of them, counted by [`FilePatch::heap_size`].

use crate::content::{Content, Sides};
use crate::engine::{Cancel, EngineUsed};
use crate::error::Result;
use crate::patch::{binary_patch, build, DiffOptions, Digests, FilePatch};
use lru::LruCache;
use std::sync::{Arc, Mutex};

/// Counters of one cache.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheStats {
    pub entries: usize,
    pub bytes: usize,
    pub hits: u64,
    pub misses: u64,
    pub evictions: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    path: String,
    digests: Digests,
    options: DiffOptions,
    /// Bytes and a string with the same digest differ when they hold a NUL:
    /// the bytes are binary, the string is text.
    binary: bool,
}

struct Entry {
    patch: Arc<FilePatch>,
    bytes: usize,
}

struct Inner {
    lru: LruCache<Key, Entry>,
    stats: CacheStats,
}

/// A cache a caller scopes to a batch or a session and then drops.
pub struct DiffCache {
    max_entries: usize,
    max_bytes: usize,
    inner: Mutex<Inner>,
}

/// Bytes a key costs besides its patch.
fn key_size(key: &Key) -> usize {
    key.path.len() + 2 * 64 + std::mem::size_of::<Key>()
}

impl DiffCache {
    pub fn new(max_entries: usize, max_bytes: usize) -> Self {
        DiffCache {
            max_entries: max_entries.max(1),
            max_bytes,
            inner: Mutex::new(Inner {
                lru: LruCache::unbounded(),
                stats: CacheStats::default(),
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves consistent data (every update
        // is a single step), so a poisoned lock is still usable.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The patch for these sides and options: from the cache, or computed
    /// and remembered.
    pub fn create_diff(
        &self,
        path: &str,
        before: Option<&str>,
        after: Option<&str>,
        options: &DiffOptions,
        cancel: Cancel,
    ) -> Result<(Arc<FilePatch>, bool)> {
        let key = Key {
            path: path.to_owned(),
            digests: Digests::of(before, after),
            options: *options,
            binary: false,
        };
        if let Some(patch) = self.get(&key) {
            return Ok((patch, true));
        }
        let patch = Arc::new(build(
            path,
            before,
            after,
            options,
            cancel,
            key.digests.clone(),
        )?);
        if patch.engine != EngineUsed::TimeoutFallback {
            self.insert(key, patch.clone());
        }
        Ok((patch, false))
    }

    /// [`DiffCache::create_diff`] for sides that are each text or bytes (see
    /// [`crate::create_diff_content`]).
    pub fn create_diff_content(
        &self,
        path: &str,
        before: Option<Content>,
        after: Option<Content>,
        options: &DiffOptions,
        cancel: Cancel,
    ) -> Result<(Arc<FilePatch>, bool)> {
        let (before, after) = match Sides::read(before, after) {
            Sides::Text { before, after } => {
                return self.create_diff(path, before.as_deref(), after.as_deref(), options, cancel)
            }
            Sides::Binary { before, after } => (before, after),
        };
        let key = Key {
            path: path.to_owned(),
            digests: Digests::of_bytes(before, after),
            options: *options,
            binary: true,
        };
        if let Some(patch) = self.get(&key) {
            return Ok((patch, true));
        }
        cancel.without_deadline().check()?;
        let patch = Arc::new(binary_patch(
            path,
            before,
            after,
            options,
            key.digests.clone(),
        ));
        self.insert(key, patch.clone());
        Ok((patch, false))
    }

    fn get(&self, key: &Key) -> Option<Arc<FilePatch>> {
        let mut inner = self.lock();
        let found = inner.lru.get(key).map(|e| e.patch.clone());
        match found {
            Some(_) => inner.stats.hits += 1,
            None => inner.stats.misses += 1,
        }
        found
    }

    fn insert(&self, key: Key, patch: Arc<FilePatch>) {
        let bytes = patch.heap_size() + key_size(&key);
        if bytes > self.max_bytes {
            return;
        }
        let mut inner = self.lock();
        if let Some(old) = inner.lru.put(key, Entry { patch, bytes }) {
            inner.stats.bytes -= old.bytes;
        }
        inner.stats.bytes += bytes;
        while inner.lru.len() > self.max_entries || inner.stats.bytes > self.max_bytes {
            let Some((_, evicted)) = inner.lru.pop_lru() else {
                break;
            };
            inner.stats.bytes -= evicted.bytes;
            inner.stats.evictions += 1;
        }
        inner.stats.entries = inner.lru.len();
    }

    /// Drops every entry; the hit, miss and eviction counters are kept.
    pub fn clear(&self) {
        let mut inner = self.lock();
        inner.lru.clear();
        inner.stats.entries = 0;
        inner.stats.bytes = 0;
    }

    pub fn stats(&self) -> CacheStats {
        self.lock().stats
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diff(cache: &DiffCache, path: &str, after: &str) -> bool {
        let options = DiffOptions::default();
        cache
            .create_diff(path, Some("a\n"), Some(after), &options, Cancel::default())
            .unwrap()
            .1
    }

    #[test]
    fn hits_equal_fresh_results_and_count() {
        let cache = DiffCache::new(10, 1 << 20);
        let options = DiffOptions::default();
        let (first, hit) = cache
            .create_diff("p", Some("a\n"), Some("b\n"), &options, Cancel::default())
            .unwrap();
        assert!(!hit);
        let (second, hit) = cache
            .create_diff("p", Some("a\n"), Some("b\n"), &options, Cancel::default())
            .unwrap();
        assert!(hit);
        assert_eq!(first.diff, second.diff);
        let other = DiffOptions {
            context: 0,
            ..options
        };
        let (_, hit) = cache
            .create_diff("p", Some("a\n"), Some("b\n"), &other, Cancel::default())
            .unwrap();
        assert!(!hit, "options are part of the key");
        let stats = cache.stats();
        assert_eq!((stats.hits, stats.misses, stats.entries), (1, 2, 2));
    }

    #[test]
    fn evicts_least_recently_used_first_within_both_bounds() {
        let cache = DiffCache::new(2, 1 << 20);
        assert!(!diff(&cache, "a", "1\n"));
        assert!(!diff(&cache, "b", "2\n"));
        assert!(diff(&cache, "a", "1\n")); // a is now the most recent
        assert!(!diff(&cache, "c", "3\n")); // evicts b
        assert!(diff(&cache, "a", "1\n"));
        assert!(!diff(&cache, "b", "2\n"));
        assert_eq!(cache.stats().evictions, 2);

        let one = {
            let probe = DiffCache::new(10, 1 << 20);
            diff(&probe, "x", "1\n");
            probe.stats().bytes
        };
        let small = DiffCache::new(100, one * 2 + one / 2);
        for path in ["x", "y", "z"] {
            diff(&small, path, "1\n");
        }
        let stats = small.stats();
        assert_eq!(stats.entries, 2);
        assert!(stats.bytes <= one * 2 + one / 2);
        small.clear();
        assert_eq!((small.stats().entries, small.stats().bytes), (0, 0));
    }
}
