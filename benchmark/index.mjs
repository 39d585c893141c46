#!/usr/bin/env node
// The benchmark: the TypeScript patchkit (reference.ts on jsdiff 5.2.0 and on
// the latest jsdiff) against the native addon, side by side, on the same
// inputs, in one process.
//
//   node benchmark/index.mjs [--quick] [--filter name[,name...]] [--out file] [--md file] [--no-rss]
//
// Method (details in BENCHMARKS.md): warm-up rounds, then interleaved rounds
// (A, B, C, A, B, C, ...) with a full GC between rounds, median and p99 per
// case and contender, and each median's ratio to ref-5.2's median from the
// same run. What could run past 60 s (jsdiff on the full rewrite, the corpus
// through jsdiff) runs in a child process that is killed at 60 s. Peak RSS
// comes from one child process per case and contender, minus a baseline
// child that builds the same inputs and calls nothing.
//
// Every native result is checked once per case against the reference (the
// same FilePatch, or for the budget-bounded rewrite an exact round trip); a
// failed check makes the exit code 1. Timings are never asserted, so
// `--quick` (run by `npm test`) is a smoke test of correctness.

import { fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import v8 from 'node:v8';
import vm from 'node:vm';
import { batchCase, DIFF_CASES, inputsOf } from './cases.mjs';
import { CONTENDERS, loadLibraries, readCorpusFile, runnerFor, timeOnce } from './contenders.mjs';
import { tempPath } from './reference.mjs';
import {
  algorithmRows,
  batchRows,
  budgetRows,
  caseRows,
  corpusRows,
  latencyRows,
  loopRows,
  markdownReport,
  rssRows,
  summaryRows,
  targetRows,
} from './report.mjs';
import { fmtRatio, summarize, table } from './stats.mjs';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const REPO = path.resolve(HERE, '..');
const CHILD = path.join(HERE, 'rss-child.mjs');
const LIMIT_MS = 60_000;
const STARTED = performance.now();

// ---------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------

const { values: argv } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    filter: { type: 'string' },
    out: { type: 'string', default: path.join(HERE, 'results.json') },
    md: { type: 'string' },
    'no-rss': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (argv.help) {
  console.log('usage: node benchmark/index.mjs [--quick] [--filter name[,...]] [--out file] [--md file] [--no-rss]');
  console.log('--filter terms: a section id (c1..c5, batch-20, batch-200, apply-c1..apply-c5, corpus, async, budget, algorithms)');
  console.log('or any other text, matched against section ids and titles (e.g. batch, apply)');
  process.exit(0);
}

const QUICK = argv.quick;
/** Rounds and sizes. A contender gets clamp(budgetMs / warm-up time, minRounds, maxRounds) samples. */
const S = QUICK
  ? {
      warmup: 1,
      heavyWarmMs: Infinity,
      warmupIsSampleMs: 500, // a contender slower than this is timed once, by its warm-up
      budgetMs: 400,
      applyBudgetMs: 200,
      minRounds: 1,
      maxRounds: 3,
      batchSizes: [20, 50],
      corpus: { maxPairs: 20, maxBytes: 1 << 20, rounds: 1, warmup: 0, budgetMs: 0, loadTimeoutMs: 20_000 },
      loopRounds: 1,
      budgetRounds: 1,
      heavyRefs: false,
    }
  : {
      warmup: 3,
      heavyWarmMs: 400, // a contender slower than this gets one warm-up round
      warmupIsSampleMs: Infinity,
      budgetMs: 2500,
      applyBudgetMs: 1000,
      minRounds: 10,
      maxRounds: 200,
      batchSizes: [20, 200],
      // Every pair of files up to 2 MiB: the three larger TypeScript bundles would
      // take jsdiff past the 60 s limit on their own (see BENCHMARKS.md).
      corpus: { maxPairs: Infinity, maxBytes: 2 << 20, rounds: 3, warmup: 0, budgetMs: 8000, loadTimeoutMs: 180_000 },
      loopRounds: 5,
      budgetRounds: 3,
      heavyRefs: true,
    };

const FILTERS = (argv.filter ?? '')
  .split(',')
  .map((f) => f.trim().toLowerCase())
  .filter(Boolean);
/** A section runs when a filter term is its id, or (for a term that is no id) part of its id or title. */
const SECTION_IDS = new Set([
  ...DIFF_CASES.flatMap((c) => [c.id, `apply-${c.id}`]),
  ...S.batchSizes.map((n) => `batch-${n}`),
  'corpus',
  'async',
  'budget',
  'algorithms',
]);
const selected = (id, title = '') =>
  FILTERS.length === 0 ||
  FILTERS.some((f) => id === f || (!SECTION_IDS.has(f) && (id.includes(f) || title.toLowerCase().includes(f))));

// ---------------------------------------------------------------------------
// Results, checks, output
// ---------------------------------------------------------------------------

const checks = [];
const results = {
  machine: null,
  command: ['node benchmark/index.mjs', ...process.argv.slice(2)].join(' '),
  quick: QUICK,
  settings: S,
  cases: [],
  corpus: null,
  batches: [],
  async: null,
  eventLoop: null,
  budget: null,
  algorithms: null,
  rss: null,
  targets: [],
  checks,
  elapsedMs: null,
};

/** Records a check; a failed `fatal` check makes the exit code 1. */
function check(where, what, ok, { detail = '', fatal = true } = {}) {
  checks.push({ where, what, ok: Boolean(ok), fatal, detail });
  const mark = ok ? 'ok' : fatal ? 'FAILED' : 'warning';
  console.log(`  check ${where}: ${what} … ${mark}${detail ? ` (${detail})` : ''}`);
}

const log = (...parts) => console.log(...parts);
const section = (title) => log(`\n== ${title}`);

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');

const sha = (text) => createHash('sha256').update(text).digest('hex');

/** Where a native FilePatch differs from the expectation, in a few words. */
function describeMismatch(actual, expected) {
  if (actual.diff !== expected.diff) {
    const a = actual.diff.split('\n');
    const b = expected.diff.split('\n');
    const i = a.findIndex((line, k) => line !== b[k]);
    return `diff text differs at line ${i + 1}: ${JSON.stringify(a[i])} vs ${JSON.stringify(b[i])}`;
  }
  for (const key of Object.keys(expected)) {
    if (!isDeepStrictEqual(actual[key], expected[key])) return `field '${key}' differs`;
  }
  return 'key set or key order differs';
}

/** The FilePatch the addon must return, from the reference's, by JSON (so key order counts too). */
function sameAsExpected(nativePatch, expected) {
  return isDeepStrictEqual(nativePatch, expected) && JSON.stringify(nativePatch) === JSON.stringify(expected);
}

// ---------------------------------------------------------------------------
// Measurement
// ---------------------------------------------------------------------------

/**
 * Times `contenders` ([{ name, run, input }]) on one case: warm-up rounds,
 * then interleaved rounds. Each contender gets
 * clamp(budget / its warm-up time, minRounds, maxRounds) samples, spread
 * evenly over the rounds, so a 1 ms call is sampled often and a 1 s call at
 * least minRounds times (in --quick, one slower than warmupIsSampleMs is not
 * run again: its warm-up is its one sample). Returns
 * { name: { samples, summary, warmupMs, first } } where `first` is the first
 * result (used for the checks).
 */
async function measure(contenders, { budgetMs = S.budgetMs } = {}) {
  const est = new Map();
  const first = new Map();
  for (let w = 0; w < S.warmup; w++) {
    for (const c of contenders) {
      if (w > 0 && est.get(c.name) > S.heavyWarmMs) continue;
      gc();
      const [ms, result] = await timeOnce(c.run, c.input);
      est.set(c.name, ms);
      if (!first.has(c.name)) first.set(c.name, result);
    }
  }
  const roundsOf = (name) => {
    if (est.get(name) > S.warmupIsSampleMs) return 0;
    return Math.min(S.maxRounds, Math.max(S.minRounds, Math.floor(budgetMs / Math.max(est.get(name), 1e-3))));
  };
  const rounds = new Map(contenders.map((c) => [c.name, roundsOf(c.name)]));
  const total = Math.max(...rounds.values());
  const samples = new Map(contenders.map((c) => [c.name, rounds.get(c.name) === 0 ? [est.get(c.name)] : []]));
  let sinceGc = Infinity;
  for (let r = 0; r < total; r++) {
    // A full GC between rounds (every 10th round when rounds are short), so
    // one contender's garbage is not collected inside another's sample.
    if (sinceGc > 50 || r % 10 === 0) {
      gc();
      sinceGc = 0;
    }
    for (const c of contenders) {
      const n = rounds.get(c.name);
      if (Math.floor(((r + 1) * n) / total) === Math.floor((r * n) / total)) continue;
      const [ms] = await timeOnce(c.run, c.input);
      samples.get(c.name).push(ms);
      sinceGc += ms;
    }
  }
  const out = {};
  for (const c of contenders) {
    const s = samples.get(c.name);
    out[c.name] = { samples: s, summary: summarize(s), warmupMs: est.get(c.name), first: first.get(c.name) };
  }
  return out;
}

let REFS_FILE = null;

/**
 * Forks rss-child.mjs. The kill timer (60 s) is re-armed at each run the
 * child starts; a killed child is reported as { status: 'timeout' }.
 */
function runChild(caseId, contender, { runs = 1, warmup = 0, budgetMs = Infinity, corpusFile } = {}) {
  const args = [caseId, contender, '--runs', String(runs), '--warmup', String(warmup)];
  args.push('--budget-ms', String(budgetMs), '--refs', REFS_FILE);
  if (corpusFile) args.push('--corpus', corpusFile);
  return new Promise((resolve) => {
    const child = fork(CHILD, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] });
    let result = null;
    let error = null;
    let timedOut = false;
    const kill = () => {
      timedOut = true;
      child.kill('SIGKILL');
    };
    let timer = setTimeout(kill, 2 * LIMIT_MS); // startup: building inputs, loading libraries
    child.on('message', (m) => {
      if (m.type === 'start') {
        clearTimeout(timer);
        timer = setTimeout(kill, LIMIT_MS);
      } else if (m.type === 'result') {
        result = m;
      } else if (m.type === 'error') {
        error = m.message;
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) resolve({ status: 'timeout' });
      else if (result) resolve({ status: 'ok', ...result });
      else resolve({ status: 'error', error: error ?? `child exited with ${code ?? signal}` });
    });
  });
}

