/**
 * The comparison rules shared by every parity suite.
 *
 * createDiff: the native FilePatch must be byte-identical (JSON text, plain
 * deep equality and key order) to `nativeExpected(reference)`.
 *
 * applyPatch on a diff made by createDiff ("own diff"): native must give
 * exactly `proposed ?? ''`. jsdiff 5.2 does not always manage that; every
 * such case is counted and must be explained by one of the known jsdiff
 * defects listed in `JsdiffDefect`, otherwise the check fails.
 *
 * applyPatch on any other text ("foreign" target or diff): when no input
 * holds a line break only jsdiff knows (`\v`, `\f`, `\x85`, lone `\r`) and
 * the diff is free of the known defects, native must give jsdiff's result,
 * and must throw wherever jsdiff fails, with one documented exception
 * (COMPAT.md entry 14): where jsdiff reports a conflict and native finds the
 * hunks already applied, native returns the text and hasConflicts is false.
 * Inputs on which jsdiff would loop forever are skipped (counted).
 */
import { isDeepStrictEqual } from 'node:util';
import { applyPatch as jsApplyParsed, parsePatch } from 'diff';
import * as ref from '../reference.js';
import type { DiffHunk, FilePatch } from '../reference.js';
import { native, type NativeDiffOptions } from './native.js';

export const FILE_PATCH_KEYS = ['path', 'changeType', 'hunks', 'diff', 'summary', 'shaBefore', 'shaAfter'];
export const SUMMARY_KEYS = ['path', 'changeType', 'additions', 'deletions', 'preview'];
export const HUNK_KEYS = ['oldStart', 'oldLines', 'newStart', 'newLines', 'lines'];
export const NO_NEWLINE_MARKER = '\\ No newline at end of file';

// ---------------------------------------------------------------------------
// Small utilities
// ---------------------------------------------------------------------------

