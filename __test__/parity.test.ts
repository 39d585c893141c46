/**
 * Hand-written parity cases: the native addon against the oracle
 * (`reference.ts`, the TypeScript patchkit on jsdiff 5.2), plus one pinned
 * test per documented, intentional deviation.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createTwoFilesPatch, applyPatch as jsApply } from 'diff';
import * as ref from './reference.js';
import type { FilePatch } from './reference.js';
import { native } from './helpers/native.js';
import {
  attempt,
  checkCreateDiff,
  checkForeignApply,
  checkOwnApply,
  errorCode,
  knownJsdiffDefects,
  outcomeView,
  ParityStats,
  plainCopy,
  type DiffCase,
} from './helpers/parity.js';

// ---------------------------------------------------------------------------
// Text builders
// ---------------------------------------------------------------------------

/** `l1\nl2\n…ln\n` */
function numbered(n: number, prefix = 'l'): string {
  return Array.from({ length: n }, (_, i) => `${prefix}${i + 1}\n`).join('');
}

/** Replaces the given 1-based lines of a newline-terminated text. */
function changeLines(text: string, lineNumbers: number[]): string {
  const lines = text.split('\n');
  for (const n of lineNumbers) lines[n - 1] = `CHANGED ${n}`;
  return lines.join('\n');
}

const LONG_A = 'a'.repeat(100_000);
const LONG_B = 'b'.repeat(100_000);
const EMOJI_RUN = '😀'.repeat(200);

type NamedCase = DiffCase & { name: string };

function c(name: string, baseline: string | null, proposed: string | null, options?: DiffCase['options']): NamedCase {
  return { name, path: 'src/file.txt', baseline, proposed, options };
}