/** A contender entry for results.json from a summary of samples. */
function entryOf({ summary, warmupMs }, extra = {}) {
  const { n, median, p99, min, max, mean } = summary;
  return { status: 'ok', n, median, p99, min, max, mean, warmupMs, ...extra };
}

/** Fills `ratio` (ref-5.2 median / this median) in every entry of `contenders`. */
function addRatios(contenders) {
  const ref = contenders['ref-5.2'];
  for (const entry of Object.values(contenders)) {
    entry.ratio = ref?.status === 'ok' && entry.status === 'ok' ? ref.median / entry.median : null;
  }
}

// ---------------------------------------------------------------------------
// Cases 1–5: one file each
// ---------------------------------------------------------------------------

async function diffCase(libs, c) {
  const input = inputsOf(c.id);
  section(`${c.id}: ${c.title}${input.note ? ` (${input.note})` : ''}`);
  const result = { id: c.id, title: c.title, kind: 'diff', note: input.note ?? null, contenders: {} };
  const contenders = CONTENDERS.filter((name) => !(c.heavy && libs.refs[name]))
    .map((name) => ({ name, run: runnerFor(libs, name, 'diff'), input }))
    .filter((x) => x.run !== null);
  const measured = await measure(contenders);
  for (const name of CONTENDERS) {
    result.contenders[name] = measured[name] ? entryOf(measured[name]) : { status: 'n/a' };
  }

  const nativePatch = measured['native-sync'].first;
  const asyncSame = isDeepStrictEqual(measured['native-async'].first, nativePatch);
  check(c.id, 'native-async result equals native-sync', asyncSame);
  if (c.heavy) {
    await heavyRefs(libs, c, result, nativePatch);
  } else {
    const refPatch = measured['ref-5.2'].first;
    const expected = libs.refs['ref-5.2'].nativeExpected(refPatch);
    const same = sameAsExpected(nativePatch, expected);
    check(c.id, 'native FilePatch equals the reference (diff text, hunks, summary, sha)', same, {
      detail: same ? '' : describeMismatch(nativePatch, expected),
    });
    result.latestSameText = measured['ref-latest'].first.diff === refPatch.diff;
    log(`  note: ref-latest's diff text is ${result.latestSameText ? 'identical to' : 'different from'} ref-5.2's`);
  }
  addRatios(result.contenders);
  log(table(caseRows(result)));
  results.cases.push(result);
  return nativePatch;
}

