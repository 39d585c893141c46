import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';

/** One cached value and its bookkeeping. */
export interface CacheEntry<T> {
  key: string;
  value: T;
  expiresAt: number;
  hits: number;
}

export interface CacheOptions {
  /** Time to live in milliseconds. */
  ttlMs: number;
  /** Entries kept before the oldest one is evicted. */
  maxEntries: number;
}

const DEFAULT_OPTIONS: CacheOptions = {
  ttlMs: 60_000,
  maxEntries: 1_000,
};

/** A stable key for a list of parts (order matters). */
export function cacheKey(parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex');
}

export class TtlCache<T> extends EventEmitter {
  readonly #entries = new Map<string, CacheEntry<T>>();
  readonly #options: CacheOptions;

  constructor(options: Partial<CacheOptions> = {}) {
    super();
    this.#options = { ...DEFAULT_OPTIONS, ...options };
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Drops every expired entry and returns how many were removed. */
  prune(now = Date.now()): number {
    let removed = 0;
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAt <= now) {
        this.#entries.delete(key);
        this.emit('expire', key);
        removed += 1;
      }
    }
    return removed;
  }

  get(key: string, now = Date.now()): T | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      this.#entries.delete(key);
      this.emit('expire', key);
      return undefined;
    }
    entry.hits += 1;
    return entry.value;
  }

  set(key: string, value: T, now = Date.now()): void {
    if (this.#entries.size >= this.#options.maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(key, { key, value, expiresAt: now + this.#options.ttlMs, hits: 0 });
  }
}

/** Loads every key into the cache concurrently. */
export async function warmUp<T>(cache: TtlCache<T>, keys: string[], load: (key: string) => Promise<T>): Promise<void> {
  const values = await Promise.all(keys.map((key) => load(key)));
  keys.forEach((key, i) => cache.set(key, values[i]));
}
