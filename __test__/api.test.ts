/**
 * Behaviour of the public API beyond parity: argument checking, error codes
 * and fields, the engine budget, and the formatters.
 */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { applyPatch as jsApply } from 'diff';
import { native } from './helpers/native.js';

const { createDiff, applyPatch, hasConflicts, formatUnifiedDiff, formatJsonSideBySide } = native as any;

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe('argument checking', () => {
  it('refuses non-string paths and texts with a TypeError coded INVALID_ARGUMENT', () => {
    for (const call of [
      () => createDiff(1, 'a', 'b'),
      () => createDiff('p', 1, 'b'),
      () => createDiff('p', 'a', {}),
      () => createDiff('p', undefined, 'b'),
      () => applyPatch(42, 'x'),
      () => applyPatch('a', 42),
      () => hasConflicts('a', null),
      () => formatUnifiedDiff('text'),
    ]) {
      let thrown: unknown;
      try {
        call();
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(TypeError);
      expect((thrown as { code: string }).code).toBe('INVALID_ARGUMENT');
    }
  });

  it('refuses negative, fractional, non-finite and non-number options', () => {
    for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '3', 2 ** 32]) {
      expect(codeOf(() => createDiff('p', 'a\n', 'b\n', { contextLines: bad }))).toBe('INVALID_ARGUMENT');
      expect(codeOf(() => createDiff('p', 'a\n', 'b\n', { maxPreviewLength: bad }))).toBe('INVALID_ARGUMENT');
    }
    expect(codeOf(() => createDiff('p', 'a\n', 'b\n', 5))).toBe('INVALID_ARGUMENT');
  });

  it('treats absent, undefined and null options as the defaults', () => {
    const plain = createDiff('p', 'a\nb\nc\nd\ne\n', 'a\nb\nX\nd\ne\n');
    expect(createDiff('p', 'a\nb\nc\nd\ne\n', 'a\nb\nX\nd\ne\n', undefined)).toEqual(plain);
    expect(createDiff('p', 'a\nb\nc\nd\ne\n', 'a\nb\nX\nd\ne\n', null)).toEqual(plain);
    expect(createDiff('p', 'a\nb\nc\nd\ne\n', 'a\nb\nX\nd\ne\n', { contextLines: undefined })).toEqual(plain);
  });
});

describe('applyPatch errors', () => {
  const patch = () => createDiff('src/a.ts', 'one\ntwo\nthree\n', 'one\n2\nthree\n');

  it('throws PATCH_CONFLICT with the failing hunk and lines', () => {
    let error: any;
    try {
      applyPatch('one\nzwei\nthree\n', patch());
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toBe('Failed to apply patch for src/a.ts');
    expect(error.code).toBe('PATCH_CONFLICT');
    expect(error.path).toBe('src/a.ts');
    expect(error.hunk).toBe(0);
    expect(error.line).toBe(2);
    expect(error.expected).toBe('two');
    expect(error.actual).toBe('zwei');
    expect(hasConflicts('one\nzwei\nthree\n', patch())).toBe(true);
    expect(hasConflicts('one\ntwo\nthree\n', patch())).toBe(false);
  });

  it('throws PATCH_PARSE with a line number for text that is not a diff (jsdiff returns the baseline)', () => {
    expect(jsApply('base\n', 'hello world\n')).toBe('base\n');
    let error: any;
    try {
      applyPatch('base\n', 'hello world\n');
    } catch (e) {
      error = e;
    }
    expect(error.code).toBe('PATCH_PARSE');
    expect(error.line).toBe(1);
    expect(hasConflicts('base\n', 'hello world\n')).toBe(true); // applyPatch would throw
  });

  it('throws PATCH_PARSE for a hunk longer than its header', () => {
    let error: any;
    try {
      applyPatch('a\n', '--- a\n+++ a\n@@ -1,1 +1,1 @@\n-a\n+b\n+c\n');
    } catch (e) {
      error = e;
    }
    expect(error.code).toBe('PATCH_PARSE');
    expect(error.line).toBe(6);
    expect(error.message).toMatch(/more lines than its header/);
  });

  it('accepts diff text as well as a FilePatch', () => {
    expect(applyPatch('one\ntwo\nthree\n', patch().diff)).toBe('one\n2\nthree\n');
    expect(applyPatch(null, createDiff('n', null, 'new\n'))).toBe('new\n');
  });
});

describe('engine budget', () => {
  const lines = (n: number, seed: number) =>
    Array.from({ length: n }, (_, i) => `line ${(i * 7919 + seed) % 97} ${i % 5}`).join('\n') + '\n';
  const before = lines(400, 1);
  const after = lines(400, 2);

  it('falls back past the budget to a diff that still applies exactly', () => {
    const full = createDiff('f', before, after);
    const tight = createDiff('f', before, after, { engineBudget: { maxWork: 1000 } });
    expect(tight.diff).not.toBe(full.diff); // the fallback did run
    expect(applyPatch(before, tight)).toBe(after);
    expect(applyPatch(before, full)).toBe(after);
    expect(tight.summary.additions - tight.summary.deletions).toBe(full.summary.additions - full.summary.deletions);
  });

  it('refuses invalid budget values', () => {
    expect(codeOf(() => createDiff('f', 'a', 'b', { engineBudget: { maxWork: -5 } }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => createDiff('f', 'a', 'b', { engineBudget: 3 }))).toBe('INVALID_ARGUMENT');
  });
});

describe('text encoding', () => {
  it('hashes exactly as node:crypto does, lone surrogates included', () => {
    for (const text of ['héllo 😀\n', 'a\ud800b\n', '\udfffx']) {
      const patch = createDiff('u', text, null);
      expect(patch.shaBefore).toBe(createHash('sha256').update(text).digest('hex'));
      expect(patch.shaAfter).toBe(null);
    }
  });

  it('writes lone surrogates as U+FFFD in the diff text', () => {
    const patch = createDiff('u', 'a\n', 'b\ud800\n');
    expect(patch.hunks[0].lines).toEqual(['-a', '+b\ufffd']);
  });
});

describe('formatters', () => {
  it('formatUnifiedDiff returns the diff text', () => {
    const patch = createDiff('x', 'a\n', 'b\n');
    expect(formatUnifiedDiff(patch)).toBe(patch.diff);
  });

  it('formatJsonSideBySide stringifies as patchkit does', () => {
    expect(formatJsonSideBySide({ a: 1 }, [1, 'x'])).toEqual({ left: '{\n  "a": 1\n}', right: '[\n  1,\n  "x"\n]' });
    expect(formatJsonSideBySide(undefined, 'plain')).toEqual({ left: 'undefined', right: 'plain' });
    expect(formatJsonSideBySide(null, () => 1)).toEqual({ left: 'null', right: 'null' });
    expect(formatJsonSideBySide({ toJSON: () => 'j' }, 12)).toEqual({ left: '"j"', right: '12' });
  });
});
