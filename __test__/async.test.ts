/**
 * The async surface: results equal the sync ones, the event loop keeps
 * turning while native work runs, aborts and deadlines, Buffer inputs and
 * batches. No assertion here depends on the machine's speed: every timing
 * is compared with a sync call measured in the same test.
 */
import { describe, expect, it } from 'vitest';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import { native } from './helpers/native.js';

const n = native as any;

/** A deterministic pseudo-random source-like text. */
function source(lines: number, seed: number): string[] {
  let s = seed >>> 0;
  const next = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0);
  return Array.from({ length: lines }, () => {
    const k = next() % 10;
    if (k < 2) return '}';
    if (k < 3) return '';
    return `  const v${next() % 100000} = compute(${next() % 1000}, "${next().toString(36)}");`;
  });
}

function scattered(lines: string[], every: number, tag: string): string[] {
  return lines.map((l, i) => (i % every === every >> 1 ? `${l} // ${tag} ${i}` : l));
}

const join = (lines: string[]) => lines.join('\n') + '\n';

/** Two texts whose jsdiff search is long: many small, interleaved changes. */
function heavyPair(lines: number): [string, string] {
  const a = source(lines, 11);
  const b = a.map((l, i) => (i % 3 === 0 ? `${l}!` : l));
  return [join(a), join(b)];
}
const unbounded = { engineBudget: { maxWork: 1e15, maxMemoryBytes: 8 * 2 ** 30 } };

describe('results', () => {
  it('createDiffAsync, applyPatchAsync and hasConflictsAsync equal the sync calls', async () => {
    const pairs: Array<[string, string | null, string | null]> = [
      ['a.ts', join(source(200, 1)), join(scattered(source(200, 1), 17, 'x'))],
      ['b.ts', null, 'new\n'],
      ['c.ts', 'gone\n', null],
      ['d.ts', 'same\n', 'same\n'],
    ];
    for (const [path, before, after] of pairs) {
      const sync = n.createDiff(path, before, after, { contextLines: 2 });
      const async = await n.createDiffAsync(path, before, after, { contextLines: 2 });
      expect(JSON.stringify(async)).toBe(JSON.stringify(sync));
      expect(await n.applyPatchAsync(before, sync)).toBe(n.applyPatch(before, sync));
      expect(await n.hasConflictsAsync(before, sync)).toBe(false);
      expect(await n.hasConflictsAsync('unrelated\n', sync)).toBe(n.hasConflicts('unrelated\n', sync));
    }
  });

  it('rejects with the same coded errors as the sync calls', async () => {
    await expect(n.applyPatchAsync('x\n', 'not a diff')).rejects.toMatchObject({ code: 'PATCH_PARSE', line: 1 });
    const patch = n.createDiff('p', 'a\n', 'b\n');
    await expect(n.applyPatchAsync('z\n', patch)).rejects.toMatchObject({
      code: 'PATCH_CONFLICT',
      message: 'Failed to apply patch for p',
      expected: 'a',
      actual: 'z',
    });
    // Bad arguments throw at once, before any promise exists.
    expect(() => n.createDiffAsync(1, 'a', 'b')).toThrow(TypeError);
    expect(() => n.createDiffAsync('p', 'a', 'b', { timeoutMs: -1 })).toThrow(/timeoutMs/);
    expect(() => n.createDiffAsync('p', 'a', 'b', { onTimeout: 'later' })).toThrow(/onTimeout/);
    expect(() => n.createDiffAsync('p', 'a', 'b', { signal: 5 })).toThrow(/signal/);
  });
});