/** Deep copy into plain objects/arrays, keeping key order and `undefined` values. */
export function plainCopy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plainCopy);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) out[key] = plainCopy((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

export function attempt<T>(fn: () => T): Outcome<T> {
  try {
    return { ok: true, value: fn() };
  } catch (error) {
    return { ok: false, error };
  }
}

export function errorCode(error: unknown): unknown {
  return error !== null && typeof error === 'object' ? (error as { code?: unknown }).code : undefined;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Thrown by the parity checks; the message carries the inputs as JSON. */
export class ParityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ParityError';
  }
}

const MAX_SHOWN = 4000;

function show(value: unknown): string {
  const text = JSON.stringify(value, (_k, v) => (v === undefined ? '<undefined>' : v)) ?? String(value);
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}… (${text.length} chars)` : text;
}

/**
 * Cheap deep-equality assertion (node:util strict deep equality, so an
 * `undefined`-valued key differs from an absent one); used instead of
 * `expect` so that fast-check can shrink quickly.
 */
export function assertSame(actual: unknown, expected: unknown, where: string): void {
  if (!isDeepStrictEqual(actual, expected)) {
    throw new ParityError(`${where}\n  native:   ${show(actual)}\n  expected: ${show(expected)}`);
  }
}

export function assertThat(condition: boolean, where: string): void {
  if (!condition) throw new ParityError(where);
}

/** Line breaks jsdiff's parser/applier honours but the native addon does not. */
const JSDIFF_ONLY_BREAK = /[\v\f\x85]|\r(?!\n)/;

export function hasJsdiffOnlyBreaks(...texts: Array<string | null | undefined>): boolean {
  return texts.some((t) => typeof t === 'string' && JSDIFF_ONLY_BREAK.test(t));
}

// ---------------------------------------------------------------------------
// Known ways in which jsdiff 5.2 fails to apply its own diffs
// ---------------------------------------------------------------------------

export type JsdiffDefect =
  /** a `\v`, `\f`, `\x85` or lone `\r` in baseline, proposed or diff text */
  | 'jsdiff-only-line-break'
  /** a `---·` removed line then a `+++·` added line ending a hunk that another hunk follows: read as a new file header */
  | 'file-header-lookalike'
  /** deleting all of a newline-terminated file: the new side's marker follows a `-` line and jsdiff adds a newline back */
  | 'delete-all-newline-terminated'
  /** jsdiff's structuredPatch puts `\ No newline at end of file` at index `oldLines` of a hunk that interleaves changes, not after the old side's last line */
  | 'misplaced-no-newline-marker';

export function looksLikeFileHeaderInHunks(diffText: string): boolean {
  const lines = diffText.split(/\r\n|\n/);
  // Same test as jsdiff's parseHunk, skipping the 4 header lines we emit.
  for (let i = 4; i + 2 < lines.length; i++) {
    if (lines[i].startsWith('--- ') && lines[i + 1].startsWith('+++ ') && lines[i + 2].startsWith('@@')) return true;
  }
  return false;
}

export function deletesNewlineTerminatedFile(baseline: string | null, proposed: string | null): boolean {
  // jsdiff marks the emptied side "no newline" after a `-` line and adds a
  // newline back wherever the text it is applied to ends with one: its own
  // baseline when that ends with `\n`, and any such other target.
  return (proposed ?? '') === '' && (baseline ?? '') !== '';
}

function lastIndexOfSide(lines: string[], side: '-' | '+'): number {
  for (let i = lines.length - 1; i >= 0; i--) {
    if (lines[i][0] === ' ' || lines[i][0] === side) return i;
  }
  return -1;
}

/**
 * Where a correct diff puts the no-newline markers: after the last old-side
 * line when the (non-empty) old text lacks a final newline, after the last
 * new-side line when the (non-empty) new text does; one marker when that is
 * the same context line.
 */
function correctMarkerLayout(lines: string[], oldNeedsMarker: boolean, newNeedsMarker: boolean): string[] {
  const body = lines.filter((l) => l !== NO_NEWLINE_MARKER);
  const after = new Set<number>();
  if (oldNeedsMarker) after.add(lastIndexOfSide(body, '-'));
  if (newNeedsMarker) after.add(lastIndexOfSide(body, '+'));
  const out: string[] = [];
  body.forEach((line, i) => {
    out.push(line);
    if (after.has(i)) out.push(NO_NEWLINE_MARKER);
  });
  return out;
}

/** Lines as jsdiff's line diff counts them (a final line without newline counts). */
function lineCount(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
  return text.length > 0 && !text.endsWith('\n') ? count + 1 : count;
}

function needsMarker(text: string, start: number, length: number): boolean {
  const reachesEnd = length > 0 && start + length - 1 === lineCount(text);
  return reachesEnd && !text.endsWith('\n');
}

export function hasMisplacedNoNewlineMarker(hunks: DiffHunk[], baseline: string | null, proposed: string | null): boolean {
  if (hunks.length === 0) return false;
  const last = hunks[hunks.length - 1];
  const layout = correctMarkerLayout(
    last.lines,
    needsMarker(baseline ?? '', last.oldStart, last.oldLines),
    needsMarker(proposed ?? '', last.newStart, last.newLines),
  );
  const markersElsewhere = hunks.slice(0, -1).some((h) => h.lines.includes(NO_NEWLINE_MARKER));
  return markersElsewhere || JSON.stringify(layout) !== JSON.stringify(last.lines);
}

/** Every known defect that applies to this own diff (may be several). */
export function knownJsdiffDefects(baseline: string | null, proposed: string | null, patch: FilePatch): JsdiffDefect[] {
  const found: JsdiffDefect[] = [];
  if (hasJsdiffOnlyBreaks(baseline, proposed, patch.diff)) found.push('jsdiff-only-line-break');
  if (looksLikeFileHeaderInHunks(patch.diff)) found.push('file-header-lookalike');
  if (deletesNewlineTerminatedFile(baseline, proposed)) found.push('delete-all-newline-terminated');
  if (hasMisplacedNoNewlineMarker(patch.hunks, baseline, proposed)) found.push('misplaced-no-newline-marker');
  return found;
}

// ---------------------------------------------------------------------------
// Counters, printed at the end of each suite
// ---------------------------------------------------------------------------

export class ParityStats {
  cases = 0;
  createDiffCompared = 0;
  ownApplies = 0;
  jsdiffOwnFailures = 0;
  jsdiffOwnFailuresByDefect: Record<string, number> = {};
  foreignCompared = 0;
  foreignSkipped = 0;
  /** foreign applies on files mixing CRLF and LF where the results differ (COMPAT.md entry 19) */
  foreignMixedEndings = 0;
  foreignBothFailed = 0;
  /** jsdiff failed, native left already-applied hunks alone (COMPAT.md entry 14) */
  foreignAlreadyApplied = 0;
  nativeDifferences = 0;

  recordJsdiffOwnFailure(defects: JsdiffDefect[]): void {
    this.jsdiffOwnFailures++;
    const key = defects.length > 0 ? defects.join('+') : 'UNEXPLAINED';
    this.jsdiffOwnFailuresByDefect[key] = (this.jsdiffOwnFailuresByDefect[key] ?? 0) + 1;
  }

  merge(from: ParityStats): void {
    this.cases += from.cases;
    this.createDiffCompared += from.createDiffCompared;
    this.ownApplies += from.ownApplies;
    this.jsdiffOwnFailures += from.jsdiffOwnFailures;
    this.foreignCompared += from.foreignCompared;
    this.foreignSkipped += from.foreignSkipped;
    this.foreignMixedEndings += from.foreignMixedEndings;
    this.foreignBothFailed += from.foreignBothFailed;
    this.foreignAlreadyApplied += from.foreignAlreadyApplied;
    this.nativeDifferences += from.nativeDifferences;
    for (const [key, n] of Object.entries(from.jsdiffOwnFailuresByDefect)) {
      this.jsdiffOwnFailuresByDefect[key] = (this.jsdiffOwnFailuresByDefect[key] ?? 0) + n;
    }
  }

  report(label: string): string {
    return [
      `[parity] ${label}: ${this.cases} cases, ${this.createDiffCompared} createDiff comparisons, ` +
        `${this.ownApplies} own-diff applies, ${this.foreignCompared} foreign applies compared ` +
        `(${this.foreignBothFailed} failing on both sides, ${this.foreignAlreadyApplied} already applied natively; ` +
        `${this.foreignSkipped} skipped: known jsdiff defect or hang; ${this.foreignMixedEndings} mixed line endings), ` +
        `${this.nativeDifferences} native differences`,
      `[parity] ${label}: jsdiff failed its own diff ${this.jsdiffOwnFailures} times ` +
        JSON.stringify(this.jsdiffOwnFailuresByDefect),
    ].join('\n');
  }
}

// ---------------------------------------------------------------------------
// The checks
// ---------------------------------------------------------------------------

export interface DiffCase {
  path: string;
  baseline: string | null;
  proposed: string | null;
  /** Formatting options, plus native-only ones (the reference ignores them). */
  options?: NativeDiffOptions;
}

export interface DiffPair {
  reference: FilePatch;
  expected: FilePatch;
  actual: FilePatch;
}

function describeCase(c: DiffCase): string {
  return JSON.stringify({ path: c.path, baseline: c.baseline, proposed: c.proposed, options: c.options });
}

function countDifference<T>(stats: ParityStats | undefined, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (stats) stats.nativeDifferences++;
    throw error;
  }
}

/** createDiff parity: native vs nativeExpected(reference). */
export function checkCreateDiff(c: DiffCase, stats?: ParityStats): DiffPair {
  const reference = ref.createDiff(c.path, c.baseline, c.proposed, c.options);
  const expected = ref.nativeExpected(reference, { maxPreviewLength: c.options?.maxPreviewLength });
  return countDifference(stats, () => {
    const where = `createDiff ${describeCase(c)}`;
    const actual = native.createDiff(c.path, c.baseline, c.proposed, c.options);
    assertSame(JSON.stringify(actual), JSON.stringify(expected), `${where}: JSON text differs`);
    assertSame(plainCopy(actual), expected, `${where}: FilePatch differs`);
    assertSame(Object.keys(actual), FILE_PATCH_KEYS, `${where}: FilePatch keys`);
    const summaryKeys = expected.summary.preview === undefined ? SUMMARY_KEYS.slice(0, 4) : SUMMARY_KEYS;
    assertSame(Object.keys(actual.summary), summaryKeys, `${where}: summary keys`);
    for (const hunk of actual.hunks) assertSame(Object.keys(hunk), HUNK_KEYS, `${where}: hunk keys`);
    if (stats) stats.createDiffCompared++;
    return { reference, expected, actual };
  });
}

/**
 * Own-diff apply: native must return `proposed ?? ''` (from the FilePatch and
 * from its diff text) and report no conflict; jsdiff's result is compared and
 * every jsdiff failure must be a known defect. Returns the defects found when
 * jsdiff failed, `null` when it succeeded.
 */
export function checkOwnApply(c: DiffCase, pair: DiffPair, stats?: ParityStats): JsdiffDefect[] | null {
  const want = c.proposed ?? '';
  const where = `own apply ${describeCase(c)}`;
  countDifference(stats, () => {
    const fromPatch = attempt(() => native.applyPatch(c.baseline, pair.actual));
    assertSame(outcomeView(fromPatch), { ok: true, value: want }, `${where}: applyPatch(baseline, patch)`);
    const fromText = attempt(() => native.applyPatch(c.baseline, pair.actual.diff));
    assertSame(outcomeView(fromText), { ok: true, value: want }, `${where}: applyPatch(baseline, patch.diff)`);
    const fromReference = attempt(() => native.applyPatch(c.baseline, pair.reference));
    assertSame(outcomeView(fromReference), { ok: true, value: want }, `${where}: applyPatch(baseline, referencePatch)`);
    const conflicts = attempt(() => native.hasConflicts(c.baseline, pair.actual));
    assertSame(outcomeView(conflicts), { ok: true, value: false }, `${where}: hasConflicts`);
  });
  if (stats) stats.ownApplies++;

  const js = attempt(() => ref.applyPatch(c.baseline, pair.reference));
  if (js.ok && js.value === want) return null;
  const defects = knownJsdiffDefects(c.baseline, c.proposed, pair.reference);
  if (stats) stats.recordJsdiffOwnFailure(defects);
  assertThat(
    defects.length > 0,
    `jsdiff failed its own diff for an unexplained reason: ${where} ${JSON.stringify({
      diff: pair.reference.diff,
      jsdiff: outcomeView(js),
    })}`,
  );
  return defects;
}

/** An outcome as plain data, for messages and comparison. */
export function outcomeView(outcome: Outcome<unknown>): unknown {
  if (outcome.ok) return outcome;
  return { ok: false, code: errorCode(outcome.error), message: errorMessage(outcome.error) };
}

/** Whether a diff may be held to jsdiff's exact results on other baselines. */
export function isComparableWithJsdiff(c: DiffCase, pair: DiffPair): boolean {
  return knownJsdiffDefects(c.baseline, c.proposed, pair.reference).length === 0;
}

/**
 * Apply a FilePatch (or diff text) to some other baseline: native must match
 * jsdiff exactly, failures included. Returns false when there was nothing to
 * compare (jsdiff would hang).
 */
export function checkForeignApply(
  target: string | null,
  refPatch: FilePatch,
  nativePatch: FilePatch | string,
  stats?: ParityStats,
  label = '',
): boolean {
  const where = `foreign apply${label ? ` (${label})` : ''} ${JSON.stringify({ target, diff: refPatch.diff })}`;
  const js = attempt(() => ref.applyPatch(target, refPatch));
  if (!js.ok && js.error instanceof ref.JsdiffHangError) {
    // Nothing to match: the TypeScript package never returns here.
    if (stats) stats.foreignSkipped++;
    return false;
  }
  countDifference(stats, () => {
    const nat = attempt(() => native.applyPatch(target, nativePatch));
    const jsView = outcomeView(js);
    if (nat.ok && isAlreadyAppliedDeviation(target, nativePatch, js.ok ? null : js.error)) {
      // COMPAT.md entry 14: hunks whose new lines are already there (at their
      // stated place, or anywhere when the hunk fits nowhere else) are left
      // alone, where jsdiff fails or applies them a second time at an offset.
      const conflicts = attempt(() => native.hasConflicts(target, nativePatch));
      assertSame(outcomeView(conflicts), { ok: true, value: false }, `${where}: hasConflicts of an already-applied patch`);
      const statuses = (native.checkPatch(target, nativePatch) as Array<{ status: string }>).map((h) => h.status);
      if (statuses.every((s) => s === 'alreadyApplied')) {
        assertSame(nat.value, target ?? '', `${where}: a wholly applied patch leaves the text as it is`);
      }
      if (stats) stats.foreignAlreadyApplied++;
      return;
    }
    if (mixesLineEndings(target) && !isDeepStrictEqual(outcomeView(nat), jsView)) {
      // COMPAT.md entry 19: in a file that mixes CRLF and LF lines, native
      // first matches lines byte for byte (`a\r` is not `a`); jsdiff compares
      // them without their endings, so the two may place a hunk differently.
      if (nat.ok) {
        const checks = native.checkPatch(target, nativePatch) as Array<{ status: string }>;
        assertThat(checks.every((h) => h.status !== 'failed'), `${where}: native applied, so no hunk may fail`);
      }
      if (stats) stats.foreignMixedEndings++;
      return;
    }
    if (js.ok && !nat.ok && partlyApplied(target, nativePatch)) {
      // COMPAT.md entry 14: part of the patch is already there; jsdiff applies
      // the other hunks again at offsets, native refuses the mix.
      assertSame((outcomeView(nat) as { code?: unknown }).code, 'PATCH_CONFLICT', `${where}: partly applied patch`);
      if (stats) stats.foreignAlreadyApplied++;
      return;
    }
    if (js.ok && !nat.ok && jsdiffOverlapsHunks(target, refPatch.diff)) {
      // COMPAT.md entry 18: jsdiff fitted a hunk over an earlier one and
      // applied both; native refuses with PATCH_CONFLICT.
      const natView = outcomeView(nat) as { code?: unknown };
      assertSame(natView.code, 'PATCH_CONFLICT', `${where}: overlapping hunks`);
      if (stats) stats.foreignBothFailed++;
      return;
    }
    if (js.ok) {
      assertSame(outcomeView(nat), jsView, `${where}: result differs from jsdiff`);
    } else {
      const natView = outcomeView(nat) as { ok: boolean; code?: unknown; message?: string };
      assertThat(!natView.ok, `${where}: jsdiff failed (${show(jsView)}) so native must throw, got ${show(natView)}`);
      const jsMessage = errorMessage(js.error);
      if (jsMessage.startsWith('Failed to apply patch for ')) {
        assertSame(natView.code, 'PATCH_CONFLICT', `${where}: error code`);
        if (typeof nativePatch !== 'string') assertSame(natView.message, jsMessage, `${where}: error message`);
      } else {
        assertThat(
          natView.code === 'PATCH_CONFLICT' || natView.code === 'PATCH_PARSE',
          `${where}: jsdiff threw ${show(jsMessage)}; native must throw PATCH_CONFLICT or PATCH_PARSE, got ${show(natView)}`,
        );
      }
      if (stats) stats.foreignBothFailed++;
    }
    const conflicts = attempt(() => native.hasConflicts(target, nativePatch));
    assertSame(outcomeView(conflicts), { ok: true, value: !js.ok }, `${where}: hasConflicts (never throws in TS)`);
  });
  if (stats) stats.foreignCompared++;
  return true;
}

/** True when `text` has lines ending in `\r\n` and lines ending in a bare `\n`. */
function mixesLineEndings(text: string | null): boolean {
  const t = text ?? '';
  return /\r\n/.test(t) && /(^|[^\r])\n/.test(t);
}

/** True when native finds some hunk already applied and another one failing. */
function partlyApplied(target: string | null, patch: FilePatch | string): boolean {
  const checks = attempt(() => native.checkPatch(target, patch));
  if (!checks.ok) return false;
  const statuses = (checks.value as Array<{ status: string }>).map((h) => h.status);
  return statuses.includes('alreadyApplied') && statuses.includes('failed');
}

/**
 * True when jsdiff, applying `diffText` to `target`, placed a hunk so that it
 * starts inside the lines of the hunk before it (its first try at the stated
 * place ignores where the previous hunk ended).
 */
function jsdiffOverlapsHunks(target: string | null, diffText: string): boolean {
  const [index] = parsePatch(diffText) as Array<{ hunks: Array<{ oldStart: number; oldLines: number; offset?: number }> }>;
  if (!index || jsApplyParsed(target ?? '', index as never) === false) return false;
  let end = -Infinity;
  for (const h of index.hunks) {
    const start = h.oldStart - 1 + (h.offset ?? 0);
    if (start < end) return true;
    end = start + h.oldLines;
  }
  return false;
}

/**
 * The documented deviation of COMPAT.md entry 14: jsdiff reports a conflict
 * or applies a hunk again elsewhere, while native finds every hunk in place
 * or already applied (at least one), none fuzzed or failed.
 */
function isAlreadyAppliedDeviation(target: string | null, patch: FilePatch | string, jsError: unknown): boolean {
  // jsdiff either reported a conflict or (jsError null) applied the hunks again.
  if (jsError !== null && !errorMessage(jsError).startsWith('Failed to apply patch for ')) return false;
  const checks = attempt(() => native.checkPatch(target, patch));
  if (!checks.ok) return false;
  const statuses = checks.value.map((h) => h.status);
  return statuses.includes('alreadyApplied') && statuses.every((s) => s === 'exact' || s === 'offset' || s === 'alreadyApplied');
}

/** createDiff parity and own-diff apply for one case. */
export function checkCase(c: DiffCase, stats: ParityStats): DiffPair {
  stats.cases++;
  const pair = checkCreateDiff(c, stats);
  checkOwnApply(c, pair, stats);
  return pair;
}

/**
 * The diff of a case applied to other baselines. Diffs with a known jsdiff
 * defect and targets with jsdiff-only line breaks are skipped (counted).
 */
export function checkForeignTargets(c: DiffCase, pair: DiffPair, targets: Array<string | null>, stats: ParityStats): void {
  const comparable = isComparableWithJsdiff(c, pair);
  for (const target of targets) {
    if ((target ?? '') === (c.baseline ?? '')) continue; // that is the own-diff case
    if (!comparable || hasJsdiffOnlyBreaks(target)) {
      stats.foreignSkipped++;
      continue;
    }
    checkForeignApply(target, pair.reference, pair.actual, stats);
  }
}