const EDGE_CASES: NamedCase[] = [
  // null / empty
  c('both null', null, null),
  c('both empty', '', ''),
  c('null to empty', null, ''),
  c('empty to null', '', null),
  c('null to text', null, 'a\nb\n'),
  c('text to null', 'a\nb\n', null),
  c('empty to text', '', 'a\nb\n'),
  c('text to empty', 'a\nb\n', ''),
  c('empty to text without newline', '', 'a'),
  c('text without newline to empty', 'a', ''),
  c('null to a single newline', null, '\n'),
  // identical
  c('identical', 'a\nb\nc\n', 'a\nb\nc\n'),
  c('identical without final newline', 'a\nb', 'a\nb'),
  c('identical CRLF', 'a\r\nb\r\n', 'a\r\nb\r\n'),
  // final newline
  c('old lacks final newline', 'a\nb', 'a\nc\n'),
  c('new lacks final newline', 'a\nb\n', 'a\nc'),
  c('both lack final newline', 'a\nb', 'a\nc'),
  c('only the final newline added', 'x', 'x\n'),
  c('only the final newline removed', 'x\n', 'x'),
  c('final newline added after context', 'a\nb\nc\nd\ne', 'a\nb\nc\nd\ne\n'),
  c('misplaced no-newline marker (jsdiff defect)', 'a\na', 'b\na\n'),
  c('unchanged last line without newline, change far above', `x\n${numbered(10)}end`, `y\n${numbered(10)}end`),
  // line endings
  c('CRLF', 'a\r\nb\r\nc\r\n', 'a\r\nB\r\nc\r\n'),
  c('mixed endings', 'a\r\nb\nc\r\n', 'a\nb\r\nc\r\n'),
  c('CRLF without final newline', 'a\r\nb', 'a\r\nc'),
  c('CRLF to LF', 'a\r\nb\r\n', 'a\nb\n'),
  c('lone CR inside lines', 'a\rb\nc\n', 'a\rb\nd\n'),
  c('lone CR added', 'x\n', 'x\ry\n'),
  c('text ending in lone CR', 'a\n', 'a\r'),
  c('vertical tab, form feed, NEL', 'a\vb\nc\fd\ne\x85f\n', 'a\vb\nC\fd\ne\x85f\n'),
  // whitespace and diff syntax in content
  c('whitespace-only lines', '  \n\t\n \n', ' \n\t\t\n  \n'),
  c('blank lines', '\n\na\n\n', '\na\n\n\n'),
  c('lines that look like diff syntax', 'x\n', '+++ b\n--- a\n\\ No newline at end of file\n@@ -1 +1 @@\nIndex: f\n'),
  c('removed lines that look like diff syntax', '+++ b\n--- a\n\\ x\n@@ -1 +1 @@\n', 'y\n'),
  c('added ++ and removed -- lines', '--y\n', '++x\n'),
  c('file-header lookalike between hunks (jsdiff defect)', '-- a\nk\nm\n', '++ b\nk\nn\n', { contextLines: 0 }),
  c('file-header lookalike in last hunk', '-- a\n', '++ b\n', { contextLines: 0 }),
  // unicode
  c('astral characters', '😀\na😀b\n', '😀😀\na😀b\n𝒳\n'),
  c('combining marks and BOM', '\uFEFFe\u0301\n', '\uFEFFé\n'),
  c('zero-width and RTL', 'a\u200bb\n', '\u202ea\u200bb\n'),
  // long lines and previews
  c('100k-character lines', `${LONG_A}\n`, `${LONG_B}\n`),
  c('100k-character line added without newline', 'x\n', `x\n${LONG_A}`),
  c('preview cut inside a surrogate pair', '', `${EMOJI_RUN}\n`),
  c('preview cut inside a surrogate pair, custom limit', 'a\n', `a\n${EMOJI_RUN}\n`, { maxPreviewLength: 2 }),
  c('preview cut right after a pair', '', `${EMOJI_RUN}\n`, { maxPreviewLength: 3 }),
  c('preview exactly at the limit', '', `${'x'.repeat(179)}\n`),
  c('preview one over the limit', '', `${'x'.repeat(180)}\n`),
  c('maxPreviewLength 0', 'a\n', 'b\n', { maxPreviewLength: 0 }),
  c('maxPreviewLength 1', 'a\n', 'b\n', { maxPreviewLength: 1 }),
  c('maxPreviewLength 1 on an astral character', '', '😀\n', { maxPreviewLength: 1 }),
  c('maxPreviewLength large', numbered(50), changeLines(numbered(50), [3, 20, 40]), { maxPreviewLength: 100_000 }),
  // context sizes
  c('contextLines 0', numbered(20), changeLines(numbered(20), [5, 6, 15])),
  c('contextLines 0 explicit', numbered(20), changeLines(numbered(20), [5, 6, 15]), { contextLines: 0 }),
  c('contextLines 1', numbered(20), changeLines(numbered(20), [5, 8, 15]), { contextLines: 1 }),
  c('contextLines 10', numbered(40), changeLines(numbered(40), [5, 25, 39]), { contextLines: 10 }),
  c('contextLines larger than the file', 'a\nb\nc\n', 'a\nB\nc\n', { contextLines: 50 }),
  c('contextLines 0, pure insertion', 'a\nb\n', 'a\nx\nb\n', { contextLines: 0 }),
  c('contextLines 0, pure deletion', 'a\nx\nb\n', 'a\nb\n', { contextLines: 0 }),
  c('contextLines 0, insertion at the end', 'a\n', 'a\na\n', { contextLines: 0 }),
  // single lines, only newlines
  c('single line changed', 'a', 'b'),
  c('single line with newline changed', 'a\n', 'b\n'),
  c('only newlines, fewer', '\n\n\n', '\n\n'),
  c('only newlines, more', '\n', '\n\n\n\n'),
  c('only newlines to text', '\n\n', 'a\n'),
  // positions
  c('insert at start', numbered(8), `new\n${numbered(8)}`),
  c('insert at end', numbered(8), `${numbered(8)}new\n`),
  c('delete first line', numbered(8), numbered(8).slice(3)),
  c('delete last line', numbered(8), numbered(7)),
  c('delete everything', numbered(8), ''),
  c('delete everything to null', numbered(8), null),
  c('replace everything', numbered(8), numbered(8, 'm')),
  c('move a block', 'a\nb\nc\nd\ne\nf\n', 'd\ne\na\nb\nc\nf\n'),
  c('duplicate lines, ambiguous alignment', 'a\na\nb\na\na\n', 'a\nb\na\nb\na\n'),
  // hunk merging (2 * contextLines)
  c('changes 6 apart merge (context 3)', numbered(30), changeLines(numbered(30), [5, 12])),
  c('changes 7 apart split (context 3)', numbered(30), changeLines(numbered(30), [5, 13])),
  c('many small hunks that merge', numbered(60), changeLines(numbered(60), [3, 7, 11, 15, 19, 23, 27])),
  c('many small hunks that do not merge', numbered(60), changeLines(numbered(60), [3, 11, 19, 27, 35, 43, 51, 59])),
  c('changes 2 apart merge (context 1)', numbered(20), changeLines(numbered(20), [5, 8]), { contextLines: 1 }),
  c('changes 3 apart split (context 1)', numbered(20), changeLines(numbered(20), [5, 9]), { contextLines: 1 }),
  c('change inside the last context lines', numbered(10), changeLines(numbered(10), [9])),
  c('change at the last line without newline', 'a\nb\nc\nd', 'a\nb\nc\nD'),
  // bigger
  c('2000 lines, scattered changes', numbered(2000), changeLines(numbered(2000), [1, 500, 501, 1200, 1999, 2000])),
];

