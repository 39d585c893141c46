/**
 * DiffCache, metrics and preview budgets.
 */
import { describe, expect, it } from 'vitest';
import { native } from './helpers/native.js';

const n = native as any;

const file = (i: number, version: number) =>
  Array.from({ length: 40 }, (_, k) => (k === (i + version) % 40 ? `line ${k} v${version}` : `line ${k} of file ${i}`)).join('\n') + '\n';

describe('DiffCache', () => {
  it('serves hits that deep-equal a fresh computation, across sync, async and batch calls', async () => {
    const cache = new n.DiffCache();
    const fresh = n.createDiff('a.ts', file(1, 0), file(1, 1));
    const first = n.createDiff('a.ts', file(1, 0), file(1, 1), { cache });
    const second = n.createDiff('a.ts', file(1, 0), file(1, 1), { cache });
    const third = await n.createDiffAsync('a.ts', file(1, 0), file(1, 1), { cache });
    const [fourth] = await n.createDiffs([{ path: 'a.ts', baseline: file(1, 0), proposed: file(1, 1) }], { cache });
    const [fifth] = n.createDiffsSync([{ path: 'a.ts', baseline: file(1, 0), proposed: file(1, 1) }], { cache });
    for (const result of [first, second, third, fourth, fifth]) expect(result).toStrictEqual(fresh);
    expect(cache.stats()).toMatchObject({ entries: 1, hits: 4, misses: 1, evictions: 0 });
  });

  it('keys on path, content and every option that changes the output', () => {
    const cache = new n.DiffCache();
    n.createDiff('a.ts', 'x\n', 'y\n', { cache });
    n.createDiff('b.ts', 'x\n', 'y\n', { cache }); // path
    n.createDiff('a.ts', 'x\n', 'z\n', { cache }); // content
    n.createDiff('a.ts', null, 'y\n', { cache }); // null differs from ''
    n.createDiff('a.ts', '', 'y\n', { cache });
    n.createDiff('a.ts', 'x\n', 'y\n', { cache, contextLines: 0 });
    n.createDiff('a.ts', 'x\n', 'y\n', { cache, maxPreviewLength: 1 });
    n.createDiff('a.ts', 'x\n', 'y\n', { cache, maxPreviewLines: 1 });
    n.createDiff('a.ts', 'x\n', 'y\n', { cache, engineBudget: { maxWork: 1 } });
    expect(cache.stats()).toMatchObject({ entries: 9, hits: 0, misses: 9 });
    // Same content through a Buffer is the same key.
    n.createDiff('a.ts', Buffer.from('x\n'), 'y\n', { cache });
    expect(cache.stats().hits).toBe(1);
  });

  it('evicts the least recently used entry first', () => {
    const cache = new n.DiffCache({ maxEntries: 2 });
    n.createDiff('a', 'x\n', 'a\n', { cache });
    n.createDiff('b', 'x\n', 'b\n', { cache });
    n.createDiff('a', 'x\n', 'a\n', { cache }); // a is now most recent: hit
    n.createDiff('c', 'x\n', 'c\n', { cache }); // evicts b
    n.createDiff('a', 'x\n', 'a\n', { cache }); // hit
    n.createDiff('b', 'x\n', 'b\n', { cache }); // miss: was evicted
    expect(cache.stats()).toMatchObject({ entries: 2, hits: 2, misses: 4, evictions: 2 });
  });

  it('counts bytes and never holds more than maxBytes', () => {
    const probe = new n.DiffCache();
    n.createDiff('f', file(0, 0), file(0, 1), { cache: probe });
    const one = probe.stats().bytes;
    expect(one).toBeGreaterThan(n.createDiff('f', file(0, 0), file(0, 1)).diff.length);

    const cache = new n.DiffCache({ maxBytes: Math.floor(one * 3.5) });
    for (let i = 0; i < 20; i++) {
      n.createDiff('f', file(0, 0), file(0, i + 1), { cache });
      expect(cache.stats().bytes).toBeLessThanOrEqual(Math.floor(one * 3.5));
    }
    // Entries are about `one` byte each (their texts differ a little).
    expect(cache.stats().entries).toBeGreaterThanOrEqual(2);
    expect(cache.stats().entries).toBeLessThanOrEqual(3);
    expect(cache.stats().evictions).toBeGreaterThanOrEqual(17);
    // An entry larger than the whole cache is not kept.
    const tiny = new n.DiffCache({ maxBytes: 10 });
    n.createDiff('f', file(0, 0), file(0, 1), { cache: tiny });
    expect(tiny.stats()).toMatchObject({ entries: 0, bytes: 0 });
    cache.clear();
    expect(cache.stats()).toMatchObject({ entries: 0, bytes: 0 });
  });

  it('is safe under concurrent async calls', async () => {
    const cache = new n.DiffCache();
    const jobs = Array.from({ length: 400 }, (_, i) => n.createDiffAsync(`f${i % 20}`, file(i % 20, 0), file(i % 20, 1), { cache }));
    const results = await Promise.all(jobs);
    results.forEach((r: any, i: number) => expect(r).toStrictEqual(n.createDiff(`f${i % 20}`, file(i % 20, 0), file(i % 20, 1))));
    const stats = cache.stats();
    expect(stats.hits + stats.misses).toBe(400);
    expect(stats.entries).toBe(20);
    expect(stats.misses).toBeGreaterThanOrEqual(20);
  });

  it('a spool-like session (write, replace, diff, validate, commit on 50 files) hits as expected', () => {
    const cache = new n.DiffCache();
    const before = Array.from({ length: 50 }, (_, i) => file(i, 0));
    const current = before.slice();
    const diffAll = () => current.map((text, i) => n.createDiff(`src/f${i}.ts`, before[i], text, { cache }));
    for (let i = 0; i < 50; i++) {
      current[i] = file(i, 1); // write
      n.createDiff(`src/f${i}.ts`, before[i], current[i], { cache });
      current[i] = current[i].replace('line', 'LINE'); // replace
      n.createDiff(`src/f${i}.ts`, before[i], current[i], { cache });
    }
    diffAll(); // diff()
    diffAll(); // validate()
    const committed = diffAll(); // commit()
    const stats = cache.stats();
    expect(stats).toMatchObject({ misses: 100, hits: 150, entries: 100 });
    expect(committed[7]).toStrictEqual(n.createDiff('src/f7.ts', before[7], current[7]));
  });

  it('refuses what is not a DiffCache, and bad bounds', () => {
    expect(() => n.createDiff('a', 'x', 'y', { cache: {} })).toThrow(/DiffCache/);
    expect(() => new n.DiffCache({ maxEntries: -1 })).toThrow(TypeError);
    expect(() => new n.DiffCache({ maxBytes: 'big' })).toThrow(TypeError);
  });
});