/**
 * The references on a heavy case: at most one run each, in a child process
 * killed after 60 s (skipped in --quick). The native diff cannot be compared
 * with jsdiff's here (past its budget the addon falls back to another
 * engine), so the check is that it applies back exactly, with the addon and
 * with jsdiff 5.2.
 */
async function heavyRefs(libs, c, result, nativePatch) {
  const { a, b } = inputsOf(c.id);
  result.childRss = {};
  for (const name of Object.keys(libs.refs)) {
    if (!S.heavyRefs) {
      result.contenders[name] = { status: 'skipped', reason: 'skipped (--quick)' };
      continue;
    }
    log(`  running ${name} once in a child process (stopped at 60 s) …`);
    const child = await runChild(c.id, name);
    if (child.status === 'ok') {
      const ms = child.runs[0];
      result.contenders[name] = { status: 'ok', n: 1, median: ms, p99: ms, min: ms, max: ms, mean: ms, runs1: true };
      result.childRss[name] = child.maxRSS;
      const same = child.shas[0] === sha(nativePatch.diff);
      result[`nativeSameTextAs:${name}`] = same;
      log(`  note: the native diff is ${same ? 'identical to' : 'not identical to'} ${name}'s`);
    } else if (child.status === 'timeout') {
      result.contenders[name] = { status: 'timeout' };
    } else {
      result.contenders[name] = { status: 'error', error: child.error };
      check(c.id, `${name} child run`, false, { detail: child.error, fatal: false });
    }
  }
  check(c.id, 'native diff applies back with native applyPatch', libs.native.applyPatch(a, nativePatch) === b);
  let jsOk;
  try {
    jsOk = libs.refs['ref-5.2'].applyPatch(a, nativePatch) === b;
  } catch {
    jsOk = false;
  }
  check(c.id, 'native diff applies back with jsdiff 5.2 applyPatch', jsOk);
}

// ---------------------------------------------------------------------------
// Case 7: batches as executor-spool sends them
// ---------------------------------------------------------------------------

