#!/usr/bin/env node
// Plan application, the executor-spool way and the native way, on the same
// plans: 20 and 200 operations (writes, replaces and patches) over 50 files.
//
//  - ts-sequential: the TypeScript flow of executor-spool's `batch(plan)` on
//    the reference pipeline (jsdiff 5.2): for each operation in turn, read
//    the file, apply the operation (jsdiff's applyPatch for `patch`), write
//    it, and createDiff it;
//  - native applyPlan: one call (files grouped, read once, written once and
//    atomically, in parallel; a FilePatch per operation).
//
// Medians over interleaved rounds, each round on a fresh copy of the files.
//
//   node benchmark/plan.mjs [--rounds N]

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { applyPatch as jsApply } from 'diff';
import { loadReference } from './reference.mjs';

const n = createRequire(import.meta.url)('../index.js');
const ref = await loadReference();
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const ROUNDS = arg('--rounds', 7);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const FILES = 50;
const content = (i) =>
  Array.from({ length: 600 }, (_, k) => `  const value${k} = compute(${k}, ${i}); // line ${k}`).join('\n') + '\n';

/** A plan of `count` operations spread over the 50 files. */
function plan(count) {
  const state = Array.from({ length: FILES }, (_, i) => content(i));
  const operations = [];
  for (let k = 0; k < count; k++) {
    const i = (k * 7) % FILES;
    const file = `src/f${i}.ts`;
    const kind = k % 3;
    if (kind === 0) {
      const next = state[i].replace(`line ${(k * 13) % 600}\n`, `line ${(k * 13) % 600} (edited ${k})\n`);
      operations.push({ kind: 'write', path: file, content: next });
      state[i] = next;
    } else if (kind === 1) {
      const match = `compute(${(k * 11) % 600}, ${i})`;
      operations.push({ kind: 'replace', path: file, match, replacement: `evaluate(${k})` });
      state[i] = state[i].replace(match, `evaluate(${k})`);
    } else {
      const next = state[i].replace(`value${(k * 17) % 600} =`, `renamed${k} =`);
      operations.push({ kind: 'patch', path: file, diff: ref.createDiff(file, state[i], next).diff });
      state[i] = next;
    }
  }
  return { operations };
}

function freshRoot() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'patchkit-planbench-'));
  fs.mkdirSync(path.join(root, 'src'));
  for (let i = 0; i < FILES; i++) fs.writeFileSync(path.join(root, 'src', `f${i}.ts`), content(i));
  return root;
}

/** executor-spool's batch(plan) on the TypeScript pipeline. */
function tsSequential(root, { operations }) {
  const results = [];
  for (const op of operations) {
    const file = path.join(root, op.path);
    const before = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
    let after;
    if (op.kind === 'write') after = op.content;
    else if (op.kind === 'replace') after = before.replace(op.match, op.replacement);
    else {
      after = jsApply(before ?? '', op.diff);
      if (after === false) throw new Error(`Conflicting patch for ${op.path}`);
    }
    fs.writeFileSync(file, after);
    results.push({ patch: ref.createDiff(op.path, before, after), applied: true });
  }
  return results;
}

for (const count of [20, 200]) {
  const p = plan(count);
  const times = { ts: [], native: [] };
  for (let r = 0; r < ROUNDS + 1; r++) {
    for (const mode of ['ts', 'native']) {
      const root = freshRoot();
      const t = process.hrtime.bigint();
      if (mode === 'ts') tsSequential(root, p);
      else {
        const results = await n.applyPlan(root, p);
        if (results.some((x) => x.error)) throw new Error(`plan failed: ${results.find((x) => x.error).error.message}`);
      }
      const ms = Number(process.hrtime.bigint() - t) / 1e6;
      if (r >= 1) times[mode].push(ms);
      fs.rmSync(root, { recursive: true, force: true });
    }
  }
  const ts = median(times.ts);
  const nat = median(times.native);
  console.log(`${count} operations over ${FILES} files: ts-sequential ${ts.toFixed(1)} ms, native applyPlan ${nat.toFixed(1)} ms: ${(ts / nat).toFixed(1)}x`);
}
