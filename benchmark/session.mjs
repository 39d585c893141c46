#!/usr/bin/env node
// The DiffCache and metrics figures of BENCHMARKS.md:
//
//  1. an executor-spool-like session on 50 files (write, replace, then
//     diff(), validate() and commit() over every file), with one DiffCache
//     for the session versus none: median time and hit rate;
//  2. the cost of the always-on metrics on a small diff (metrics on versus
//     `configure({ metrics: false })`), interleaved rounds, medians.
//
//   node benchmark/session.mjs [--rounds N]

import { createRequire } from 'node:module';

const n = createRequire(import.meta.url)('../index.js');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const ROUNDS = arg('--rounds', 15);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

let LINES = 400;
let EVERY = 97;
const file = (i, version) =>
  Array.from({ length: LINES }, (_, k) => (k % EVERY === (i + version) % EVERY ? `  line ${k} v${version};` : `  const v${k} = compute(${k}, ${i});`)).join('\n') + '\n';

function session(useCache) {
  const cache = useCache ? new n.DiffCache() : undefined;
  const options = cache ? { cache } : {};
  const before = Array.from({ length: 50 }, (_, i) => file(i, 0));
  const current = before.slice();
  for (let i = 0; i < 50; i++) {
    current[i] = file(i, 1); // write
    n.createDiff(`src/f${i}.ts`, before[i], current[i], options);
    current[i] = current[i].replace('compute', 'evaluate'); // replace
    n.createDiff(`src/f${i}.ts`, before[i], current[i], options);
  }
  for (let pass = 0; pass < 3; pass++) {
    // diff(), validate(), commit()
    for (let i = 0; i < 50; i++) n.createDiff(`src/f${i}.ts`, before[i], current[i], options);
  }
  return cache?.stats();
}

for (const [lines, every, label] of [
  [400, 97, '400-line files, a few edits each'],
  [4000, 9, '4,000-line files, 11% of lines edited'],
]) {
  LINES = lines;
  EVERY = every;
  const times = { cache: [], none: [] };
  let stats;
  const rounds = lines > 1000 ? Math.max(3, ROUNDS >> 2) : ROUNDS;
  for (let r = 0; r < rounds + 1; r++) {
    for (const mode of ['cache', 'none']) {
      const t = process.hrtime.bigint();
      const s = session(mode === 'cache');
      const ms = Number(process.hrtime.bigint() - t) / 1e6;
      if (r >= 1) times[mode].push(ms);
      if (s) stats = s;
    }
  }
  const withCache = median(times.cache);
  const without = median(times.none);
  console.log(`session on 50 ${label} (250 createDiff calls):`);
  console.log(`  without cache ${without.toFixed(1)} ms, with cache ${withCache.toFixed(1)} ms: ${(without / withCache).toFixed(2)}x`);
  console.log(`  cache: ${stats.hits} hits, ${stats.misses} misses (hit rate ${((100 * stats.hits) / (stats.hits + stats.misses)).toFixed(0)}%)`);
}

const small = ['a\nb\nc\nd\ne\nf\n', 'a\nb\nC\nd\ne\nf\n'];
const per = { on: [], off: [] };
const CALLS = 20000;
for (let r = 0; r < ROUNDS * 2 + 4; r++) {
  for (const mode of ['on', 'off']) {
    n.configure({ metrics: mode === 'on' });
    const t = process.hrtime.bigint();
    for (let k = 0; k < CALLS; k++) n.createDiff('small.ts', small[0], small[1]);
    const ns = Number(process.hrtime.bigint() - t) / CALLS;
    if (r >= 4) per[mode].push(ns);
  }
}
n.configure({ metrics: true });
const on = median(per.on);
const off = median(per.off);
console.log('metrics on a small diff (6 lines, one change):');
console.log(`  metrics on ${(on / 1000).toFixed(2)} µs per call, off ${(off / 1000).toFixed(2)} µs: overhead ${(((on - off) / off) * 100).toFixed(1)}%`);