async function batchSection(libs, files) {
  const c = batchCase(files);
  const entries = inputsOf(c.id);
  const lines = entries.reduce((n, e) => n + e.baseline.split('\n').length - 1, 0);
  section(`${c.id}: ${c.title} (${lines} lines in all)`);
  const contenders = CONTENDERS.map((name) => ({ name, run: runnerFor(libs, name, 'batch'), input: entries }));
  const measured = await measure(contenders);
  const result = { id: c.id, title: c.title, kind: 'batch', files, lines, contenders: {} };
  for (const name of CONTENDERS) result.contenders[name] = entryOf(measured[name]);

  const refPatches = measured['ref-5.2'].first;
  const nativePatches = measured['native-sync'].first;
  const expected = refPatches.map((p) => libs.refs['ref-5.2'].nativeExpected(p));
  const bad = nativePatches.findIndex((p, i) => !sameAsExpected(p, expected[i]));
  check(c.id, `native FilePatches equal the reference (${files} files)`, bad < 0, {
    detail: bad < 0 ? '' : `${entries[bad].path}: ${describeMismatch(nativePatches[bad], expected[bad])}`,
  });
  const batchSame = isDeepStrictEqual(measured['native-batch'].first, nativePatches);
  check(c.id, 'createDiffs equals sequential createDiff', batchSame);
  const asyncSame = isDeepStrictEqual(measured['native-async'].first, nativePatches);
  check(c.id, 'Promise.all(createDiffAsync) equals sequential createDiff', asyncSame);

  addRatios(result.contenders);
  result.batchSpeedup = result.contenders['native-sync'].median / result.contenders['native-batch'].median;
  log(table(caseRows(result)));
  log(`  native-batch (one createDiffs) vs native-sync (sequential createDiff): ${fmtRatio(result.batchSpeedup)}`);
  results.cases.push(result);
  results.batches.push({ id: c.id, files, speedup: result.batchSpeedup });
}

// ---------------------------------------------------------------------------
// Case 8: applyPatch of cases 1–5's diffs
// ---------------------------------------------------------------------------

async function applySection(libs, c, nativePatches) {
  const { path: name, a, b } = inputsOf(c.id);
  const id = `apply-${c.id}`;
  // The heavy case's patch is the addon's: jsdiff 5.2 takes ~40 s to make one.
  const patch = c.heavy
    ? (nativePatches.get(c.id) ?? libs.native.createDiff(name, a, b))
    : libs.refs['ref-5.2'].createDiff(name, a, b);
  section(`${id}: applyPatch of ${c.id}'s diff (made by ${c.heavy ? 'the addon' : 'ref-5.2'})`);
  const input = { a, patch };
  const contenders = CONTENDERS.map((n) => ({ name: n, run: runnerFor(libs, n, 'apply'), input })).filter((x) => x.run);
  const measured = await measure(contenders, { budgetMs: S.applyBudgetMs });
  const result = { id, title: `applyPatch, ${c.id}'s diff`, kind: 'apply', contenders: {} };
  for (const n of CONTENDERS) result.contenders[n] = measured[n] ? entryOf(measured[n]) : { status: 'n/a' };
  for (const { name: n } of contenders) {
    // Only the addon's answers are ours to guarantee; jsdiff's are reported.
    check(id, `${n} returns the new text`, measured[n].first === b, { fatal: n.startsWith('native') });
  }
  addRatios(result.contenders);
  log(table(caseRows(result)));
  results.cases.push(result);
}

// ---------------------------------------------------------------------------
// Case 6: the real-world corpus
// ---------------------------------------------------------------------------

/**
 * benchmark/corpus.mjs's pairs (or those of the module PATCHKIT_BENCH_CORPUS
 * names, to test this loader), loaded by load-corpus.mjs in a child process
 * whose process group is killed after loadTimeoutMs.
 */
async function loadCorpusPairs() {
  const override = process.env.PATCHKIT_BENCH_CORPUS;
  const file = override ? path.resolve(override) : path.join(HERE, 'corpus.mjs');
  if (!existsSync(file)) return { reason: `${path.relative(REPO, file)} not found` };
  const { maxPairs, maxBytes, loadTimeoutMs } = S.corpus;
  const out = tempPath('corpus.json');
  const args = [file, out, String(maxPairs), String(maxBytes)];
  const child = fork(path.join(HERE, 'load-corpus.mjs'), args, {
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    execArgv: [],
    detached: true, // its own process group, so that a hung `npm pack` goes too
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  }, loadTimeoutMs);
  const code = await new Promise((resolve) => child.on('exit', (c) => resolve(c)));
  clearTimeout(timer);
  if (timedOut) return { reason: `not loaded within ${loadTimeoutMs / 1000} s` };
  if (code !== 0) return { reason: stderr.trim() || `loader exited with ${code}` };
  const pairs = readCorpusFile(out);
  return pairs.length > 0 ? { pairs, file: out } : { reason: 'no pairs loaded' };
}

/** The addon over the corpus in this process: passes interleaved by contender. */
async function corpusNatives(libs, pairs) {
  const entries = pairs.map((p) => ({ path: p.path, baseline: p.a, proposed: p.b }));
  const perPair = { 'native-sync': pairs.map(() => []), 'native-async': pairs.map(() => []) };
  const totals = { 'native-sync': [], 'native-async': [], 'native-batch': [] };
  const first = {};
  for (let r = 0; r < S.corpus.warmup + S.corpus.rounds; r++) {
    const timed = r >= S.corpus.warmup;
    // Passes stop early (after at least one) once each contender has spent the budget.
    const spent = Math.min(...Object.values(totals).map((t) => t.reduce((x, y) => x + y, 0)));
    if (timed && totals['native-sync'].length > 0 && spent >= S.corpus.budgetMs) break;
    for (const name of ['native-sync', 'native-async']) {
      gc();
      const run = runnerFor(libs, name, 'pair');
      const out = [];
      const t0 = performance.now();
      for (let i = 0; i < pairs.length; i++) {
        const [ms, patch] = await timeOnce(run, pairs[i]);
        if (timed) perPair[name][i].push(ms);
        out.push(patch);
      }
      if (timed) totals[name].push(performance.now() - t0);
      first[name] ??= out;
    }
    gc();
    const [ms, batch] = await timeOnce(runnerFor(libs, 'native-batch', 'batch'), entries);
    if (timed) totals['native-batch'].push(ms);
    first['native-batch'] ??= batch;
  }
  return { perPair, totals, first };
}

