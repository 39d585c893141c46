// Tables of the benchmark's results, as rows (arrays of cells) that
// benchmark/index.mjs prints as text and `--md` writes as Markdown. Reads
// the `results` object only; measures nothing.

import { CONTENDERS } from './contenders.mjs';
import { fmtMiB, fmtMs, fmtRatio, table } from './stats.mjs';

const LIMIT = '> 60 s';

/** One contender's cells in a case table: n, median, p99, ratio. */
function caseCells(entry) {
  if (!entry || entry.status === 'n/a') return ['—', '—', '—', '—'];
  if (entry.status === 'timeout') return ['—', LIMIT, LIMIT, '—'];
  if (entry.status === 'skipped') return ['—', entry.reason, '—', '—'];
  if (entry.status !== 'ok') return ['—', entry.status, '—', '—'];
  return [entry.runs1 ? '1 run' : String(entry.n), fmtMs(entry.median), fmtMs(entry.p99), fmtRatio(entry.ratio)];
}

export function caseRows(result) {
  const rows = [['contender', 'n', 'median ms', 'p99 ms', '× vs ref-5.2']];
  for (const name of CONTENDERS) {
    if (result.contenders[name]) rows.push([name, ...caseCells(result.contenders[name])]);
  }
  return rows;
}

/** "median / p99 · ratio" for the summary table. */
function summaryCell(entry) {
  if (!entry || entry.status === 'n/a') return '—';
  if (entry.status === 'timeout') return LIMIT;
  if (entry.status !== 'ok') return entry.reason ?? entry.status;
  const runs = entry.runs1 ? ' (1 run)' : '';
  return `${fmtMs(entry.median)} / ${fmtMs(entry.p99)}${runs} · ${fmtRatio(entry.ratio)}`;
}

export function summaryRows(results) {
  const rows = [['case', ...CONTENDERS]];
  for (const r of results.cases) {
    rows.push([`${r.id} ${r.title}`, ...CONTENDERS.map((name) => summaryCell(r.contenders[name]))]);
  }
  const corpus = results.corpus;
  if (corpus?.contenders) {
    rows.push([
      `corpus (${corpus.pairs} pairs), total`,
      ...CONTENDERS.map((name) => summaryCell(corpus.contenders[name])),
    ]);
  } else if (corpus?.skipped) {
    rows.push(['corpus', 'skipped (corpus unavailable)', ...CONTENDERS.slice(1).map(() => '')]);
  }
  return rows;
}

export function corpusRows(corpus) {
  const rows = [['contender', 'passes', 'total ms (median)', 'per-pair p50 ms', 'per-pair p99 ms', '× vs ref-5.2']];
  for (const name of CONTENDERS) {
    const e = corpus.contenders[name];
    if (e.status === 'timeout') rows.push([name, '—', LIMIT, '—', '—', '—']);
    else if (e.status !== 'ok') rows.push([name, '—', e.status, '—', '—', '—']);
    else rows.push([name, String(e.n), fmtMs(e.median), fmtMs(e.pairP50), fmtMs(e.pairP99), fmtRatio(e.ratio)]);
  }
  return rows;
}

export function batchRows(batches) {
  return [
    ['batch', 'createDiffs (native-batch) vs sequential createDiff (native-sync)'],
    ...batches.map((b) => [`${b.files} files`, fmtRatio(b.speedup)]),
  ];
}

export function latencyRows(latency) {
  return [
    ['c1, one call', 'n', 'median ms', 'p99 ms'],
    ['createDiff', latency.sync.n, fmtMs(latency.sync.median), fmtMs(latency.sync.p99)],
    ['await createDiffAsync', latency.async.n, fmtMs(latency.async.median), fmtMs(latency.async.p99)],
  ];
}

export function loopRows(loop) {
  return [
    [`batch of ${loop.files} files`, 'wall ms (median)', 'loop delay max ms', 'loop delay p99 ms (median)'],
    ...loop.modes.map((l) => [l.mode, fmtMs(l.wallMedian), fmtMs(l.maxDelayMs), fmtMs(l.p99DelayMs)]),
  ];
}