const PATH_CASES: NamedCase[] = [
  { name: 'path with spaces and unicode', path: 'dir with space/ünï😀.txt', baseline: 'a\n', proposed: 'b\n' },
  { name: 'empty path', path: '', baseline: 'a\n', proposed: 'b\n' },
  { name: 'windows path', path: 'C:\\src\\file.ts', baseline: 'a\n', proposed: 'b\n' },
];

const stats = new ParityStats();

afterAll(() => {
  console.log(stats.report('hand-written cases'));
});

describe('createDiff and own-diff apply parity (hand-written edge cases)', () => {
  it.each([...EDGE_CASES, ...PATH_CASES])('$name', (testCase) => {
    stats.cases++;
    const pair = checkCreateDiff(testCase, stats);
    checkOwnApply(testCase, pair, stats);
    expect(native.formatUnifiedDiff(pair.actual)).toBe(ref.formatUnifiedDiff(pair.reference));
    expect(native.formatUnifiedDiff(pair.actual)).toBe(pair.reference.diff);
  });

  it('the same pair diffed repeatedly gives the same result', () => {
    const baseline = numbered(100);
    const proposed = changeLines(numbered(100), [10, 50, 90]);
    const first = JSON.stringify(native.createDiff('f', baseline, proposed));
    for (let i = 0; i < 20; i++) expect(JSON.stringify(native.createDiff('f', baseline, proposed))).toBe(first);
  });

  it('the oracle reproduces jsdiff createTwoFilesPatch and structuredPatch hunks', () => {
    for (const t of EDGE_CASES) {
      const context = t.options?.contextLines ?? 3;
      const patch = ref.createDiff(t.path, t.baseline, t.proposed, t.options);
      expect(patch.diff).toBe(createTwoFilesPatch(t.path, t.path, t.baseline ?? '', t.proposed ?? '', '', '', { context }));
    }
  });
});

/** What Node does to a string on its way to UTF-8: lone surrogates become U+FFFD. */
function wellFormed(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}

describe('strings with lone surrogates (COMPAT.md entry 12)', () => {
  it.each([
    c('lone high surrogate added', 'a\n', '\uD800\n'),
    c('lone low surrogate changed', '\uDC00x\n', '\uDC00y\n'),
    c('lone surrogate cut by the preview', '', `${'x'.repeat(178)}\uD83D\n`),
  ])('$name: the reference result on the UTF-8-converted text, same digests', (t) => {
    const reference = ref.createDiff(t.path, t.baseline, t.proposed);
    const converted = ref.createDiff(t.path, wellFormed(t.baseline!), wellFormed(t.proposed!));
    expect(reference.diff).not.toBe(converted.diff); // the TS package keeps the lone surrogates
    expect([converted.shaBefore, converted.shaAfter]).toEqual([reference.shaBefore, reference.shaAfter]);
    const actual = native.createDiff(t.path, t.baseline, t.proposed);
    expect(JSON.stringify(actual)).toBe(JSON.stringify(ref.nativeExpected(converted)));
    expect(native.applyPatch(t.baseline, actual)).toBe(wellFormed(t.proposed!));
  });
});