describe('metrics', () => {
  it('counts calls, bytes, computed and cached diffs, fallbacks, errors and durations', async () => {
    n.resetMetrics();
    const zero = n.getMetrics();
    expect(zero.calls.createDiff).toBe(0);
    expect(zero.duration.totalMs).toBe(0);

    const cache = new n.DiffCache();
    n.createDiff('m', 'a\n', 'b\n', { cache });
    n.createDiff('m', 'a\n', 'b\n', { cache });
    await n.createDiffAsync('m', 'a\n', 'c\n');
    await n.createDiffs([{ path: 'x', baseline: 'a\n', proposed: 'd\n' }, { path: 'y', baseline: null, proposed: 'e\n' }]);
    n.applyPatch('a\n', n.createDiff('m', 'a\n', 'b\n'));
    expect(() => n.applyPatch('z\n', n.createDiff('m', 'a\n', 'b\n'))).toThrow();
    expect(() => n.applyPatch('z\n', 'garbage')).toThrow();
    expect(() => n.createDiff(5, 'a', 'b')).toThrow();
    await expect(n.applyPatchAsync('z\n', 'garbage')).rejects.toThrow();
    const lines = (k: number) => Array.from({ length: 300 }, (_, i) => `l${(i * k) % 17}`).join('\n');
    n.createDiff('fb', lines(3), lines(5), { engineBudget: { maxWork: 10 } });

    const m = n.getMetrics();
    expect(m.calls).toMatchObject({ createDiff: 6, createDiffAsync: 1, createDiffs: 1, applyPatch: 3, applyPatchAsync: 1 });
    expect(m.cacheHits).toBe(1);
    expect(m.diffsComputed).toBe(7); // 1 + 1 async + 2 batch + 2 for applyPatch's inputs + fallback
    expect(m.engineFallbacks).toBe(1);
    expect(m.errors).toMatchObject({ PATCH_CONFLICT: 1, PATCH_PARSE: 2, INVALID_ARGUMENT: 1 });
    expect(m.bytesIn).toBeGreaterThan(20);
    expect(m.previewBytes).toBeGreaterThan(0);
    expect(m.duration.totalMs).toBeGreaterThan(0);
    expect(m.duration.maxMs).toBeGreaterThan(0);
    expect(m.duration.p50Ms).toBeLessThanOrEqual(m.duration.p90Ms);
    expect(m.duration.p90Ms).toBeLessThanOrEqual(m.duration.p99Ms);

    n.resetMetrics();
    expect(n.getMetrics().calls.createDiff).toBe(0);
    expect(n.getMetrics().errors.PATCH_PARSE).toBe(0);
  });
});

describe('preview budgets', () => {
  const before = Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n') + '\n';
  const after = before.replace('line 2\n', 'LINE 2\n').replace('line 20\n', 'LINE 20\n');

  it('defaults leave the preview unchanged', () => {
    expect(n.createDiff('p', before, after).summary.preview).toBe('-line 2\n+LINE 2\n-line 20\n+LINE 20');
    expect(n.createDiff('p', before, after, { maxPreviewLines: 100, maxPreviewHunks: 100 }).summary.preview).toBe(
      '-line 2\n+LINE 2\n-line 20\n+LINE 20',
    );
  });

  it('maxPreviewLines and maxPreviewHunks cut with …, and combine with maxPreviewLength', () => {
    expect(n.createDiff('p', before, after, { maxPreviewLines: 3 }).summary.preview).toBe('-line 2\n+LINE 2\n-line 20…');
    expect(n.createDiff('p', before, after, { maxPreviewHunks: 1 }).summary.preview).toBe('-line 2\n+LINE 2…');
    expect(n.createDiff('p', before, after, { maxPreviewHunks: 1, maxPreviewLength: 4 }).summary.preview).toBe('-lin…');
    expect(n.createDiff('p', before, after, { maxPreviewLines: 0 }).summary.preview).toBe('…');
    // Counts are never affected.
    expect(n.createDiff('p', before, after, { maxPreviewLines: 1 }).summary).toMatchObject({ additions: 2, deletions: 2 });
  });
});
