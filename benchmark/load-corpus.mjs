#!/usr/bin/env node
// Loads the real-world corpus in a process of its own, for the benchmark:
//
//   node benchmark/load-corpus.mjs <corpus module> <out.json> <maxPairs> <maxBytes>
//
// The corpus module (benchmark/corpus.mjs) may fetch packages with a
// synchronous `npm pack` on first use, which no timer in the benchmark's own
// process could interrupt; here the parent can kill the whole process group
// when loading takes too long (offline, slow registry). Writes
// [{ path, a, b }] (strings, or null for an absent side) to <out.json>; on
// failure prints the reason to stderr and exits with 2.

import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const decoder = new TextDecoder();
const asText = (v) => (v === null || v === undefined ? null : typeof v === 'string' ? v : decoder.decode(v));

/** Accepts an array, or { pairs | entries | files }, of before/after records. */
function normalize(raw) {
  const list = Array.isArray(raw) ? raw : (raw?.pairs ?? raw?.entries ?? raw?.files ?? []);
  return list.map((p, i) => ({
    path: String(p.path ?? p.name ?? p.file ?? `pair-${i}`),
    a: asText(p.baseline ?? p.before ?? p.a ?? p.old ?? null),
    b: asText(p.proposed ?? p.after ?? p.b ?? p.new ?? null),
  }));
}

const [modulePath, outFile, maxPairs, maxBytes] = process.argv.slice(2);
try {
  const mod = await import(pathToFileURL(modulePath).href);
  if (typeof mod.loadCorpus !== 'function') throw new Error(`${modulePath} has no loadCorpus export`);
  const pairs = normalize(await mod.loadCorpus({ maxPairs: Number(maxPairs), maxBytes: Number(maxBytes) }));
  writeFileSync(outFile, JSON.stringify(pairs));
  process.exit(0);
} catch (error) {
  process.stderr.write(`${String(error?.message ?? error).split('\n')[0]}\n`);
  process.exit(2);
}