// ---------------------------------------------------------------------------
// Documented, intentional deviations: the reference's value and the native one
// ---------------------------------------------------------------------------

describe('pinned deviations', () => {
  it('counts lines by kind: content starting ++ / -- (COMPAT.md entry 1)', () => {
    const reference = ref.createDiff('f', '--y\n', '++x\n');
    expect(reference.hunks[0].lines).toEqual(['---y', '+++x']);
    expect([reference.summary.additions, reference.summary.deletions]).toEqual([0, 0]);
    const actual = native.createDiff('f', '--y\n', '++x\n');
    expect([actual.summary.additions, actual.summary.deletions]).toEqual([1, 1]);
    expect(actual.summary.preview).toBe('---y\n+++x');
  });

  it('never splits a surrogate pair in the preview (COMPAT.md entry 2)', () => {
    const reference = ref.createDiff('f', '', `${EMOJI_RUN}\n`);
    // '+' then pairs: unit 179 is a high surrogate, unit 180 its low half.
    expect(reference.summary.preview).toBe(`+${'😀'.repeat(89)}\uD83D…`);
    const actual = native.createDiff('f', '', `${EMOJI_RUN}\n`);
    expect(actual.summary.preview).toBe(`+${'😀'.repeat(89)}…`);
    expect(actual.summary.preview!.length).toBe(180);
  });

  it('preview key omitted when there is nothing to preview (COMPAT.md entry 3)', () => {
    const reference = ref.createDiff('f', 'same\n', 'same\n');
    expect('preview' in reference.summary).toBe(true);
    expect(reference.summary.preview).toBeUndefined();
    const actual = native.createDiff('f', 'same\n', 'same\n');
    expect('preview' in actual.summary).toBe(false);
    expect(Object.keys(actual.summary)).toEqual(['path', 'changeType', 'additions', 'deletions']);
    expect(actual.hunks).toEqual([]);
  });

  it('explicit undefined options: contextLines means 3 natively, the TS spread gave jsdiff\'s 4 (COMPAT.md entry 4)', () => {
    const baseline = numbered(20);
    const proposed = changeLines(numbered(20), [10]);
    const reference = ref.createDiff('f', baseline, proposed, { contextLines: undefined });
    expect(reference.diff).toBe(createTwoFilesPatch('f', 'f', baseline, proposed, '', '', { context: 4 }));
    expect(reference.hunks[0].oldLines).toBe(9);
    const actual = native.createDiff('f', baseline, proposed, { contextLines: undefined });
    expect(actual.hunks[0].oldLines).toBe(7);
    expect(plainCopy(actual)).toStrictEqual(ref.nativeExpected(ref.createDiff('f', baseline, proposed)));
  });

  it('explicit undefined options: maxPreviewLength means 180 natively, the TS code appended … (COMPAT.md entry 4)', () => {
    const reference = ref.createDiff('f', 'a\n', 'b\n', { maxPreviewLength: undefined });
    expect(reference.summary.preview).toBe('-a\n+b…');
    const actual = native.createDiff('f', 'a\n', 'b\n', { maxPreviewLength: undefined });
    expect(actual.summary.preview).toBe('-a\n+b');
  });

  it('lone carriage return: jsdiff splits lines at it and misapplies; native applies its own diff (COMPAT.md entry 6)', () => {
    const baseline = 'x\n';
    const proposed = 'x\ry\n';
    const reference = ref.createDiff('f', baseline, proposed);
    expect(ref.applyPatch(baseline, reference)).toBe('x\r');
    expect(knownJsdiffDefects(baseline, proposed, reference)).toContain('jsdiff-only-line-break');
    expect(native.applyPatch(baseline, native.createDiff('f', baseline, proposed))).toBe(proposed);
  });

  it('lone carriage return: jsdiff drops a change after a CR-split context line (COMPAT.md entry 6)', () => {
    const baseline = 'a\rb\nc\n';
    const proposed = 'a\rb\nd\n';
    expect(ref.applyPatch(baseline, ref.createDiff('f', baseline, proposed))).toBe(baseline);
    expect(native.applyPatch(baseline, native.createDiff('f', baseline, proposed))).toBe(proposed);
  });

  it('lone carriage return: jsdiff loops forever (the oracle throws JsdiffHangError) (COMPAT.md entry 6)', () => {
    const baseline = '\n';
    const proposed = '\n\r\n\r\n\r';
    const reference = ref.createDiff('f', baseline, proposed);
    expect(() => ref.applyPatch(baseline, reference)).toThrow(ref.JsdiffHangError);
    expect(native.applyPatch(baseline, native.createDiff('f', baseline, proposed))).toBe(proposed);
  });

  it('emptied file: jsdiff leaves "\\n", native gives "" (COMPAT.md entry 7)', () => {
    const reference = ref.createDiff('f', 'a\n', '');
    expect(ref.applyPatch('a\n', reference)).toBe('\n');
    expect(knownJsdiffDefects('a\n', '', reference)).toContain('delete-all-newline-terminated');
    expect(native.applyPatch('a\n', native.createDiff('f', 'a\n', ''))).toBe('');
    expect(native.applyPatch('a\n', native.createDiff('f', 'a\n', null))).toBe('');
  });

  it('misplaced newline marker: jsdiff drops the final newline, native applies its own diff (COMPAT.md entry 8)', () => {
    const reference = ref.createDiff('f', 'a\na', 'b\na\n');
    expect(reference.hunks[0].lines).toEqual(['+b', ' a', '\\ No newline at end of file', '-a']);
    expect(ref.applyPatch('a\na', reference)).toBe('b\na');
    expect(knownJsdiffDefects('a\na', 'b\na\n', reference)).toContain('misplaced-no-newline-marker');
    const actual = native.createDiff('f', 'a\na', 'b\na\n');
    expect(actual.hunks[0].lines).toEqual(reference.hunks[0].lines);
    expect(native.applyPatch('a\na', actual)).toBe('b\na\n');
  });

  it('header-like lines: --- / +++ ending a hunk read by jsdiff as a file header (COMPAT.md entry 10)', () => {
    const baseline = '-- a\nk\nm\n';
    const proposed = '++ b\nk\nn\n';
    const reference = ref.createDiff('f', baseline, proposed, { contextLines: 0 });
    expect(() => ref.applyPatch(baseline, reference)).toThrow('applyPatch only works with a single input.');
    expect(knownJsdiffDefects(baseline, proposed, reference)).toContain('file-header-lookalike');
    expect(native.applyPatch(baseline, native.createDiff('f', baseline, proposed, { contextLines: 0 }))).toBe(proposed);
  });

  it('text that is not a diff: jsdiff returns the baseline, native throws PATCH_PARSE (COMPAT.md entry 9)', () => {
    expect(jsApply('abc\n', 'this is not a diff')).toBe('abc\n');
    const result = attempt(() => native.applyPatch('abc\n', 'this is not a diff'));
    expect(outcomeView(result)).toMatchObject({ ok: false, code: 'PATCH_PARSE' });
  });
});