/** Per-pair p50/p99 over the pairs, of each pair's median over the passes. */
function pairStats(lists) {
  const s = summarize(lists.map((l) => summarize(l).median));
  return { pairP50: s.median, pairP99: s.p99 };
}

function totalsEntry(samples) {
  const { n, median, p99, min, max, mean } = summarize(samples);
  return { status: 'ok', n, median, p99, min, max, mean };
}

/** The corpus pairs, once corpusSection has loaded them (the algorithms section reuses them). */
let corpusPairs = null;

async function corpusSection(libs) {
  section('corpus: real-world file pairs (two versions of npm packages)');
  const loaded = await loadCorpusPairs();
  if (!loaded.pairs) {
    log(`  skipped (corpus unavailable): ${loaded.reason}`);
    results.corpus = { skipped: true, reason: loaded.reason };
    return;
  }
  const { pairs, file: corpusFile } = loaded;
  corpusPairs = pairs;
  const bytes = pairs.reduce((n, p) => n + (p.a?.length ?? 0) + (p.b?.length ?? 0), 0);
  const changed = pairs.filter((p) => p.a !== p.b).length;
  log(`  ${pairs.length} pairs (${changed} with changes), ${(bytes / 1024 / 1024).toFixed(1)} MiB of text`);

  const { perPair, totals, first } = await corpusNatives(libs, pairs);
  // The references run in child processes: one pass may take longer than 60 s.
  const refs = {};
  for (const name of Object.keys(libs.refs)) {
    log(`  running ${name} over the corpus in a child process (a pass is stopped at 60 s) …`);
    const { rounds: runs, warmup, budgetMs } = S.corpus;
    refs[name] = await runChild('corpus', name, { runs, warmup, budgetMs, corpusFile });
  }

  const result = { pairs: pairs.length, changed, bytes, maxBytesPerFile: S.corpus.maxBytes, contenders: {} };
  for (const [name, child] of Object.entries(refs)) {
    if (child.status !== 'ok') {
      result.contenders[name] = { status: child.status, error: child.error };
      continue;
    }
    const lists = pairs.map((_, i) => child.pairMs.map((pass) => pass[i]));
    result.contenders[name] = { ...totalsEntry(child.runs), ...pairStats(lists) };
  }
  for (const name of ['native-sync', 'native-async']) {
    result.contenders[name] = { ...totalsEntry(totals[name]), ...pairStats(perPair[name]) };
  }
  result.contenders['native-batch'] = { ...totalsEntry(totals['native-batch']), pairP50: null, pairP99: null };
  addRatios(result.contenders);

  const nativeSync = first['native-sync'];
  check('corpus', 'createDiffs equals sequential createDiff', isDeepStrictEqual(first['native-batch'], nativeSync));
  check('corpus', 'createDiffAsync equals createDiff', isDeepStrictEqual(first['native-async'], nativeSync));
  if (refs['ref-5.2'].status === 'ok') corpusParity(libs, pairs, nativeSync, refs['ref-5.2'].shas, result);
  log(table(corpusRows(result)));
  results.corpus = result;
}

/**
 * Every pair's native diff text against jsdiff 5.2's (by hash). A pair that
 * differs passes only as a budget fallback: equal to jsdiff once the budget
 * is lifted, and applying back exactly.
 */
function corpusParity(libs, pairs, nativePatches, refShas, result) {
  const { native } = libs;
  const unlimited = { engineBudget: { maxWork: Number.MAX_SAFE_INTEGER, maxMemoryBytes: Number.MAX_SAFE_INTEGER } };
  const differing = nativePatches.map((p, i) => (refShas[i] === sha(p.diff) ? -1 : i)).filter((i) => i >= 0);
  const unexplained = differing.filter((i) => {
    const { path: name, a, b } = pairs[i];
    const lifted = native.createDiff(name, a, b, unlimited);
    return sha(lifted.diff) !== refShas[i] || native.applyPatch(a, nativePatches[i]) !== (b ?? '');
  });
  result.differingPairs = differing.length;
  const details = [];
  if (differing.length) details.push(`${differing.length} differ by budget fallback`);
  if (unexplained.length) details.push(`unexplained: ${unexplained.slice(0, 5).map((i) => pairs[i].path).join(', ')}`);
  check('corpus', `native diff text equals jsdiff 5.2 on every pair (${pairs.length})`, unexplained.length === 0, {
    detail: details.join('; '),
  });
}

// ---------------------------------------------------------------------------
// Async latency and event-loop delay
// ---------------------------------------------------------------------------

