#!/usr/bin/env node
// Soak: one million mixed sync and async calls (createDiff, createDiffAsync,
// createDiffs, applyPatch, applyPatchAsync, hasConflicts, parsePatch,
// applyPatchesAsync) sharing one DiffCache. RSS is
// sampled every 50,000 calls; after warm-up it must settle (the last
// samples may not grow past the warm-up plateau by more than a margin), and
// results are spot-checked against fresh sync calls without the cache.
//
//   node benchmark/soak.mjs [--calls N]      (npm run soak)
//
// Exits 1 if RSS keeps growing or a spot check fails.

import { createRequire } from 'node:module';
import v8 from 'node:v8';
import vm from 'node:vm';

const n = createRequire(import.meta.url)('../index.js');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const CALLS = arg('--calls', 1_000_000);
const SAMPLE = Math.max(1000, Math.floor(CALLS / 20));

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');

let seed = 1;
const rand = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
const files = Array.from({ length: 200 }, (_, f) => {
  const lines = Array.from({ length: 20 + (f % 7) * 40 }, (_, i) => `line ${i} of file ${f}: ${'x'.repeat(i % 30)}`);
  const versions = Array.from({ length: 5 }, (_, v) =>
    lines.map((l, i) => (i % (9 + v) === v ? `${l} v${v}` : l)).join('\n') + '\n',
  );
  return { path: `src/f${f}.ts`, versions };
});

const cache = new n.DiffCache({ maxEntries: 500, maxBytes: 16 << 20 });
const samples = [];
let checks = 0;
let failures = 0;

function check(file, before, after, patch) {
  const fresh = n.createDiff(file.path, before, after);
  checks++;
  if (JSON.stringify(fresh) !== JSON.stringify(patch)) failures++;
}

async function step(i) {
  const file = files[rand() % files.length];
  const before = file.versions[rand() % 5];
  const after = file.versions[rand() % 5];
  switch (i % 8) {
    case 0: {
      const patch = n.createDiff(file.path, before, after, { cache });
      if (i % 997 === 0) check(file, before, after, patch);
      return;
    }
    case 1: {
      const patch = await n.createDiffAsync(file.path, before, after, { cache });
      if (i % 991 === 0) check(file, before, after, patch);
      return;
    }
    case 2: {
      const [patch] = await n.createDiffs([{ path: file.path, baseline: before, proposed: after }], { cache });
      if (i % 983 === 0) check(file, before, after, patch);
      return;
    }
    case 3: {
      const patch = n.createDiff(file.path, before, after, { cache });
      if (n.applyPatch(before, patch) !== after) failures++;
      return;
    }
    case 4: {
      const patch = n.createDiff(file.path, before, after, { cache });
      n.hasConflicts(after, patch);
      return;
    }
    case 5: {
      const patch = n.createDiff(file.path, before, after, { cache });
      if ((await n.applyPatchAsync(before, patch)) !== after) failures++;
      return;
    }
    case 6: {
      const patch = n.createDiff(file.path, before, after, { cache });
      const [parsed] = n.parsePatch(patch.diff);
      const changed = parsed.hunks.flatMap((h) => h.lines).filter((l) => l[0] === '+' || l[0] === '-').length;
      if (changed !== patch.summary.additions + patch.summary.deletions) failures++;
      return;
    }
    default: {
      const patch = n.createDiff(file.path, before, after, { cache });
      const result = await n.applyPatchesAsync({ [file.path]: before }, patch.diff);
      if (result.files[file.path] !== after) failures++;
    }
  }
}

const started = Date.now();
const BATCH = 64;
for (let i = 0; i < CALLS; i += BATCH) {
  const jobs = [];
  for (let k = i; k < Math.min(i + BATCH, CALLS); k++) jobs.push(step(k));
  await Promise.all(jobs);
  if ((i + BATCH) % SAMPLE < BATCH) {
    gc();
    samples.push(process.memoryUsage().rss / 2 ** 20);
  }
}
const seconds = (Date.now() - started) / 1000;
const warm = samples.slice(Math.floor(samples.length / 4));
const plateau = Math.max(...warm.slice(0, Math.max(1, Math.floor(warm.length / 3))));
const last = warm.slice(-3);
const growth = Math.max(...last) - plateau;
const stats = cache.stats();
console.log(`soak: ${CALLS} calls in ${seconds.toFixed(1)} s (${((CALLS / seconds) | 0)} calls/s)`);
console.log(`rss samples (MB, after gc, every ${SAMPLE} calls): ${samples.map((s) => s.toFixed(0)).join(' ')}`);
console.log(`plateau after warm-up ${plateau.toFixed(0)} MB, last samples ${last.map((s) => s.toFixed(0)).join(' ')} MB, growth ${growth.toFixed(1)} MB`);
console.log(`cache: ${JSON.stringify(stats)}; spot checks ${checks}, failures ${failures}`);
const settled = growth < 16;
console.log(settled && failures === 0 ? 'soak: settled' : 'soak: FAILED');
process.exitCode = settled && failures === 0 ? 0 : 1;