// ---------------------------------------------------------------------------
// Options validation
// ---------------------------------------------------------------------------

describe('options', () => {
  it.each([
    ['contextLines', -1],
    ['contextLines', 1.5],
    ['contextLines', Number.NaN],
    ['contextLines', Number.POSITIVE_INFINITY],
    ['contextLines', '3'],
    ['contextLines', null],
    ['maxPreviewLength', -1],
    ['maxPreviewLength', 0.5],
    ['maxPreviewLength', Number.NaN],
    ['maxPreviewLength', '180'],
    ['maxPreviewLength', null],
  ])('%s = %s is rejected with INVALID_ARGUMENT', (key, value) => {
    const result = attempt(() => native.createDiff('f', 'a\n', 'b\n', { [key]: value } as never));
    expect(result.ok).toBe(false);
    expect(errorCode((result as { error: unknown }).error)).toBe('INVALID_ARGUMENT');
  });

  it('absent and undefined options mean the defaults (3, 180)', () => {
    const baseline = numbered(20);
    const proposed = changeLines(numbered(20), [10]);
    const expected = JSON.stringify(ref.nativeExpected(ref.createDiff('f', baseline, proposed, { contextLines: 3, maxPreviewLength: 180 })));
    expect(JSON.stringify(native.createDiff('f', baseline, proposed))).toBe(expected);
    expect(JSON.stringify(native.createDiff('f', baseline, proposed, {}))).toBe(expected);
    expect(JSON.stringify(native.createDiff('f', baseline, proposed, undefined))).toBe(expected);
    expect(
      JSON.stringify(native.createDiff('f', baseline, proposed, { contextLines: undefined, maxPreviewLength: undefined })),
    ).toBe(expected);
  });
});

