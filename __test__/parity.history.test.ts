/**
 * Parity on real edits: every text file (< 1 MB) changed between consecutive
 * commits of this repository, read from git at test time.
 *
 * - PARITY_HISTORY_REPO: scan another repository instead of this one.
 * - PARITY_HISTORY_MAX: cap on the number of (old, new) pairs (default 3000).
 */
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { scanHistory } from './helpers/git.js';
import { checkCase, ParityStats } from './helpers/parity.js';

const REPO = process.env.PARITY_HISTORY_REPO ?? fileURLToPath(new URL('..', import.meta.url));
const MAX_PAIRS = Number.parseInt(process.env.PARITY_HISTORY_MAX ?? '3000', 10);
const OPTION_SETS = [undefined, { contextLines: 0 }, { contextLines: 1, maxPreviewLength: 40 }];

const scan = scanHistory(REPO, { maxBytes: 1024 * 1024, maxPairs: MAX_PAIRS });
const stats = new ParityStats();

describe('parity on this repository’s git history', () => {
  afterAll(() => {
    console.log(
      `[parity] history of ${REPO}: git ${scan.gitAvailable ? 'available' : 'unavailable'}, ${scan.commits} commits, ` +
        `${scan.touched} changed files between consecutive commits, ${scan.pairs.length} text pairs ` +
        `(${scan.skippedBinary} binary, ${scan.skippedLarge} over 1 MB, ${scan.skippedOverLimit} over the cap skipped)`,
    );
    console.log(stats.report('history (both directions, 3 option sets)'));
  });

  it('finds pairs whenever the history has a file changed twice', () => {
    if (scan.commits >= 2 && scan.pathsTouchedTwice > 0) {
      expect(scan.pairs.length + scan.skippedBinary + scan.skippedLarge).toBeGreaterThan(0);
    }
    if (scan.touched > 0) {
      expect(scan.pairs.length + scan.skippedBinary + scan.skippedLarge + scan.skippedOverLimit).toBe(scan.touched);
    }
  });

  it('createDiff and own-diff apply match on every historical edit, both directions', () => {
    for (const pair of scan.pairs) {
      for (const options of OPTION_SETS) {
        checkCase({ path: pair.path, baseline: pair.before, proposed: pair.after, options }, stats);
        checkCase({ path: pair.path, baseline: pair.after, proposed: pair.before, options }, stats);
      }
    }
    expect(stats.cases).toBe(scan.pairs.length * OPTION_SETS.length * 2);
  });
});