async function asyncSection(libs) {
  const { native } = libs;
  section('async: createDiffAsync latency (c1) and event-loop delay while a batch runs');
  const input = inputsOf('c1');
  const m = await measure(
    ['native-sync', 'native-async'].map((name) => ({ name, run: runnerFor(libs, name, 'diff'), input })),
  );
  results.async = { sync: entryOf(m['native-sync']), async: entryOf(m['native-async']) };
  log(table(latencyRows(results.async)));

  const files = Math.max(...S.batchSizes);
  const entries = inputsOf(`batch-${files}`);
  const ref = libs.refs['ref-5.2'];
  const modes = [
    { name: 'createDiffs (one call)', run: () => native.createDiffs(entries) },
    {
      name: 'Promise.all(createDiffAsync)',
      run: () => Promise.all(entries.map((e) => native.createDiffAsync(e.path, e.baseline, e.proposed))),
    },
    {
      name: 'createDiff, sequential in one tick',
      run: () => {
        for (const e of entries) native.createDiff(e.path, e.baseline, e.proposed);
      },
    },
    {
      name: 'createDiff, setImmediate between files',
      run: async () => {
        for (const e of entries) {
          native.createDiff(e.path, e.baseline, e.proposed);
          await new Promise((resolve) => setImmediate(resolve));
        }
      },
    },
    {
      name: 'ref-5.2, sequential in one tick',
      run: () => {
        for (const e of entries) ref.createDiff(e.path, e.baseline, e.proposed);
      },
    },
  ];
  // A fresh histogram for every run of a mode (a re-enabled one would count
  // the time it was disabled as one long delay); modes interleaved by round.
  const runs = modes.map(() => []);
  for (let r = 0; r < S.loopRounds; r++) {
    for (let k = 0; k < modes.length; k++) {
      gc();
      await sleep(5);
      const h = monitorEventLoopDelay({ resolution: 1 });
      h.enable();
      await sleep(3); // let the sampling timer start
      const t0 = performance.now();
      await modes[k].run();
      const wall = performance.now() - t0;
      await sleep(3); // let the late timer tick be recorded
      h.disable();
      runs[k].push({ wall, max: h.max / 1e6, p99: h.percentile(99) / 1e6 });
    }
  }
  results.eventLoop = {
    files,
    rounds: S.loopRounds,
    resolutionMs: 1,
    modes: modes.map((mode, k) => ({
      mode: mode.name,
      wallMedian: summarize(runs[k].map((x) => x.wall)).median,
      maxDelayMs: Math.max(...runs[k].map((x) => x.max)),
      p99DelayMs: summarize(runs[k].map((x) => x.p99)).median,
      runs: runs[k],
    })),
  };
  log(table(loopRows(results.eventLoop)));
}

// ---------------------------------------------------------------------------
// engineBudget on the full rewrite
// ---------------------------------------------------------------------------

async function budgetSection(libs, c3Entry) {
  const { native } = libs;
  const { path: name, a, b } = inputsOf('c3');
  section('budget: engineBudget-bounded output on c3 (10k lines fully rewritten)');
  const out = [];
  const record = (label, runs, median, patch) => {
    const ok = native.applyPatch(a, patch) === b;
    const { additions, deletions } = patch.summary;
    out.push({ label, runs, median, additions, deletions, ok });
    check('budget', `${label}: applyPatch(a, patch) === b`, ok);
  };
  const timeIt = async (label, fn) => {
    const times = [];
    let patch;
    for (let r = 0; r < S.budgetRounds; r++) {
      gc();
      const t0 = performance.now();
      patch = await fn();
      times.push(performance.now() - t0);
    }
    record(label, times.length, summarize(times).median, patch);
  };

  if (c3Entry) record('createDiff, default budget', c3Entry.n, c3Entry.median, native.createDiff(name, a, b));
  else await timeIt('createDiff, default budget', () => native.createDiff(name, a, b));
  await timeIt('createDiff, engineBudget.maxWork = 10M', () =>
    native.createDiff(name, a, b, { engineBudget: { maxWork: 10_000_000 } }),
  );
  await timeIt("createDiffAsync, timeoutMs 100, onTimeout 'fallback'", () =>
    native.createDiffAsync(name, a, b, { timeoutMs: 100, onTimeout: 'fallback' }),
  );
  // How soon a timeout rejects.
  const times = [];
  let code = null;
  for (let r = 0; r < S.budgetRounds; r++) {
    const t0 = performance.now();
    try {
      await native.createDiffAsync(name, a, b, { timeoutMs: 100 });
      code = 'none (resolved)';
    } catch (error) {
      code = error.code;
    }
    times.push(performance.now() - t0);
  }
  out.push({ label: 'createDiffAsync, timeoutMs 100', runs: times.length, median: summarize(times).median, code });
  results.budget = out;
  log(table(budgetRows(out)));
}

// ---------------------------------------------------------------------------
// createDiff's `algorithm` option
// ---------------------------------------------------------------------------

const ALGORITHMS = ['jsdiff', 'myers', 'patience', 'histogram'];

/**
 * createDiff (native-sync) with each algorithm on the diff cases and, when
 * loaded, the corpus: median time, its ratio to the default 'jsdiff'
 * algorithm in the same run, and the lines each marks changed (additions +
 * deletions; more than the fewest any algorithm found is a less minimal
 * diff). Every patch must apply back to `b`.
 */