// ---------------------------------------------------------------------------
// applyPatch on other baselines and on diffs written elsewhere: == jsdiff
// ---------------------------------------------------------------------------

function textPatch(diff: string, path = 'f'): FilePatch {
  return {
    path,
    changeType: 'modified',
    hunks: [],
    diff,
    summary: { path, changeType: 'modified', additions: 0, deletions: 0 },
  };
}

const BASE = 'one\ntwo\nthree\nfour\nfive\n';

const FOREIGN_DIFFS: Array<{ name: string; baseline: string | null; diff: string }> = [
  {
    name: 'diff -u with timestamps',
    baseline: BASE,
    diff: '--- a.txt\t2024-01-01 10:00:00.000000000 +0000\n+++ b.txt\t2024-01-02 10:00:00.000000000 +0000\n@@ -1,3 +1,3 @@\n one\n-two\n+TWO\n three\n',
  },
  {
    name: 'git diff',
    baseline: BASE,
    diff: 'diff --git a/f.txt b/f.txt\nindex 1111111..2222222 100644\n--- a/f.txt\n+++ b/f.txt\n@@ -2,3 +2,3 @@ one\n two\n-three\n+THREE\n four\n',
  },
  { name: 'hunk only, no headers', baseline: BASE, diff: '@@ -4,2 +4,2 @@\n four\n-five\n+FIVE\n' },
  { name: 'hunk header without counts', baseline: BASE, diff: '@@ -2 +2 @@\n-two\n+TWO\n' },
  { name: 'hunk at an offset', baseline: `zero\n${BASE}`, diff: '@@ -1,3 +1,3 @@\n one\n-two\n+TWO\n three\n' },
  { name: 'hunk far from its stated position', baseline: `${numbered(30)}${BASE}`, diff: '@@ -1,3 +1,3 @@\n one\n-two\n+TWO\n three\n' },
  { name: 'context mismatch (conflict)', baseline: BASE, diff: '@@ -1,3 +1,3 @@\n one\n-deux\n+TWO\n three\n' },
  { name: 'blank context line without its space', baseline: 'a\n\nb\n', diff: '@@ -1,3 +1,3 @@\n a\n\n-b\n+B\n' },
  { name: 'CRLF diff text', baseline: 'a\r\nb\r\n', diff: '--- f\r\n+++ f\r\n@@ -1,2 +1,2 @@\r\n a\r\n-b\r\n+B\r\n' },
  { name: 'no newline at end of file markers', baseline: 'a\nb', diff: '@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n' },
  { name: 'adds a final newline', baseline: 'a\nb', diff: '@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n' },
  { name: 'two hunks', baseline: numbered(20), diff: '@@ -2,1 +2,1 @@\n-l2\n+L2\n@@ -15,1 +15,1 @@\n-l15\n+L15\n' },
  { name: 'create from empty', baseline: '', diff: '--- /dev/null\n+++ b/new.txt\n@@ -0,0 +1,2 @@\n+a\n+b\n' },
  { name: 'create from null', baseline: null, diff: '@@ -0,0 +1,1 @@\n+a\n' },
  { name: 'create over existing text', baseline: 'x\n', diff: '@@ -0,0 +1,1 @@\n+a\n' },
  { name: 'delete all', baseline: 'a\nb\n', diff: '--- a/f\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-a\n-b\n' },
  { name: 'two files in one diff', baseline: BASE, diff: '--- a\n+++ a\n@@ -1 +1 @@\n-one\n+ONE\n--- b\n+++ b\n@@ -1 +1 @@\n-x\n+y\n' },
  { name: 'headers only, no hunks', baseline: BASE, diff: '--- a\n+++ b\n' },
  { name: 'trailing garbage after the hunk', baseline: BASE, diff: '@@ -1 +1 @@\n-one\n+ONE\nsome trailing words\n' },
];

