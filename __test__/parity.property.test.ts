/**
 * Generated parity: 10,000 createDiff + own-apply cases per run (plus 3,000
 * cases applying diffs to other baselines), drawn from small line alphabets.
 *
 * - PARITY_SEED: base seed (default fixed); fast-check prints the seed and
 *   path of a failure so that it can be replayed.
 * - PARITY_RUNS_SCALE: multiplies every run count (default 1).
 * - PARITY_SHRINK_MS: time limit per run once a failure is being shrunk.
 * - PARITY_NO_SHRINK=1: report the first failure as found.
 */
import { afterAll, describe, it } from 'vitest';
import fc from 'fast-check';
import { caseArb, type CaseShape, type GeneratedCase } from './helpers/generators.js';
import { checkCase, checkCreateDiff, checkForeignTargets, ParityStats } from './helpers/parity.js';

const BASE_SEED = Number.parseInt(process.env.PARITY_SEED ?? '20240611', 10);
const SCALE = Number.parseFloat(process.env.PARITY_RUNS_SCALE ?? '1');
const SHRINK_MS = Number.parseInt(process.env.PARITY_SHRINK_MS ?? '60000', 10);

interface Run {
  name: string;
  ownRuns: number;
  foreignRuns: number;
  shape: CaseShape;
}

const RUNS: Run[] = [
  {
    name: 'small independent texts',
    ownRuns: 3000,
    foreignRuns: 800,
    shape: { pools: ['tiny', 'code', 'diffSyntax', 'unicode'], maxLines: 12, proposal: 'independent' },
  },
  {
    name: 'medium texts and random edits',
    ownRuns: 4000,
    foreignRuns: 1500,
    shape: { pools: ['tiny', 'code', 'diffSyntax', 'unicode'], maxLines: 60, proposal: 'edited' },
  },
  {
    name: 'large texts (up to 300 lines), edits or independent',
    ownRuns: 1000,
    foreignRuns: 500,
    shape: { pools: ['tiny', 'code', 'diffSyntax'], maxLines: 300, proposal: 'mixed', maxEdits: 12 },
  },
  {
    name: 'line breaks only jsdiff honours (\\v \\f \\x85 lone \\r)',
    ownRuns: 2000,
    foreignRuns: 200,
    shape: { pools: ['jsdiffBreaks'], maxLines: 30, proposal: 'mixed' },
  },
];

const ownTotal = new ParityStats();
const foreignTotal = new ParityStats();

function runProperty(
  seed: number,
  numRuns: number,
  shape: CaseShape,
  body: (generated: GeneratedCase) => void,
): void {
  fc.assert(fc.property(caseArb(shape), body), {
    numRuns: Math.max(1, Math.round(numRuns * SCALE)),
    seed,
    endOnFailure: process.env.PARITY_NO_SHRINK === '1',
    interruptAfterTimeLimit: SHRINK_MS + 60_000,
    markInterruptAsFailure: true,
  });
}

describe('generated parity (fast-check)', () => {
  afterAll(() => {
    console.log(`[parity] base seed ${BASE_SEED} (set PARITY_SEED to change)`);
    console.log(ownTotal.report('generated, createDiff + own apply, total'));
    console.log(foreignTotal.report('generated, other baselines, total'));
  });

  RUNS.forEach((run, index) => {
    const seed = BASE_SEED + index;

    it(`createDiff + own apply: ${run.name} (seed ${seed})`, () => {
      const stats = new ParityStats();
      try {
        runProperty(seed, run.ownRuns, run.shape, ({ diffCase }) => {
          checkCase(diffCase, stats);
        });
      } finally {
        ownTotal.merge(stats);
        console.log(stats.report(run.name));
      }
    });

    it(`applied to other baselines: ${run.name} (seed ${seed + 100})`, () => {
      const stats = new ParityStats();
      try {
        runProperty(seed + 100, run.foreignRuns, run.shape, ({ diffCase, foreignTargets }) => {
          stats.cases++;
          const pair = checkCreateDiff(diffCase, stats);
          checkForeignTargets(diffCase, pair, foreignTargets, stats);
        });
      } finally {
        foreignTotal.merge(stats);
        console.log(stats.report(`${run.name}, other baselines`));
      }
    });
  });
});
