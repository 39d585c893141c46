#!/usr/bin/env node
// One contender on one case, in a process of its own:
//
//   node benchmark/rss-child.mjs <case> <contender> [--runs N] [--warmup N]
//                                [--budget-ms MS] [--refs refs.json] [--corpus corpus.json]
//
// <case> is c1..c5, batch-<files> or corpus (which needs --corpus, a JSON
// file of [{ path, a, b }] written by benchmark/index.mjs). <contender> is
// one of the benchmark's contenders, or `baseline`: build the inputs and
// load every library, then call nothing. The peak RSS of a contender's child
// minus the baseline child's is the memory the calls themselves needed.
//
// The benchmark forks this script (a) to measure peak RSS and (b) to run
// what may take longer than the 60 s limit, so that it can be killed: before
// each run (warm-up runs too) the child sends `{ type: 'start' }` over IPC and the parent
// re-arms its kill timer. The result goes back as `{ type: 'result', ... }`,
// or is printed as JSON when run by hand.
//
// Peak RSS: on Linux the process's high-water mark is reset (`5` written to
// /proc/self/clear_refs) once the inputs are built, the libraries loaded and
// the heap collected, so the peak is that of the calls, not of generating
// 100k lines of input; the baseline child does the same and calls nothing.
// The peak is then read from VmHWM in /proc/self/status, because
// `process.resourceUsage().maxRSS` (getrusage) of a forked child on Linux
// also keeps the high-water mark of the pre-exec copy of the parent, i.e.
// the parent's RSS at fork time. Elsewhere `maxRSS` is used as it is
// (`peakSource` says which).
//
// --refs names a JSON file mapping 'ref-5.2' / 'ref-latest' to the reference
// modules the parent already transpiled; without it this script transpiles
// reference.ts itself (which loads TypeScript into the process).

import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import vm from 'node:vm';
import { inputsOf } from './cases.mjs';
import { CONTENDERS, loadLibraries, readCorpusFile, runnerFor, timeOnce } from './contenders.mjs';

function send(message) {
  if (process.send) process.send(message);
  else if (message.type === 'result') process.stdout.write(`${JSON.stringify(message)}\n`);
}

/** Collects the heap, then resets the kernel's peak-RSS mark (Linux); false where that is not possible. */
function resetPeak() {
  v8.setFlagsFromString('--expose-gc');
  vm.runInNewContext('gc')();
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

/** `{ maxRSS, peakSource }`: VmHWM where /proc has it, else getrusage's maxRSS (bytes). */
function peakRss() {
  try {
    const kb = /^VmHWM:\s*(\d+)\s*kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (kb) return { maxRSS: Number(kb[1]) * 1024, peakSource: 'VmHWM' };
  } catch {
    // not Linux
  }
  return { maxRSS: process.resourceUsage().maxRSS * 1024, peakSource: 'resourceUsage().maxRSS' };
}

const sha = (text) => createHash('sha256').update(text).digest('hex');

/** The diff text(s) of a result, for the parent's parity check. */
function diffTexts(result) {
  if (Array.isArray(result)) return result.map((p) => p.diff);
  return [result.diff];
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      runs: { type: 'string', default: '1' },
      warmup: { type: 'string', default: '0' },
      refs: { type: 'string' },
      corpus: { type: 'string' },
      'budget-ms': { type: 'string', default: 'Infinity' },
    },
  });
  const [caseId, contender] = positionals;
  if (!caseId || !contender || (contender !== 'baseline' && !CONTENDERS.includes(contender))) {
    throw new Error(`usage: rss-child.mjs <case> <${['baseline', ...CONTENDERS].join('|')}> [--runs N] [--warmup N]`);
  }
  const runs = Number(values.runs);
  const warmup = Number(values.warmup);
  // Timed runs stop early (after at least one) once they add up to this.
  const budgetMs = Number(values['budget-ms']);

  const refFiles = values.refs ? JSON.parse(readFileSync(values.refs, 'utf8')) : undefined;
  const libs = await loadLibraries(refFiles);
  const isCorpus = caseId === 'corpus';
  if (isCorpus && !values.corpus) throw new Error('the corpus case needs --corpus <file>');
  const pairs = isCorpus ? readCorpusFile(values.corpus) : null;
  const input = isCorpus ? null : inputsOf(caseId);

  const out = { type: 'result', case: caseId, contender, runs: [], pairMs: null, shas: null };
  out.peakReset = resetPeak();
  out.rssBefore = process.memoryUsage.rss();
  if (contender !== 'baseline') {
    const kind = isCorpus ? (contender === 'native-batch' ? 'batch' : 'pair') : Array.isArray(input) ? 'batch' : 'diff';
    const run = runnerFor(libs, contender, kind);
    if (!run) throw new Error(`${contender} does not run on ${caseId}`);
    let last = null;
    let spent = 0;
    for (let i = 0; i < warmup + runs; i++) {
      const timed = i >= warmup;
      if (timed && out.runs.length > 0 && spent >= budgetMs) break;
      send({ type: 'start', run: i - warmup });
      if (isCorpus && kind === 'pair') {
        const times = [];
        const results = [];
        const t0 = performance.now();
        for (const pair of pairs) {
          const [ms, result] = await timeOnce(run, pair);
          times.push(ms);
          results.push(result);
        }
        if (timed) {
          out.runs.push(performance.now() - t0);
          (out.pairMs ??= []).push(times);
        }
        last = results;
      } else {
        const arg = isCorpus ? pairs.map((p) => ({ path: p.path, baseline: p.a, proposed: p.b })) : input;
        const [ms, result] = await timeOnce(run, arg);
        if (timed) out.runs.push(ms);
        last = result;
      }
      if (timed) spent += out.runs.at(-1);
    }
    out.shas = diffTexts(last).map(sha);
  }
  Object.assign(out, peakRss());
  send(out);
}

main().then(
  () => process.exit(0),
  (error) => {
    send({ type: 'error', message: String(error?.stack ?? error) });
    if (!process.send) console.error(error);
    process.exit(1);
  },
);