async function algorithmSection(libs) {
  const { native } = libs;
  section("algorithms: createDiff's `algorithm` option (native-sync) · ratio to 'jsdiff' in the same run");
  const cases = [];
  for (const c of DIFF_CASES) {
    const input = inputsOf(c.id);
    const contenders = ALGORITHMS.map((algorithm) => ({
      name: algorithm,
      run: (x) => native.createDiff(x.path, x.a, x.b, { algorithm }),
      input,
    }));
    const measured = await measure(contenders);
    const row = { id: c.id, title: c.title, algorithms: {} };
    for (const algorithm of ALGORITHMS) {
      const patch = measured[algorithm].first;
      const ok = native.applyPatch(input.a, patch) === input.b;
      check(`algorithms ${c.id}`, `${algorithm}: applyPatch(a, patch) === b`, ok);
      const changed = patch.summary.additions + patch.summary.deletions;
      row.algorithms[algorithm] = { ...entryOf(measured[algorithm]), changed, ok };
    }
    for (const e of Object.values(row.algorithms)) e.ratio = row.algorithms.jsdiff.median / e.median;
    cases.push(row);
  }
  let corpus = null;
  if (corpusPairs) {
    const pairs = corpusPairs.filter((p) => p.a !== p.b);
    const passes = QUICK ? 1 : 3;
    const times = Object.fromEntries(ALGORITHMS.map((a) => [a, []]));
    const changed = Object.fromEntries(ALGORITHMS.map((a) => [a, []]));
    const applied = Object.fromEntries(ALGORITHMS.map((a) => [a, 0]));
    for (let pass = 0; pass < passes; pass++) {
      for (const algorithm of ALGORITHMS) {
        gc();
        const patches = new Array(pairs.length);
        const t0 = performance.now();
        for (let i = 0; i < pairs.length; i++) {
          patches[i] = native.createDiff(pairs[i].path, pairs[i].a, pairs[i].b, { algorithm });
        }
        times[algorithm].push(performance.now() - t0);
        if (pass > 0) continue;
        patches.forEach((patch, i) => {
          changed[algorithm].push(patch.summary.additions + patch.summary.deletions);
          if (native.applyPatch(pairs[i].a, patch) === (pairs[i].b ?? '')) applied[algorithm]++;
        });
      }
    }
    corpus = { pairs: pairs.length, passes, algorithms: {} };
    // The fewest lines any algorithm marked changed: 'jsdiff' and 'myers' are
    // minimal within their step budgets, so this is the minimum unless both ran out.
    const fewest = pairs.map((_, i) => Math.min(...ALGORITHMS.map((a) => changed[a][i])));
    for (const algorithm of ALGORITHMS) {
      check('algorithms corpus', `${algorithm}: every patch applies back`, applied[algorithm] === pairs.length, {
        detail: `${applied[algorithm]} of ${pairs.length}`,
      });
      corpus.algorithms[algorithm] = {
        median: summarize(times[algorithm]).median,
        changed: changed[algorithm].reduce((a, b) => a + b, 0),
        moreThanFewest: changed[algorithm].filter((n, i) => n > fewest[i]).length,
      };
    }
    for (const e of Object.values(corpus.algorithms)) e.ratio = corpus.algorithms.jsdiff.median / e.median;
  }
  results.algorithms = { cases, corpus };
  log(table(algorithmRows(results.algorithms)));
}

// ---------------------------------------------------------------------------
// Peak RSS
// ---------------------------------------------------------------------------

async function rssSection(ranCases) {
  section(`rss: peak RSS, child process minus a baseline child${QUICK ? ' (--quick: one smoke run)' : ''}`);
  const plan = QUICK ? ranCases.slice(0, 1) : ranCases;
  const rss = { method: 'maxRSS of a child running the case once, minus that of a baseline child', cases: {} };
  for (const r of plan) {
    const base = await runChild(r.id, 'baseline');
    if (base.status !== 'ok') {
      check('rss', `${r.id} baseline child`, false, { detail: base.error ?? base.status, fatal: false });
      continue;
    }
    const row = { baseline: base.maxRSS, peakReset: base.peakReset, delta: {} };
    const heavy = DIFF_CASES.find((c) => c.id === r.id)?.heavy ?? false;
    for (const name of QUICK ? ['native-sync'] : CONTENDERS) {
      if (r.childRss?.[name] !== undefined) {
        // The heavy reference runs already happened in a child: reuse their peak.
        row.delta[name] = r.childRss[name] - base.maxRSS;
        continue;
      }
      if (r.contenders[name]?.status !== 'ok' || (heavy && !name.startsWith('native'))) continue;
      const child = await runChild(r.id, name);
      if (child.status === 'ok') row.delta[name] = child.maxRSS - base.maxRSS;
      else row.delta[name] = child.status === 'timeout' ? '> 60 s' : 'error';
    }
    rss.cases[r.id] = row;
  }
  results.rss = rss;
  log(table(rssRows(rss)));
}

// ---------------------------------------------------------------------------
// Targets (from the issue)
// ---------------------------------------------------------------------------