export function budgetRows(budget) {
  return [
    ['c3, 10k lines rewritten', 'runs', 'median ms', 'result'],
    ...budget.map((r) => [
      r.label,
      r.runs,
      fmtMs(r.median),
      r.code ? `rejects, code ${r.code}` : `+${r.additions} −${r.deletions}, applies back: ${r.ok ? 'ok' : 'FAILED'}`,
    ]),
  ];
}

const rssCell = (delta) => (typeof delta === 'number' ? `+${fmtMiB(Math.max(0, delta))}` : (delta ?? '—'));

export function algorithmRows({ cases, corpus }) {
  const names = ['jsdiff', 'myers', 'patience', 'histogram'];
  const cell = (e) => `${fmtMs(e.median)} · ${fmtRatio(e.ratio)} · ±${e.changed}`;
  const rows = [['case: median ms · ratio to jsdiff · lines changed', ...names]];
  for (const r of cases) rows.push([`${r.id} ${r.title}`, ...names.map((n) => cell(r.algorithms[n]))]);
  if (corpus) {
    rows.push([`corpus, ${corpus.pairs} changed pairs (total)`, ...names.map((n) => cell(corpus.algorithms[n]))]);
    rows.push([
      'corpus: pairs with more changed lines than the fewest found',
      ...names.map((n) => `${corpus.algorithms[n].moreThanFewest} (${((100 * corpus.algorithms[n].moreThanFewest) / corpus.pairs).toFixed(1)}%)`),
    ]);
  }
  return rows;
}

export function rssRows(rss) {
  const rows = [['case', 'baseline', ...CONTENDERS]];
  for (const [id, row] of Object.entries(rss.cases)) {
    rows.push([id, fmtMiB(row.baseline), ...CONTENDERS.map((name) => rssCell(row.delta[name]))]);
  }
  return rows;
}

export function targetRows(targets) {
  return [
    ['target', 'goal', 'measured', ''],
    ...targets.map((t) => [t.name, `≥ ${t.goal}×`, t.text, t.met === null ? 'n/a' : t.met ? 'met' : 'missed']),
  ];
}

/** The tables of BENCHMARKS.md, from a run's results. */
export function markdownReport(results) {
  const m = results.machine;
  const md = (rows) => table(rows, { markdown: true });
  const out = [
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}; Node ${m.node};` +
      ` addon threads ${m.addonThreads}.`,
    `Run: ${m.date}, \`${results.command}\`, ${(results.elapsedMs / 1000).toFixed(0)} s;` +
      ` load average ${m.loadAverageAtStart.join(' ')} at start, ${m.loadAverageAtEnd.join(' ')} at end;` +
      ` addon built ${m.addonBuilt} (sha256 ${m.addonSha256}…)` +
      `${m.addonChangedDuringRun ? ', REBUILT DURING THE RUN' : ''}.`,
    '',
    '### Median / p99 (ms) · ratio of ref-5.2 median to this median',
    '',
    md(summaryRows(results)),
  ];
  if (results.corpus?.contenders) out.push('', '### Corpus', '', md(corpusRows(results.corpus)));
  if (results.batches.length) out.push('', '### Batches', '', md(batchRows(results.batches)));
  if (results.async) out.push('', '### Async latency', '', md(latencyRows(results.async)));
  if (results.eventLoop) out.push('', '### Event-loop delay', '', md(loopRows(results.eventLoop)));
  if (results.budget) out.push('', '### engineBudget', '', md(budgetRows(results.budget)));
  if (results.algorithms) out.push('', '### createDiff `algorithm`', '', md(algorithmRows(results.algorithms)));
  if (results.rss) out.push('', '### Peak RSS over the baseline child', '', md(rssRows(results.rss)));
  out.push('', '### Targets', '', md(targetRows(results.targets)));
  return `${out.join('\n')}\n`;
}
