/**
 * The bad-input matrix: every row gets its documented error code or its
 * documented result, the process stays alive, and nothing is changed where
 * a call failed.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyPatch as jsApply } from 'diff';
import { native } from './helpers/native.js';

const n = native as any;

function outcome(fn: () => unknown): string {
  try {
    fn();
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code ?? `uncoded: ${String(error)}`;
  }
}

const notText = [42, 1n, true, {}, [], () => 1, Symbol('s'), new Date(), new Uint16Array(1)];

describe('argument types', () => {
  it.each(notText.map((v) => [typeof v === 'symbol' ? 'symbol' : Object.prototype.toString.call(v), v]))(
    '%s is refused everywhere text is expected',
    (_name, bad) => {
      const patch = n.createDiff('p', 'a\n', 'b\n');
      expect(outcome(() => n.createDiff(bad, 'a', 'b'))).toBe('INVALID_ARGUMENT');
      expect(outcome(() => n.createDiff('p', bad, 'b'))).toBe('INVALID_ARGUMENT');
      expect(outcome(() => n.createDiff('p', 'a', bad))).toBe('INVALID_ARGUMENT');
      expect(outcome(() => n.applyPatch(bad, patch))).toBe('INVALID_ARGUMENT');
      expect(outcome(() => n.hasConflicts('a\n', typeof bad === 'object' && !(bad instanceof Uint16Array) ? { diff: bad } : bad))).toBe(
        'INVALID_ARGUMENT',
      );
      expect(outcome(() => n.createDiffsSync([{ path: 'p', baseline: bad, proposed: null }]))).toBe('INVALID_ARGUMENT');
      expect(outcome(() => n.checkPatch(bad, patch))).toBe('INVALID_ARGUMENT');
      expect(outcome(() => n.parsePatch(bad))).toBe('INVALID_ARGUMENT');
      expect(outcome(() => n.applyPatches({ p: bad }, patch.diff))).toBe('INVALID_ARGUMENT');
      expect(outcome(() => n.applyPatches({ p: 'a\n' }, bad))).toBe('INVALID_ARGUMENT');
      expect(outcome(() => n.reversePatch(bad))).toBe('INVALID_ARGUMENT');
    },
  );

  it('undefined where null is allowed, and null where a string is required', () => {
    expect(outcome(() => n.createDiff('p', undefined, 'b'))).toBe('INVALID_ARGUMENT');
    expect(outcome(() => n.createDiff('p', 'a', undefined))).toBe('INVALID_ARGUMENT');
    expect(outcome(() => n.createDiff(null, 'a', 'b'))).toBe('INVALID_ARGUMENT');
    expect(outcome(() => n.applyPatch('a', null))).toBe('INVALID_ARGUMENT');
    expect(outcome(() => n.applyPatches({ a: 'x' }, null))).toBe('INVALID_ARGUMENT');
    expect(outcome(() => n.createDiff('p', null, null))).toBe('ok');
  });

  it('negative, fractional, huge and NaN options', () => {
    for (const bad of [-1, 0.5, 2 ** 40, Number.NaN, -0.0001, Number.NEGATIVE_INFINITY, '1', null]) {
      for (const key of ['contextLines', 'maxPreviewLength', 'maxPreviewLines', 'maxPreviewHunks']) {
        const expected = bad === null ? 'INVALID_ARGUMENT' : 'INVALID_ARGUMENT';
        expect(outcome(() => n.createDiff('p', 'a\n', 'b\n', { [key]: bad })), `${key}: ${String(bad)}`).toBe(expected);
      }
      expect(outcome(() => n.applyPatch('a\n', n.createDiff('p', 'a\n', 'b\n'), { fuzzFactor: bad }))).toBe('INVALID_ARGUMENT');
      expect(() => n.createDiffAsync('p', 'a', 'b', { timeoutMs: bad })).toThrow(TypeError);
      expect(outcome(() => n.applyPatches({}, '--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n', { strip: bad }))).toBe('INVALID_ARGUMENT');
      expect(outcome(() => n.parsePatch('@@ -1 +1 @@\n-a\n+b\n', { strip: bad }))).toBe('INVALID_ARGUMENT');
    }
  });

  it('unknown or mistyped format and algorithm names', () => {
    for (const bad of ['GIT', 'unified', '', ' git', 'git\0', 1, true, {}, null]) {
      expect(outcome(() => n.createDiff('p', 'a\n', 'b\n', { format: bad })), `format ${String(bad)}`).toBe('INVALID_ARGUMENT');
      expect(outcome(() => n.createDiff('p', 'a\n', 'b\n', { algorithm: bad })), `algorithm ${String(bad)}`).toBe('INVALID_ARGUMENT');
      expect(outcome(() => n.createDiffsSync([{ path: 'p', baseline: 'a', proposed: 'b' }], { algorithm: bad }))).toBe('INVALID_ARGUMENT');
      expect(() => n.createDiffAsync('p', 'a', 'b', { format: bad })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
    expect(() => n.createDiff('p', 'a', 'b', { algorithm: 'Myers' })).toThrow(/options\.algorithm must be one of/);
    // undefined means the default
    expect(n.createDiff('p', 'a\n', 'b\n', { format: undefined, algorithm: undefined }).diff).toBe(n.createDiff('p', 'a\n', 'b\n').diff);
  });
});

describe('hostile text', () => {
  it('lone surrogates become U+FFFD in the text; hashes match node:crypto', () => {
    const patch = n.createDiff('s', '\ud800\n', 'x\udc00y\n');
    expect(patch.hunks[0].lines).toEqual(['-\ufffd', '+x\ufffdy']);
    expect(n.applyPatch('\ufffd\n', patch)).toBe('x\ufffdy\n');
  });

  it('NUL bytes in strings are ordinary text', () => {
    const a = 'a\0b\nc\n';
    const b = 'a\0B\nc\n';
    const patch = n.createDiff('nul', a, b);
    expect(patch.hunks[0].lines).toEqual(['-a\0b', '+a\0B', ' c']);
    expect(n.applyPatch(a, patch)).toBe(b);
  });

  it('files with only \\r line breaks are one line each', () => {
    const a = 'one\rtwo\rthree';
    const b = 'one\rTWO\rthree';
    const patch = n.createDiff('cr', a, b);
    expect(patch.hunks[0].lines).toEqual([`-${a}`, '\\ No newline at end of file', `+${b}`, '\\ No newline at end of file']);
    expect(n.applyPatch(a, patch)).toBe(b);
  });

  it('a 10 MB line, and a million tiny lines', async () => {
    const long = 'x'.repeat(10 * 2 ** 20);
    const patch = await n.createDiffAsync('long', `${long}\n`, `${long}y\n`);
    expect(patch.summary).toMatchObject({ additions: 1, deletions: 1 });
    expect(patch.summary.preview.length).toBe(181);
    const tiny = Array.from({ length: 1_000_000 }, (_, i) => String(i % 10)).join('\n') + '\n';
    const edited = tiny.replace('\n5\n', '\nfive\n');
    const big = await n.createDiffAsync('tiny', tiny, edited);
    expect(big.summary).toMatchObject({ additions: 1, deletions: 1 });
    expect(await n.applyPatchAsync(tiny, big)).toBe(edited);
  });

  it('a 200 MB input', async () => {
    const line = 'const value = computeSomething(argument, another, third); // padding\n';
    const lines = Math.ceil((200 * 2 ** 20) / line.length);
    const before = line.repeat(lines);
    const after = `${before.slice(0, line.length * 1000)}inserted\n${before.slice(line.length * 1000)}`;
    const rss0 = process.memoryUsage().rss;
    const patch = await n.createDiffAsync('huge', before, after);
    const rss1 = process.memoryUsage().rss;
    expect(patch.summary).toMatchObject({ additions: 1, deletions: 0 });
    console.log(`[200 MB] ${(before.length / 2 ** 20).toFixed(0)} MB per side; rss ${(rss0 / 2 ** 20).toFixed(0)} → ${(rss1 / 2 ** 20).toFixed(0)} MB`);
  });
});

describe('hostile patches', () => {
  const base = 'a\nb\nc\nd\ne\nf\ng\nh\n';
  const cases: Array<[string, string, string]> = [
    ['a header that overstates its counts', '--- f\n+++ f\n@@ -1,5 +1,5 @@\n a\n-b\n+B\n c\n', 'PATCH_PARSE'],
    ['a header that understates its counts', '--- f\n+++ f\n@@ -1,2 +1,2 @@\n a\n-b\n+B\n c\n d\n', 'PATCH_PARSE'],
    ['hunks out of order', '--- f\n+++ f\n@@ -5,1 +5,1 @@\n-e\n+E\n@@ -1,1 +1,1 @@\n-a\n+A\n', 'PATCH_PARSE'],
    ['overlapping hunks', '--- f\n+++ f\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n@@ -2,2 +2,2 @@\n-b\n+X\n c\n', 'PATCH_PARSE'],
    ['a truncated patch', '--- f\n+++ f\n@@ -1,3 +1,3 @@\n a\n-b\n', 'PATCH_PARSE'],
    ['a malformed @@ line', '--- f\n+++ f\n@@ -x,1 +1 @@\n-a\n', 'PATCH_PARSE'],
    ['prose only', 'Please change b to B.\n', 'PATCH_PARSE'],
    ['a binary patch', 'diff --git a/f b/f\nindex 1..2 100644\nBinary files a/f and b/f differ\n', 'PATCH_BINARY'],
    ['a GIT binary patch', 'diff --git a/f b/f\nindex 1..2\nGIT binary patch\nliteral 3\nKcmZ?\n\nliteral 0\n', 'PATCH_BINARY'],
    ['a hunk that does not fit', '--- f\n+++ f\n@@ -1,2 +1,2 @@\n a\n-z\n+Z\n', 'PATCH_CONFLICT'],
    ['a multi-file patch to applyPatch', '--- f\n+++ f\n@@ -1 +1 @@\n-a\n+A\n--- g\n+++ g\n@@ -1 +1 @@\n-a\n+A\n', 'PATCH_PARSE'],
  ];
  it.each(cases)('%s: %s', (_name, patch, code) => {
    expect(outcome(() => n.applyPatch(base, patch))).toBe(code);
    if (code === 'PATCH_CONFLICT') expect(n.hasConflicts(base, patch)).toBe(true);
    // the same patch after a good part, to applyPatches: all or nothing
    const files = { f: base, g: 'keep\n' };
    const copy = structuredClone(files);
    const good = n.createDiff('g', 'keep\n', 'changed\n').diff;
    const multi = outcome(() => n.applyPatches(files, `${good}${patch}`));
    // applyPatches takes several files: its `g` part then meets g as the good
    // part left it (a conflict), and prose after a part is skipped
    const differs: Record<string, string> = { 'a multi-file patch to applyPatch': 'PATCH_CONFLICT', 'prose only': 'ok' };
    expect(multi).toBe(differs[_name] ?? code);
    expect(files).toEqual(copy);
    if (code === 'PATCH_PARSE') expect(outcome(() => n.parsePatch(patch))).toBe(_name === 'a multi-file patch to applyPatch' ? 'ok' : 'PATCH_PARSE');
  });

  it('a CRLF patch applies to an LF file as jsdiff applies it (added lines keep the patch\'s CRLF)', () => {
    const patch = n.createDiff('f', base, base.replace('c\n', 'C\n')).diff.replace(/\n/g, '\r\n');
    expect(n.applyPatch(base, patch)).toBe(jsApply(base, patch));
    expect(n.applyPatch(base, patch)).toBe(base.replace('c\n', 'C\r\n'));
  });

  it('random bytes as patches never crash', () => {
    let seed = 7;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    const alphabet = ['@@ -1,2 +1,2 @@', '--- a', '+++ b', ' a', '-b', '+c', '\\ No newline at end of file', 'diff --git a/x b/x', '', 'x'];
    for (let i = 0; i < 2000; i++) {
      const lines = Array.from({ length: next() % 12 }, () => alphabet[next() % alphabet.length]);
      const code = outcome(() => n.applyPatch(base, lines.join(next() % 2 ? '\n' : '\r\n')));
      expect(['ok', 'PATCH_PARSE', 'PATCH_CONFLICT', 'PATCH_BINARY']).toContain(code);
    }
  });
});

describe('hostile paths', () => {
  it('escapes are refused before anything is touched', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'patchkit-hard-'));
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'patchkit-out-'));
    fs.symlinkSync(outside, path.join(root, 'out'));
    for (const bad of ['../x', '/abs', 'a/../../x', 'nul\0byte', 'out/x']) {
      await expect(
        n.applyPlan(root, { operations: [{ kind: 'write', path: 'fine.txt', content: 'x' }, { kind: 'write', path: bad, content: 'x' }] }),
      ).rejects.toMatchObject({ code: 'PATH_ESCAPE' });
    }
    expect(fs.readdirSync(root)).toEqual(['out']);
    expect(fs.readdirSync(outside)).toEqual([]);
  });
});
