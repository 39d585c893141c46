/**
 * The oracle: a faithful rebuild of the TypeScript `@cortex-os/patchkit`
 * behaviour on `diff@5.2.0` (jsdiff), defects included, plus
 * `nativeExpected`, which applies the addon's documented, intentional fixes
 * to a reference result.
 *
 * Nothing here may be "improved": every quirk below is part of the contract
 * the native addon is measured against.
 */
import { createHash } from 'node:crypto';
import { applyPatch as jsApply, createTwoFilesPatch, structuredPatch } from 'diff';

export type ChangeType = 'created' | 'modified' | 'deleted';

export interface StreamPatchSummary {
  path: string;
  changeType: ChangeType;
  additions: number;
  deletions: number;
  preview?: string;
}

export interface DiffHunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  lines: string[];
}

export interface FilePatch {
  path: string;
  changeType: ChangeType;
  hunks: DiffHunk[];
  diff: string;
  summary: StreamPatchSummary;
  shaBefore?: string | null;
  shaAfter?: string | null;
}

export interface PatchFormattingOptions {
  contextLines?: number;
  maxPreviewLength?: number;
}

const DEFAULT_FORMATTING = { contextLines: 3, maxPreviewLength: 180 };
export const ELLIPSIS = '…';

// ---------------------------------------------------------------------------
// The TypeScript patchkit, as it behaves (defects included)
// ---------------------------------------------------------------------------

function sha256(value: string | null): string | null {
  if (value === null) return null;
  return createHash('sha256').update(value).digest('hex');
}

function changeTypeOf(baseline: string | null, proposed: string | null): ChangeType {
  const before = (baseline ?? '').length;
  const after = (proposed ?? '').length;
  if (before === 0 && after > 0) return 'created';
  if (before > 0 && after === 0) return 'deleted';
  return 'modified';
}

function copyHunk(hunk: DiffHunk): DiffHunk {
  return {
    oldStart: hunk.oldStart,
    oldLines: hunk.oldLines,
    newStart: hunk.newStart,
    newLines: hunk.newLines,
    lines: [...hunk.lines],
  };
}

/** The `+`/`-` lines of all hunks (this filter keeps `+++`/`---` lines). */
export function previewLinesOf(hunks: DiffHunk[]): string[] {
  return hunks.flatMap((h) => h.lines).filter((l) => l.startsWith('+') || l.startsWith('-'));
}

function summarize(
  path: string,
  changeType: ChangeType,
  hunks: DiffHunk[],
  maxPreviewLength: number,
): StreamPatchSummary {
  const lines = hunks.flatMap((h) => h.lines);
  // Defect kept on purpose: content lines starting `++` / `--` are skipped.
  const additions = lines.filter((l) => l.startsWith('+') && !l.startsWith('+++')).length;
  const deletions = lines.filter((l) => l.startsWith('-') && !l.startsWith('---')).length;
  const previewLines = previewLinesOf(hunks);
  const preview = previewLines.length > 0 ? previewLines.join('\n') : undefined;
  let cut: string | undefined;
  if (preview !== undefined) {
    // Defect kept on purpose: may split a surrogate pair; a non-number limit
    // (explicit `undefined`) fails the comparison and appends the ellipsis.
    cut = preview.length <= maxPreviewLength ? preview : preview.slice(0, maxPreviewLength) + ELLIPSIS;
  }
  return { path, changeType, additions, deletions, preview: cut };
}

export function createDiff(
  path: string,
  baseline: string | null,
  proposed: string | null,
  options?: PatchFormattingOptions,
): FilePatch {
  // Object spread: an explicit `undefined` overrides the default (kept quirk).
  const formatting = { ...DEFAULT_FORMATTING, ...options } as Required<PatchFormattingOptions>;
  const before = baseline ?? '';
  const after = proposed ?? '';
  const structured = structuredPatch(path, path, before, after, '', '', {
    context: formatting.contextLines,
  });
  const diff = createTwoFilesPatch(path, path, before, after, '', '', {
    context: formatting.contextLines,
  });
  const changeType = changeTypeOf(baseline, proposed);
  const hunks = structured.hunks.map(copyHunk);
  return {
    path,
    changeType,
    hunks,
    diff,
    summary: summarize(path, changeType, hunks, formatting.maxPreviewLength),
    shaBefore: sha256(baseline),
    shaAfter: sha256(proposed),
  };
}

