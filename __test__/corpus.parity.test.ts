/**
 * Opt-in parity over real published code: two versions of a few npm packages
 * (see benchmark/corpus.mjs). Runs only with PARITY_CORPUS=1:
 *
 *   node benchmark/corpus.mjs && PARITY_CORPUS=1 npx vitest run __test__/corpus.parity.test.ts
 *
 * - PARITY_CORPUS_MAX: cap on the number of file pairs (default all).
 * - PARITY_CORPUS_MAX_BYTES: skip files larger than this (default 5 MB).
 * - PARITY_CORPUS_MAX_COST: skip pairs whose estimated jsdiff cost,
 *   (old lines + new lines) x (lines not shared), exceeds this (default 2e9):
 *   jsdiff's Myers diff is O((N+M)·D) and would run for hours on them.
 */
import { afterAll, describe, expect, it } from 'vitest';
// @ts-ignore -- plain ESM script without type declarations
import { loadCorpus } from '../benchmark/corpus.mjs';
import { checkCase, ParityStats } from './helpers/parity.js';

interface CorpusPair {
  name: string;
  path: string;
  before: string | null;
  after: string | null;
}

const MAX_PAIRS = Number(process.env.PARITY_CORPUS_MAX ?? Number.POSITIVE_INFINITY);
const MAX_BYTES = Number(process.env.PARITY_CORPUS_MAX_BYTES ?? 5 * 1024 * 1024);
const MAX_COST = Number(process.env.PARITY_CORPUS_MAX_COST ?? 2e9);

/** A lower bound of jsdiff's work: (N + M) times the lines not in common. */
function estimatedJsdiffCost(before: string, after: string): number {
  const counts = new Map<string, number>();
  const a = before.split('\n');
  const b = after.split('\n');
  for (const line of a) counts.set(line, (counts.get(line) ?? 0) + 1);
  for (const line of b) counts.set(line, (counts.get(line) ?? 0) - 1);
  let unshared = 0;
  for (const n of counts.values()) unshared += Math.abs(n);
  return (a.length + b.length) * unshared;
}

describe.skipIf(!process.env.PARITY_CORPUS)('parity on published package versions (corpus)', () => {
  const stats = new ParityStats();
  let skippedAsTooSlow = 0;
  let slowest = { ms: 0, what: '' };

  afterAll(() => {
    console.log(stats.report('corpus (createDiff + own apply, default options)'));
    console.log(`[parity] corpus: ${skippedAsTooSlow} pairs skipped as too slow for jsdiff; slowest ${slowest.ms} ms (${slowest.what})`);
  });

  it(
    'createDiff and own-diff apply match on every file pair',
    async () => {
      const pairs: CorpusPair[] = await loadCorpus({ maxPairs: MAX_PAIRS, maxBytes: MAX_BYTES });
      expect(pairs.length).toBeGreaterThan(0);
      const failures: string[] = [];
      for (const pair of pairs) {
        if (estimatedJsdiffCost(pair.before ?? '', pair.after ?? '') > MAX_COST) {
          skippedAsTooSlow++;
          continue;
        }
        const started = Date.now();
        try {
          checkCase({ path: pair.path, baseline: pair.before, proposed: pair.after }, stats);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          failures.push(`${pair.name} ${pair.path}: ${message.slice(0, 300)}`);
        }
        const ms = Date.now() - started;
        if (ms > slowest.ms) slowest = { ms, what: `${pair.name} ${pair.path}` };
      }
      console.log(`[parity] corpus: ${pairs.length} file pairs loaded, ${failures.length} failing`);
      // All failures at once: a real corpus is too slow to rerun per failure.
      expect(failures).toEqual([]);
    },
    60 * 60 * 1000,
  );
});
