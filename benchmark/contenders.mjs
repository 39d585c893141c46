// The contenders and what each one runs for a kind of case, shared by the
// benchmark's main process and its child processes so both measure exactly
// the same calls.
//
//   ref-5.2       __test__/reference.ts on jsdiff 5.2.0 (the TS patchkit)
//   ref-latest    the same pipeline on the latest jsdiff ('diff-latest')
//   native-sync   createDiff / applyPatch
//   native-async  await createDiffAsync / applyPatchAsync (a batch: Promise.all of them)
//   native-batch  await createDiffs (batches and the corpus only)

import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { importTranspiled, transpileReference } from './reference.mjs';

export const CONTENDERS = ['ref-5.2', 'ref-latest', 'native-sync', 'native-async', 'native-batch'];
export const REF_CONTENDERS = new Set(['ref-5.2', 'ref-latest']);
export const NATIVE_CONTENDERS = CONTENDERS.filter((c) => !REF_CONTENDERS.has(c));

const requireHere = createRequire(import.meta.url);

/** The addon, through the package's own loader (index.js). */
export function loadNative() {
  return requireHere('../index.js');
}

/**
 * Transpiles reference.ts for both jsdiff versions; returns the two module
 * files (children get these paths and skip loading TypeScript).
 */
export async function transpileReferences() {
  return { 'ref-5.2': await transpileReference('diff'), 'ref-latest': await transpileReference('diff-latest') };
}

/** Everything the contenders need: `{ native, refs: { 'ref-5.2': module, 'ref-latest': module } }`. */
export async function loadLibraries(refFiles) {
  const files = refFiles ?? (await transpileReferences());
  const refs = {};
  for (const [name, file] of Object.entries(files)) refs[name] = await importTranspiled(file);
  return { native: loadNative(), refs, refFiles: files };
}

/**
 * The function contender `name` runs for one sample of a case of `kind`, or
 * `null` where the contender makes no sense there.
 *
 *   kind 'diff'   input { path, a, b }          -> FilePatch
 *   kind 'batch'  input DiffEntry[]             -> FilePatch[]
 *   kind 'apply'  input { a, patch }            -> string
 *   kind 'pair'   input { path, a, b } (corpus) -> FilePatch
 */
export function runnerFor(libs, name, kind) {
  const { native } = libs;
  const ref = libs.refs[name];
  switch (kind) {
    case 'diff':
    case 'pair':
      if (ref) return (x) => ref.createDiff(x.path, x.a, x.b);
      if (name === 'native-sync') return (x) => native.createDiff(x.path, x.a, x.b);
      if (name === 'native-async') return (x) => native.createDiffAsync(x.path, x.a, x.b);
      return null;
    case 'batch':
      if (ref) return (entries) => entries.map((e) => ref.createDiff(e.path, e.baseline, e.proposed));
      if (name === 'native-sync') {
        return (entries) => entries.map((e) => native.createDiff(e.path, e.baseline, e.proposed));
      }
      if (name === 'native-async') {
        return (entries) => Promise.all(entries.map((e) => native.createDiffAsync(e.path, e.baseline, e.proposed)));
      }
      if (name === 'native-batch') return (entries) => native.createDiffs(entries);
      return null;
    case 'apply':
      if (ref) return (x) => ref.applyPatch(x.a, x.patch);
      if (name === 'native-sync') return (x) => native.applyPatch(x.a, x.patch);
      if (name === 'native-async') return (x) => native.applyPatchAsync(x.a, x.patch);
      return null;
    default:
      throw new Error(`unknown case kind '${kind}'`);
  }
}

/** Runs `fn(input)` once and returns `[ms, result]`, awaiting a promise. */
export async function timeOnce(fn, input) {
  const t0 = performance.now();
  let result = fn(input);
  if (result !== null && typeof result === 'object' && typeof result.then === 'function') result = await result;
  return [performance.now() - t0, result];
}

/** A corpus written by the main process (`[{ path, a, b }]`, JSON). */
export function readCorpusFile(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}