describe('the event loop keeps turning', () => {
  it('while several 50,000-line diffs run async', async () => {
    // Edits every ~25 lines give jsdiff's search real work (a few thousand
    // edits), so the sync calls visibly hold the loop.
    const base = source(50_000, 3);
    const files = [0, 1, 2, 3].map((k) => [join(base), join(scattered(base, 23 + k, `e${k}`))] as const);

    const t0 = performance.now();
    const syncResults = files.map(([a, b]) => n.createDiff('big.ts', a, b));
    const syncMs = performance.now() - t0;

    const histogram = monitorEventLoopDelay({ resolution: 1 });
    histogram.enable();
    await new Promise((r) => setTimeout(r, 50));
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const t1 = performance.now();
    const asyncResults = await Promise.all(files.map(([a, b]) => n.createDiffAsync('big.ts', a, b)));
    const asyncMs = performance.now() - t1;
    clearInterval(timer);
    histogram.disable();

    expect(asyncResults.map((p: any) => p.diff)).toEqual(syncResults.map((p: any) => p.diff));
    const maxDelayMs = histogram.max / 1e6;
    console.log(
      `[event loop] sync ${syncMs.toFixed(1)} ms blocking; async ${asyncMs.toFixed(1)} ms, ` +
        `max loop delay ${maxDelayMs.toFixed(2)} ms, p99 ${(histogram.percentile(99) / 1e6).toFixed(2)} ms, ${ticks} ticks`,
    );
    // The sync calls hold the loop for syncMs; the async ones only for the
    // conversions at either end.
    expect(maxDelayMs).toBeLessThan(syncMs / 4);
    expect(ticks).toBeGreaterThan(0);
  });
});

describe('stress', () => {
  it('1,000 concurrent calls of mixed sizes equal the sync results, and memory settles', async () => {
    const inputs = Array.from({ length: 1000 }, (_, i) => {
      const size = [5, 50, 500, 2000][i % 4];
      const a = source(size, i);
      return [join(a), join(scattered(a, 7 + (i % 13), `s${i}`))] as const;
    });
    const expected = inputs.map(([a, b]) => n.createDiff(`f${0}`, a, b).diff);
    let mismatches = 0;
    const burst = async () => {
      const results = await Promise.all(inputs.map(([a, b]) => n.createDiffAsync(`f${0}`, a, b)));
      results.forEach((p: any, i: number) => (mismatches += p.diff === expected[i] ? 0 : 1));
    };
    // Collect garbage between bursts, so that what remains is what is kept.
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const rssAfter = async (bursts: number) => {
      for (let round = 0; round < bursts; round++) await burst();
      gc();
      return process.memoryUsage().rss;
    };
    // Three bursts warm the allocators up; three more must not keep anything.
    const warm = await rssAfter(3);
    const later = await rssAfter(3);
    const growthMb = (later - warm) / 2 ** 20;
    expect(mismatches).toBe(0);
    const burstMb = inputs.reduce((sum, [a, b]) => sum + a.length + b.length, 0) / 2 ** 20;
    console.log(
      `[stress] ${burstMb.toFixed(0)} MB of text per burst; rss after 3 bursts ${(warm / 2 ** 20).toFixed(0)} MB, ` +
        `after 6 ${(later / 2 ** 20).toFixed(0)} MB`,
    );
    // Keeping the inputs or outputs of each call would add at least burstMb
    // per burst; allocator noise stays far below a quarter of that.
    expect(growthMb).toBeLessThan((3 * burstMb) / 4);
  });
});

describe('cancellation', () => {
  const [heavyA, heavyB] = heavyPair(6000);

  it('an already aborted signal rejects with ABORTED', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(n.createDiffAsync('h', heavyA, heavyB, { signal: controller.signal })).rejects.toMatchObject({
      code: 'ABORTED',
      name: 'AbortError',
    });
    await expect(n.createDiffs([{ path: 'h', baseline: 'a', proposed: 'b' }], { signal: controller.signal })).rejects.toMatchObject({
      code: 'ABORTED',
    });
  });

  it('an abort during the computation rejects promptly', async () => {
    const t0 = performance.now();
    n.createDiff('h', heavyA, heavyB, unbounded);
    const syncMs = performance.now() - t0;

    const controller = new AbortController();
    const started = performance.now();
    const pending = n.createDiffAsync('h', heavyA, heavyB, { ...unbounded, signal: controller.signal });
    setTimeout(() => controller.abort(), Math.min(20, syncMs / 10));
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED' });
    const tookMs = performance.now() - started;
    console.log(`[abort] full computation ${syncMs.toFixed(0)} ms; aborted call settled after ${tookMs.toFixed(0)} ms`);
    expect(tookMs).toBeLessThan(syncMs / 2);
  });

  it('an abort after completion has no effect', async () => {
    const controller = new AbortController();
    const result = await n.createDiffAsync('p', 'a\n', 'b\n', { signal: controller.signal });
    controller.abort();
    expect(result.summary.additions).toBe(1);
  });

  it('a deadline rejects with TIMEOUT, or falls back when asked', async () => {
    await expect(n.createDiffAsync('h', heavyA, heavyB, { ...unbounded, timeoutMs: 5 })).rejects.toMatchObject({
      code: 'TIMEOUT',
    });
    const fallback = await n.createDiffAsync('h', heavyA, heavyB, { ...unbounded, timeoutMs: 5, onTimeout: 'fallback' });
    expect(n.applyPatch(heavyA, fallback)).toBe(heavyB);
    const exact = n.createDiff('h', heavyA, heavyB);
    // The fallback is minimal: it changes no more lines than jsdiff's diff.
    expect(fallback.summary.additions + fallback.summary.deletions).toBeLessThanOrEqual(
      exact.summary.additions + exact.summary.deletions,
    );
  });

  it('listeners are removed from a shared signal', async () => {
    const controller = new AbortController();
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    for (let i = 0; i < 50; i++) await n.createDiffAsync('p', 'a\n', `b${i}\n`, { signal: controller.signal });
    await new Promise((r) => setTimeout(r, 10));
    process.off('warning', onWarning);
    expect(warnings).not.toContain('MaxListenersExceededWarning');
  });
});