function targetsOf(machine) {
  const byId = new Map(results.cases.map((r) => [r.id, r]));
  const out = [];
  const add = (name, goal, actual, text) => {
    const met = actual === null || actual === undefined ? null : actual >= goal;
    out.push({ name, goal, actual, met, text: text ?? fmtRatio(actual) });
  };
  /** native-sync's ratio to ref-5.2; a lower bound when ref-5.2 was stopped at 60 s. */
  const ratioTarget = (name, goal, contenders) => {
    const ref = contenders?.['ref-5.2'];
    const nat = contenders?.['native-sync'];
    if (ref?.status === 'timeout' && nat?.status === 'ok') {
      const lower = LIMIT_MS / nat.median;
      add(name, goal, lower, `> ${fmtRatio(lower)}`);
    } else {
      add(name, goal, nat?.ratio ?? null);
    }
  };
  ratioTarget('c1: 10k lines, 5 edits', 8, byId.get('c1')?.contenders);
  ratioTarget('c2: 10k lines, 10% changed', 25, byId.get('c2')?.contenders);
  ratioTarget('c3: 10k lines rewritten', 500, byId.get('c3')?.contenders);
  ratioTarget('c4: 100k lines, 20 edits', 8, byId.get('c4')?.contenders);
  ratioTarget('corpus, total time', 20, results.corpus?.contenders);
  const biggest = results.batches.at(-1);
  const cores = Math.min(machine.cores, machine.addonThreads ?? machine.cores);
  const goal = 0.75 * cores;
  add(
    `batch of ${biggest?.files ?? '—'}: createDiffs vs sequential createDiff (scales with cores: 0.75 × ${cores})`,
    goal,
    biggest?.speedup ?? null,
  );
  return out;
}

// ---------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------

const loadAverage = () => os.loadavg().map((x) => Math.round(x * 100) / 100);
const ADDON = path.join(REPO, 'patchkit-native.linux-x64-gnu.node');
/** The addon file's SHA-256 (first 16 hex digits), to notice a rebuild during the run. */
const addonHash = () => (existsSync(ADDON) ? sha(readFileSync(ADDON)).slice(0, 16) : null);

function machineInfo(native) {
  let threads = null;
  try {
    threads = native.configure({}).threads;
  } catch {
    threads = null;
  }
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.availableParallelism?.() ?? os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    addonThreads: threads,
    addonBuilt: existsSync(ADDON) ? statSync(ADDON).mtime.toISOString() : null,
    addonSha256: addonHash(),
    addonChangedDuringRun: null,
    loadAverageAtStart: loadAverage(),
    loadAverageAtEnd: null,
    date: new Date().toISOString(),
  };
}

async function main() {
  log(`patchkit benchmark${QUICK ? ' (--quick: smoke run, small rounds)' : ''}`);
  const libs = await loadLibraries();
  REFS_FILE = tempPath('refs.json');
  writeFileSync(REFS_FILE, JSON.stringify(libs.refFiles));
  const machine = machineInfo(libs.native);
  results.machine = machine;
  log(`${machine.cpu}, ${machine.cores} cores, ${machine.os}, Node ${machine.node}, threads ${machine.addonThreads}`);
  if (machine.loadAverageAtStart[0] > 0.5) {
    log(`warning: load average ${machine.loadAverageAtStart.join(' ')}: other processes are running`);
  }

  const nativePatches = new Map();
  for (const c of DIFF_CASES) {
    if (selected(c.id, c.title)) nativePatches.set(c.id, await diffCase(libs, c));
  }
  if (selected('corpus', 'real-world corpus')) await corpusSection(libs);
  for (const files of S.batchSizes) {
    const c = batchCase(files);
    if (selected(c.id, c.title)) await batchSection(libs, files);
  }
  for (const c of DIFF_CASES) {
    if (selected(`apply-${c.id}`, 'applyPatch')) await applySection(libs, c, nativePatches);
  }
  if (selected('async', 'event-loop latency')) await asyncSection(libs);
  if (selected('budget', 'engineBudget')) {
    const c3 = results.cases.find((r) => r.id === 'c3')?.contenders['native-sync'];
    await budgetSection(libs, c3?.status === 'ok' ? c3 : null);
  }
  if (selected('algorithms', 'algorithm option')) await algorithmSection(libs);
  const rssCases = results.cases.filter((r) => r.kind === 'diff' || r.kind === 'batch');
  if (!argv['no-rss'] && rssCases.length) await rssSection(rssCases);

  machine.loadAverageAtEnd = loadAverage();
  machine.addonChangedDuringRun = addonHash() !== machine.addonSha256;
  if (machine.addonChangedDuringRun) {
    log('\nwarning: the addon file changed during the run (rebuilt?): child processes may have loaded another build');
  }
  results.targets = targetsOf(machine);
  results.elapsedMs = performance.now() - STARTED;

  section('summary: median / p99 ms · ratio of ref-5.2 median to this median (same run)');
  log(table(summaryRows(results)));
  log('');
  log(table(targetRows(results.targets)));

  const strip = (key, value) => (key === 'first' || key === 'samples' ? undefined : value);
  writeFileSync(argv.out, `${JSON.stringify(results, strip, 2)}\n`);
  if (argv.md) writeFileSync(argv.md, markdownReport(results));
  const failed = checks.filter((c) => !c.ok && c.fatal);
  const where = path.relative(process.cwd(), argv.out) || argv.out;
  const seconds = (results.elapsedMs / 1000).toFixed(1);
  log(`\n${checks.length} checks, ${failed.length} failed; results in ${where}; ${seconds} s`);
  for (const f of failed) log(`FAILED ${f.where}: ${f.what}${f.detail ? ` (${f.detail})` : ''}`);
  return failed.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