describe('applyPatch of diffs written elsewhere equals jsdiff', () => {
  it.each(FOREIGN_DIFFS)('$name', ({ baseline, diff }) => {
    const fromText = checkForeignApply(baseline, textPatch(diff), diff, stats, 'text');
    const fromObject = checkForeignApply(baseline, textPatch(diff), textPatch(diff), stats, 'FilePatch');
    expect(fromText && fromObject).toBe(true);
  });
});

describe('documented apply deviations on diffs written elsewhere', () => {
  it('hunk body disagreeing with its @@ counts: jsdiff applies what it read, native throws PATCH_PARSE (COMPAT.md entry 10)', () => {
    const diff = '@@ -1,10 +1,10 @@\n one\n-two\n+TWO\n three\n';
    expect(ref.applyPatch(BASE, textPatch(diff))).toBe('one\nTWO\nthree\nfour\nfive\n');
    expect(outcomeView(attempt(() => native.applyPatch(BASE, diff)))).toMatchObject({ ok: false, code: 'PATCH_PARSE' });
  });

  it('hunks out of order: jsdiff applies them, native throws PATCH_PARSE (COMPAT.md entry 10)', () => {
    const diff = '@@ -15,1 +15,1 @@\n-l15\n+L15\n@@ -2,1 +2,1 @@\n-l2\n+L2\n';
    expect(ref.applyPatch(numbered(20), textPatch(diff))).toBe(changeLines(numbered(20), []).replace('l2\n', 'L2\n').replace('l15\n', 'L15\n'));
    expect(outcomeView(attempt(() => native.applyPatch(numbered(20), diff)))).toMatchObject({ ok: false, code: 'PATCH_PARSE' });
  });

  it('a patch applied twice: jsdiff fails, native leaves the already-applied hunk alone (COMPAT.md entry 14)', () => {
    const patched = 'one\nTWO\nthree\n';
    const diff = '@@ -1,3 +1,3 @@\n one\n-two\n+TWO\n three\n';
    expect(() => ref.applyPatch(patched, textPatch(diff))).toThrow('Failed to apply patch for f');
    expect(native.applyPatch(patched, diff)).toBe(patched);
    expect(native.hasConflicts(patched, diff)).toBe(false);
    expect(native.checkPatch(patched, diff).map((h) => h.status)).toEqual(['alreadyApplied']);
  });
});

// ---------------------------------------------------------------------------
// Engine budget (COMPAT.md entry 13)
// ---------------------------------------------------------------------------

const AMPLE_BUDGET = { engineBudget: { maxWork: 1e12, maxMemoryBytes: 8 * 1024 ** 3 } };

describe('engine budget (COMPAT.md entry 13)', () => {
  const cut = c('25,000 lines cut to 2 (edit distance 24,998; jsdiff needs ~60 ms)', numbered(25_000), 'l1\nl12500\n');
  const grown = c('2 lines grown to 25,000 (edit distance 24,998; jsdiff needs ~60 ms)', 'l1\nl12500\n', numbered(25_000));

  it.each([cut, grown])('$name: identical to jsdiff with an ample engineBudget', (t) => {
    const pair = checkCreateDiff({ ...t, options: AMPLE_BUDGET }, stats);
    checkOwnApply({ ...t, options: AMPLE_BUDGET }, pair, stats);
  });

  it.each([cut, grown])('$name: identical to jsdiff with the default budget (a search jsdiff finishes at once is not cut short)', (t) => {
    stats.cases++;
    const pair = checkCreateDiff(t, stats);
    checkOwnApply(t, pair, stats);
  });

  it('a rewrite past the budget still gives a diff that applies exactly', () => {
    const n = 13_000;
    const before = Array.from({ length: n }, (_, i) => `a${i}\n`).join('');
    const after = Array.from({ length: n }, (_, i) => (i === n / 2 ? `a${i}\n` : `b${i}\n`)).join('');
    const patch = native.createDiff('f', before, after);
    expect(native.applyPatch(before, patch)).toBe(after);
    expect(native.hasConflicts(before, patch)).toBe(false);
    for (const hunk of patch.hunks) {
      expect(hunk.lines.filter((l) => l[0] === ' ' || l[0] === '-').length).toBe(hunk.oldLines);
      expect(hunk.lines.filter((l) => l[0] === ' ' || l[0] === '+').length).toBe(hunk.newLines);
    }
  });
});