describe('Buffer and Uint8Array inputs', () => {
  it('give the same results as strings', async () => {
    const a = 'héllo\nwörld 😀\n';
    const b = 'héllo\nwelt 😀\n';
    const fromString = n.createDiff('u', a, b);
    expect(n.createDiff('u', Buffer.from(a), Buffer.from(b))).toEqual(fromString);
    expect(n.createDiff('u', new TextEncoder().encode(a), b)).toEqual(fromString);
    expect(await n.createDiffAsync('u', Buffer.from(a), Buffer.from(b))).toEqual(fromString);
    expect(n.applyPatch(Buffer.from(a), Buffer.from(fromString.diff))).toBe(b);
  });

  it('decode invalid UTF-8 as Buffer#toString does', () => {
    const bytes = Buffer.from([0x61, 0xff, 0x0a, 0xe2, 0x82, 0x0a, 0xf0, 0x9f, 0x0a]);
    const decoded = bytes.toString('utf8');
    expect(n.createDiff('b', bytes, 'x\n')).toEqual(n.createDiff('b', decoded, 'x\n'));
  });

  it('refuses other objects', () => {
    expect(() => n.createDiff('b', new Uint16Array(2), 'x')).toThrow(TypeError);
    expect(() => n.createDiff('b', { length: 1 }, 'x')).toThrow(/Buffer or Uint8Array/);
  });
});

describe('batches', () => {
  const entries = Array.from({ length: 40 }, (_, i) => {
    const a = source(100 + i * 10, i);
    return {
      path: `src/file${i}.ts`,
      baseline: i % 9 === 0 ? null : join(a),
      proposed: i % 11 === 0 ? null : join(scattered(a, 5 + (i % 4), `b${i}`)),
    };
  });

  it('createDiffs and createDiffsSync return per-file results in input order', async () => {
    const single = entries.map((e) => n.createDiff(e.path, e.baseline, e.proposed, { contextLines: 1 }));
    const batched = await n.createDiffs(entries, { contextLines: 1 });
    expect(JSON.stringify(batched)).toBe(JSON.stringify(single));
    expect(JSON.stringify(n.createDiffsSync(entries, { contextLines: 1 }))).toBe(JSON.stringify(single));
    expect(await n.createDiffs([])).toEqual([]);
  });

  it('checks every entry', () => {
    expect(() => n.createDiffs('x')).toThrow(/array/);
    expect(() => n.createDiffsSync([{ path: 'a', baseline: 1, proposed: null }])).toThrow(/entries\[0\]\.baseline/);
    expect(() => n.createDiffsSync([null])).toThrow(/entries\[0\]/);
  });

  it('configure reports the pool size and refuses a change once started', () => {
    const { threads } = n.configure({});
    expect(threads).toBeGreaterThan(0);
    expect(n.configure({ threads }).threads).toBe(threads);
    expect(() => n.configure({ threads: threads + 1 })).toThrow(/already started/);
    expect(() => n.configure({ threads: 0 })).toThrow();
  });
});
