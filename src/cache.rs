//! The `DiffCache` class: a handle on a core cache that calls share through
//! `options.cache`.

use crate::{js, run};
use napi::bindgen_prelude::*;
use napi_derive::napi;
use patchkit_core::cache::DiffCache;
use std::sync::Arc;

/// A bounded LRU of computed diffs, keyed by path, both sides' SHA-256 and
/// every option that changes the output. Pass it as `options.cache`; scope
/// it to a batch or a session and drop it (or `clear()` it) afterwards.
#[napi(js_name = "DiffCache")]
pub struct JsDiffCache {
    pub(crate) inner: Arc<DiffCache>,
}

/// Counters of a `DiffCache`.
#[napi(object)]
pub struct CacheStats {
    pub entries: u32,
    pub bytes: f64,
    pub hits: f64,
    pub misses: f64,
    pub evictions: f64,
}

#[napi]
impl JsDiffCache {
    /// `maxEntries` (default 1,000) and `maxBytes` (default 64 MiB) bound
    /// what the cache holds; the oldest unused entries go first.
    #[napi(
        constructor,
        ts_args_type = "options?: { maxEntries?: number; maxBytes?: number }"
    )]
    pub fn new(env: Env, options: Option<Unknown>) -> Result<Self> {
        run(&env, None, || {
            let object = js::object_or_none(options, "options")?;
            let field = |name, default: f64, max: f64| -> crate::error::Outcome<f64> {
                Ok(match object.as_ref() {
                    Some(o) => js::uint_field(o, name, max)?.unwrap_or(default),
                    None => default,
                })
            };
            let max_entries = field("maxEntries", 1000.0, 1e9)? as usize;
            let max_bytes =
                field("maxBytes", (64u64 << 20) as f64, 9_007_199_254_740_991.0)? as usize;
            let inner = Arc::new(DiffCache::new(max_entries, max_bytes));
            Ok((JsDiffCache { inner }, 0))
        })
    }

    /// Drops every entry (the hit, miss and eviction counters are kept).
    #[napi]
    pub fn clear(&self) {
        self.inner.clear();
    }

    /// `{ entries, bytes, hits, misses, evictions }`.
    #[napi]
    pub fn stats(&self) -> CacheStats {
        let s = self.inner.stats();
        CacheStats {
            entries: s.entries as u32,
            bytes: s.bytes as f64,
            hits: s.hits as f64,
            misses: s.misses as f64,
            evictions: s.evictions as f64,
        }
    }
}