/**
 * Thrown instead of hanging: jsdiff 5.2's applyPatch loops forever
 * (`while (!lines[lines.length - 1]) lines.pop()`) when a "remove the final
 * newline" marker meets a result made only of empty lines (reachable with
 * lone `\r` line ends). The TypeScript package would hang there.
 */
export class JsdiffHangError extends Error {
  constructor() {
    super('jsdiff applyPatch would loop forever on this input');
    this.name = 'JsdiffHangError';
  }
}

const ENDLESS_POP_THRESHOLD = 1_000_000;

/** Runs `fn` with `Array.prototype.pop` counting pops of empty arrays. */
function guardAgainstEndlessPop<T>(fn: () => T): T {
  const originalPop = Array.prototype.pop;
  let emptyPops = 0;
  Array.prototype.pop = function guardedPop(this: unknown[]) {
    if (this.length === 0 && ++emptyPops > ENDLESS_POP_THRESHOLD) throw new JsdiffHangError();
    return originalPop.call(this);
  };
  try {
    return fn();
  } finally {
    Array.prototype.pop = originalPop;
  }
}

export function applyPatch(baseline: string | null, patch: FilePatch): string {
  const result = guardAgainstEndlessPop(() => jsApply(baseline ?? '', patch.diff));
  if (result === false) {
    throw new Error(`Failed to apply patch for ${patch.path}`);
  }
  return result;
}

export function hasConflicts(baseline: string | null, patch: FilePatch): boolean {
  try {
    applyPatch(baseline, patch);
    return false;
  } catch {
    return true;
  }
}

export function formatUnifiedDiff(patch: FilePatch): string {
  return patch.diff;
}

function stringifyForSideBySide(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return value;
  return JSON.stringify(value, null, 2) ?? 'null';
}

export function formatJsonSideBySide(baseline: unknown, proposed: unknown): { left: string; right: string } {
  return { left: stringifyForSideBySide(baseline), right: stringifyForSideBySide(proposed) };
}

// ---------------------------------------------------------------------------
// What the native addon returns: the reference with the intentional fixes
// ---------------------------------------------------------------------------

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

/** Fix (a): count every `+` line as an addition and every `-` line as a deletion. */
export function countByKind(hunks: DiffHunk[]): { additions: number; deletions: number } {
  const lines = hunks.flatMap((h) => h.lines);
  return {
    additions: lines.filter((l) => l.startsWith('+')).length,
    deletions: lines.filter((l) => l.startsWith('-')).length,
  };
}

/** Fix (b): where the cut would split a surrogate pair, cut one unit earlier. */
export function cutPreview(preview: string, maxPreviewLength: number): string {
  if (preview.length <= maxPreviewLength) return preview;
  let end = maxPreviewLength;
  if (end > 0 && isHighSurrogate(preview.charCodeAt(end - 1)) && isLowSurrogate(preview.charCodeAt(end))) {
    end -= 1;
  }
  return preview.slice(0, end) + ELLIPSIS;
}

export interface NativeExpectationOptions {
  /** The `maxPreviewLength` the diff was made with; absent/undefined = 180. */
  maxPreviewLength?: number;
}

/**
 * The native result expected for a reference FilePatch made with the same
 * inputs: byte-identical except for fixes (a) counts by line kind, (b) no
 * split surrogate pair in the preview and (c) no `preview` key when there is
 * nothing to preview.
 */
export function nativeExpected(refPatch: FilePatch, options: NativeExpectationOptions = {}): FilePatch {
  const maxPreviewLength = options.maxPreviewLength ?? DEFAULT_FORMATTING.maxPreviewLength;
  const { additions, deletions } = countByKind(refPatch.hunks);
  const previewLines = previewLinesOf(refPatch.hunks);
  const summary: StreamPatchSummary = {
    path: refPatch.summary.path,
    changeType: refPatch.summary.changeType,
    additions,
    deletions,
  };
  if (previewLines.length > 0) {
    summary.preview = cutPreview(previewLines.join('\n'), maxPreviewLength);
  }
  return {
    path: refPatch.path,
    changeType: refPatch.changeType,
    hunks: refPatch.hunks.map(copyHunk),
    diff: refPatch.diff,
    summary,
    shaBefore: refPatch.shaBefore,
    shaAfter: refPatch.shaAfter,
  };
}