describe('conflicts', () => {
  it('a conflict throws PATCH_CONFLICT with the TS message, hasConflicts agrees', () => {
    const nativePatch = native.createDiff('src/x.ts', 'a\nb\nc\n', 'a\nB\nc\n');
    const referencePatch = ref.createDiff('src/x.ts', 'a\nb\nc\n', 'a\nB\nc\n');
    expect(() => ref.applyPatch('q\nr\ns\n', referencePatch)).toThrow('Failed to apply patch for src/x.ts');
    const result = attempt(() => native.applyPatch('q\nr\ns\n', nativePatch));
    expect(outcomeView(result)).toStrictEqual({ ok: false, code: 'PATCH_CONFLICT', message: 'Failed to apply patch for src/x.ts' });
    expect((result as { error: unknown }).error).toBeInstanceOf(Error);
    expect(native.hasConflicts('q\nr\ns\n', nativePatch)).toBe(true);
    expect(ref.hasConflicts('q\nr\ns\n', referencePatch)).toBe(true);
    expect(native.hasConflicts('a\nb\nc\n', nativePatch)).toBe(false);
  });

  it('a diff with no hunks applies to anything as a no-op', () => {
    const patch = native.createDiff('f', 'same\n', 'same\n');
    expect(native.applyPatch('other\n', patch)).toBe(ref.applyPatch('other\n', ref.createDiff('f', 'same\n', 'same\n')));
    expect(native.applyPatch(null, patch)).toBe('');
  });
});

// ---------------------------------------------------------------------------
// formatJsonSideBySide
// ---------------------------------------------------------------------------

const circular: Record<string, unknown> = { a: 1 };
circular.self = circular;

const JSON_VALUES: Array<[string, unknown]> = [
  ['undefined', undefined],
  ['null', null],
  ['plain string', 'plain text'],
  ['empty string', ''],
  ['string with newlines and unicode', 'a\nb😀\r\n'],
  ['integer', 42],
  ['negative zero', -0],
  ['small float', 1.5e-7],
  ['large float', 1e21],
  ['NaN', Number.NaN],
  ['Infinity', Number.POSITIVE_INFINITY],
  ['true', true],
  ['false', false],
  ['object', { b: 1, a: [1, 2, { c: null }] }],
  ['empty object and array', { a: {}, b: [] }],
  ['undefined and functions inside', { a: undefined, b: [undefined, () => 1], c: () => 2 }],
  ['integer-like keys', { b: 1, 2: 'two', 1: 'one', a: 0 }],
  ['escapes', { 'é😀\n': '\u0000\u001f"\\\u2028\u007f' }],
  ['lone surrogate in a string', ['\uD800']],
  ['Date', new Date(0)],
  ['toJSON', { toJSON: () => ({ x: 1 }) }],
  ['toJSON returning undefined', { toJSON: () => undefined }],
  ['function', () => 1],
  ['symbol', Symbol('s')],
  ['Map', new Map([[1, 2]])],
  ['boxed string', Object('boxed')],
  ['class instance', new (class Point { x = 1; y = 2 })()],
  ['deeply nested', { a: { b: { c: { d: { e: [1, [2, [3]]] } } } } }],
  ['BigInt (throws)', 10n],
  ['circular (throws)', circular],
];

describe('formatJsonSideBySide equals the reference', () => {
  it.each(JSON_VALUES)('%s', (_name, value) => {
    for (const [left, right] of [
      [value, 'other'],
      ['other', value],
      [value, value],
    ]) {
      const expected = attempt(() => ref.formatJsonSideBySide(left, right));
      const actual = attempt(() => native.formatJsonSideBySide(left, right));
      if (expected.ok) {
        expect(actual).toStrictEqual({ ok: true, value: expected.value });
        expect(Object.keys((actual as { value: object }).value)).toEqual(['left', 'right']);
      } else {
        expect(actual.ok).toBe(false);
      }
    }
  });
});
